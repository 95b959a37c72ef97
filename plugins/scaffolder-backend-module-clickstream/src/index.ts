/**
 * Scaffolder actions for Clickstream projects.
 *
 * @packageDocumentation
 */

export { scaffolderModuleClickstream as default } from './module';
export { createClickstreamActions } from './actions';
export type { ClickstreamActionsOptions } from './actions';
