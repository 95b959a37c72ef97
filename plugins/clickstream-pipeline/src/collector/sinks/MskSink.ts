import type { Producer } from 'kafkajs';
import { encodeIngestRecord, IngestRecord } from '../../buffer/record';
import { EventSink } from '../EventSink';
import { Batcher } from './Batcher';

/** @public */
export interface MskSinkOptions {
  /** A connected kafkajs producer (MSK brokers, TLS, SASL as the cluster needs). */
  producer: Producer;
  topic: string;
  /** How long a record may wait for others to share its send (default 5 ms). */
  lingerMs?: number;
  maxAttempts?: number;
}

/**
 * The AWS sink for an existing MSK (Kafka) cluster: records are sent in batches with
 * `acks: -1` (all in-sync replicas), so a write resolves only once the cluster holds the record.
 * Messages are keyed by request id and hold the same record layout as the local buffer.
 * @public
 */
export class MskSink implements EventSink {
  readonly #batcher: Batcher<{ key: string; value: Buffer }>;

  constructor(options: MskSinkOptions) {
    this.#batcher = new Batcher({
      maxItems: 1_000,
      maxBytes: 4 * 1024 * 1024,
      lingerMs: options.lingerMs ?? 5,
      maxAttempts: options.maxAttempts ?? 4,
      send: async messages => {
        // kafkajs fails the whole send or none of it.
        await options.producer.send({
          topic: options.topic,
          acks: -1,
          messages,
        });
        return messages.map(() => undefined);
      },
    });
  }

  write(record: IngestRecord): Promise<void> {
    const value = encodeIngestRecord(record);
    return this.#batcher.add({ key: record.requestId, value }, value.length);
  }
}
