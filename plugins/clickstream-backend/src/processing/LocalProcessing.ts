import { LoggerService } from '@backstage/backend-plugin-api';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  QueryRunner,
  SqlParams,
} from '@clickstream/backstage-plugin-clickstream-node';
import { SegmentLog } from '@clickstream/backstage-plugin-clickstream-pipeline';
import { ProcessingReport } from '@clickstream/backstage-plugin-clickstream-common';
import { join } from 'node:path';
import { ChildProcess, fork } from 'node:child_process';
import { ControlPlaneStore } from '../database/ControlPlaneStore';
import { BatchOutcome } from './ProcessingLoop';
import {
  FromWorker,
  PROCESSING_PROCESS_ENV,
  PROCESSING_WORKER_FILE,
  ProcessingConfig,
  ProcessingWorkerData,
  ToWorker,
} from './processingWorker';

/**
 * The most a worker reads at a time. Each load has a fixed cost (its statements, the commit):
 * with a backlog, larger batches go faster (bench/processing.ts, same run: 7,600 events/s at
 * 10,000 requests a batch, 10,600 at 25,000); an idle worker takes whatever is there.
 */
const BATCH_RECORDS = 25_000;
const BATCH_BYTES = 32 * 1024 * 1024;

/** The buffer consumer name under which processing commits its offset. */
const CONSUMER = 'processor';
/** How often the child hears how far the buffer is durable, and the project's apps. */
const END_EVERY_MS = 200;
const CONFIG_EVERY_MS = 2_000;
/** A processing process's JavaScript heap (MiB): past it, the process ends and restarts. */
const HEAP_LIMIT_MB = 1_024;
/** The end of a process's error output kept to say why it stopped. */
const STDERR_TAIL = 4_096;

interface Runtime {
  projectId: string;
  log: SegmentLog;
  child?: ChildProcess;
  stopping: boolean;
  /** False from a crash until the restarted child commits a batch. */
  healthy: boolean;
  report: ProcessingReport;
  /** Events per committed batch over the last minute, for the rate. */
  recentBatches: Array<{ at: number; events: number }>;
  queries: Map<
    number,
    { resolve(rows: Record<string, unknown>[]): void; reject(e: Error): void }
  >;
  nextQuery: number;
  /** Commits run in the order the child sent them. */
  committing: Promise<void>;
  timers: NodeJS.Timeout[];
  /** Requests in the batch the child is working on (0: none). */
  inFlight: number;
  /** Processes that failed to start in a row, and the batch size the next child gets. */
  restarts: { failedStarts: number; batchRecords: number };
  sentEnd?: number;
  sentConfig?: string;
  exited?: Promise<void>;
}

/**
 * The embedded target's processing and modeling: per deployed `local` project, a process of
 * its own (with its own heap limit) reads the buffer from the committed offset,
 * processes and loads it into the project's DuckDB file, and answers the dashboards' queries.
 * The child reports each loaded batch and this side commits the buffer offset. When the
 * child dies (out of memory, a crash), its pending queries fail with 503, the pipeline is
 * reported unhealthy, and a new child resumes from the committed offset; a batch that keeps
 * killing it is retried in halves, down to the one request, which is quarantined whole.
 */
export class LocalProcessing {
  readonly #runtimes = new Map<string, Runtime>();

  constructor(
    private readonly options: {
      store: ControlPlaneStore;
      dataDirectory: string;
      /** The buffer of a running project (the ingestion's own log). */
      log(projectId: string): Promise<SegmentLog | undefined>;
      /** A MaxMind-format city database; undefined: the one installed with the plugin. */
      geoDatabase?: string;
      logger: LoggerService;
      batchRecords?: number;
      batchExpandedBytes?: number;
      idleMs?: number;
      /** How often data retention runs, at most (default hourly). */
      retentionIntervalMs?: number;
      /** Analytics queries running longer are stopped (default 30 s). */
      queryTimeoutMs?: number;
      /** A child's JavaScript heap in MiB (default 1024). */
      heapLimitMb?: number;
      /** Told when a project's processing process stops unexpectedly. */
      onFailure?(projectId: string, reason: string): void;
    },
  ) {}

  warehousePath(projectId: string): string {
    return join(this.options.dataDirectory, projectId, 'warehouse.duckdb');
  }

  /** The warehouse of a running project, for the analytics API (its queries run in its child). */
  warehouse(projectId: string): QueryRunner | undefined {
    const runtime = this.#runtimes.get(projectId);
    if (!runtime) return undefined;
    return {
      dialect: 'duckdb',
      rollups: true,
      query: (sql, params) => this.#query(runtime, sql, params),
    };
  }

