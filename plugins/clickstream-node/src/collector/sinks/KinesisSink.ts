import {
  KinesisClient,
  PutRecordsCommand,
  PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { encodeIngestRecord, IngestRecord } from '../../buffer/SegmentLog';
import { EventSink } from '../EventSink';

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

/** Kinesis limits for one PutRecords call. */
const MAX_RECORDS = 500;
const MAX_BYTES = 5 * 1024 * 1024;
/** Kinesis takes records of at most 1 MiB, partition key included. */
export const KINESIS_MAX_RECORD_BYTES = 1024 * 1024 - 256;

type Pending = {
  entry: PutRecordsRequestEntry;
  size: number;
  attempts: number;
  resolve: () => void;
  reject: (e: Error) => void;
};

/**
 * The AWS sink for Kinesis Data Streams: records from concurrent requests are batched into
 * PutRecords calls; a write resolves only when the stream has taken its record (the collector
 * acknowledges then), and records the stream refused are retried with backoff, alone.
 * @public
 */
export class KinesisSink implements EventSink {
  readonly #options: Required<
    Pick<KinesisSinkOptions, 'lingerMs' | 'maxAttempts'>
  > &
    KinesisSinkOptions;
  #queue: Pending[] = [];
  #timer?: NodeJS.Timeout;

  constructor(options: KinesisSinkOptions) {
    if (!options.streamName && !options.streamArn) {
      throw new Error('KinesisSink needs a streamName or a streamArn');
    }
    this.#options = { lingerMs: 10, maxAttempts: 4, ...options };
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
    return new Promise((resolve, reject) => {
      this.#enqueue({
        entry: { Data: data, PartitionKey: partitionKey },
        size,
        attempts: 0,
        resolve,
        reject,
      });
    });
  }

  #enqueue(pending: Pending) {
    this.#queue.push(pending);
    const bytes = this.#queue.reduce((n, p) => n + p.size, 0);
    if (this.#queue.length >= MAX_RECORDS || bytes >= MAX_BYTES) {
      this.#flush();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#flush(), this.#options.lingerMs);
    }
  }

  #flush() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queue.length > 0) {
      const batch: Pending[] = [];
      let bytes = 0;
      while (
        this.#queue.length > 0 &&
        batch.length < MAX_RECORDS &&
        bytes + this.#queue[0].size <= MAX_BYTES
      ) {
        const next = this.#queue.shift()!;
        bytes += next.size;
        batch.push(next);
      }
      void this.#put(batch);
    }
  }

  async #put(batch: Pending[]) {
    let result;
    try {
      result = await this.#options.client.send(
        new PutRecordsCommand({
          StreamName: this.#options.streamName,
          StreamARN: this.#options.streamArn,
          Records: batch.map(p => p.entry),
        }),
      );
    } catch (e) {
      // The whole call failed (network, throttled account, missing stream): retry each record.
      for (const pending of batch) this.#retry(pending, e as Error);
      return;
    }
    const outcomes = result.Records ?? [];
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome && !outcome.ErrorCode) pending.resolve();
      else {
        this.#retry(
          pending,
          new Error(
            `Kinesis refused the record: ${outcome?.ErrorCode ?? 'no result'} ${
              outcome?.ErrorMessage ?? ''
            }`.trim(),
          ),
        );
      }
    });
  }

  #retry(pending: Pending, error: Error) {
    pending.attempts++;
    if (pending.attempts >= this.#options.maxAttempts) {
      pending.reject(error);
      return;
    }
    // Exponential backoff with jitter, as throttled streams want.
    const delay =
      Math.min(1000, 50 * 2 ** pending.attempts) * (0.5 + Math.random() / 2);
    setTimeout(() => this.#enqueue(pending), delay).unref?.();
  }
}
