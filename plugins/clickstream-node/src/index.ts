/**
 * What Clickstream backend modules build on: the extension point that adds a deployment
 * target, the deployer contract, and the query runner a deployer hands the analytics API.
 * The pipeline engine itself is `@clickstream/backstage-plugin-clickstream-pipeline`.
 *
 * @packageDocumentation
 */

export * from './deployer';
export type { QueryRunner, SqlParams } from './QueryRunner';
export { clickstreamServiceRef } from './service/ClickstreamService';
export type {
  ClickstreamRequestOptions,
  ClickstreamService,
} from './service/ClickstreamService';
export { DefaultClickstreamService } from './service/DefaultClickstreamService';
