/*
 * The contract between the processor and the warehouses: the reference's tables (one column
 * list, from which the DuckDB and Redshift DDL are generated) and the batch of rows a
 * processor hands a warehouse.
 */
export * from './tables';
export type { ProcessedBatch, ProcessingStats } from './batch';
