/**
 * The CDK app that deploys a Clickstream pipeline to AWS.
 *
 * @packageDocumentation
 */

export {
  awsPipelineConfig,
  buildClickstreamApp,
  COLLECTOR_IMAGE_DIRECTORY,
  stackName,
  TEMPLATE_VERSION_TAG,
} from './app';
export type { ClickstreamAppOptions, PipelineApp } from './app';
export { BufferStack } from './stacks/BufferStack';
export type { BufferStackProps } from './stacks/BufferStack';
export { DataLakeStack } from './stacks/DataLakeStack';
export type { DataLakeStackProps } from './stacks/DataLakeStack';
export { IngestionStack } from './stacks/IngestionStack';
export { MetricsStack } from './stacks/MetricsStack';
export type { MetricsStackProps } from './stacks/MetricsStack';
export {
  ModelingStack,
  WAREHOUSE_DATABASE,
  warehouseTarget,
} from './stacks/ModelingStack';
export type { ModelingStackProps } from './stacks/ModelingStack';
export { ProcessingStack } from './stacks/ProcessingStack';
export { ReportingStack } from './stacks/ReportingStack';
export type { ReportingStackProps } from './stacks/ReportingStack';
export type {
  ProcessingAppConfig,
  ProcessingSource,
  ProcessingStackProps,
} from './stacks/ProcessingStack';
export type {
  CollectorAppConfig,
  CollectorSink,
  IngestionStackProps,
} from './stacks/IngestionStack';
export { registryApps } from './stacks/appRegistry';
export type { RegistryAppConfig } from './stacks/appRegistry';
