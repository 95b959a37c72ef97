import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  DuckDbWarehouse,
  GeoLocator,
  Processor,
  ProcessorApp,
  SegmentLog,
} from '@clickstream/backstage-plugin-clickstream-node';
import { ProcessingReport } from '@clickstream/backstage-plugin-clickstream-common';
import { join } from 'node:path';
import { ControlPlaneStore } from '../database/ControlPlaneStore';

/**
 * The most a worker reads at a time. Each load has a fixed cost (its statements, the commit):
 * with a backlog, larger batches go faster (bench/processing.ts, same run: 7,600 events/s at
 * 10,000 requests a batch, 10,600 at 25,000); an idle worker takes whatever is there.
 */
const BATCH_RECORDS = 25_000;
const BATCH_BYTES = 32 * 1024 * 1024;

/** The buffer consumer name under which processing commits its offset. */
const CONSUMER = 'processor';

interface Worker {
  warehouse: DuckDbWarehouse;
  /** Rebuilt every few seconds, so app and configuration changes apply. */
  processor?: { at: number; processor: Processor };
  stopping: boolean;
  done: Promise<void>;
  wake?: () => void;
  report: ProcessingReport;
  /** Events per committed batch over the last minute, for the rate. */
  recentBatches: Array<{ at: number; events: number }>;
}

/**
 * The embedded target's processing and modeling: per deployed `local` project, a worker reads
 * the buffer from its committed offset in micro-batches, processes them, loads them into the
 * project's DuckDB file, and commits the offset only after the warehouse commit. A crash
 * between the two replays the batch, which the warehouse's idempotent load absorbs.
 */
export class LocalProcessing {
  readonly #workers = new Map<string, Worker>();

  constructor(
    private readonly options: {
      store: ControlPlaneStore;
      dataDirectory: string;
      /** The buffer of a running project (the ingestion's own log). */
      log(projectId: string): Promise<SegmentLog | undefined>;
      geo?: Promise<GeoLocator | undefined>;
      logger: LoggerService;
      batchRecords?: number;
      idleMs?: number;
    },
  ) {}

  warehousePath(projectId: string): string {
    return join(this.options.dataDirectory, projectId, 'warehouse.duckdb');
  }

  /** The warehouse of a running project, for the analytics API. */
  warehouse(projectId: string): DuckDbWarehouse | undefined {
    return this.#workers.get(projectId)?.warehouse;
  }

  isRunning(projectId: string): boolean {
    return this.#workers.has(projectId);
  }

  async report(projectId: string): Promise<ProcessingReport> {
    const worker = this.#workers.get(projectId);
    if (!worker) return emptyReport(false);
    const log = await this.options.log(projectId);
    if (log) {
      worker.report.lagBytes = Math.max(
        0,
        log.endOffset - (await log.committed(CONSUMER)),
      );
    }
    const since = Date.now() - 60_000;
    worker.recentBatches = worker.recentBatches.filter(b => b.at > since);
    return {
      ...worker.report,
      eventsPerMinute: worker.recentBatches.reduce((n, b) => n + b.events, 0),
      totals: { ...worker.report.totals },
    };
  }

  /** Tells a worker that new data may be there (it also polls). */
  notify(projectId: string) {
    this.#workers.get(projectId)?.wake?.();
  }

