import '@testing-library/jest-dom';

// recharts sizes its charts with ResizeObserver, which jsdom lacks; charts render at 0x0 here,
// so component tests check numbers and labels, and the browser tests check the drawn charts.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;

// Each test renders Backstage's app shell (and some material-table and dialogs); on a busy
// two-core machine the first render of a file can take longer than jest's 5 s default.
jest.setTimeout(20_000);
