import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { IngestRecord, toNdjsonLine } from '../../buffer/record';
import { EventSink } from '../EventSink';
import { Batcher } from './Batcher';

const gzipAsync = promisify(gzip);

/** @public */
export interface S3SinkOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix, e.g. `raw/` (default none). */
  prefix?: string;
  /**
   * How long records wait to share an object (default 1 s). Requests are acknowledged only once
   * their object is stored, so this stays well under the SDKs' 10 s timeout.
   */
  lingerMs?: number;
  /** Uncompressed bytes that close an object early (default 8 MiB). */
  maxBytes?: number;
  maxAttempts?: number;
}

/** The hour partition of a record's object key (UTC). */
function hourPrefix(ingestTime: number): string {
  const d = new Date(ingestTime);
  const p = (n: number) => String(n).padStart(2, '0');
  return `year=${d.getUTCFullYear()}/month=${p(d.getUTCMonth() + 1)}/day=${p(
    d.getUTCDate(),
  )}/hour=${p(d.getUTCHours())}/`;
}

/**
 * The AWS sink for S3: records are batched into gzipped NDJSON objects under hour partitions
 * (`<prefix>year=…/month=…/day=…/hour=…/<uuid>.ndjson.gz`); a write resolves once the object
 * holding its record is stored.
 * @public
 */
export class S3Sink implements EventSink {
  readonly #batcher: Batcher<IngestRecord>;

  constructor(options: S3SinkOptions) {
    const prefix = options.prefix ?? '';
    this.#batcher = new Batcher({
      maxItems: 100_000,
      maxBytes: options.maxBytes ?? 8 * 1024 * 1024,
      lingerMs: options.lingerMs ?? 1_000,
      maxAttempts: options.maxAttempts ?? 4,
      send: async records => {
        const byHour = new Map<string, number[]>();
        records.forEach((record, i) => {
          const hour = hourPrefix(record.ingestTime);
          byHour.set(hour, [...(byHour.get(hour) ?? []), i]);
        });
        const outcome: (Error | undefined)[] = records.map(() => undefined);
        await Promise.all(
          [...byHour].map(async ([hour, indexes]) => {
            const text = `${indexes
              .map(i => toNdjsonLine(records[i]))
              .join('\n')}\n`;
            try {
              await options.client.send(
                new PutObjectCommand({
                  Bucket: options.bucket,
                  Key: `${prefix}${hour}${randomUUID()}.ndjson.gz`,
                  Body: await gzipAsync(text),
                  ContentType: 'application/x-ndjson',
                  ContentEncoding: 'gzip',
                }),
              );
            } catch (e) {
              for (const i of indexes) outcome[i] = e as Error;
            }
          }),
        );
        return outcome;
      },
    });
  }

  write(record: IngestRecord): Promise<void> {
    return this.#batcher.add(record, record.body.length + 256);
  }
}
