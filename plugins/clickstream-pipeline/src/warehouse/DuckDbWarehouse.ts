import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { ProcessedBatch } from '../schema/batch';
import { duckDbCreateTable } from './ddl';
import {
  eventTable,
  itemTable,
  quarantineTable,
  Row,
  sessionTable,
  TableDefinition,
  userTable,
  warehouseTables,
} from '../schema/tables';
import type {
  QueryRunner,
  SqlParams,
} from '@clickstream/backstage-plugin-clickstream-node';
import { upsertSessions, upsertUsers } from './upserts';
import { appendRows, inTransaction, stageRows } from './duckdb';
import { ROLLUPS, RollupRefresher, summaryTable } from './rollups';

/** What one load did. @public */
export interface LoadResult {
  /** New events stored. */
  inserted: number;
  /** Events already stored (or repeated within the batch): not counted twice. */
  duplicates: number;
  quarantined: number;
}

/** What data retention deleted, in rows. @public */
export interface RetentionResult {
  /** Events deleted (their items with them). */
  events: number;
  /** Sessions deleted. */
  sessions: number;
  /** Quarantined requests deleted. */
  quarantined: number;
}

/** @public */
export interface DuckDbWarehouseOptions {
  /** Queries running longer are interrupted (default 30 s). */
  queryTimeoutMs?: number;
}

/** Rows appended between two turns of the event loop (about 20 ms of work). */
const APPEND_SLICE = 1_000;

/** Duplicates of an event arrive within this much of each other (SDK retries, replays). */
const DEDUP_WINDOW_MS = 2 * 24 * 3_600_000;

/**
 * The embedded warehouse: one DuckDB file per project with the reference's tables. Loads are
 * idempotent, so a batch loaded twice (after a crash between the warehouse commit and the
 * buffer commit) changes nothing the second time.
 * @public
 */
