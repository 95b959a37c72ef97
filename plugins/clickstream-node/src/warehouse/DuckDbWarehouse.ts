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

const trafficColumns = [
  'source',
  'medium',
  'campaign',
  'content',
  'term',
  'campaign_id',
  'clid_platform',
  'clid',
  'channel_group',
];

// Later events set the user id and properties; the earliest touch keeps the first_* columns.
const upsertUsers = `INSERT INTO user_v2 SELECT * FROM temp.stage_user_v2
ON CONFLICT (app_id, user_pseudo_id) DO UPDATE SET
  user_id = CASE WHEN EXCLUDED.event_time_msec >= user_v2.event_time_msec
    THEN coalesce(EXCLUDED.user_id, user_v2.user_id) ELSE coalesce(user_v2.user_id, EXCLUDED.user_id) END,
  user_properties_json_str = CASE WHEN EXCLUDED.event_time_msec >= user_v2.event_time_msec
    THEN json_merge_patch(user_v2.user_properties_json_str, EXCLUDED.user_properties_json_str)::VARCHAR
    ELSE json_merge_patch(EXCLUDED.user_properties_json_str, user_v2.user_properties_json_str)::VARCHAR END,
  ${[
    'first_referrer',
    ...trafficColumns.map(c => `first_traffic_${c}`),
    'first_traffic_category',
    'first_app_install_source',
    'first_visit_date',
  ]
    .map(
      c =>
        `${c} = CASE WHEN EXCLUDED.first_touch_time_msec < user_v2.first_touch_time_msec THEN EXCLUDED.${c} ELSE user_v2.${c} END`,
    )
    .join(',\n  ')},
  first_touch_time_msec = least(user_v2.first_touch_time_msec, EXCLUDED.first_touch_time_msec),
  event_time_msec = greatest(user_v2.event_time_msec, EXCLUDED.event_time_msec)`;

// A session keeps its earliest start; its source is the earliest known (not Direct) one.
const sessionSourceWins = `(
  (session.session_source IS NULL OR session.session_channel_group = 'Direct')
    AND NOT (EXCLUDED.session_source IS NULL OR EXCLUDED.session_channel_group = 'Direct')
  OR ((session.session_source IS NULL OR session.session_channel_group = 'Direct')
    = (EXCLUDED.session_source IS NULL OR EXCLUDED.session_channel_group = 'Direct')
    AND EXCLUDED.event_time_msec < session.event_time_msec))`;
const upsertSessions = `INSERT INTO session SELECT * FROM temp.stage_session
ON CONFLICT (app_id, user_pseudo_id, session_id) DO UPDATE SET
  ${[...trafficColumns.map(c => `session_${c}`), 'session_source_category']
    .map(
      c =>
        `${c} = CASE WHEN ${sessionSourceWins} THEN EXCLUDED.${c} ELSE session.${c} END`,
    )
    .join(',\n  ')},
  session_start_time_msec = least(session.session_start_time_msec, EXCLUDED.session_start_time_msec),
  user_id = coalesce(EXCLUDED.user_id, session.user_id),
  session_number = coalesce(session.session_number, EXCLUDED.session_number),
  event_time_msec = least(session.event_time_msec, EXCLUDED.event_time_msec)`;
