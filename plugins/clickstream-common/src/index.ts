/**
 * Types, schemas and constants shared by every Clickstream package.
 *
 * @packageDocumentation
 */

export * from './constants';
export * from './ids';
export { REDSHIFT_RESERVED_WORDS } from './redshiftReservedWords';
export * from './health';
export * from './model';
export * from './permissions';
export * from './api';
export * from './analytics';
export * from './ingestion';
export * from './pipelineHealth';
export * from './validation';
export * from './sdk';
