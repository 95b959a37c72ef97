/**
 * The Clickstream backend plugin.
 *
 * @packageDocumentation
 */

export { clickstreamPlugin as default } from './plugin';
export {
  clickstreamProjectConditions,
  clickstreamProjectPermissionRules,
  clickstreamProjectResourceRef,
  createClickstreamProjectConditionalDecision,
  isProjectOwner,
} from './permissions';
export type { ProjectFilter } from './database/ControlPlaneStore';
export { clickstreamRootHttpRouterConfigure } from './ingestion/collectRouter';
