export { processToDataLake } from './dataLake';
export type { DataLakeBatch, ObjectWriter } from './dataLake';
export { recordsOf } from './bufferEvents';
export type { BufferEvent, ObjectReader } from './bufferEvents';
