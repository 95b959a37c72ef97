/**
 * The CDK app that deploys a Clickstream pipeline to AWS.
 *
 * @packageDocumentation
 */

export { buildClickstreamApp } from './app';
export type { ClickstreamAppOptions } from './app';
export { DataLakeStack } from './stacks/DataLakeStack';
export type { DataLakeStackProps } from './stacks/DataLakeStack';
