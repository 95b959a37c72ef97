import {
  DuckDBAppender,
  DuckDBConnection,
  DuckDBInstance,
} from '@duckdb/node-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { createHash } from 'node:crypto';
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
import {
  FIRST_TRAFFIC,
  prevDateWindow,
  userFirstDates,
  rollupEvents,
  ROLLUPS,
  Rollup,
  rollupSummary,
  sessionDaily,
  storedRollup,
  summaryTable,
  userKey,
} from './rollups';
import { duckDbDialect } from './metrics/dialect';

/** What one load did. @public */
export interface LoadResult {
  /** New events stored. */
  inserted: number;
  /** Events already stored (or repeated within the batch): not counted twice. */
  duplicates: number;
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
    // The days and users a load touched, and the users whose merged id it changed.
    await writer.run(
      'CREATE TEMP TABLE stage_touched (app_id VARCHAR, event_date DATE, user_pseudo_id VARCHAR)',
    );
    await writer.run(
      'CREATE TEMP TABLE stage_rekey (app_id VARCHAR, user_pseudo_id VARCHAR)',
    );
    // The days whose rollup rows a load changed: their summaries are recomputed.
    await writer.run(
      'CREATE TEMP TABLE stage_days (app_id VARCHAR, event_date DATE)',
    );
    await buildRollups(writer);
    // The merged users whose rollup rows a load changed.
    await writer.run(
      'CREATE TEMP TABLE stage_user_key AS SELECT app_id, user_key FROM rollup_user_daily LIMIT 0',
    );
    return new DuckDbWarehouse(instance, writer, options);
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
    await this.#stageTouched(fresh);
    await w.run('DELETE FROM temp.stage_rekey');
    await inTransaction(w, async () => {
      await this.#append(eventTable, fresh);
      await this.#append(itemTable, items);
      // Pseudo users who log in (or switch accounts) get a new merged id: their rollup rows
      // of other days must follow.
      await w.run(`INSERT INTO temp.stage_rekey
        SELECT s.app_id, s.user_pseudo_id FROM temp.stage_user_v2 s
        JOIN user_v2 u ON u.app_id = s.app_id AND u.user_pseudo_id = s.user_pseudo_id
        WHERE s.user_id IS NOT NULL AND s.user_id IS DISTINCT FROM u.user_id`);
      await w.run(upsertUsers);
      // The traffic sources of the batch's known sessions before the merge: where the merge
      // changes one, the session's rollup rows of other days must follow.
      await w.run(`CREATE OR REPLACE TEMP TABLE stage_traffic AS
        SELECT s.app_id, s.user_pseudo_id, s.session_id, s.session_channel_group,
          s.session_source, s.session_medium,
          COALESCE(s.session_start_time_msec, s.event_time_msec) AS start_msec
        FROM session s SEMI JOIN temp.stage_session t ON t.app_id = s.app_id
          AND t.user_pseudo_id = s.user_pseudo_id AND t.session_id = s.session_id`);
      await w.run(upsertSessions);
      await this.#refreshRollups(fresh);
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

  /** Stages the (app, day, pseudo user) keys of the new events. */
  async #stageTouched(fresh: Row[]) {
    await this.writer.run('DELETE FROM temp.stage_touched');
    await this.#stage(
      'stage_touched',
      fresh.map(e => [
        e.app_id as string,
        e.event_date as string,
        e.user_pseudo_id as string,
      ]),
    );
  }

