/**
 * The Clickstream frontend plugin.
 *
 * @packageDocumentation
 */

export { clickstreamPlugin, ClickstreamPage } from './plugin';
export { clickstreamApiRef, ClickstreamClient } from './api';
export type { ClickstreamApi } from './api';