  isRunning(projectId: string): boolean {
    return this.#runtimes.has(projectId);
  }

  /** Running, and its child has not died since its last committed batch. */
  isHealthy(projectId: string): boolean {
    return this.#runtimes.get(projectId)?.healthy ?? false;
  }

  async report(projectId: string): Promise<ProcessingReport> {
    const runtime = this.#runtimes.get(projectId);
    if (!runtime) return emptyReport(false);
    const { log, report } = runtime;
    report.lagBytes = Math.max(
      0,
      log.endOffset - (await log.committed(CONSUMER)),
    );
    const since = Date.now() - 60_000;
    runtime.recentBatches = runtime.recentBatches.filter(b => b.at > since);
    return {
      ...report,
      eventsPerMinute: runtime.recentBatches.reduce((n, b) => n + b.events, 0),
      totals: { ...report.totals },
    };
  }

  /** Tells a project's child that new data may be there (it also hears it within 200 ms). */
  notify(projectId: string) {
    const runtime = this.#runtimes.get(projectId);
    if (runtime) this.#sendEnd(runtime);
  }

  async start(projectId: string): Promise<void> {
    if (this.#runtimes.has(projectId)) return;
    const log = await this.options.log(projectId);
    if (!log) {
      throw new NotFoundError(`project ${projectId} has no running ingestion`);
    }
    const runtime: Runtime = {
      projectId,
      log,
      stopping: false,
      healthy: true,
      report: emptyReport(true),
      recentBatches: [],
      queries: new Map(),
      nextQuery: 0,
      committing: Promise.resolve(),
      timers: [],
      inFlight: 0,
      restarts: {
        failedStarts: 0,
        batchRecords: this.options.batchRecords ?? BATCH_RECORDS,
      },
    };
    // A child that cannot start (a warehouse file that is no database) fails the start.
    await this.#spawn(runtime);
    this.#runtimes.set(projectId, runtime);
    runtime.timers.push(
      setInterval(() => this.#sendEnd(runtime), END_EVERY_MS),
      setInterval(
        () =>
          this.#sendConfig(runtime).catch(e =>
            this.options.logger.warn(
              'Could not read a project for processing',
              {
                projectId,
                error: String(e),
              },
            ),
          ),
        CONFIG_EVERY_MS,
      ),
    );
    runtime.timers.forEach(t => t.unref());
    this.options.logger.info('Started local processing', { projectId });
  }

  async stop(projectId: string): Promise<void> {
    const runtime = this.#runtimes.get(projectId);
    if (!runtime) return;
    runtime.stopping = true;
    runtime.timers.forEach(clearInterval);
    const { child } = runtime;
    if (child) {
      this.#post(runtime, { type: 'stop' });
      // The child finishes its batch and closes the warehouse; one that hangs is ended.
      const ended = await Promise.race([
        runtime.exited!.then(() => true),
        new Promise<boolean>(r => setTimeout(() => r(false), 30_000).unref()),
      ]);
      if (!ended) child.kill('SIGKILL');
    }
    await runtime.committing;
    this.#runtimes.delete(projectId);
    this.options.logger.info('Stopped local processing', { projectId });
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#runtimes.keys()].map(id => this.stop(id)));
  }

  /**
   * Ends a project's child at once, as a crash would (an operator's drill; the tests' kill):
   * it is restarted as after any crash.
   */
  async interruptWorker(projectId: string): Promise<void> {
    const runtime = this.#runtimes.get(projectId);
    if (runtime?.child) {
      const { exited } = runtime;
      runtime.child.kill('SIGKILL');
      await exited;
    }
  }

  /** Starts the project's child and resolves once its warehouse is open. */
  async #spawn(runtime: Runtime, quarantineFirst?: string): Promise<void> {
    const { projectId, log } = runtime;
    const data: ProcessingWorkerData = {
      projectId,
      bufferDirectory: join(this.options.dataDirectory, projectId, 'buffer'),
      warehousePath: this.warehousePath(projectId),
      queryTimeoutMs: this.options.queryTimeoutMs,
      geoDatabase: this.options.geoDatabase,
      // After the batches the last child reported are committed: it resumes past them.
      offset: await runtime.committing.then(() => log.committed(CONSUMER)),
      endOffset: log.endOffset,
      batchRecords: runtime.restarts.batchRecords,
      maxBatchRecords: this.options.batchRecords ?? BATCH_RECORDS,
      batchBytes: BATCH_BYTES,
      batchExpandedBytes: this.options.batchExpandedBytes,
      idleMs: this.options.idleMs,
      retentionIntervalMs: this.options.retentionIntervalMs,
      quarantineFirst,
    };
    const heapMb = this.options.heapLimitMb ?? HEAP_LIMIT_MB;
    const child = fork(PROCESSING_WORKER_FILE, [], {
      execArgv: [`--max-old-space-size=${heapMb}`, ...transformArgs()],
      env: { ...process.env, [PROCESSING_PROCESS_ENV]: '1' },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    runtime.child = child;
    runtime.sentEnd = data.endOffset;
    runtime.inFlight = 0;
    runtime.sentConfig = undefined;
    let stderr = '';
    // Kept to say why it stopped (logged then), not passed on: a test runner or supervisor
    // reading this process's output would take the child's "heap out of memory" for its own.
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    let failure: Error | undefined;
    let ready: () => void = () => undefined;
    let notReady: (e: Error) => void = () => undefined;
    const started = new Promise<void>((resolve, reject) => {
      ready = resolve;
      notReady = reject;
    });
    child.on('message', (message: FromWorker) => {
      if (message.type === 'ready') ready();
      else this.#onMessage(runtime, message);
    });
    child.on('error', e => {
      failure = e;
    });
    // 'close', not 'exit': only then has all of stderr arrived, and with it the reason
    // (a child that runs out of memory dies by SIGABRT before its last words are read).
    runtime.exited = new Promise(resolve =>
      child.once(
        'close',
        (code: number | null, signal: NodeJS.Signals | null) => {
          const reason = exitReason(code, signal, stderr, failure);
          notReady(new Error(reason));
          if (runtime.child === child) runtime.child = undefined;
          this.#failQueries(runtime, reason);
          if (!runtime.stopping && this.#runtimes.has(projectId)) {
            this.#onCrash(runtime, reason, stderr);
          }
          resolve();
        },
      ),
    );
    child.send({ type: 'init', data } satisfies ToWorker);
    await started;
    await this.#sendConfig(runtime);
  }

  #onMessage(runtime: Runtime, message: FromWorker) {
    switch (message.type) {
      case 'reading':
        runtime.inFlight = message.records;
        break;
      case 'batch':
        runtime.inFlight = 0;
        runtime.committing = runtime.committing
          .then(() => this.#commit(runtime, message.offset, message.outcome))
          .catch(e =>
            this.options.logger.error('Could not commit a processed batch', {
              projectId: runtime.projectId,
              error: String(e),
            }),
          );
        break;
      case 'error':
        runtime.report.lastError = message.message;
        this.options.logger.error('Local processing failed; will retry', {
          projectId: runtime.projectId,
          error: message.message,
        });
        break;
      case 'retention': {
        const { result, cutoff } = message;
        if (result.events + result.sessions + result.quarantined > 0) {
          this.options.logger.info('Applied data retention', {
            projectId: runtime.projectId,
            before: new Date(cutoff).toISOString(),
            ...result,
          });
        }
        break;
      }
      case 'result': {
        const pending = runtime.queries.get(message.id);
        runtime.queries.delete(message.id);
        if (!pending) break;
        if (message.rows) pending.resolve(message.rows);
        else pending.reject(toError(message.error!));
        break;
      }
      default:
    }
  }

  async #commit(runtime: Runtime, offset: number, outcome: BatchOutcome) {
    const { log, report, projectId } = runtime;
    await log.commit(CONSUMER, offset);
    await log.retain([CONSUMER]);
    const { stats, loaded, lastEventTime, corrupt } = outcome;
    const { totals } = report;
    totals.records += stats.records;
    totals.events += stats.events;
    totals.loaded += loaded.inserted;
    totals.duplicates += loaded.duplicates;
    totals.quarantined += stats.quarantined;
    totals.stale += stats.stale;
    totals.unknownApp += stats.unknownApp;
    totals.bots += stats.bots;
    totals.corrupt += corrupt.length;
    if (corrupt.length > 0) {
      this.options.logger.warn(
        'Skipped damaged bytes in the buffer: they held no whole record',
        { projectId, ranges: JSON.stringify(corrupt) },
      );
    }
    if (lastEventTime !== null && lastEventTime > (report.lastEventTime ?? 0)) {
      report.lastEventTime = lastEventTime;
    }
    report.lastBatchAt = Date.now();
    report.lastError = null;
    runtime.healthy = true;
    runtime.recentBatches.push({
      at: report.lastBatchAt,
      events: stats.events,
    });
  }

  /**
   * A child died: say so, and start another from the committed offset. When it died on a
   * batch, the next one reads half of it, and so on down to one request, which is then
   * quarantined whole: no request can stop a project's processing for good.
   */
  #onCrash(runtime: Runtime, reason: string, output: string) {
    const { projectId, restarts, inFlight } = runtime;
    runtime.healthy = false;
    runtime.report.lastError = `its processing process stopped (${reason}); restarting it`;
    this.options.logger.error(
      'The processing process of a local pipeline stopped; restarting it',
      { projectId, error: reason, output: output.slice(-2_000) },
    );
    this.options.onFailure?.(projectId, reason);
    let quarantineFirst: string | undefined;
    if (inFlight === 1) {
      quarantineFirst = `processing this request ended the project's processing process: ${reason}`;
    } else if (inFlight > 1) {
      restarts.batchRecords = Math.ceil(inFlight / 2);
    } else {
      restarts.failedStarts++;
    }
    // Halving a batch is quick work; a process that cannot even start backs off.
    const delay = Math.min(
      30_000,
      200 * 2 ** Math.min(restarts.failedStarts, 8),
    );
    setTimeout(() => {
      if (runtime.stopping) return;
      this.#spawn(runtime, quarantineFirst).then(
        () => {
          restarts.failedStarts = 0;
        },
        () => undefined, // the failed child's exit schedules the next attempt
      );
    }, delay).unref();
  }

  #query(
    runtime: Runtime,
    sql: string,
    params?: SqlParams,
  ): Promise<Record<string, unknown>[]> {
    if (!runtime.child) {
      return Promise.reject(
        new ServiceUnavailableError(
          `the processing of project '${runtime.projectId}' is restarting; retry shortly`,
        ),
      );
    }
    const id = runtime.nextQuery++;
    return new Promise((resolve, reject) => {
      runtime.queries.set(id, { resolve, reject });
      this.#post(runtime, { type: 'query', id, sql, params });
    });
  }

  #failQueries(runtime: Runtime, reason: string) {
    for (const pending of runtime.queries.values()) {
      pending.reject(
        new ServiceUnavailableError(
          `the processing process of project '${runtime.projectId}' stopped (${reason}); retry shortly`,
        ),
      );
    }
    runtime.queries.clear();
  }

  #post(runtime: Runtime, message: ToWorker) {
    const { child } = runtime;
    if (child?.connected) {
      child.send(message, error => {
        // A process that just died: its exit is handled, the message no longer matters.
        if (error) return;
      });
    }
  }

  #sendEnd(runtime: Runtime) {
    const endOffset = runtime.log.endOffset;
    if (runtime.child && endOffset !== runtime.sentEnd) {
      runtime.sentEnd = endOffset;
      this.#post(runtime, { type: 'end', endOffset });
    }
  }

  async #sendConfig(runtime: Runtime) {
    const config = await this.#config(runtime.projectId);
    const text = JSON.stringify(config);
    if (runtime.child && text !== runtime.sentConfig) {
      runtime.sentConfig = text;
      this.#post(runtime, { type: 'config', config });
    }
  }

  async #config(projectId: string): Promise<ProcessingConfig> {
    const { store } = this.options;
    const [apps, pipeline] = await Promise.all([
      store.listApps(projectId, { limit: 10_000, offset: 0 }),
      store.getPipeline(projectId),
    ]);
    const processing = pipeline?.config.processing;
    return {
      dataRetentionDays: pipeline?.config.modeling.dataRetentionDays,
      apps: apps.items.map(app => ({
        appId: app.appId,
        timezone: app.timezone ?? 'UTC',
      })),
      processing: processing && {
        dataFreshnessHours: processing.dataFreshnessHours,
        enrichments: processing.enrichments,
        trafficSourceRules: processing.trafficSourceRules,
      },
    };
  }
}

/**
 * Node options a processing process needs to load this module: none from the built package;
 * from TypeScript sources (development, tests), the transform the backend itself runs under.
 */
function transformArgs(): string[] {
  if (!PROCESSING_WORKER_FILE.endsWith('.ts')) return [];
  return [
    '--require',
    require.resolve('@backstage/cli/config/nodeTransform.cjs'),
  ];
}

/** Why a processing process ended, in words for the pipeline's lastError. */
function exitReason(
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  failure?: Error,
): string {
  if (/heap out of memory/i.test(stderr)) {
    return 'it ran out of memory (JavaScript heap out of memory)';
  }
  if (failure) return failure.message;
  return signal ? `it was killed by ${signal}` : `it exited with code ${code}`;
}

/** An error from the process, as the error class the API answers it with. */
function toError(error: { name: string; message: string }): Error {
  if (error.name === 'ServiceUnavailableError') {
    return new ServiceUnavailableError(error.message);
  }
  if (error.name === 'InputError') return new InputError(error.message);
  const e = new Error(error.message);
  e.name = error.name;
  return e;
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
