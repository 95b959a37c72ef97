import { SqlDialect } from '../dialect';
import type { SqlParams } from '@clickstream/backstage-plugin-clickstream-node';
import { nextDay, OffsetSpan, offsetSpans, startOfDay } from './zonedTime';
import {
  breakdownPrevDate,
  Rollup,
  rollupEvents,
  sessionDaily,
  summaryTable,
  userDaily,
  userKey,
  ENGAGED,
} from '../rollups';

/*
 * The metrics are defined once (reference-solution.md §4.4) and written in the SQL that DuckDB
 * and Redshift share. Every query reads daily rollups (see `../rollups.ts`): the stored ones
 * when the warehouse keeps them for the report's time zone, otherwise the same aggregations
 * over `base`, the app's events in the date range with their local day. Users are counted by
 * `user_key`, the merged user: a user who logs in on two devices counts once.
 */

/** What a sheet is computed for. @public */
export interface MetricsContext {
  appId: string;
  /** First and last day, inclusive, in `timezone`. */
  from: string;
  to: string;
  timezone: string;
  /** The zone the warehouse stored `event_date` in; when it is `timezone`, grouping uses it. */
  storedTimezone?: string;
  platform?: string;
  includeBots?: boolean;
}

/** A query as run: its text and the parameters it uses. @public */
export interface MetricQuery {
  name: string;
  sql: string;
  params: SqlParams;
}

const DAY_MS = 86_400_000;
/** Rows of a ranked list (pages, sources, devices, ...). */
export const TOP = 50;

/**
 * Writes a sheet's queries: the report's parameters and filters, the rollups (stored, or
 * aggregated from the events) as CTEs, and the queries several sheets share. Each sheet's own
 * queries live in its module under `sheets/`.
 */
export class QueryBuilder {
  constructor(
    readonly d: SqlDialect,
    readonly ctx: MetricsContext,
    /** Whether to read the stored rollups instead of aggregating events. */
    readonly stored: boolean,
  ) {}

  get params(): SqlParams {
    const { ctx } = this;
    return {
      app_id: ctx.appId,
      timezone: ctx.timezone,
      from: ctx.from,
      to: ctx.to,
      lookback: nextDay(ctx.from, -29),
      from_ms: startOfDay(ctx.from, ctx.timezone),
      to_ms: startOfDay(nextDay(ctx.to), ctx.timezone),
      // Stickiness and lifecycle look back up to 29 days before the range.
      lookback_ms: startOfDay(nextDay(ctx.from, -29), ctx.timezone),
      ...(ctx.platform ? { platform: ctx.platform } : {}),
    };
  }

  t(name: string) {
    return this.d.table(name, this.ctx.appId);
  }
  p(name: string, type: 'varchar' | 'bigint' | 'date' = 'varchar') {
    return this.d.param(name, type);
  }

  /** The report's filters on a relation with `app_id`, `platform` and `is_bot`. */
  filters(alias: string) {
    const { ctx } = this;
    return `${alias}.app_id = ${this.p('app_id')}${
      ctx.platform ? `\n    AND ${alias}.platform = ${this.p('platform')}` : ''
    }${ctx.includeBots ? '' : `\n    AND NOT ${alias}.is_bot`}`;
  }

  /**
   * CTEs for the rollups a query reads, over the range (or from 29 days before it, for
   * `lookback`): a filter of the stored tables, or their aggregation of the range's events.
   */
  rollups(
    rollups: Rollup[],
    options: { lookback?: boolean; exits?: boolean } = {},
  ): string[] {
    const { ctx, d } = this;
    if (this.stored) {
      return rollups.map(r =>
        this.storedTable(r.name, `rollup_${r.name}`, options.lookback),
      );
    }
    const day =
      ctx.storedTimezone === ctx.timezone
        ? 'e.event_date'
        : this.localDate('e.event_time_msec');
    const base = `base AS (
  ${rollupEvents({
    dialect: d,
    table: name => this.t(name),
    day,
    where: `${this.filters('e')}
    AND e.event_time_msec >= ${this.p(
      options.lookback ? 'lookback_ms' : 'from_ms',
      'bigint',
    )}
    AND e.event_time_msec < ${this.p('to_ms', 'bigint')}`,
  })}
)`;
    return [
      base,
      ...rollups.map(
        r =>
          `${r.name} AS (\n${r.aggregate('base', {
            dialect: d,
            table: name => this.t(name),
            withoutExits: !options.exits,
          })}\n)`,
      ),
    ];
  }