  async start(projectId: string): Promise<void> {
    if (this.#workers.has(projectId)) return;
    const log = await this.options.log(projectId);
    if (!log) {
      throw new NotFoundError(`project ${projectId} has no running ingestion`);
    }
    const warehouse = await DuckDbWarehouse.open(this.warehousePath(projectId));
    const worker: Worker = {
      warehouse,
      stopping: false,
      done: Promise.resolve(),
      report: emptyReport(true),
      recentBatches: [],
    };
    this.#workers.set(projectId, worker);
    worker.done = this.#run(projectId, log, worker);
    this.options.logger.info('Started local processing', { projectId });
  }

  async stop(projectId: string): Promise<void> {
    const worker = this.#workers.get(projectId);
    if (!worker) return;
    worker.stopping = true;
    worker.wake?.();
    await worker.done;
    await worker.warehouse.close();
    this.#workers.delete(projectId);
    this.options.logger.info('Stopped local processing', { projectId });
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#workers.keys()].map(id => this.stop(id)));
  }

  async #run(projectId: string, log: SegmentLog, worker: Worker) {
    let offset = await log.committed(CONSUMER);
    let failures = 0;
    while (!worker.stopping) {
      try {
        const records = await log.read(offset, {
          maxRecords: this.options.batchRecords ?? BATCH_RECORDS,
          maxBytes: BATCH_BYTES,
        });
        if (records.length === 0) {
          await this.#idle(worker, this.options.idleMs ?? 500);
          continue;
        }
        if (!worker.processor || Date.now() - worker.processor.at > 2_000) {
          worker.processor = {
            at: Date.now(),
            processor: await this.#processor(projectId),
          };
        }
        const batch = worker.processor.processor.process(records);
        const loaded = await worker.warehouse.load(batch);
        offset = records[records.length - 1].nextOffset;
        await log.commit(CONSUMER, offset);
        await log.retain([CONSUMER]);

        const { totals } = worker.report;
        totals.records += batch.stats.records;
        totals.events += batch.stats.events;
        totals.loaded += loaded.inserted;
        totals.duplicates += loaded.duplicates;
        totals.quarantined += batch.stats.quarantined;
        totals.stale += batch.stats.stale;
        totals.unknownApp += batch.stats.unknownApp;
        totals.bots += batch.stats.bots;
        for (const e of batch.events) {
          const t = e.event_time_msec as number;
          if (t > (worker.report.lastEventTime ?? 0))
            worker.report.lastEventTime = t;
        }
        worker.report.lastBatchAt = Date.now();
        const minuteAgo = worker.report.lastBatchAt - 60_000;
        worker.recentBatches = worker.recentBatches.filter(
          b => b.at > minuteAgo,
        );
        worker.recentBatches.push({
          at: worker.report.lastBatchAt,
          events: batch.stats.events,
        });
        worker.report.lastError = null;
        failures = 0;
      } catch (e) {
        // The batch stays uncommitted and is tried again; back off while it keeps failing.
        failures++;
        worker.report.lastError = String(e);
        this.options.logger.error('Local processing failed; will retry', {
          projectId,
          error: String(e),
        });
        await this.#idle(worker, Math.min(30_000, 500 * 2 ** failures));
      }
    }
  }

  #idle(worker: Worker, ms: number): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        worker.wake = undefined;
        resolve();
      }
      worker.wake = done;
    });
  }

  async #processor(projectId: string): Promise<Processor> {
    const { store } = this.options;
    const [apps, pipeline] = await Promise.all([
      store.listApps(projectId, { limit: 10_000, offset: 0 }),
      store.getPipeline(projectId),
    ]);
    const known = new Map<string, ProcessorApp>(
      apps.items.map(app => [
        app.appId,
        { appId: app.appId, timezone: app.timezone ?? 'UTC' },
      ]),
    );
    const processing = pipeline?.config.processing;
    return new Processor({
      projectId,
      apps: known,
      dataFreshnessHours: processing?.dataFreshnessHours ?? 72,
      enrichments: processing?.enrichments,
      trafficSourceRules: processing?.trafficSourceRules,
      geo: await this.options.geo,
    });
  }
}

function emptyReport(running: boolean): ProcessingReport {
  return {
    running,
    lagBytes: 0,
    lastEventTime: null,
    lastBatchAt: null,
    lastError: null,
    eventsPerMinute: 0,
    totals: {
      records: 0,
      events: 0,
      loaded: 0,
      duplicates: 0,
      quarantined: 0,
      stale: 0,
      unknownApp: 0,
      bots: 0,
    },
  };
}
