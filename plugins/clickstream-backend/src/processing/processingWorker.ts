import { SqlParams } from '@clickstream/backstage-plugin-clickstream-node';
import {
  DuckDbWarehouse,
  openGeoLocator,
  Processor,
  ProcessorApp,
  RetentionResult,
  SegmentReader,
} from '@clickstream/backstage-plugin-clickstream-pipeline';
import { PipelineConfig } from '@clickstream/backstage-plugin-clickstream-common';
import { BatchOutcome, ProcessingLoop } from './ProcessingLoop';

/** Set in the environment of a processing process, so that this module runs it. */
export const PROCESSING_PROCESS_ENV = 'CLICKSTREAM_PROCESSING_PROCESS';

/** What a project's processing process starts from. */
export interface ProcessingWorkerData {
  projectId: string;
  bufferDirectory: string;
  warehousePath: string;
  queryTimeoutMs?: number;
  geoDatabase?: string;
  /** The committed offset, and how far the buffer is durable. */
  offset: number;
  endOffset: number;
  /** Requests the first batch reads (fewer after a crash); each committed batch doubles it. */
  batchRecords: number;
  maxBatchRecords: number;
  batchBytes: number;
  batchExpandedBytes?: number;
  idleMs?: number;
  /** How often data retention runs, at most (default hourly); it runs after a batch. */
  retentionIntervalMs?: number;
  /**
   * The worker stopped on the record at `offset` before, even alone: keep it whole in
   * quarantine with this reason instead of processing it again.
   */
  quarantineFirst?: string;
}

/** What the processor needs from the control plane, sent by the backend. */
export interface ProcessingConfig {
  apps: ProcessorApp[];
  processing?: Pick<
    PipelineConfig['processing'],
    'dataFreshnessHours' | 'enrichments' | 'trafficSourceRules'
  >;
  /** Events, sessions and quarantined requests older than this many days are deleted. */
  dataRetentionDays?: number;
}

/** Messages to the processing process. */
export type ToWorker =
  | { type: 'init'; data: ProcessingWorkerData }
  | { type: 'config'; config: ProcessingConfig }
  | { type: 'end'; endOffset: number }
  | { type: 'query'; id: number; sql: string; params?: SqlParams }
  | { type: 'stop' };

/** Messages from the processing process. */
export type FromWorker =
  | { type: 'ready' }
  /** A batch of `records` requests is being processed (what a crash would be blamed on). */
  | { type: 'reading'; records: number }
  | { type: 'batch'; offset: number; outcome: BatchOutcome }
  | { type: 'error'; message: string; failures: number }
  /** Data retention ran and deleted this much. */
  | { type: 'retention'; result: RetentionResult; cutoff: number }
  | {
      type: 'result';
      id: number;
      rows?: Record<string, unknown>[];
      error?: { name: string; message: string };
    }
  | { type: 'stopped' };

/**
 * A project's processing process: its DuckDB warehouse, the loop that fills it from the
 * buffer, and the dashboards' queries on it. It runs apart from the backend, with its own
 * heap limit, so nothing it does (running out of memory, a native crash) can stall or crash
 * the portal.
 */