  /** A CTE of a stored table's rows in the range (from 29 days before it, for `lookback`). */
  storedTable(name: string, table: string, lookback = false) {
    const first = this.p(lookback ? 'lookback' : 'from', 'date');
    // Inlined where it is read, so each read takes only its columns (only DuckDB stores
    // rollups, so the hint needs no Redshift form).
    return `${name} AS NOT MATERIALIZED (
  SELECT * FROM ${this.t(table)} r
  WHERE ${this.filters('r')}
    AND r.event_date BETWEEN ${first} AND ${this.p('to', 'date')}
)`;
  }

  /** The stored summary of a rollup in the range, as a CTE named `<rollup>_summary`. */
  summary(rollup: Rollup) {
    return this.storedTable(`${rollup.name}_summary`, summaryTable(rollup));
  }

  /**
   * What a query reads a rollup from: its stored summary where `summary` (and rollups are
   * stored), else the rollup. The CTEs and the name to read.
   */
  rollupOrSummary(rollup: Rollup, summary: boolean): [string[], string] {
    return summary && this.stored
      ? [[this.summary(rollup)], `${rollup.name}_summary`]
      : [this.rollups([rollup]), rollup.name];
  }

  /** Whether a row's previous day (`column`) is before a day: its user's first row since then. */
  firstSince(column: string, since = this.p('from', 'date')) {
    return `(${column} IS NULL OR ${column} < ${since})`;
  }

  #spans?: OffsetSpan[];

