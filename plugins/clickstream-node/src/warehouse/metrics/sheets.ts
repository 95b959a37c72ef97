import {
  AcquisitionSheet,
  Breakdown,
  DevicesSheet,
  EngagementSheet,
  GeographySheet,
  KeyMetrics,
  MetricSheet,
  OverviewSheet,
  RetentionSheet,
} from '@clickstream/backstage-plugin-clickstream-common';
import { SqlDialect } from './dialect';
import { QueryRunner, SqlParams } from './QueryRunner';
import {
  datesBetween,
  nextDay,
  OffsetSpan,
  offsetSpans,
  startOfDay,
} from './zonedTime';
import {
  breakdownPrevDate,
  ENGAGED,
  eventDaily,
  Rollup,
  rollupEvents,
  sessionDaily,
  summaryTable,
  userDaily,
  userKey,
  viewDaily,
} from '../rollups';

/**
 * The metrics, defined once (reference-solution.md §4.4) and written in the SQL that DuckDB
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
const TOP = 50;

class QueryBuilder {
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

  /** Sessions by channel group, and by channel group, source and medium, in one pass. */
  traffic() {
    if (this.byPrevDate) {
      // The sessions of one day are summed from the stored summary; the others regrouped.
      const firstRows = (flag: string) =>
        `SUM(CASE WHEN ${flag} THEN sessions ELSE 0 END)`;
      return this.query(
        'traffic',
        [
          ...this.rollups([sessionDaily]),
          this.summary(sessionDaily),
          this.sessions({ firstOfUser: true, regroupedOnly: true }),
          `traffic AS (
  SELECT channel_group, source, medium, ${this.firstSince(
    'prev_channel_date',
  )} AS first_channel,
    ${this.firstSince(
      'prev_source_date',
    )} AS first_source, engaged, row_count AS sessions
  FROM session_daily_summary
  UNION ALL
  SELECT channel_group, source, medium, first_channel, first_source, ${ENGAGED}, 1
  FROM sessions
)`,
        ],
        `SELECT channel_group, source, medium, GROUPING(source) AS by_channel,
  CASE WHEN GROUPING(source) = 1 THEN ${firstRows('first_channel')}
    ELSE ${firstRows('first_source')} END AS users,
  SUM(sessions) AS sessions, ${firstRows('engaged')} AS engaged_sessions
FROM traffic
GROUP BY GROUPING SETS ((channel_group), (channel_group, source, medium))`,
      );
    }
    return this.query(
      'traffic',
      [...this.rollups([sessionDaily]), this.sessions({ firstOfUser: true })],
      `SELECT channel_group, source, medium, GROUPING(source) AS by_channel,
  ${
    this.byPrevDate
      ? `CASE WHEN GROUPING(source) = 1
    THEN COUNT(CASE WHEN first_channel THEN 1 END)
    ELSE COUNT(CASE WHEN first_source THEN 1 END) END`
      : 'COUNT(DISTINCT user_key)'
  } AS users, COUNT(*) AS sessions,
  COUNT(CASE WHEN ${ENGAGED} THEN 1 END) AS engaged_sessions
FROM sessions
GROUP BY GROUPING SETS ((channel_group), (channel_group, source, medium))`,
    );
  }

  /**
   * New users by the traffic of their first visit: by channel group, and by source and
   * medium, in one pass.
   */
  firstUserTraffic() {
    // Stored user rows with a first open keep their user's first-visit traffic.
    const u = this.stored ? 'r' : 'u';
    const join = this.stored
      ? ''
      : `\nJOIN ${this.t(
          'user_v2',
        )} u ON u.app_id = r.app_id AND u.user_pseudo_id = r.user_pseudo_id`;
    const channel = `COALESCE(${u}.first_traffic_channel_group, 'Direct')`;
    return this.query(
      'firstUserTraffic',
      this.rollups([userDaily]),
      `SELECT ${channel} AS channel_group,
  ${u}.first_traffic_source AS source, ${u}.first_traffic_medium AS medium,
  GROUPING(${u}.first_traffic_source) AS by_channel,
  COUNT(DISTINCT r.user_key) AS new_users
FROM user_daily r${join}
WHERE r.first_opens > 0
GROUP BY GROUPING SETS ((${channel}), (${u}.first_traffic_source, ${u}.first_traffic_medium))`,
    );
  }

  eventsByName() {
    // Users counted by previous days can be summed from the summaries.
    const summary = this.byPrevDate;
    const [ctes, from] = this.rollupOrSummary(eventDaily, summary);
    return this.query(
      'eventsByName',
      ctes,
      `SELECT event_name, SUM(events) AS events, ${this.users({
        summary,
      })} AS users
FROM ${from} GROUP BY event_name ORDER BY events DESC, event_name`,
    );
  }

  views() {
    const summary = this.byPrevDate;
    const [ctes, from] = this.rollupOrSummary(viewDaily, summary);
    return this.query(
      'views',
      ctes,
      `SELECT view_type AS type, view_name AS name,
  SUM(views) AS views, ${this.users({ summary })} AS users
FROM ${from}
GROUP BY view_type, view_name
ORDER BY views DESC, name, type LIMIT ${TOP}`,
    );
  }

  entrances() {
    // No users: the summary keeps the platforms and bots apart, so every filter can read it.
    const [ctes, from] = this.rollupOrSummary(viewDaily, true);
    return this.query(
      'entrances',
      ctes,
      `SELECT view_type AS type, view_name AS name, SUM(entrances) AS count
FROM ${from}
WHERE entrances > 0
GROUP BY view_type, view_name
ORDER BY count DESC, name, type LIMIT ${TOP}`,
    );
  }

  /** Each session's last view in the range: the last of its days' last views. */
  exits() {
    return this.query(
      'exits',
      [
        ...this.rollups([sessionDaily], { exits: true }),
        `ranked AS (
  SELECT exit_type AS type, exit_name AS name, 1 AS position
  FROM session_daily WHERE single AND exit_time_msec IS NOT NULL
  UNION ALL
  SELECT exit_type, exit_name,
    ROW_NUMBER() OVER (PARTITION BY session_key
      ORDER BY exit_time_msec DESC, exit_event_id DESC)
  FROM session_daily WHERE NOT single AND exit_time_msec IS NOT NULL
)`,
      ],
      `SELECT type, name, COUNT(*) AS count FROM ranked WHERE position = 1
GROUP BY type, name ORDER BY count DESC, name, type LIMIT ${TOP}`,
    );
  }

  newVsReturning() {
    const { ctes, join, first } = this.firstsOf('a', { left: true });
    return this.query(
      'newVsReturning',
      [...this.rollups([userDaily]), ...ctes, this.active()],
      `SELECT a.day,
  COUNT(CASE WHEN COALESCE(${first}, a.day) = a.day THEN 1 END) AS new_users,
  COUNT(CASE WHEN COALESCE(${first}, a.day) <> a.day THEN 1 END) AS returning_users
FROM active a ${join}
GROUP BY a.day ORDER BY a.day`,
    );
  }

  cohorts() {
    const { ctes, join, first } = this.firstsOf('a');
    return this.query(
      'cohorts',
      [...this.rollups([userDaily]), ...ctes, this.active()],
      `SELECT ${first} AS first_date, a.day - ${first} AS day_diff, COUNT(*) AS users
FROM active a ${join}
WHERE ${first} BETWEEN ${this.p('from', 'date')} AND ${this.p('to', 'date')}
  AND a.day - ${first} BETWEEN 0 AND 42
GROUP BY ${first}, a.day - ${first}
ORDER BY first_date, day_diff`,
    );
  }

  /**
   * Daily, weekly and monthly active users of each day. A user active on day `a` counts in
   * the WAU of days a..a+6 and the MAU of days a..a+29; each active day extends the user's
   * covered span only past the previous one's, so the spans of a user never overlap and a
   * running sum of their starts and ends counts each user once per day. That is one pass over
   * the active days, where comparing every day with every activity would be 30 passes.
   */
  stickiness() {
    const spans = (days: number) =>
      `SELECT CASE WHEN prev IS NULL OR prev + ${days} <= day THEN day ELSE prev + ${days} END AS day, 1 AS change FROM active
  UNION ALL SELECT day + ${days}, -1 FROM active`;
    return this.query(
      'stickiness',
      [
        ...this.rollups([userDaily], { lookback: true }),
        this.active(),
        `changes AS (
  SELECT day, 1 AS dau, 0 AS wau, 0 AS mau FROM active
  UNION ALL SELECT day, 0, change, 0 FROM (${spans(7)}) w
  UNION ALL SELECT day, 0, 0, change FROM (${spans(30)}) m
)`,
        `per_day AS (
  SELECT day, SUM(dau) AS dau, SUM(wau) AS wau, SUM(mau) AS mau FROM changes GROUP BY day
)`,
      ],
      `SELECT day, dau, running_wau AS wau, running_mau AS mau FROM (
  SELECT day, dau,
    SUM(wau) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS running_wau,
    SUM(mau) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS running_mau
  FROM per_day
) s
WHERE dau > 0 AND day BETWEEN ${this.p('from', 'date')} AND ${this.p(
        'to',
        'date',
      )}
ORDER BY day`,
    );
  }

  lifecycle() {
    const week = (e: string) => `CAST(DATE_TRUNC('week', ${e}) AS DATE)`;
    const { ctes, join, first } = this.firstsOf('c');
    const firstDate = this.stored ? ', first_date' : '';
    return this.query(
      'lifecycle',
      [
        ...this.rollups([userDaily], { lookback: true }),
        ...ctes,
        // Each user's first row of each week.
        this.byPrevDate
          ? `weekly AS (SELECT ${week(
              'event_date',
            )} AS week, user_key${firstDate} FROM user_daily
  WHERE ${this.firstSince('prev_date', week('event_date'))})`
          : `weekly AS (SELECT DISTINCT ${week(
              'event_date',
            )} AS week, user_key${firstDate} FROM user_daily)`,
      ],
      `SELECT c.week,
  COUNT(CASE WHEN ${week(first)} = c.week THEN 1 END) AS new_users,
  COUNT(CASE WHEN ${week(
    first,
  )} <> c.week AND p.user_key IS NOT NULL THEN 1 END) AS retained,
  COUNT(CASE WHEN ${week(
    first,
  )} <> c.week AND p.user_key IS NULL THEN 1 END) AS returning_users,
  0 AS churned
FROM weekly c
${join}
LEFT JOIN weekly p ON p.user_key = c.user_key AND p.week = c.week - 7
WHERE c.week >= ${week(this.p('from', 'date'))} AND ${first} IS NOT NULL
GROUP BY c.week
UNION ALL
SELECT p.week + 7 AS week, 0, 0, 0, COUNT(*) AS churned
FROM weekly p
LEFT JOIN weekly c ON c.user_key = p.user_key AND c.week = p.week + 7
WHERE c.user_key IS NULL AND p.week + 7 >= ${week(this.p('from', 'date'))}
  AND p.week + 7 <= ${this.p('to', 'date')}
GROUP BY p.week + 7
ORDER BY week`,
    );
  }

  crashes() {
    return this.query(
      'crashes',
      this.rollups([userDaily]),
      `SELECT ${this.users()} AS users,
  COUNT(DISTINCT CASE WHEN exceptions > 0 THEN user_key END) AS crashed_users
FROM user_daily`,
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

/** The queries a sheet runs, by name. @public */
export function sheetQueries(
  sheet: MetricSheet,
  dialect: SqlDialect,
  ctx: MetricsContext,
  options: { rollups?: boolean } = {},
): MetricQuery[] {
  // The stored rollups group by the days of the zone the app stores events in.
  const stored =
    options.rollups === true && ctx.timezone === ctx.storedTimezone;
  const q = new QueryBuilder(dialect, ctx, stored);
  switch (sheet) {
    case 'overview':
      return [...q.kpis(), q.daily(), q.breakdown('platforms', 'platform')];
    case 'acquisition':
      return [...q.kpis(), q.traffic(), q.firstUserTraffic()];
    case 'engagement':
      return [
        ...q.kpis(),
        q.daily(),
        q.eventsByName(),
        q.views(),
        q.entrances(),
        q.exits(),
      ];
    case 'retention':
      return [q.newVsReturning(), q.cohorts(), q.stickiness(), q.lifecycle()];
    case 'devices':
      return [
        q.breakdown('platforms', 'platform'),
        q.breakdown('models', 'device_model'),
        q.breakdown('operatingSystems', 'operating_system'),
        q.breakdown('browsers', 'browser'),
        q.breakdown('screenResolutions', 'screen_resolution'),
        q.breakdown('appVersions', 'app_version'),
        q.crashes(),
      ];
    case 'geography':
      return [
        q.breakdown('countries', 'geo_country'),
        q.query(
          'cities',
          q.rollups([userDaily]),
          `SELECT geo_country AS country, COALESCE(geo_city, '(not set)') AS value,
  COUNT(DISTINCT user_key) AS users
FROM user_daily GROUP BY geo_country, COALESCE(geo_city, '(not set)')
ORDER BY users DESC, value, country LIMIT ${TOP}`,
        ),
      ];
    default:
      throw new Error(`unknown sheet ${sheet}`);
  }
}

type Rows = Record<string, unknown>[];
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const breakdowns = (rows: Rows): Breakdown[] =>
  rows.map(r => ({ value: String(r.value), users: num(r.users) }));

/** The key metrics from the event totals and the sessions by the day they started. */
function keyMetrics(eventRows: Rows, sessionsByDay: Rows): KeyMetrics {
  const r = eventRows[0] ?? {};
  const total = (column: string) =>
    sessionsByDay.reduce((sum, row) => sum + num(row[column]), 0);
  const sessions = total('sessions');
  const engaged = total('engaged_sessions');
  const engagedSeconds = total('engaged_ms') / 1000;
  const users = num(r.active_users);
  return {
    activeUsers: users,
    newUsers: num(r.new_users),
    sessions,
    engagedSessions: engaged,
    engagementRate: ratio(engaged, sessions),
    avgEngagementTimePerSessionSeconds: ratio(engagedSeconds, engaged),
    avgEngagementTimePerUserSeconds: ratio(engagedSeconds, users),
    views: num(r.views),
    events: num(r.events),
  };
}

/** SQL's order for text: nulls last. */
const compareText = (a: unknown, b: unknown) => {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return String(a) < String(b) ? -1 : 1;
};

/** One grouping set of a traffic query, the largest `measure` first, as the top rows. */
const topTrafficRows = (rows: Rows, byChannel: boolean, measure: string) =>
  rows
    .filter(r => (num(r.by_channel) === 1) === byChannel)
    .sort(
      (a, b) =>
        num(b[measure]) - num(a[measure]) ||
        compareText(a.channel_group, b.channel_group) ||
        compareText(a.source, b.source) ||
        compareText(a.medium, b.medium),
    )
    .slice(0, TOP);

/** One grouping set of the session traffic query, most sessions first. */
const trafficRows = (rows: Rows, byChannel: boolean) =>
  topTrafficRows(rows, byChannel, 'sessions').map(r => ({
    channelGroup: String(r.channel_group ?? 'Direct'),
    source: text(r.source),
    medium: text(r.medium),
    users: num(r.users),
    sessions: num(r.sessions),
    engagedSessions: num(r.engaged_sessions),
    engagementRate: ratio(num(r.engaged_sessions), num(r.sessions)),
  }));

/** One grouping set of the first-visit traffic query, most new users first. */
const firstUserRows = (rows: Rows, byChannel: boolean) =>
  topTrafficRows(rows, byChannel, 'new_users');

/** Runs a sheet's queries and shapes their rows into the API's JSON. @public */
export async function computeSheet(
  runner: QueryRunner,
  dialect: SqlDialect,
  sheet: MetricSheet,
  ctx: MetricsContext,
): Promise<unknown> {
  const queries = sheetQueries(sheet, dialect, ctx, {
    rollups: runner.rollups,
  });
  const results = await Promise.all(
    queries.map(q => runner.query(q.sql, q.params)),
  );
  const r: Record<string, Rows> = Object.fromEntries(
    queries.map((q, i) => [q.name, results[i]]),
  );
  const days = datesBetween(ctx.from, ctx.to);
  const byDay = (rows: Rows) =>
    new Map(rows.map(row => [String(row.day), row]));
  switch (sheet) {
    case 'overview': {
      const daily = byDay(r.daily);
      const sessions = byDay(r.sessionsByDay);
      const overview: OverviewSheet = {
        kpis: keyMetrics(r.kpis, r.sessionsByDay),
        daily: days.map(date => ({
          date,
          activeUsers: num(daily.get(date)?.active_users),
          newUsers: num(daily.get(date)?.new_users),
          sessions: num(sessions.get(date)?.sessions),
          views: num(daily.get(date)?.views),
          events: num(daily.get(date)?.events),
        })),
        platforms: breakdowns(r.platforms),
      };
      return overview;
    }
    case 'acquisition': {
      const acquisition: AcquisitionSheet = {
        kpis: keyMetrics(r.kpis, r.sessionsByDay),
        sessionChannels: trafficRows(r.traffic, true),
        sessionSources: trafficRows(r.traffic, false),
        firstUserChannels: firstUserRows(r.firstUserTraffic, true).map(row => ({
          channelGroup: String(row.channel_group),
          newUsers: num(row.new_users),
        })),
        firstUserSources: firstUserRows(r.firstUserTraffic, false).map(row => ({
          source: text(row.source),
          medium: text(row.medium),
          newUsers: num(row.new_users),
        })),
      };
      return acquisition;
    }
    case 'engagement': {
      const daily = byDay(r.daily);
      const named = (rows: Rows) =>
        rows.map(row => ({
          type: row.type as 'page' | 'screen',
          name: String(row.name),
          count: num(row.count),
        }));
      const engagement: EngagementSheet = {
        kpis: keyMetrics(r.kpis, r.sessionsByDay),
        daily: days.map(date => ({
          date,
          events: num(daily.get(date)?.events),
          views: num(daily.get(date)?.views),
        })),
        eventsByName: r.eventsByName.map(row => ({
          eventName: String(row.event_name),
          events: num(row.events),
          users: num(row.users),
        })),
        views: r.views.map(row => ({
          type: row.type as 'page' | 'screen',
          name: String(row.name),
          views: num(row.views),
          users: num(row.users),
        })),
        entrances: named(r.entrances),
        exits: named(r.exits),
      };
      return engagement;
    }
    case 'retention': {
      const nvr = byDay(r.newVsReturning);
      const cohorts = new Map<string, Array<{ day: number; users: number }>>();
      for (const row of r.cohorts) {
        const first = String(row.first_date);
        if (!cohorts.has(first)) cohorts.set(first, []);
        cohorts
          .get(first)!
          .push({ day: num(row.day_diff), users: num(row.users) });
      }
      const lifecycle = new Map<string, RetentionSheet['lifecycle'][number]>();
      for (const row of r.lifecycle) {
        const week = String(row.week);
        const entry = lifecycle.get(week) ?? {
          week,
          new: 0,
          retained: 0,
          returning: 0,
          churned: 0,
        };
        entry.new += num(row.new_users);
        entry.retained += num(row.retained);
        entry.returning += num(row.returning_users);
        entry.churned += num(row.churned);
        lifecycle.set(week, entry);
      }
      const retention: RetentionSheet = {
        newVsReturning: days.map(date => ({
          date,
          newUsers: num(nvr.get(date)?.new_users),
          returningUsers: num(nvr.get(date)?.returning_users),
        })),
        cohorts: [...cohorts.entries()].map(([firstDate, entries]) => {
          // The cohort is the users active on their first day (day 0).
          const size = entries.find(e => e.day === 0)?.users ?? 0;
          return {
            firstDate,
            users: size,
            days: entries.map(e => ({ ...e, rate: ratio(e.users, size) })),
          };
        }),
        stickiness: r.stickiness.map(row => {
          const dau = num(row.dau);
          const wau = num(row.wau);
          const mau = num(row.mau);
          return {
            date: String(row.day),
            dau,
            wau,
            mau,
            dauWau: ratio(dau, wau),
            dauMau: ratio(dau, mau),
            wauMau: ratio(wau, mau),
          };
        }),
        lifecycle: [...lifecycle.values()].sort((a, b) =>
          a.week.localeCompare(b.week),
        ),
      };
      return retention;
    }
    case 'devices': {
      const crash = r.crashes[0] ?? {};
      const devices: DevicesSheet = {
        platforms: breakdowns(r.platforms),
        models: breakdowns(r.models),
        operatingSystems: breakdowns(r.operatingSystems),
        browsers: breakdowns(r.browsers),
        screenResolutions: breakdowns(r.screenResolutions),
        appVersions: breakdowns(r.appVersions),
        crashes: {
          users: num(crash.users),
          crashedUsers: num(crash.crashed_users),
          crashRate: ratio(num(crash.crashed_users), num(crash.users)),
        },
      };
      return devices;
    }
    case 'geography': {
      const geography: GeographySheet = {
        countries: breakdowns(r.countries),
        cities: r.cities.map(row => ({
          country: text(row.country),
          value: String(row.value),
          users: num(row.users),
        })),
      };
      return geography;
    }
    default:
      throw new Error(`unknown sheet ${sheet}`);
  }
}
