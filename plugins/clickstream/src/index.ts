/**
 * The Clickstream frontend plugin.
 *
 * @packageDocumentation
 */

export {
  clickstreamPlugin,
  ClickstreamPage,
  EntityClickstreamDashboardsContent,
  EntityClickstreamPipelineCard,
  EntityClickstreamSdkCard,
} from './plugin';
export { isClickstreamAvailable } from './conditions';
export { clickstreamApiRef, ClickstreamClient } from './api';
export type { ClickstreamApi } from './api';