  /**
   * The local date of an epoch-ms expression in the report's zone. Within the report's days
   * (and a margin) it is arithmetic on the zone's offsets, found here, which is several times
   * faster than converting time zones in the warehouse; outside them, the dialect converts.
   */
  localDate(ms: string) {
    const { params } = this;
    this.#spans ??= offsetSpans(
      Number(params.lookback_ms) - 2 * DAY_MS,
      Number(params.to_ms) + 2 * DAY_MS,
      this.ctx.timezone,
    );
    const whens = this.#spans.map(
      s => `WHEN ${ms} >= ${s.start} AND ${ms} < ${s.end}
      THEN DATE '1970-01-01' + CAST(FLOOR((${ms} + ${s.offset}) / ${DAY_MS}.0) AS INTEGER)`,
    );
    return `CASE ${whens.join('\n    ')}\n    ELSE ${this.d.localDate(ms)} END`;
  }

  /**
   * One row per session with events in the range; its day is the day it started. A session
   * with rows on several days is regrouped; the others (nearly all) are taken as they are.
   * With `firstOfUser`, sessions read from rollups with previous days say whether they are
   * the first of their user in the range on their channel (`first_channel`) and on their
   * channel, source and medium (`first_source`): where one of its rows is.
   */
  sessions(options: { firstOfUser?: boolean; regroupedOnly?: boolean } = {}) {
    const day = (start: string) => this.localDate(start);
    const flags =
      options.firstOfUser && this.byPrevDate
        ? [
            this.firstSince('prev_channel_date'),
            this.firstSince('prev_source_date'),
          ]
        : undefined;
    const single = flags
      ? `, ${flags[0]} AS first_channel, ${flags[1]} AS first_source`
      : '';
    const regrouped = flags
      ? `, BOOL_OR(${flags[0]}) AS first_channel, BOOL_OR(${flags[1]}) AS first_source`
      : '';
    const singles = `SELECT session_key, user_key, ${day('start_msec')} AS day,
    views, duration, engagement_msec AS engagement_ms, channel_group, source, medium${single}
  FROM session_daily WHERE single
  UNION ALL
  `;
    return `sessions AS (
  ${
    options.regroupedOnly ? '' : singles
  }SELECT session_key, MIN(user_key) AS user_key, ${day(
      'MIN(start_msec)',
    )} AS day,
    SUM(views) AS views, MAX(duration) AS duration, SUM(engagement_msec) AS engagement_ms,
    MIN(channel_group) AS channel_group, MIN(source) AS source, MIN(medium) AS medium${regrouped}
  FROM session_daily WHERE NOT single
  GROUP BY session_key
)`;
  }

  /** Each merged user's first visit (the earliest first touch of any of their pseudo ids). */
  firsts() {
    // Users store the date of their first touch in the app's zone.
    const { ctx } = this;
    const firstDate =
      ctx.storedTimezone === ctx.timezone
        ? 'MIN(u.first_visit_date)'
        : this.localDate('MIN(u.first_touch_time_msec)');
    return `firsts AS (
  SELECT ${userKey(this.d, 'u')} AS user_key, ${firstDate} AS first_date
  FROM ${this.t('user_v2')} u
  WHERE u.app_id = ${this.p('app_id')}
  GROUP BY 1
)`;
  }

  /**
   * Whether the distinct users of a stored rollup with `prev_date` can be counted as its rows
   * with no earlier row since a day: that holds for the rows that are not bots, over every
   * platform (`prev_date` sees them all). Other filters count distinct keys.
   */
  get byPrevDate() {
    return this.stored && !this.ctx.includeBots && !this.ctx.platform;
  }

  /**
   * The distinct users in each group of a rollup, since a day (the range's first by default),
   * as the rows with no earlier row since then by `prev` (a previous-day column whose
   * partition matches the groups), or the sum of such rows of its summary.
   */
  users(options: { since?: string; prev?: string; summary?: boolean } = {}) {
    const first = this.firstSince(options.prev ?? 'prev_date', options.since);
    if (!this.byPrevDate) return 'COUNT(DISTINCT user_key)';
    return options.summary
      ? `COALESCE(SUM(CASE WHEN ${first} THEN row_count END), 0)`
      : `COUNT(CASE WHEN ${first} THEN 1 END)`;
  }

  /**
   * The distinct days each user was active, with the day they were active before (`prev`):
   * the first of their rows of each day. From the stored rollup, with their first visit date.
   */
  active() {
    const first = this.stored ? ', first_date' : '';
    return this.byPrevDate
      ? `active AS (SELECT event_date AS day, user_key, prev_date AS prev${first} FROM user_daily
  WHERE ${this.firstSince('prev_date', 'event_date')})`
      : `active AS (
  SELECT day, user_key${first}, LAG(day) OVER (PARTITION BY user_key ORDER BY day) AS prev
  FROM (SELECT DISTINCT event_date AS day, user_key${first} FROM user_daily) d
)`;
  }

  /**
   * The first visit dates of the users of `rows` (a relation with `user_key`, and
   * `first_date` when it comes from the stored rollup, which keeps it): the CTEs, join and
   * column to read them with. The join is an inner one unless `left`.
   */
  firstsOf(rows: string, options: { left?: boolean } = {}) {
    if (this.stored) {
      return { ctes: [], join: '', first: `${rows}.first_date` };
    }
    return {
      ctes: [this.firsts()],
      join: `${
        options.left ? 'LEFT JOIN' : 'JOIN'
      } firsts f ON f.user_key = ${rows}.user_key`,
      first: 'f.first_date',
    };
  }

  query(name: string, ctes: string[], select: string): MetricQuery {
    const sql = `WITH ${ctes.join(',\n')}\n${select}`;
    return { name, sql, params: usedParams(sql, this.params, this.d) };
  }

  /**
   * The key metrics, as two queries (they run in parallel); the sessions' come by the day
   * they started, which the overview's series uses too.
   */
  kpis(): MetricQuery[] {
    return [
      this.query(
        'kpis',
        this.rollups([userDaily]),
        `SELECT ${this.users()} AS active_users,
  COUNT(DISTINCT CASE WHEN first_opens > 0 THEN user_key END) AS new_users,
  SUM(events) AS events, SUM(views) AS views
FROM user_daily`,
      ),
      this.query(
        'sessionsByDay',
        [...this.rollups([sessionDaily]), this.sessions()],
        `SELECT day, COUNT(*) AS sessions,
  COUNT(CASE WHEN ${ENGAGED} THEN 1 END) AS engaged_sessions,
  SUM(CASE WHEN ${ENGAGED} THEN engagement_ms ELSE 0 END) AS engaged_ms
FROM sessions GROUP BY day`,
      ),
    ];
  }

  daily() {
    return this.query(
      'daily',
      this.rollups([userDaily]),
      `SELECT event_date AS day, ${this.users({
        since: 'event_date',
      })} AS active_users,
  COUNT(DISTINCT CASE WHEN first_opens > 0 THEN user_key END) AS new_users,
  SUM(events) AS events, SUM(views) AS views
FROM user_daily GROUP BY event_date ORDER BY event_date`,
    );
  }

  /** Users by one of the user rollup's columns. */
  breakdown(name: string, column: string) {
    // The device columns' users are counted by their own previous days.
    const prev = breakdownPrevDate(column).column;
    const users = userDaily.prevDates?.some(p => p.column === prev)
      ? this.users({ prev })
      : 'COUNT(DISTINCT user_key)';
    return this.query(
      name,
      this.rollups([userDaily]),
      `SELECT COALESCE(${column}, '(not set)') AS value, ${users} AS users
FROM user_daily
GROUP BY COALESCE(${column}, '(not set)')
ORDER BY users DESC, value LIMIT ${TOP}`,
    );
  }
}

/** Keeps only the parameters a query mentions (both engines refuse unused ones). */
function usedParams(sql: string, params: SqlParams, d: SqlDialect): SqlParams {
  const sigil = d.name === 'duckdb' ? '$' : ':';
  return Object.fromEntries(
    Object.entries(params).filter(([name]) =>
      new RegExp(`\\${sigil}${name}\\b`).test(sql),
    ),
  );
}
