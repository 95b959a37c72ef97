import {
  DuckDBAppender,
  DuckDBConnection,
  DuckDBInstance,
} from '@duckdb/node-api';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { ProcessedBatch } from '../processor/Processor';
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
} from './tables';
import { QueryRunner, SqlParams } from './metrics/QueryRunner';
import { upsertSessions, upsertUsers } from './upserts';

/** What one load did. @public */
export interface LoadResult {
  /** New events stored. */
  inserted: number;
  /** Events already stored (or repeated within the batch): not counted twice. */
  duplicates: number;
  quarantined: number;
}

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
  #loading: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
  ) {}

  /** Opens (creating if needed) a warehouse file; `:memory:` for tests. */
  static async open(path: string): Promise<DuckDbWarehouse> {
    if (path !== ':memory:') {
      await fs.mkdir(dirname(path), { recursive: true });
    }
    const instance = await DuckDBInstance.create(path);
    const writer = await instance.connect();
    for (const table of warehouseTables) {
      await writer.run(duckDbCreateTable(table));
      // Staging tables live in the connection's temp schema: nothing half-loaded persists.
      await writer.run(
        `CREATE TEMP TABLE IF NOT EXISTS stage_${table.name} AS SELECT * FROM ${table.name} LIMIT 0`,
      );
    }
    return new DuckDbWarehouse(instance, writer);
  }

  /** Loads a processed batch in one transaction. Loads run one at a time. */
  load(batch: ProcessedBatch): Promise<LoadResult> {
    const run = this.#loading.then(() => this.#load(batch));
    this.#loading = run.catch(() => undefined);
    return run;
  }

  async #load(batch: ProcessedBatch): Promise<LoadResult> {
    const w = this.writer;
    for (const table of warehouseTables) {
      await w.run(`DELETE FROM temp.stage_${table.name}`);
    }
    await this.#append(eventTable, batch.events);
    await this.#append(itemTable, batch.items);
    await this.#append(userTable, batch.users);
    await this.#append(sessionTable, batch.sessions);
    await this.#append(quarantineTable, batch.quarantine);

    let lo = Infinity;
    let hi = -Infinity;
    for (const e of batch.events) {
      const t = e.event_time_msec as number;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    await w.run('BEGIN TRANSACTION');
    try {
      // New events: first of each (app_id, event_id) in the batch, not already stored. The
      // time window lets DuckDB skip row groups of older events when checking.
      await w.run(`CREATE OR REPLACE TEMP TABLE fresh AS
        SELECT s.* FROM (
          SELECT * FROM temp.stage_event_v2
          QUALIFY row_number() OVER (PARTITION BY app_id, event_id ORDER BY ingest_time_msec) = 1
        ) s
        ANTI JOIN (
          SELECT app_id, event_id FROM event_v2
          WHERE event_time_msec BETWEEN ${Math.floor(lo - DEDUP_WINDOW_MS) || 0}
            AND ${Math.ceil(hi + DEDUP_WINDOW_MS) || 0}
        ) e ON s.app_id = e.app_id AND s.event_id = e.event_id`);
      await w.run('INSERT INTO event_v2 SELECT * FROM temp.fresh');
      await w.run(`INSERT INTO item_v2 SELECT i.* FROM temp.stage_item_v2 i
        SEMI JOIN temp.fresh f ON i.app_id = f.app_id AND i.event_id = f.event_id`);
      await w.run(upsertUsers);
      await w.run(upsertSessions);
      await w.run(
        'INSERT INTO quarantine SELECT * FROM temp.stage_quarantine ON CONFLICT DO NOTHING',
      );
      const inserted = Number(
        (
          await w.runAndReadAll('SELECT count(*) FROM temp.fresh')
        ).getRows()[0][0],
      );
      await w.run('COMMIT');
      return {
        inserted,
        duplicates: batch.events.length - inserted,
        quarantined: batch.quarantine.length,
      };
    } catch (e) {
      await w.run('ROLLBACK');
      throw e;
    }
  }

  async #append(table: TableDefinition, rows: Row[]) {
    if (rows.length === 0) return;
    const appender = await this.writer.createAppender(
      `stage_${table.name}`,
      'main',
      'temp',
    );
    try {
      appendRows(appender, table, rows);
    } finally {
      appender.closeSync();
    }
  }

  /** Runs a read-only query on its own connection (queries do not wait for loads). */
  async query(
    sql: string,
    params: SqlParams = {},
  ): Promise<Record<string, unknown>[]> {
    const connection = await this.instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    } finally {
      connection.closeSync();
    }
  }

  async close(): Promise<void> {
    await this.#loading;
    this.writer.closeSync();
    this.instance.closeSync();
  }
}

function appendRows(
  appender: DuckDBAppender,
  table: TableDefinition,
  rows: Row[],
) {
  const columns = table.columns;
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      const [name, type] = columns[i];
      const value = row[name];
      if (value === null || value === undefined) appender.appendNull();
      else if (type === 'bigint' || type === 'double') {
        appender.appendDouble(value as number);
      } else if (type === 'boolean') appender.appendBoolean(value as boolean);
      else appender.appendVarchar(value as string);
    }
    appender.endRow();
  }
}
