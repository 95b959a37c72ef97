export {
  BufferFullError,
  decodeIngestRecord,
  encodeIngestRecord,
  fromNdjsonLine,
  toNdjsonLine,
} from './record';
export type { IngestRecord, StoredRecord } from './record';
export { SegmentLog, SegmentReader } from './SegmentLog';
export type { ReadBatch, SegmentLogOptions } from './SegmentLog';