  /** Appends the distinct rows of text values to a staging table of the temp schema. */
  async #stage(table: string, rows: Iterable<readonly string[]>) {
    const appender = await this.writer.createAppender(table, 'main', 'temp');
    const seen = new Set<string>();
    try {
      for (const row of rows) {
        const key = row.join('\u0000');
        if (seen.has(key)) continue;
        seen.add(key);
        for (const value of row) appender.appendVarchar(value);
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
  }

  /**
   * Recomputes the rollup rows of the days and users the new events touched, from all their
   * events (so a late event or a second batch of the same day adds up), then gives the users
   * whose merged id changed their new key in every other row, and recomputes the previous
   * days of every merged user whose rows changed.
   */
  async #refreshRollups(fresh: Row[]) {
    const w = this.writer;
    await w.run('DELETE FROM temp.stage_user_key');
    await w.run('DELETE FROM temp.stage_days');
    if (fresh.length > 0) {
      await w.run(
        'INSERT INTO temp.stage_days SELECT DISTINCT app_id, event_date FROM temp.stage_touched',
      );
      let lo = fresh[0].event_date as string;
      let hi = lo;
      for (const e of fresh) {
        const date = e.event_date as string;
        if (date < lo) lo = date;
        if (date > hi) hi = date;
      }
      // The touched days' events, read once for the four rollups.
      await w.run(
        `CREATE OR REPLACE TEMP TABLE stage_events AS SELECT * FROM ${rollupSource(
          touched('e', lo, hi),
        )}`,
      );
      for (const rollup of ROLLUPS) {
        const table = `rollup_${rollup.name}`;
        await w.run(`DELETE FROM ${table} r WHERE ${touched('r', lo, hi)}`);
        await w.run(
          // Their users are staged: the refresh below computes the derived columns once.
          `INSERT INTO ${table} ${storedRollup(rollup, 'temp.stage_events', {
            derived: false,
          })}`,
        );
      }
      await this.#markSingleDaySessions();
      await w.run(
        'INSERT INTO temp.stage_user_key SELECT DISTINCT app_id, user_key FROM temp.stage_events',
      );
    }
    await this.#followTrafficChanges();
    await this.#rekeyUsers();
    await this.#refreshPrevDates();
    await this.#refreshFirstDates();
    await this.#refreshFirstTraffic();
    await this.#refreshSummaries();
  }