async function runProcessingWorker(
  init: ProcessingWorkerData,
  messages: ToWorker[],
) {
  const post = (message: FromWorker) => process.send!(message);
  // Messages that arrive while the warehouse opens wait for the handler.
  const inbox: { queued: ToWorker[]; handle?: (message: ToWorker) => void } = {
    queued: [...messages],
  };
  process.on('message', (message: ToWorker) =>
    inbox.handle ? inbox.handle(message) : inbox.queued.push(message),
  );
  let endOffset = init.endOffset;
  let wake: (() => void) | undefined;
  let config: ProcessingConfig | undefined;
  let processor: Processor | undefined;
  let configReady: () => void = () => undefined;
  const configured = new Promise<void>(resolve => {
    configReady = resolve;
  });

  const warehouse = await DuckDbWarehouse.open(init.warehousePath, {
    queryTimeoutMs: init.queryTimeoutMs,
  });
  const geo = await openGeoLocator(init.geoDatabase).catch(() => undefined);
  const reader = new SegmentReader(init.bufferDirectory);

  /** Built again whenever the backend sends a changed configuration. */
  function currentProcessor(): Processor {
    processor ??= new Processor({
      projectId: init.projectId,
      apps: new Map(config!.apps.map(app => [app.appId, app])),
      dataFreshnessHours: config!.processing?.dataFreshnessHours ?? 72,
      enrichments: config!.processing?.enrichments,
      trafficSourceRules: config!.processing?.trafficSourceRules,
      geo,
    });
    return processor;
  }

  // Data retention, at most once an interval, between loads (the warehouse queues it).
  let retainedAt = -Infinity;
  let retaining = false;
  function retain() {
    const days = config?.dataRetentionDays;
    const interval = init.retentionIntervalMs ?? 3_600_000;
    if (!days || retaining || Date.now() - retainedAt < interval) return;
    retaining = true;
    const cutoff = Date.now() - days * 86_400_000;
    warehouse
      .applyRetention(cutoff)
      .then(
        result => post({ type: 'retention', result, cutoff }),
        e =>
          post({
            type: 'error',
            message: `data retention failed: ${e}`,
            failures: 0,
          }),
      )
      .finally(() => {
        retainedAt = Date.now();
        retaining = false;
      });
  }

  let batchRecords = init.batchRecords;
  const loop = new ProcessingLoop({
    read: async from => {
      const read = await reader.readBatch(from, endOffset, {
        maxRecords: batchRecords,
        maxBytes: init.batchBytes,
      });
      if (read.records.length > 0) {
        post({ type: 'reading', records: read.records.length });
      }
      return read;
    },
    warehouse,
    processor: currentProcessor,
    commit: (offset, outcome) => {
      post({ type: 'batch', offset, outcome });
      batchRecords = Math.min(init.maxBatchRecords, batchRecords * 2);
      retain();
    },
    idle: ms =>
      new Promise<void>(resolve => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      }),
    onError: (error, failures) =>
      post({ type: 'error', message: String(error), failures }),
    batchExpandedBytes: init.batchExpandedBytes,
    idleMs: init.idleMs,
  });

  const onMessage = (message: ToWorker) => {
    switch (message.type) {
      case 'config':
        if (JSON.stringify(message.config) !== JSON.stringify(config)) {
          config = message.config;
          processor = undefined;
        }
        configReady();
        break;
      case 'end':
        endOffset = message.endOffset;
        wake?.();
        break;
      case 'query':
        warehouse.query(message.sql, message.params).then(
          rows => post({ type: 'result', id: message.id, rows }),
          (e: Error) =>
            post({
              type: 'result',
              id: message.id,
              error: { name: e.name, message: e.message },
            }),
        );
        break;
      case 'stop':
        loop.stop();
        wake?.();
        break;
      default:
    }
  };
  inbox.handle = onMessage;
  inbox.queued.splice(0).forEach(onMessage);
  post({ type: 'ready' });
  await configured;
  retain();

  let offset = init.offset;
  if (init.quarantineFirst) {
    const [record] = (
      await reader.readBatch(offset, endOffset, { maxRecords: 1 })
    ).records;
    if (record) {
      const builder = currentProcessor().begin();
      builder.quarantine(record, init.quarantineFirst);
      const batch = builder.finish();
      const loaded = await warehouse.load(batch);
      offset = record.nextOffset;
      post({
        type: 'batch',
        offset,
        outcome: {
          stats: batch.stats,
          loaded,
          lastEventTime: null,
          corrupt: [],
        },
      });
    }
  }
  await loop.run(offset);
  await warehouse.close();
  post({ type: 'stopped' });
  process.disconnect?.();
}

if (process.env[PROCESSING_PROCESS_ENV] === '1' && process.send) {
  // The backend that started it is gone: so is its reason to run.
  process.on('disconnect', () => process.exit(0));
  const early: ToWorker[] = [];
  const keep = (message: ToWorker) => {
    if (message.type === 'init') {
      process.off('message', keep);
      runProcessingWorker(message.data, early).catch(e => {
        // The backend sees the exit, logs this, and starts another process.
        process.stderr.write(`${(e as Error).stack ?? e}\n`);
        process.exit(1);
      });
    } else {
      early.push(message);
    }
  };
  process.on('message', keep);
}

/** This module's file: the backend starts it as a project's processing process. */
export const PROCESSING_WORKER_FILE = __filename;
