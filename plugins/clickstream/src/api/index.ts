export { clickstreamApiRef } from './ClickstreamApi';
export type { ClickstreamApi } from './ClickstreamApi';
export { ClickstreamClient } from './ClickstreamClient';
