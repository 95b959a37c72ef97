import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { IngestRecord } from '../buffer/record';
import { Processor } from '../processor/Processor';
import { ProcessedBatch } from '../schema/batch';
import { Row } from '../schema/tables';

/** Where processed rows go: an object store (S3 on AWS). @public */
export interface ObjectWriter {
  put(key: string, body: Buffer): Promise<void>;
}

/** The data lake's tables, as the warehouse's COPY reads them. */
const TABLES: Array<{
  name: string;
  rows: (batch: ProcessedBatch) => Row[];
  /** Partition by the event's local date, or by the day it was processed. */
  byEventDate: boolean;
}> = [
  { name: 'event_v2', rows: b => b.events, byEventDate: true },
  { name: 'item_v2', rows: b => b.items, byEventDate: true },
  { name: 'user_v2', rows: b => b.users, byEventDate: false },
  { name: 'session', rows: b => b.sessions, byEventDate: false },
  { name: 'quarantine', rows: b => b.quarantine, byEventDate: false },
];

/** What one batch wrote. @public */
export interface DataLakeBatch {
  keys: string[];
  stats: ProcessedBatch['stats'];
}

/**
 * Processes ingest records and writes the rows to the data lake as gzipped NDJSON, one object
 * per table and partition: `<table>/app_id=<app>/event_date=<date>/` for events and items,
 * `<table>/app_id=<app>/load_date=<date>/` for users, sessions and quarantined events. Object
 * names are unique per call, so a retried batch adds objects the warehouse's load deduplicates
 * by (app_id, event_id), as it does for the embedded pipeline.
 * @public
 */
export async function processToDataLake(
  records: readonly IngestRecord[],
  processor: Processor,
  writer: ObjectWriter,
  now = Date.now(),
): Promise<DataLakeBatch> {
  const batch = processor.process(records);
  const loadDate = new Date(now).toISOString().slice(0, 10);
  const batchId = randomUUID();
  const objects = new Map<string, Row[]>();
  for (const table of TABLES) {
    for (const row of table.rows(batch)) {
      const app = String(row.app_id ?? '_unknown');
      const partition = table.byEventDate
        ? `event_date=${row.event_date}`
        : `load_date=${loadDate}`;
      const key = `${table.name}/app_id=${app}/${partition}/${batchId}.ndjson.gz`;
      const rows = objects.get(key) ?? [];
      rows.push(row);
      objects.set(key, rows);
    }
  }
  await Promise.all(
    [...objects].map(([key, rows]) =>
      writer.put(
        key,
        gzipSync(`${rows.map(row => JSON.stringify(row)).join('\n')}\n`),
      ),
    ),
  );
  return { keys: [...objects.keys()].sort(), stats: batch.stats };
}
