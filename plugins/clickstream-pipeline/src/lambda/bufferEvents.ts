import { gunzipSync } from 'node:zlib';
import {
  decodeIngestRecord,
  fromNdjsonLine,
  IngestRecord,
} from '../buffer/record';

/** The Lambda events the processor is subscribed to, reduced to what it reads. @public */
export type BufferEvent =
  | { Records: Array<{ kinesis: { data: string } }> }
  | {
      Records: Array<{
        s3: { bucket: { name: string }; object: { key: string } };
      }>;
    }
  | {
      eventSource: 'aws:kafka';
      records: Record<string, Array<{ value: string }>>;
    };

/** Reads an object of the raw bucket. @public */
export type ObjectReader = (bucket: string, key: string) => Promise<Buffer>;

/**
 * The ingest records a buffer event carries: Kinesis and MSK records hold one encoded record
 * each; an S3 notification names gzipped NDJSON objects of records (the S3 sink's format).
 * @public
 */
export async function recordsOf(
  event: BufferEvent,
  read: ObjectReader,
): Promise<IngestRecord[]> {
  if ('eventSource' in event && event.eventSource === 'aws:kafka') {
    return Object.values(event.records)
      .flat()
      .map(r => decodeIngestRecord(Buffer.from(r.value, 'base64')));
  }
  const records: IngestRecord[] = [];
  for (const record of (event as { Records: any[] }).Records) {
    if (record.kinesis) {
      records.push(
        decodeIngestRecord(Buffer.from(record.kinesis.data, 'base64')),
      );
    } else if (record.s3) {
      // Keys arrive URL-encoded, spaces as '+'.
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
      const text = gunzipSync(await read(record.s3.bucket.name, key)).toString(
        'utf8',
      );
      for (const line of text.split('\n')) {
        if (line.trim()) records.push(fromNdjsonLine(line));
      }
    }
  }
  return records;
}
