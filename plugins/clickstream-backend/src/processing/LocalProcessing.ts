import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  DuckDbWarehouse,
  GeoLocator,
  LoadResult,
  ProcessedBatch,
  ProcessingStats,
  Processor,
  ProcessorApp,
  SegmentLog,
  StoredRecord,
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
/**
 * The most event JSON (gzip undone) one batch decodes: compressed bodies expand about tenfold,
 * so the raw byte limit alone would not bound a batch's memory.
 */
const BATCH_EXPANDED_BYTES = 64 * 1024 * 1024;
/** Processing gives the event loop back this often (ms): the portal keeps answering. */
const SLICE_MS = 20;

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
      batchExpandedBytes?: number;
      idleMs?: number;
      /** Analytics queries running longer are stopped (default 30 s). */
      queryTimeoutMs?: number;
      /** Opens a project's warehouse (default: its DuckDB file). */
      openWarehouse?: typeof DuckDbWarehouse.open;
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
    const open = this.options.openWarehouse ?? DuckDbWarehouse.open;
    const warehouse = await open(this.warehousePath(projectId), {
      queryTimeoutMs: this.options.queryTimeoutMs,
    });
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
        const read = await log.readBatch(offset, {
          maxRecords: this.options.batchRecords ?? BATCH_RECORDS,
          maxBytes: BATCH_BYTES,
        });
        if (read.records.length === 0 && read.nextOffset === offset) {
          await this.#idle(worker, this.options.idleMs ?? 500);
          continue;
        }
        if (!worker.processor || Date.now() - worker.processor.at > 2_000) {
          worker.processor = {
            at: Date.now(),
            processor: await this.#processor(projectId),
          };
        }
        const { processor } = worker.processor;
        const { records } = read;
        const { batch, consumed } = await this.#process(processor, records);
        const outcome = await this.#load(
          worker.warehouse,
          processor,
          records.slice(0, consumed),
          batch,
        );
        const next =
          consumed === records.length
            ? read.nextOffset
            : records[consumed - 1].nextOffset;
        await log.commit(CONSUMER, next);
        offset = next;
        await log.retain([CONSUMER]);

        const skipped = read.corrupt.filter(c => c.nextOffset <= next);
        if (skipped.length > 0) {
          worker.report.totals.corrupt += skipped.length;
          this.options.logger.warn(
            'Skipped damaged bytes in the buffer: they held no whole record',
            { projectId, ranges: JSON.stringify(skipped) },
          );
        }
        this.#count(worker, outcome);
        worker.report.lastError = null;
        failures = 0;
      } catch (e) {
        // Only the warehouse itself failing gets here (a record that cannot be processed or
        // loaded is quarantined): the batch stays uncommitted and is tried again, backing off.
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

  /**
   * Processes records until the batch's decoded size reaches its budget, giving the event
   * loop back every few milliseconds. Returns the batch and how many records it took.
   */
  async #process(processor: Processor, records: readonly StoredRecord[]) {
    const budget = this.options.batchExpandedBytes ?? BATCH_EXPANDED_BYTES;
    const builder = processor.begin();
    let consumed = 0;
    let sliceStart = performance.now();
    for (const record of records) {
      if (consumed > 0 && builder.batch.stats.expandedBytes >= budget) break;
      builder.add(record);
      consumed++;
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise(resolve => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return { batch: builder.finish(), consumed };
  }

  /**
   * Loads the records' rows. When the load fails, the records are split in halves and each
   * half is processed and loaded again, down to the one record that fails: it is kept whole
   * in quarantine and the rest load. Only when even that fails is the warehouse at fault, and
   * the error goes up (the caller retries the batch later).
   */
  async #load(
    warehouse: DuckDbWarehouse,
    processor: Processor,
    records: readonly StoredRecord[],
    processed?: ProcessedBatch,
  ): Promise<LoadOutcome> {
    const batch = processed ?? (await this.#process(processor, records)).batch;
    try {
      return outcomeOf(batch, await warehouse.load(batch));
    } catch (e) {
      if (records.length === 1) {
        const builder = processor.begin();
        builder.quarantine(
          records[0],
          `the request's rows could not be loaded: ${(e as Error).message}`,
        );
        const alone = builder.finish();
        return outcomeOf(alone, await warehouse.load(alone));
      }
      const half = Math.ceil(records.length / 2);
      const first = await this.#load(
        warehouse,
        processor,
        records.slice(0, half),
      );
      const second = await this.#load(
        warehouse,
        processor,
        records.slice(half),
      );
      return addOutcomes(first, second);
    }
  }

  #count(worker: Worker, { stats, loaded, lastEventTime }: LoadOutcome) {
    const { totals } = worker.report;
    totals.records += stats.records;
    totals.events += stats.events;
    totals.loaded += loaded.inserted;
    totals.duplicates += loaded.duplicates;
    totals.quarantined += stats.quarantined;
    totals.stale += stats.stale;
    totals.unknownApp += stats.unknownApp;
    totals.bots += stats.bots;
    if (
      lastEventTime !== null &&
      lastEventTime > (worker.report.lastEventTime ?? 0)
    ) {
      worker.report.lastEventTime = lastEventTime;
    }
    worker.report.lastBatchAt = Date.now();
    const minuteAgo = worker.report.lastBatchAt - 60_000;
    worker.recentBatches = worker.recentBatches.filter(b => b.at > minuteAgo);
    worker.recentBatches.push({
      at: worker.report.lastBatchAt,
      events: stats.events,
    });
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

/** What loading some records did, counted. */
interface LoadOutcome {
  stats: ProcessingStats;
  loaded: LoadResult;
  lastEventTime: number | null;
}

function outcomeOf(batch: ProcessedBatch, loaded: LoadResult): LoadOutcome {
  let lastEventTime: number | null = null;
  for (const e of batch.events) {
    const t = e.event_time_msec as number;
    if (lastEventTime === null || t > lastEventTime) lastEventTime = t;
  }
  return { stats: batch.stats, loaded, lastEventTime };
}

function addOutcomes(a: LoadOutcome, b: LoadOutcome): LoadOutcome {
  const sum = <T extends object>(x: T, y: T): T =>
    Object.fromEntries(
      Object.entries(x).map(([k, v]) => [k, v + (y as any)[k]]),
    ) as T;
  return {
    stats: sum(a.stats, b.stats),
    loaded: sum(a.loaded, b.loaded),
    lastEventTime:
      a.lastEventTime === null || b.lastEventTime === null
        ? a.lastEventTime ?? b.lastEventTime
        : Math.max(a.lastEventTime, b.lastEventTime),
  };
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
      corrupt: 0,
    },
  };
}