  /** Gives the pseudo users whose merged id changed their new key in every rollup row. */
  async #rekeyUsers() {
    const w = this.writer;
    const [[rekeyed]] = (
      await w.runAndReadAll('SELECT count(*) FROM temp.stage_rekey')
    ).getRows();
    if (Number(rekeyed) === 0) return;
    const rekey = `rekey AS (
      SELECT u.app_id, u.user_pseudo_id, ${userKey(
        duckDbDialect,
        'u',
      )} AS user_key
      FROM user_v2 u SEMI JOIN temp.stage_rekey s
        ON s.app_id = u.app_id AND s.user_pseudo_id = u.user_pseudo_id
    )`;
    // Both keys' rows change: the old key loses rows, the new one gains them.
    await w.run(`INSERT INTO temp.stage_user_key
      WITH ${rekey}
      SELECT DISTINCT r.app_id, r.user_key FROM rollup_user_daily r
      SEMI JOIN rekey k ON k.app_id = r.app_id AND k.user_pseudo_id = r.user_pseudo_id
      UNION SELECT app_id, user_key FROM rekey`);
    for (const rollup of ROLLUPS) {
      await w.run(`WITH ${rekey}
        UPDATE rollup_${rollup.name} r SET user_key = k.user_key
        FROM rekey k
        WHERE r.app_id = k.app_id AND r.user_pseudo_id = k.user_pseudo_id
          AND r.user_key <> k.user_key`);
    }
  }

  /** Recomputes the previous days of every row of the merged users whose rows changed. */
  async #refreshPrevDates() {
    for (const rollup of ROLLUPS) {
      const { name, prevDates } = rollup;
      if (!prevDates) continue;
      const columns = prevDates.map(p => p.column);
      await this.#update(
        rollup,
        `UPDATE rollup_${name} r
        SET ${columns.map(c => `${c} = p.${c}`).join(', ')}
        FROM (
          SELECT rowid AS row_id,
            ${prevDates
              .map(p => `${prevDateWindow(p)} AS ${p.column}`)
              .join(',\n            ')}
          FROM rollup_${name} t
          WHERE (app_id, user_key) IN (SELECT app_id, user_key FROM temp.stage_user_key)
        ) p
        WHERE r.rowid = p.row_id
          AND (${columns.map(c => `r.${c}`).join(', ')})
            IS DISTINCT FROM (${columns.map(c => `p.${c}`).join(', ')})`,
      );
    }
  }

  /**
   * Runs an update of a rollup's rows (aliased `r`); for a summarized rollup, stages the days
   * of the rows it changed, whose summaries are then recomputed.
   */
  async #update(rollup: Rollup, update: string) {
    if (!rollup.summary) {
      await this.writer.run(update);
      return;
    }
    const changed = await this.writer.runAndReadAll(
      `${update} RETURNING r.app_id, CAST(r.event_date AS VARCHAR)`,
    );
    await this.#stage('stage_days', changed.getRows() as string[][]);
  }

  /** Recomputes the summaries of the days whose rollup rows changed. */
  async #refreshSummaries() {
    const w = this.writer;
    const [[lo, hi]] = (
      await w.runAndReadAll(
        'SELECT CAST(min(event_date) AS VARCHAR), CAST(max(event_date) AS VARCHAR) FROM temp.stage_days',
      )
    ).getRows();
    if (lo === null) return;
    // The date bounds let DuckDB skip the row groups of other days.
    const days = `event_date BETWEEN DATE '${lo}' AND DATE '${hi}'
      AND (app_id, event_date) IN (SELECT app_id, event_date FROM temp.stage_days)`;
    for (const rollup of ROLLUPS) {
      if (!rollup.summary) continue;
      await w.run(`DELETE FROM ${summaryTable(rollup)} WHERE ${days}`);
      await w.run(
        `INSERT INTO ${summaryTable(rollup)} ${rollupSummary(rollup, days)}`,
      );
    }
  }

  /**
   * Recomputes the first visit date in the user rows of the merged users whose rows changed:
   * a new or re-keyed pseudo id, or an earlier first touch, moves it.
   */
  async #refreshFirstDates() {
    await this.writer
      .run(`UPDATE rollup_user_daily r SET first_date = f.first_date
      FROM (${userFirstDates(duckDbDialect, name => name)}) f
      WHERE r.app_id = f.app_id AND r.user_key = f.user_key
        AND (r.app_id, r.user_key) IN (SELECT app_id, user_key FROM temp.stage_user_key)
        AND r.first_date IS DISTINCT FROM f.first_date`);
  }

  /**
   * Copies the first-visit traffic of the load's pseudo users (which their merge may have
   * moved to an earlier event) into their user rows with a first open.
   */
  async #refreshFirstTraffic() {
    await this.writer.run(`UPDATE rollup_user_daily r
      SET ${FIRST_TRAFFIC.map(c => `${c} = u.${c}`).join(', ')}
      FROM user_v2 u SEMI JOIN temp.stage_user_v2 s
        ON s.app_id = u.app_id AND s.user_pseudo_id = u.user_pseudo_id
      WHERE r.app_id = u.app_id AND r.user_pseudo_id = u.user_pseudo_id
        AND r.first_opens > 0
        AND (${FIRST_TRAFFIC.map(c => `r.${c}`).join(', ')})
          IS DISTINCT FROM (${FIRST_TRAFFIC.map(c => `u.${c}`).join(', ')})`);
  }

  /**
   * The load's rows of a session were aggregated without the session's rows of other days:
   * counts them all, for the sessions of the batch, and marks which are a session's only row.
   */
  async #markSingleDaySessions() {
    const w = this.writer;
    const [[earliest]] = (
      await w.runAndReadAll(
        'SELECT min(COALESCE(session_start_time_msec, event_time_msec)) FROM temp.stage_events WHERE session_id IS NOT NULL',
      )
    ).getRows();
    if (earliest === null) return;
    const since = dayBefore(Number(earliest));
    await this.#update(
      sessionDaily,
      `UPDATE rollup_session_daily r SET single = c.rows = 1
      FROM (
        SELECT app_id, session_key, COUNT(*) AS rows FROM rollup_session_daily
        WHERE event_date >= DATE '${since}' AND (app_id, session_key) IN (
          SELECT DISTINCT app_id, session_key FROM temp.stage_events
          WHERE session_id IS NOT NULL)
        GROUP BY app_id, session_key
      ) c
      WHERE r.event_date >= DATE '${since}' AND r.app_id = c.app_id
        AND r.session_key = c.session_key AND r.single <> (c.rows = 1)`,
    );
  }

  /** Copies the sessions' traffic sources that the load's merge changed into their rollup rows. */
  async #followTrafficChanges() {
    const w = this.writer;
    await w.run(`CREATE OR REPLACE TEMP TABLE stage_traffic_changed AS
      SELECT s.app_id, s.user_pseudo_id, s.session_id,
        COALESCE(s.session_channel_group, 'Direct') AS channel_group,
        s.session_source AS source, s.session_medium AS medium, b.start_msec
      FROM session s JOIN temp.stage_traffic b ON b.app_id = s.app_id
        AND b.user_pseudo_id = s.user_pseudo_id AND b.session_id = s.session_id
      WHERE (s.session_channel_group, s.session_source, s.session_medium)
        IS DISTINCT FROM (b.session_channel_group, b.session_source, b.session_medium)`);
    const [[earliest]] = (
      await w.runAndReadAll(
        'SELECT min(start_msec) FROM temp.stage_traffic_changed',
      )
    ).getRows();
    if (earliest === null) return;
    const since = dayBefore(Number(earliest));
    await this.#update(
      sessionDaily,
      `UPDATE rollup_session_daily r
      SET channel_group = c.channel_group, source = c.source, medium = c.medium
      FROM temp.stage_traffic_changed c
      WHERE r.event_date >= DATE '${since}' AND r.app_id = c.app_id
        AND r.user_pseudo_id = c.user_pseudo_id AND r.session_id = c.session_id`,
    );
    // Their users' previous days by channel follow: the load's events of these sessions
    // staged the users' keys.
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
    await this.#stage(
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

