import { gunzipSync } from 'node:zlib';
import {
  decodeIngestRecord,
  fromNdjsonLine,
  IngestRecord,
} from '../buffer/record';

/** An S3 event notification's record, reduced to what the processor reads. @public */
export interface S3ObjectRecord {
  s3: { bucket: { name: string }; object: { key: string } };
}

/**
 * The Lambda events the processor is subscribed to, reduced to what it reads: Kinesis records,
 * MSK records, or SQS messages whose bodies are S3 event notifications of the raw bucket (the
 * S3 sink: S3 notifies the queue, the queue invokes the function).
 * @public
 */
export type BufferEvent =
  | { Records: Array<{ kinesis: { data: string } }> }
  | {
      Records: Array<{
        eventSource: 'aws:sqs';
        messageId: string;
        body: string;
      }>;
    }
  | {
      eventSource: 'aws:kafka';
      records: Record<string, Array<{ value: string }>>;
    };

/** Reads an object of the raw bucket. @public */
export type ObjectReader = (bucket: string, key: string) => Promise<Buffer>;

/** What a buffer event holds: its records, and the SQS messages that could not be read. @public */
export interface BufferEventRecords {
  records: IngestRecord[];
  /** Ids of SQS messages whose objects could not be read; SQS hands them out again. */
  failedMessageIds: string[];
}

/**
 * The ingest records a buffer event carries. Kinesis and MSK records hold one encoded record
 * each; an SQS message holds an S3 notification naming gzipped NDJSON objects of records (the
 * S3 sink's format). A message that cannot be read (a missing object, a corrupt file) is
 * reported by id, so only it is retried and, after the queue's receive limit, dead-lettered;
 * the S3 test event sent when the notification is set up is skipped.
 * @public
 */
export async function recordsOf(
  event: BufferEvent,
  read: ObjectReader,
): Promise<BufferEventRecords> {
  if ('eventSource' in event && event.eventSource === 'aws:kafka') {
    return {
      records: Object.values(event.records)
        .flat()
        .map(r => decodeIngestRecord(Buffer.from(r.value, 'base64'))),
      failedMessageIds: [],
    };
  }
  const records: IngestRecord[] = [];
  const failedMessageIds: string[] = [];
  for (const record of (event as { Records: any[] }).Records) {
    if (record.kinesis) {
      records.push(
        decodeIngestRecord(Buffer.from(record.kinesis.data, 'base64')),
      );
    } else if (record.eventSource === 'aws:sqs') {
      try {
        records.push(...(await recordsOfMessage(record.body, read)));
      } catch (error) {
        console.error(
          JSON.stringify({
            message: 'could not read the objects of an SQS message',
            messageId: record.messageId,
            error: String(error),
          }),
        );
        failedMessageIds.push(record.messageId);
      }
    }
  }
  return { records, failedMessageIds };
}

async function recordsOfMessage(
  body: string,
  read: ObjectReader,
): Promise<IngestRecord[]> {
  const notification = JSON.parse(body) as {
    Event?: string;
    Records?: S3ObjectRecord[];
  };
  if (notification.Event === 's3:TestEvent') return [];
  const records: IngestRecord[] = [];
  for (const { s3 } of notification.Records ?? []) {
    // Keys arrive URL-encoded, spaces as '+'.
    const key = decodeURIComponent(s3.object.key.replace(/\+/g, ' '));
    const text = gunzipSync(await read(s3.bucket.name, key)).toString('utf8');
    for (const line of text.split('\n')) {
      if (line.trim()) records.push(fromNdjsonLine(line));
    }
  }
  return records;
}
