import { RateLimiter } from './RateLimiter';

describe('RateLimiter', () => {
  it('allows a burst, then the rate, per key', () => {
    const limiter = new RateLimiter(10, 20);
    const t = 1_000_000;
    for (let i = 0; i < 20; i++) expect(limiter.take('a', t)).toBe(0);
    expect(limiter.take('a', t)).toBe(1);
    expect(limiter.take('b', t)).toBe(0); // another key has its own bucket
    expect(limiter.take('a', t + 100)).toBe(0); // 100 ms later one token is back
    expect(limiter.take('a', t + 100)).toBe(1);
  });

  it('tells how long to wait at low rates', () => {
    const limiter = new RateLimiter(0.5, 1);
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBe(2);
  });

  it('keeps its memory bounded under many keys', () => {
    const limiter = new RateLimiter(1, 1, 1000);
    for (let i = 0; i < 5000; i++) limiter.take(`ip${i}`, 0);
    // The most recent keys are still limited (their bucket is remembered).
    expect(limiter.take('ip4999', 0)).toBe(1);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new RateLimiter(0)).toThrow(/positive rate/);
  });
});
