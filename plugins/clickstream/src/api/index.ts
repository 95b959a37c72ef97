export { clickstreamApiRef } from './ClickstreamApi';
export type { ClickstreamApi, ProjectSummary } from './ClickstreamApi';
export { ClickstreamClient } from './ClickstreamClient';
