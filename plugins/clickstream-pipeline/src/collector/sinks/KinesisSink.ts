import {
  KinesisClient,
  PutRecordsCommand,
  PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { encodeIngestRecord, IngestRecord } from '../../buffer/record';
import { EventSink } from '../EventSink';
import { Batcher } from './Batcher';

/** @public */
export interface KinesisSinkOptions {
  client: KinesisClient;
  streamName?: string;
  streamArn?: string;
  /** How long a record may wait for others to share its PutRecords call (default 10 ms). */
  lingerMs?: number;
  /** Attempts for records the stream refused (throttling, internal errors); default 4. */
  maxAttempts?: number;
}

/** Kinesis takes records of at most 1 MiB, partition key included. @public */
export const KINESIS_MAX_RECORD_BYTES = 1024 * 1024 - 256;

/**
 * The AWS sink for Kinesis Data Streams: records from concurrent requests share PutRecords
 * calls (at most 500 records, 5 MiB); a write resolves only when the stream has taken its
 * record (the collector acknowledges then), and records the stream refused are retried alone.
 * @public
 */
export class KinesisSink implements EventSink {
  readonly #batcher: Batcher<PutRecordsRequestEntry>;

  constructor(options: KinesisSinkOptions) {
    if (!options.streamName && !options.streamArn) {
      throw new Error('KinesisSink needs a streamName or a streamArn');
    }
    this.#batcher = new Batcher({
      maxItems: 500,
      maxBytes: 5 * 1024 * 1024,
      lingerMs: options.lingerMs ?? 10,
      maxAttempts: options.maxAttempts ?? 4,
      send: async records => {
        const result = await options.client.send(
          new PutRecordsCommand({
            StreamName: options.streamName,
            StreamARN: options.streamArn,
            Records: records,
          }),
        );
        return records.map((_, i) => {
          const outcome = result.Records?.[i];
          return outcome && !outcome.ErrorCode
            ? undefined
            : new Error(
                `Kinesis refused the record: ${
                  outcome?.ErrorCode ?? 'no result'
                } ${outcome?.ErrorMessage ?? ''}`.trim(),
              );
        });
      },
    });
  }

  write(record: IngestRecord): Promise<void> {
    const data = encodeIngestRecord(record);
    const partitionKey = record.requestId;
    const size = data.length + Buffer.byteLength(partitionKey);
    if (size > KINESIS_MAX_RECORD_BYTES) {
      return Promise.reject(
        new RangeError(
          `a record of ${size} bytes exceeds the Kinesis limit of 1 MiB`,
        ),
      );
    }
    return this.#batcher.add({ Data: data, PartitionKey: partitionKey }, size);
  }
}