/**
 * The UTC date of the day before an instant: the earliest `event_date` of a session that
 * started then (no event precedes its session's start; a day's margin covers any time zone).
 */
function dayBefore(ms: number) {
  return new Date(ms - 86_400_000).toISOString().slice(0, 10);
}

/**
 * Whether a row (of events or of a rollup) has a day and user the load touched; the date
 * bounds let DuckDB skip the row groups of other days.
 */
function touched(row: string, lo: string, hi: string) {
  return `${row}.event_date BETWEEN DATE '${lo}' AND DATE '${hi}'
    AND EXISTS (SELECT 1 FROM temp.stage_touched t WHERE t.app_id = ${row}.app_id
      AND t.event_date = ${row}.event_date AND t.user_pseudo_id = ${row}.user_pseudo_id)`;
}

/** The stored events that match a filter, as the rollups read them. */
function rollupSource(where: string) {
  return `(${rollupEvents({
    dialect: duckDbDialect,
    table: name => name,
    day: 'e.event_date',
    where,
  })})`;
}

/**
 * Makes sure the rollups exist and follow the current definitions: a new warehouse gets
 * empty ones; one whose rollups were built by another version of them (or of DuckDB, whose
 * `hash` keys them) rebuilds them from its events, in one transaction.
 */
async function buildRollups(w: DuckDBConnection) {
  const builds = rollupBuilds();
  // The rollups' own SQL names their version: any change to a definition rebuilds them.
  const definitions = createHash('sha256')
    .update(builds.join(';\n'))
    .digest('hex')
    .slice(0, 16);
  await w.run('DROP TABLE IF EXISTS rollup_state'); // numbered by hand, before 2026-12-07
  await w.run(
    'CREATE TABLE IF NOT EXISTS rollup_build (definitions VARCHAR, duckdb_version VARCHAR)',
  );
  const current = `SELECT '${definitions}' AS definitions, library_version AS duckdb_version FROM pragma_version()`;
  const [match] = (
    await w.runAndReadAll(
      `SELECT 1 FROM rollup_build s JOIN (${current}) c USING (definitions, duckdb_version)`,
    )
  ).getRows();
  if (match) return;
  await inTransaction(w, async () => {
    for (const build of builds) await w.run(build);
    await w.run('DELETE FROM rollup_build');
    await w.run(`INSERT INTO rollup_build ${current}`);
  });
}

/** The statements that build every rollup table and summary from all the stored events. */
function rollupBuilds(): string[] {
  return ROLLUPS.flatMap(rollup => [
    `CREATE OR REPLACE TABLE rollup_${rollup.name} AS ${storedRollup(
      rollup,
      rollupSource('true'),
    )}
        ORDER BY app_id, event_date`,
    ...(rollup.summary
      ? [
          `CREATE OR REPLACE TABLE ${summaryTable(rollup)} AS ${rollupSummary(
            rollup,
            'true',
          )}
          ORDER BY app_id, event_date`,
        ]
      : []),
  ]);
}

/** Runs statements in one transaction: all of them, or none when one fails. */
async function inTransaction(
  w: DuckDBConnection,
  statements: () => Promise<void>,
) {
  await w.run('BEGIN TRANSACTION');
  try {
    await statements();
    await w.run('COMMIT');
  } catch (e) {
    await w.run('ROLLBACK');
    throw e;
  }
}

function appendRows(
  appender: DuckDBAppender,
  table: TableDefinition,
  rows: Row[],
  from: number,
  to: number,
) {
  const columns = table.columns;
  for (const row of rows.slice(from, to)) {
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
