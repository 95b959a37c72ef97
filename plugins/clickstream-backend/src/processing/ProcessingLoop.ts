import {
  LoadResult,
  ProcessedBatch,
  ProcessingStats,
  Processor,
  ReadBatch,
  StoredRecord,
} from '@clickstream/backstage-plugin-clickstream-pipeline';

/**
 * The most event JSON (gzip undone) one batch decodes: compressed bodies expand about tenfold,
 * so the raw byte limit alone would not bound a batch's memory.
 */
const BATCH_EXPANDED_BYTES = 64 * 1024 * 1024;
/** Processing gives the event loop back this often (ms), so queries and messages get through. */
const SLICE_MS = 20;

/** What one committed batch did, counted. */
export interface BatchOutcome {
  stats: ProcessingStats;
  loaded: LoadResult;
  /** The newest event time loaded (ms). */
  lastEventTime: number | null;
  /** Damaged byte ranges of the buffer skipped on the way. */
  corrupt: ReadBatch['corrupt'];
}

export interface ProcessingLoopOptions {
  /** Reads the buffer from an offset (a bounded batch). */
  read(fromOffset: number): Promise<ReadBatch>;
  warehouse: { load(batch: ProcessedBatch): Promise<LoadResult> };
  /** The processor for the project's current apps and configuration. */
  processor(): Processor;
  /** Tells that everything before `offset` is loaded, quarantined or skipped. */
  commit(offset: number, outcome: BatchOutcome): void | Promise<void>;
  /** Waits for new data, at most `ms`. */
  idle(ms: number): Promise<void>;
  onError(error: unknown, failures: number): void;
  batchExpandedBytes?: number;
  idleMs?: number;
}

/**
 * One project's processing: reads the buffer from the committed offset in batches, processes
 * and loads them, and commits the offset only after the warehouse commit. A crash in between
 * replays the batch, which the warehouse's idempotent load absorbs. No record can stop it: one
 * that fails processing or loading is quarantined whole, and damaged buffer bytes are skipped.
 */
export class ProcessingLoop {
  #stopping = false;

  constructor(private readonly options: ProcessingLoopOptions) {}

  stop() {
    this.#stopping = true;
  }

  /**
   * Runs until stopped. Batches overlap: the next batch is read and processed while the one
   * before it loads (DuckDB works on its own threads then), so a batch costs about the larger
   * of the two, not their sum.
   */
  async run(fromOffset: number): Promise<void> {
    let offset = fromOffset; // where the next read starts
    const done = { committed: fromOffset };
    let loading: Promise<void> | undefined;
    let failures = 0;
    while (!this.#stopping) {
      try {
        const read = await this.options.read(offset);
        if (read.records.length === 0 && read.nextOffset === offset) {
          if (loading) {
            await loading;
            loading = undefined;
          } else {
            await this.options.idle(this.options.idleMs ?? 500);
          }
          continue;
        }
        const processor = this.options.processor();
        const { records } = read;
        const { batch, consumed } = await this.#process(processor, records);
        const next =
          consumed === records.length
            ? read.nextOffset
            : records[consumed - 1].nextOffset;
        const corrupt = read.corrupt.filter(c => c.nextOffset <= next);
        // The batch before this one loaded while this one was processed.
        if (loading) await loading;
        loading = this.#loadAndCommit(
          processor,
          records.slice(0, consumed),
          batch,
          { next, corrupt, done },
        );
        // Its failure is taken where it is awaited, in this loop.
        loading.catch(() => undefined);
        offset = next;
        failures = 0;
      } catch (e) {
        // Only the warehouse itself failing gets here: read again from what is committed,
        // backing off while it keeps failing.
        loading = undefined;
        offset = done.committed;
        failures++;
        this.options.onError(e, failures);
        await this.options.idle(Math.min(30_000, 500 * 2 ** failures));
      }
    }
    await loading?.catch(e => this.options.onError(e, failures + 1));
  }

  async #loadAndCommit(
    processor: Processor,
    records: readonly StoredRecord[],
    batch: ProcessedBatch,
    to: {
      next: number;
      corrupt: ReadBatch['corrupt'];
      done: { committed: number };
    },
  ) {
    const outcome = await this.#load(processor, records, batch);
    await this.options.commit(to.next, { ...outcome, corrupt: to.corrupt });
    to.done.committed = to.next;
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
   * the error goes up.
   */
  async #load(
    processor: Processor,
    records: readonly StoredRecord[],
    processed?: ProcessedBatch,
  ): Promise<BatchOutcome> {
    const { warehouse } = this.options;
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
      const first = await this.#load(processor, records.slice(0, half));
      const second = await this.#load(processor, records.slice(half));
      return addOutcomes(first, second);
    }
  }
}

function outcomeOf(batch: ProcessedBatch, loaded: LoadResult): BatchOutcome {
  let lastEventTime: number | null = null;
  for (const e of batch.events) {
    const t = e.event_time_msec as number;
    if (lastEventTime === null || t > lastEventTime) lastEventTime = t;
  }
  return { stats: batch.stats, loaded, lastEventTime, corrupt: [] };
}

function addOutcomes(a: BatchOutcome, b: BatchOutcome): BatchOutcome {
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
    corrupt: [],
  };
}
