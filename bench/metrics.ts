/**
 * Metric sheet latency on a warehouse of about 10 million events, against a bare baseline
 * query over the same table (one scan counting events and distinct users), in the same run.
 * Sheets read the warehouse's daily rollups, as they do for a report in the app's time zone.
 *
 * Events come from the generator through the processor and the loader, then are copied with
 * fresh event, user and session ids (and shifted in time by whole weeks) up to the target size,
 * so their shape (platforms, sessions, pages, sources) is the generator's.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/metrics.ts [--events 10000000] [--runs 7]
 */
import { ingestedRecords, numberArg, quantile } from './ingested';
import {
  computeSheet,
  DuckDbWarehouse,
  Processor,
} from '@clickstream/backstage-plugin-clickstream-pipeline';
import { METRIC_SHEETS } from '@clickstream/backstage-plugin-clickstream-common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function timed(runs: number, f: () => Promise<unknown>) {
  await f(); // warm
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return { median: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

async function main() {
  const target = numberArg('events', 10_000_000);
  const runs = numberArg('runs', 7);
  const days = 28;
  const records = ingestedRecords({
    users: 2000,
    days,
    startDate: '2026-10-01',
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-metrics-'));
  const path = join(dir, 'warehouse.duckdb');
  let warehouse = await DuckDbWarehouse.open(path);
  const processor = new Processor({
    projectId: 'bench',
    apps: new Map([['web', { appId: 'web', timezone: 'UTC' }]]),
    dataFreshnessHours: 24 * 365 * 10,
  });
  for (let i = 0; i < records.length; i += 10_000) {
    await warehouse.load(processor.process(records.slice(i, i + 10_000)));
  }
  const [{ n: seed }] = await warehouse.query(
    'SELECT count(*)::INTEGER AS n FROM event_v2',
  );
  const copies = Math.max(0, Math.ceil(target / Number(seed)) - 1);
  // Copy k is a different population: ids get a suffix. Same days, so a report sees them all.
  const suffix = (c: string) => `${c} || '-' || k AS ${c}`;
  await warehouse.query(
    `INSERT INTO event_v2 SELECT e.* REPLACE (${[
      'event_id',
      'user_pseudo_id',
      'session_id',
    ]
      .map(suffix)
      .join(
        ', ',
      )}, CASE WHEN user_id IS NULL THEN NULL ELSE user_id || '-' || k END AS user_id) FROM event_v2 e, range(1, ${
      copies + 1
    }) t(k)`,
  );
  await warehouse.query(
    `INSERT INTO user_v2 SELECT u.* REPLACE (${suffix(
      'user_pseudo_id',
    )}, CASE WHEN user_id IS NULL THEN NULL ELSE user_id || '-' || k END AS user_id) FROM user_v2 u, range(1, ${
      copies + 1
    }) t(k)`,
  );
  await warehouse.query(
    `INSERT INTO session SELECT s.* REPLACE (${['user_pseudo_id', 'session_id']
      .map(suffix)
      .join(', ')}) FROM session s, range(1, ${copies + 1}) t(k)`,
  );
  // The copies bypassed the loader, so their rollups are built the way a warehouse of an
  // older version builds them when it opens.
  await warehouse.query('DELETE FROM rollup_build');
  await warehouse.close();
  const rebuildStart = performance.now();
  warehouse = await DuckDbWarehouse.open(path);
  const rebuildMs = performance.now() - rebuildStart;
  const [{ n: total }] = await warehouse.query(
    'SELECT count(*)::INTEGER AS n FROM event_v2',
  );
  console.log(
    `${total} events (${seed} generated x ${
      copies + 1
    }), ${days} days; rollups built in ${(rebuildMs / 1000).toFixed(
      1,
    )} s; ${runs} runs each, ms`,
  );

  const baseline = await timed(runs, () =>
    warehouse.query(`SELECT count(*), count(DISTINCT user_pseudo_id) FROM event_v2
      WHERE app_id = 'web' AND event_time_msec >= ${Date.parse(
        '2026-10-01',
      )} AND event_time_msec < ${Date.parse('2026-10-29')}`),
  );
  console.log(
    `baseline scan (count, distinct users)  median ${baseline.median.toFixed(
      0,
    )}  p95 ${baseline.p95.toFixed(0)}`,
  );
  for (const sheet of METRIC_SHEETS) {
    const r = await timed(runs, () =>
      computeSheet(warehouse, sheet, {
        appId: 'web',
        from: '2026-10-01',
        to: '2026-10-28',
        timezone: 'UTC',
        storedTimezone: 'UTC',
      }),
    );
    console.log(
      `${sheet.padEnd(12)} median ${r.median
        .toFixed(0)
        .padStart(6)}  p95 ${r.p95.toFixed(0).padStart(6)}  (${(
        r.median / baseline.median
      ).toFixed(1)}x baseline)`,
    );
  }
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
