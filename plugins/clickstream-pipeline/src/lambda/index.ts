export { processToDataLake } from './dataLake';
export type { DataLakeBatch, ObjectWriter } from './dataLake';
export { recordsOf } from './bufferEvents';
export type {
  BufferEvent,
  BufferEventRecords,
  ObjectReader,
  S3ObjectRecord,
} from './bufferEvents';
export { RedshiftLoader, redshiftLoadStatements } from './redshiftLoad';
export type {
  AppLoadResult,
  DataLakeStore,
  LoadRunner,
  LoadStatementsOptions,
  RedshiftLoaderOptions,
} from './redshiftLoad';
export { ensureReportingUser } from './reportingUser';
export type { ReportingUserSpec } from './reportingUser';
export {
  appRegistryParameterName,
  formatRegistryApps,
  parseRegistryApps,
} from './appRegistry';
export { SsmAppRegistry } from './ssmAppRegistry';
export type { RegistryApp } from './appRegistry';
