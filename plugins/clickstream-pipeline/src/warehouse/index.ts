export { LOAD_LOG_TABLE, redshiftCreateTable, redshiftSchemaDdl } from './ddl';
export * from './DuckDbWarehouse';
export * from './dialect';
export { computeSheet, sheetQueries } from './metrics/sheets';
export type { MetricQuery, MetricsContext } from './metrics/QueryBuilder';
export * from './RedshiftDataRunner';
