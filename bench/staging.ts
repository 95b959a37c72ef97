/**
 * How the loader should hand flat event rows to DuckDB: its appender (a call into DuckDB per
 * value) against DuckDB's own NDJSON reader (the rows turned into JSON lines in JavaScript, then
 * `read_json` with the table's column types given), in the same run, alternating.
 *
 * The rows are the processor's own event rows for the generator's data (seed 42), one batch as
 * the local worker reads it (25,000 requests). Each side inserts them into an empty event table
 * of the reference's columns in one transaction, and is timed from the rows in memory to the
 * commit; DuckDB's part of the second (the file already written) is timed too. Each is checked
 * to have written every row.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/staging.ts [--users 3000] [--runs 5]
 */
import { ingestedRecords, numberArg, quantile } from './ingested';
import {
  eventTable,
  Row,
  openGeoLocator,
  Processor,
} from '@clickstream/backstage-plugin-clickstream-pipeline';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  DUCKDB_TYPES,
  duckDbCreateTable,
} from '../plugins/clickstream-pipeline/src/warehouse/ddl';
import { appendRows } from '../plugins/clickstream-pipeline/src/warehouse/duckdb';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function emptyTable(): Promise<{
  db: DuckDBInstance;
  c: DuckDBConnection;
}> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(duckDbCreateTable(eventTable));
  return { db, c };
}

async function count(c: DuckDBConnection): Promise<number> {
  const [[n]] = (
    await c.runAndReadAll('SELECT count(*) FROM event_v2')
  ).getRows();
  return Number(n);
}

/** As the warehouse appends: one call per value, one row at a time. */
async function viaAppender(rows: Row[]): Promise<number> {
  const { db, c } = await emptyTable();
  const t = performance.now();
  await c.run('BEGIN TRANSACTION');
  const appender = await c.createAppender('event_v2');
  appendRows(appender, eventTable, rows, 0, rows.length);
  appender.closeSync();
  await c.run('COMMIT');
  const ms = performance.now() - t;
  if ((await count(c)) !== rows.length) throw new Error('appender lost rows');
  c.closeSync();
  db.closeSync();
  return ms;
}

/**
 * Rows as JSON lines in a file, read by DuckDB with the columns' types given. With `written`,
 * the file is made before the clock starts: DuckDB's part alone.
 */
async function viaReadJson(
  rows: Row[],
  dir: string,
  written = false,
): Promise<number> {
  const { db, c } = await emptyTable();
  const file = join(dir, 'rows.ndjson');
  const columns = eventTable.columns
    .map(([name, type]) => `${name}: '${DUCKDB_TYPES[type]}'`)
    .join(', ');
  const write = () => {
    let text = '';
    for (const row of rows) text += `${JSON.stringify(row)}\n`;
    writeFileSync(file, text);
  };
  if (written) write();
  const t = performance.now();
  if (!written) write();
  await c.run('BEGIN TRANSACTION');
  await c.run(`INSERT INTO event_v2 SELECT * FROM read_json('${file}',
    format = 'newline_delimited', columns = {${columns}})`);
  await c.run('COMMIT');
  const ms = performance.now() - t;
  if ((await count(c)) !== rows.length) throw new Error('read_json lost rows');
  c.closeSync();
  db.closeSync();
  return ms;
}

async function main() {
  const users = numberArg('users', 3000);
  const runs = numberArg('runs', 5);
  const records = ingestedRecords({ users, days: 3, startDate: '2026-11-01' });
  const processor = new Processor({
    projectId: 'bench',
    apps: new Map([['web', { appId: 'web', timezone: 'UTC' }]]),
    dataFreshnessHours: 24 * 365 * 10,
    geo: await openGeoLocator(),
  });
  const rows = processor.process(records.slice(0, 25_000)).events;
  const dir = mkdtempSync(join(tmpdir(), 'bench-staging-'));
  console.log(
    `${rows.length} event rows of ${eventTable.columns.length} columns; ${runs} runs`,
  );
  const appender: number[] = [];
  const readJson: number[] = [];
  const readOnly: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      appender.push(await viaAppender(rows));
      readJson.push(await viaReadJson(rows, dir));
      readOnly.push(await viaReadJson(rows, dir, true));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const report = (name: string, ms: number[]) =>
    console.log(
      `${name.padEnd(16)} median ${Math.round(
        quantile(ms, 0.5),
      )} ms, ${Math.round(
        rows.length / (quantile(ms, 0.5) / 1000),
      )} rows/s  (${ms.map(Math.round).join(', ')} ms)`,
    );
  report('appender', appender);
  report('read_json', readJson);
  report('  of which DuckDB', readOnly);
  console.log(
    `read_json / appender time: ${(
      quantile(readJson, 0.5) / quantile(appender, 0.5)
    ).toFixed(2)}`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
