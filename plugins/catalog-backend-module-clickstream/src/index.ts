/**
 * Keeps the catalog in step with Clickstream projects.
 *
 * @packageDocumentation
 */

export { catalogModuleClickstreamProjects as default } from './module';
export {
  ClickstreamProjectEntityProvider,
  projectEntity,
} from './ClickstreamProjectEntityProvider';
