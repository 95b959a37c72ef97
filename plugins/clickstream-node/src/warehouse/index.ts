export * from './tables';
export { LOAD_LOG_TABLE, redshiftCreateTable, redshiftSchemaDdl } from './ddl';
export * from './DuckDbWarehouse';
export * from './metrics/QueryRunner';
export * from './metrics/dialect';
export * from './metrics/sheets';
export * from './RedshiftDataRunner';