export class DuckDbWarehouse implements QueryRunner {
  readonly dialect = 'duckdb' as const;
  /** The daily rollups are stored here, kept up to date by each load. */
  readonly rollups = true;
  #loading: Promise<unknown> = Promise.resolve();
  readonly #queryTimeoutMs: number;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly refresher: RollupRefresher,
    options: DuckDbWarehouseOptions,
  ) {
    this.#queryTimeoutMs = options.queryTimeoutMs ?? 30_000;
  }

  /** Opens (creating if needed) a warehouse file; `:memory:` for tests. */
  static async open(
    path: string,
    options: DuckDbWarehouseOptions = {},
  ): Promise<DuckDbWarehouse> {
    if (path !== ':memory:') {
      await fs.mkdir(dirname(path), { recursive: true });
    }
    const instance = await DuckDBInstance.create(path);
    const writer = await instance.connect();
    for (const table of warehouseTables) {
      await writer.run(duckDbCreateTable(table));
    }
    // Staging tables live in the connection's temp schema: nothing half-loaded persists.
    for (const table of [userTable, sessionTable, quarantineTable]) {
      await writer.run(
        `CREATE TEMP TABLE stage_${table.name} AS SELECT * FROM ${table.name} LIMIT 0`,
      );
    }
    await writer.run(
      'CREATE TEMP TABLE stage_key (app_id VARCHAR, event_id VARCHAR)',
    );
    const rollups = await RollupRefresher.open(writer);
    return new DuckDbWarehouse(instance, writer, rollups, options);
  }

  /** Loads a processed batch in one transaction. Loads run one at a time. */
  load(batch: ProcessedBatch): Promise<LoadResult> {
    const run = this.#loading.then(() => this.#load(batch));
    this.#loading = run.catch(() => undefined);
    return run;
  }

  async #load(batch: ProcessedBatch): Promise<LoadResult> {
    const w = this.writer;
    // The first of each (app_id, event_id) in the batch (the earliest received), then only
    // those the warehouse does not have yet. Only the keys are staged for the check: whole
    // rows are appended once, straight into their tables.
    const firsts = new Map<string, Row>();
    for (const e of batch.events) {
      const key = `${e.app_id}\u0000${e.event_id}`;
      if (!firsts.has(key)) firsts.set(key, e);
    }
    const stored = await this.#storedKeys([...firsts.values()]);
    const fresh = [...firsts.entries()]
      .filter(([key]) => !stored.has(key))
      .map(([, e]) => e);
    const freshKeys = new Set(fresh.map(e => `${e.app_id}\u0000${e.event_id}`));
    const items = batch.items.filter(i =>
      freshKeys.has(`${i.app_id}\u0000${i.event_id}`),
    );

    for (const table of [userTable, sessionTable, quarantineTable]) {
      await w.run(`DELETE FROM temp.stage_${table.name}`);
    }
    await this.#append(userTable, batch.users, 'temp');
    await this.#append(sessionTable, batch.sessions, 'temp');
    await this.#append(quarantineTable, batch.quarantine, 'temp');
    await this.refresher.stageTouched(fresh);
    await inTransaction(w, async () => {
      await this.#append(eventTable, fresh);
      await this.#append(itemTable, items);
      await this.refresher.noteUserChanges();
      await w.run(upsertUsers);
      await this.refresher.noteTrafficChanges();
      await w.run(upsertSessions);
      await this.refresher.refresh(fresh);
      await w.run(
        'INSERT INTO quarantine SELECT * FROM temp.stage_quarantine ON CONFLICT DO NOTHING',
      );
    });
    return {
      inserted: fresh.length,
      duplicates: batch.events.length - fresh.length,
      quarantined: batch.quarantine.length,
    };
  }

  /**
   * Data retention, as the Redshift load applies it: deletes the events, items, sessions and
   * quarantined requests from before `cutoffMsec`, and the rollups' days before its UTC date.
   * Users stay (their first visit is history). Runs between loads, in one transaction.
   */
  applyRetention(cutoffMsec: number): Promise<RetentionResult> {
    const run = this.#loading.then(() => this.#applyRetention(cutoffMsec));
    this.#loading = run.catch(() => undefined);
    return run;
  }

  async #applyRetention(cutoffMsec: number): Promise<RetentionResult> {
    const cutoff = Math.floor(cutoffMsec);
    if (!Number.isSafeInteger(cutoff)) {
      throw new RangeError(`not a retention cutoff: ${cutoffMsec}`);
    }
    const day = new Date(cutoff).toISOString().slice(0, 10);
    const deleted = async (sql: string) =>
      Number((await this.writer.runAndReadAll(sql)).getRows()[0]?.[0] ?? 0);
    const result: RetentionResult = { events: 0, sessions: 0, quarantined: 0 };
    await inTransaction(this.writer, async () => {
      result.events = await deleted(
        `DELETE FROM event_v2 WHERE event_time_msec < ${cutoff}`,
      );
      await this.writer.run(
        `DELETE FROM item_v2 WHERE event_time_msec < ${cutoff}`,
      );
      result.sessions = await deleted(
        `DELETE FROM session WHERE event_time_msec < ${cutoff}`,
      );
      result.quarantined = await deleted(
        `DELETE FROM quarantine WHERE ingest_time_msec < ${cutoff}`,
      );
      for (const rollup of ROLLUPS) {
        const tables = [`rollup_${rollup.name}`];
        if (rollup.summary) tables.push(summaryTable(rollup));
        for (const table of tables) {
          await this.writer.run(
            `DELETE FROM ${table} WHERE event_date < DATE '${day}'`,
          );
        }
      }
    });
    return result;
  }

  /** Which of these events are stored already, as `app_id NUL event_id` keys. */
  async #storedKeys(events: Row[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    let lo = Infinity;
    let hi = -Infinity;
    for (const e of events) {
      const t = e.event_time_msec as number;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    await this.writer.run('DELETE FROM temp.stage_key');
    await stageRows(
      this.writer,
      'stage_key',
      events.map(e => [e.app_id as string, e.event_id as string]),
    );
    // The time window lets DuckDB skip the row groups of older events.
    const reader = await this.writer.runAndReadAll(
      `SELECT k.app_id, k.event_id FROM temp.stage_key k
       SEMI JOIN (
         SELECT app_id, event_id FROM event_v2
         WHERE event_time_msec BETWEEN ${Math.floor(lo - DEDUP_WINDOW_MS)}
           AND ${Math.ceil(hi + DEDUP_WINDOW_MS)}
       ) e ON k.app_id = e.app_id AND k.event_id = e.event_id`,
    );
    return new Set(reader.getRows().map(([app, id]) => `${app}\u0000${id}`));
  }

  /** Appends rows to a table, or (`temp`) to its staging table. */
  async #append(table: TableDefinition, rows: Row[], schema?: 'temp') {
    if (rows.length === 0) return;
    const appender = schema
      ? await this.writer.createAppender(`stage_${table.name}`, 'main', 'temp')
      : await this.writer.createAppender(table.name);
    try {
      // Appending is synchronous: in slices, so the process's event loop (the portal's, in
      // the embedded target) is not held for a whole batch.
      for (let from = 0; from < rows.length; from += APPEND_SLICE) {
        if (from > 0) await new Promise(resolve => setImmediate(resolve));
        appendRows(appender, table, rows, from, from + APPEND_SLICE);
      }
    } finally {
      appender.closeSync();
    }
  }

  /**
   * Runs a read-only query on its own connection (queries do not wait for loads). A query
   * still running at its deadline is interrupted and fails with a 503.
   */
  async query(
    sql: string,
    params: SqlParams = {},
  ): Promise<Record<string, unknown>[]> {
    const connection = await this.instance.connect();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, this.#queryTimeoutMs);
    try {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    } catch (e) {
      if (timedOut) {
        throw new ServiceUnavailableError(
          `the query took longer than ${
            this.#queryTimeoutMs / 1000
          } s and was stopped; narrow the date range or retry later`,
        );
      }
      throw e;
    } finally {
      clearTimeout(timer);
      connection.closeSync();
    }
  }

  async close(): Promise<void> {
    await this.#loading;
    this.writer.closeSync();
    this.instance.closeSync();
  }
}
