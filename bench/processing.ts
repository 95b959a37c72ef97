/**
 * Processing throughput: the processor (decode, validate, flatten, enrich with user agent, IP
 * geolocation, traffic source and bot flag) plus the DuckDB load, against DuckDB reading the
 * same events as NDJSON with read_json into a table, in the same run.
 *
 * The loop the embedded worker runs (ProcessingLoop) is timed too: it processes the next batch
 * while the one before loads, so a batch costs about the larger of the two, not their sum.
 *
 * A fourth figure is what the write itself costs: DuckDB copying the processor's event rows,
 * already flat, from tables into an event table of the same columns, batch by batch, each
 * insert committed. No decoding, enrichment, deduplication, sessions, users or rollups.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/processing.ts [--users 3000] [--runs 3] [--batch 10000]
 */
import { ingestedRecords, numberArg, quantile } from './ingested';
import {
  decodeEventPayload,
  DuckDbWarehouse,
  eventTable,
  openGeoLocator,
  ProcessedBatch,
  Processor,
  StoredRecord,
} from '@clickstream/backstage-plugin-clickstream-pipeline';
import { ProcessingLoop } from '../plugins/clickstream-backend/src/processing/ProcessingLoop';
import { DuckDBInstance } from '@duckdb/node-api';
import { DUCKDB_TYPES } from '../plugins/clickstream-pipeline/src/warehouse/ddl';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function main() {
  const users = numberArg('users', 3000);
  const runs = numberArg('runs', 3);
  // Requests per batch; the local worker reads up to 25,000 at a time.
  const batch = numberArg('batch', 25_000);
  const records = ingestedRecords({ users, days: 3, startDate: '2026-11-01' });
  const events = records.flatMap(r => decodeEventPayload(r.body));
  const dir = mkdtempSync(join(tmpdir(), 'bench-processing-'));
  const ndjson = join(dir, 'events.ndjson');
  writeFileSync(ndjson, events.map(e => JSON.stringify(e)).join('\n'));
  const geo = await openGeoLocator();
  console.log(
    `${events.length} events in ${records.length} requests; ${runs} runs`,
  );

  const ours: number[] = [];
  const overlapped: number[] = [];
  const baseline: number[] = [];
  const floor: number[] = [];
  let processed: ProcessedBatch[] = [];
  for (let run = 0; run < runs; run++) {
    // Baseline: DuckDB parses the NDJSON itself (schema inferred), into a table.
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    let t = performance.now();
    await c.run(
      `CREATE TABLE raw AS SELECT * FROM read_json('${ndjson}', format = 'newline_delimited')`,
    );
    // Both sides end with a checkpoint, so neither leaves part of its writing for later.
    await c.run('CHECKPOINT');
    baseline.push(events.length / ((performance.now() - t) / 1000));
    c.closeSync();
    db.closeSync();

    const warehouse = await DuckDbWarehouse.open(':memory:');
    const processor = new Processor({
      projectId: 'bench',
      apps: new Map([['web', { appId: 'web', timezone: 'UTC' }]]),
      dataFreshnessHours: 24 * 365 * 10,
      geo,
    });
    t = performance.now();
    processed = [];
    for (let i = 0; i < records.length; i += batch) {
      const rows = processor.process(records.slice(i, i + batch));
      await warehouse.load(rows);
      processed.push(rows);
    }
    await warehouse.query('CHECKPOINT');
    ours.push(events.length / ((performance.now() - t) / 1000));
    await warehouse.close();

    overlapped.push(
      await processingLoop(records, batch, () => processorFor(geo)),
    );
    floor.push(await copyFlatRows(processed, join(dir, 'rows.ndjson')));
  }
  rmSync(dir, { recursive: true, force: true });
  const o = quantile(ours, 0.5);
  const b = quantile(baseline, 0.5);
  console.log(
    `read_json baseline   median ${Math.round(b)} events/s  (${baseline
      .map(Math.round)
      .join(', ')})`,
  );
  console.log(
    `processor + load     median ${Math.round(o)} events/s  (${ours
      .map(Math.round)
      .join(', ')})`,
  );
  console.log(`ratio                ${(o / b).toFixed(2)}x`);
  const l = quantile(overlapped, 0.5);
  console.log(
    `processing loop      median ${Math.round(l)} events/s  (${overlapped
      .map(Math.round)
      .join(', ')})  ${(l / b).toFixed(2)}x of the baseline`,
  );
  const f = quantile(floor, 0.5);
  console.log(
    `copying flat rows    median ${Math.round(f)} events/s  (${floor
      .map(Math.round)
      .join(', ')})  ${(f / b).toFixed(2)}x of the baseline`,
  );
}

function processorFor(geo: Awaited<ReturnType<typeof openGeoLocator>>) {
  return new Processor({
    projectId: 'bench',
    apps: new Map([['web', { appId: 'web', timezone: 'UTC' }]]),
    dataFreshnessHours: 24 * 365 * 10,
    geo,
  });
}

/**
 * Events/s of the embedded worker's loop over the same records (read from memory, offsets are
 * record indexes), into a new warehouse, ending with a CHECKPOINT like the other sides.
 */
async function processingLoop(
  records: readonly Omit<StoredRecord, 'offset' | 'nextOffset'>[],
  batch: number,
  processor: () => Processor,
) {
  const stored: StoredRecord[] = records.map((r, i) => ({
    ...r,
    offset: i,
    nextOffset: i + 1,
  }));
  const warehouse = await DuckDbWarehouse.open(':memory:');
  const p = processor();
  let events = 0;
  const t = performance.now();
  const loop: ProcessingLoop = new ProcessingLoop({
    read: async from => {
      const slice = stored.slice(from, from + batch);
      return {
        records: slice,
        corrupt: [],
        nextOffset: from + slice.length,
      };
    },
    warehouse,
    processor: () => p,
    commit: (_offset, outcome) => {
      events += outcome.stats.events;
    },
    idle: async () => loop.stop(),
    onError: e => {
      throw e;
    },
  });
  await loop.run(0);
  await warehouse.query('CHECKPOINT');
  const seconds = (performance.now() - t) / 1000;
  await warehouse.close();
  return events / seconds;
}

/**
 * Events/s of DuckDB inserting the processed event rows (staged in a table per batch first,
 * untimed) into an event table, one committed insert per batch as the loader commits.
 */
async function copyFlatRows(batches: ProcessedBatch[], file: string) {
  writeFileSync(
    file,
    batches
      .flatMap((b, i) => b.events.map(e => JSON.stringify({ ...e, batch: i })))
      .join('\n'),
  );
  const columns = eventTable.columns
    .map(([name, type]) => `${name}: '${DUCKDB_TYPES[type]}'`)
    .join(', ');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`CREATE TABLE staged AS SELECT * FROM read_json('${file}',
    format = 'newline_delimited', columns = {${columns}, batch: 'INTEGER'})`);
  for (let i = 0; i < batches.length; i++) {
    await c.run(
      `CREATE TABLE staged_${i} AS SELECT * EXCLUDE (batch) FROM staged WHERE batch = ${i}`,
    );
  }
  await c.run('CREATE TABLE event_v2 AS SELECT * FROM staged_0 LIMIT 0');
  const t = performance.now();
  for (let i = 0; i < batches.length; i++) {
    await c.run(`INSERT INTO event_v2 SELECT * FROM staged_${i}`);
  }
  const seconds = (performance.now() - t) / 1000;
  const [[count]] = (
    await c.runAndReadAll('SELECT count(*) FROM event_v2')
  ).getRows();
  c.closeSync();
  db.closeSync();
  return Number(count) / seconds;
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
