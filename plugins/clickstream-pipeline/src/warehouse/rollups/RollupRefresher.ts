import { DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { duckDbDialect } from '../dialect';
import { inTransaction, stageRows } from '../duckdb';
import { Row } from '../../schema/tables';
import {
  FIRST_TRAFFIC,
  prevDateWindow,
  Rollup,
  rollupEvents,
  ROLLUPS,
  rollupSummary,
  sessionDaily,
  storedRollup,
  summaryTable,
  userFirstDates,
  userKey,
} from './definitions';

/**
 * Keeps the stored rollups of one DuckDB warehouse true to its events: builds them when their
 * definitions change, and within each load's transaction recomputes the rows the load touched.
 * It works on the warehouse's writer connection and reads the load's staged users and
 * sessions (`temp.stage_user_v2`, `temp.stage_session`).
 */
export class RollupRefresher {
  private constructor(private readonly writer: DuckDBConnection) {}

  /** Builds the rollups if their definitions changed, and the temp tables it stages keys in. */
  static async open(writer: DuckDBConnection): Promise<RollupRefresher> {
    await buildRollups(writer);
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
    // The merged users whose rollup rows a load changed.
    await writer.run(
      'CREATE TEMP TABLE stage_user_key AS SELECT app_id, user_key FROM rollup_user_daily LIMIT 0',
    );
    return new RollupRefresher(writer);
  }

  /**
   * Stages the (app, day, pseudo user) keys of a load's new events: the rows `refresh`
   * recomputes. Before the load's transaction.
   */
  async stageTouched(fresh: Row[]) {
    await this.writer.run('DELETE FROM temp.stage_touched');
    await stageRows(
      this.writer,
      'stage_touched',
      fresh.map(e => [
        e.app_id as string,
        e.event_date as string,
        e.user_pseudo_id as string,
      ]),
    );
  }

  /**
   * Notes the pseudo users whose merged id the user merge is about to change (they log in, or
   * switch accounts): their rows of other days follow. Before the users are merged.
   */
  async noteUserChanges() {
    await this.writer.run('DELETE FROM temp.stage_rekey');
    await this.writer.run(`INSERT INTO temp.stage_rekey
      SELECT s.app_id, s.user_pseudo_id FROM temp.stage_user_v2 s
      JOIN user_v2 u ON u.app_id = s.app_id AND u.user_pseudo_id = s.user_pseudo_id
      WHERE s.user_id IS NOT NULL AND s.user_id IS DISTINCT FROM u.user_id`);
  }

  /**
   * Notes the traffic sources of the load's known sessions before the session merge: where
   * the merge changes one, the session's rows of other days follow. Before sessions merge.
   */
  async noteTrafficChanges() {
    await this.writer.run(`CREATE OR REPLACE TEMP TABLE stage_traffic AS
      SELECT s.app_id, s.user_pseudo_id, s.session_id, s.session_channel_group,
        s.session_source, s.session_medium,
        COALESCE(s.session_start_time_msec, s.event_time_msec) AS start_msec
      FROM session s SEMI JOIN temp.stage_session t ON t.app_id = s.app_id
        AND t.user_pseudo_id = s.user_pseudo_id AND t.session_id = s.session_id`);
  }

  /**
   * Recomputes the rollup rows of the days and users the new events touched, from all their
   * events (so a late event or a second batch of the same day adds up), then gives the users
   * whose merged id changed their new key in every other row, and recomputes the previous
   * days of every merged user whose rows changed.
   */
  async refresh(fresh: Row[]) {
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
    await stageRows(this.writer, 'stage_days', changed.getRows() as string[][]);
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
