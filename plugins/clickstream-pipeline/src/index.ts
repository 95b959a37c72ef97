/**
 * The Clickstream pipeline engine, written once and run both inside the Backstage backend
 * (the `local` target) and on AWS (the collector container and the Lambda functions, which
 * this package ships as bundles).
 *
 * @packageDocumentation
 */

// Ingestion: a collect request's body, the collector and the sinks it writes to.
export {
  decodeEventPayload,
  PAYLOAD_LIMITS,
  PayloadTooLargeError,
} from './payload';
export type { PayloadLimits } from './payload';
export {
  Collector,
  createCollectorServer,
  KINESIS_MAX_RECORD_BYTES,
  KinesisSink,
  MskSink,
  S3Sink,
  SegmentLogSink,
} from './collector';
export type {
  CollectorApp,
  CollectorOptions,
  CollectorServerOptions,
  CollectorStats,
  EventSink,
  KinesisSinkOptions,
  MskSinkOptions,
  S3SinkOptions,
} from './collector';

// The buffer: one record per accepted request, and the embedded runtime's durable log.
export {
  BufferFullError,
  decodeIngestRecord,
  encodeIngestRecord,
  SegmentLog,
  SegmentReader,
} from './buffer';
export type {
  IngestRecord,
  ReadBatch,
  SegmentLogOptions,
  StoredRecord,
} from './buffer';

// Processing: validation, enrichment and sessions, from records to warehouse rows.
export {
  defaultTrafficSourceRules,
  EVENT_LIMITS,
  openGeoLocator,
  Processor,
  TrafficSourceClassifier,
} from './processor';
export type {
  BatchBuilder,
  ChannelRule,
  GeoInfo,
  GeoLocator,
  ProcessorApp,
  ProcessorOptions,
  SourceCategoryRule,
  TrafficCampaign,
  TrafficInput,
  TrafficSource,
  TrafficSourceRules,
} from './processor';

// The warehouse schema both targets share, and the batch a processor hands a warehouse.
export {
  eventTable,
  itemTable,
  quarantineTable,
  sessionTable,
  userTable,
  warehouseTables,
} from './schema';
export type {
  ColumnType,
  ProcessedBatch,
  ProcessingStats,
  Row,
  TableDefinition,
} from './schema';

// Warehouses: DuckDB (embedded) and Redshift (AWS), and the dashboards' queries on both.
export {
  computeSheet,
  dataApiTarget,
  DuckDbWarehouse,
  duckDbDialect,
  RedshiftDataRunner,
  redshiftDialect,
  redshiftSchemaDdl,
} from './warehouse';
export type {
  DuckDbWarehouseOptions,
  LoadResult,
  RetentionResult,
  MetricsContext,
  RedshiftTarget,
  SqlDialect,
} from './warehouse';

// What the AWS target looks up in the account: shared by its stacks' custom resources and the
// deployer's pre-flight checks.
export { describeMskCluster } from './lambda/mskCluster';
export type { MskClusterFacts } from './lambda/mskCluster';
// The live app registry on AWS: written by the stacks and the control plane, read by the
// collector, the processor and the loader.
export {
  appRegistryParameterName,
  formatRegistryApps,
} from './lambda/appRegistry';
