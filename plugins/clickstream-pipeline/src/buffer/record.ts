/*
 * The buffer record: what the collector stores for each accepted request, whatever the buffer
 * (the local segment log, Kinesis, MSK or S3), and the two forms it is stored in.
 */

/** What the collector stores per accepted request: the raw body and where it came from. @public */
export interface IngestRecord {
  /** The request body exactly as received (plain JSON or base64 of gzip). */
  body: Buffer;
  /** Milliseconds since the epoch when the collector received the request. */
  ingestTime: number;
  sourceIp: string;
  userAgent: string;
  requestId: string;
  /** The SDK's query parameters: appId, platform, compression, upload_timestamp, ... */
  query: Record<string, string>;
}

/** A record read back, with its place in the log. @public */
export interface StoredRecord extends IngestRecord {
  offset: number;
  nextOffset: number;
}

/** The buffer cannot take more now (full, or the disk is): answer 503 and let the SDK retry. @public */
export class BufferFullError extends Error {
  name = 'BufferFullError';
}

/**
 * The bytes of one ingest record: a u32 length of the metadata JSON, the metadata, then the
 * raw body. Every sink stores records in this form, so the processor reads them all alike.
 * @public
 */
export function encodeIngestRecord(record: IngestRecord): Buffer {
  return writeIngestRecord(record, 0);
}

/**
 * An ingest record's bytes after `headroom` free bytes, in one allocation and one copy of the
 * body (the log writes its frame header there).
 */
export function writeIngestRecord(
  record: IngestRecord,
  headroom: number,
): Buffer {
  const meta = JSON.stringify({
    t: record.ingestTime,
    ip: record.sourceIp,
    ua: record.userAgent,
    id: record.requestId,
    q: record.query,
  });
  const metaLength = Buffer.byteLength(meta);
  const bytes = Buffer.allocUnsafe(
    headroom + 4 + metaLength + record.body.length,
  );
  bytes.writeUInt32BE(metaLength, headroom);
  bytes.write(meta, headroom + 4);
  record.body.copy(bytes, headroom + 4 + metaLength);
  return bytes;
}

/** Reads what {@link encodeIngestRecord} wrote. @public */
export function decodeIngestRecord(payload: Buffer): IngestRecord {
  const metaLength = payload.readUInt32BE(0);
  if (4 + metaLength > payload.length) {
    throw new RangeError('the record is shorter than its metadata says');
  }
  const meta = JSON.parse(payload.subarray(4, 4 + metaLength).toString('utf8'));
  if (typeof meta !== 'object' || meta === null || typeof meta.t !== 'number') {
    throw new TypeError('the record has no ingest metadata');
  }
  return {
    body: Buffer.from(payload.subarray(4 + metaLength)),
    ingestTime: meta.t,
    sourceIp: meta.ip,
    userAgent: meta.ua,
    requestId: meta.id,
    query: meta.q,
  };
}

/** One NDJSON line of a raw object: the record's metadata and its body as sent. @public */
export function toNdjsonLine(record: IngestRecord): string {
  return JSON.stringify({
    ingestTime: record.ingestTime,
    sourceIp: record.sourceIp,
    userAgent: record.userAgent,
    requestId: record.requestId,
    query: record.query,
    // The collector accepted only UTF-8 bodies (JSON text or base64), so text keeps them intact.
    body: record.body.toString('utf8'),
  });
}

/** Reads a line written by {@link toNdjsonLine}. @public */
export function fromNdjsonLine(line: string): IngestRecord {
  const value = JSON.parse(line);
  return { ...value, body: Buffer.from(value.body, 'utf8') };
}
