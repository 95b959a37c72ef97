/**
 * What a project's processing costs the backend's event loop (the portal's), side by side in
 * one run: the event-loop delay of this process while idle (the baseline), while the
 * processing loop runs in this process (as the embedded runtime did before), and while it runs
 * in the child process the embedded runtime now gives each project. The same backlog of
 * generated requests is processed each time, from a real buffer into a DuckDB file.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/event-loop.ts [--users 3000]
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DuckDbWarehouse,
  openGeoLocator,
  Processor,
  SegmentLog,
} from '@clickstream/backstage-plugin-clickstream-pipeline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ControlPlaneStore } from '../plugins/clickstream-backend/src/database/ControlPlaneStore';
import { LocalProcessing } from '../plugins/clickstream-backend/src/processing/LocalProcessing';
import { ProcessingLoop } from '../plugins/clickstream-backend/src/processing/ProcessingLoop';
import { ingestedRecords, numberArg } from './ingested';

const quiet: LoggerService = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  child: () => quiet,
};

type Delay = { p50: number; p99: number; max: number; seconds: number };

/** The event-loop delay of this process while `work` runs. */
async function measure(work: () => Promise<void>): Promise<Delay> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const t = performance.now();
  await work();
  const seconds = (performance.now() - t) / 1000;
  histogram.disable();
  const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
  return {
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
    seconds: Math.round(seconds * 10) / 10,
  };
}

async function main() {
  const users = numberArg('users', 3000);
  const records = ingestedRecords({ users, days: 3, startDate: '2026-11-01' });
  const dir = mkdtempSync(join(tmpdir(), 'bench-event-loop-'));
  const fill = async (name: string) => {
    const log = await SegmentLog.open({ directory: join(dir, name, 'buffer') });
    for (let i = 0; i < records.length; i += 1000) {
      await Promise.all(records.slice(i, i + 1000).map(r => log.append(r)));
    }
    return log;
  };
  console.log(`${records.length} requests in the buffer`);

  const idle = await measure(() => new Promise(r => setTimeout(r, 5_000)));

  // In this process: the loop over the buffer, into a DuckDB file.
  const inProcessLog = await fill('in-process');
  const geo = await openGeoLocator();
  const warehouse = await DuckDbWarehouse.open(
    join(dir, 'in-process', 'warehouse.duckdb'),
  );
  const processor = new Processor({
    projectId: 'bench',
    apps: new Map([['web', { appId: 'web', timezone: 'UTC' }]]),
    dataFreshnessHours: 24 * 365 * 10,
    geo,
  });
  const inProcess = await measure(async () => {
    const loop: ProcessingLoop = new ProcessingLoop({
      read: from => inProcessLog.readBatch(from, { maxRecords: 25_000 }),
      warehouse,
      processor: () => processor,
      commit: () => undefined,
      idle: async () => loop.stop(),
      onError: e => {
        throw e;
      },
    });
    await loop.run(0);
  });
  await warehouse.close();
  await inProcessLog.close();

  // In a child process, as the embedded runtime runs it.
  const childLog = await fill('child');
  const store = {
    listApps: async () => ({
      items: [{ appId: 'web', timezone: 'UTC' }],
      totalCount: 1,
    }),
    getPipeline: async () => ({
      config: { processing: { dataFreshnessHours: 24 * 365 * 10 } },
    }),
  } as unknown as ControlPlaneStore;
  const processing = new LocalProcessing({
    store,
    dataDirectory: dir,
    log: async () => childLog,
    logger: quiet,
  });
  const child = await measure(async () => {
    await processing.start('child');
    for (;;) {
      const report = await processing.report('child');
      if (report.lagBytes === 0) break;
      await new Promise(r => setTimeout(r, 50));
    }
  });
  await processing.stopAll();
  await childLog.close();
  rmSync(dir, { recursive: true, force: true });

  const line = (what: string, d: Delay) =>
    console.log(
      `${what.padEnd(28)} p50 ${d.p50} ms  p99 ${d.p99} ms  max ${d.max} ms  (${
        d.seconds
      } s)`,
    );
  line('idle (baseline)', idle);
  line('processing in this process', inProcess);
  line('processing in a child', child);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
