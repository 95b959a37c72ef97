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
import { datesBetween, nextDay, startOfDay } from './zonedTime';

/**
 * The metrics, defined once (reference-solution.md §4.4) and written in the SQL that DuckDB
 * and Redshift share. Every query starts from `base`: the app's events in the date range (in
 * the report's time zone), with `merged_user_id` = the latest user id of the pseudo user, or
 * the pseudo id before anyone logs in, so a user who logs in on two devices counts once.
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

const VIEWS = `('_page_view', '_screen_view')`;
const SESSION_COLUMNS = [
  'session_id',
  'session_start_time_msec',
  'event_time_msec',
  'session_duration',
  'user_engagement_time_msec',
];
const VIEW_COLUMNS = ['page_view_page_url_path', 'screen_view_screen_name'];
const ENGAGED = `(views > 1 OR duration > 10000)`;
const TOP = 50;

class QueryBuilder {
  constructor(readonly d: SqlDialect, readonly ctx: MetricsContext) {}

  get params(): SqlParams {
    const { ctx } = this;
    return {
      app_id: ctx.appId,
      timezone: ctx.timezone,
      from: ctx.from,
      to: ctx.to,
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

  /**
   * The events of the range (or from `lookback_ms` on) with their local day and merged user,
   * and only the columns a query reads: DuckDB materializes a CTE used twice, and an event
   * has a hundred columns.
   */
  base(columns: readonly string[] = [], options: { lookback?: boolean } = {}) {
    const selected = [...new Set(['user_pseudo_id', 'event_name', ...columns])]
      .map(c => `e.${c}`)
      .join(', ');
    const { ctx } = this;
    const day =
      ctx.storedTimezone === ctx.timezone
        ? 'e.event_date'
        : this.d.localDate('e.event_time_msec');
    return `base AS (
  SELECT ${selected}, ${day} AS day, COALESCE(u.user_id, e.user_pseudo_id) AS merged_user_id
  FROM ${this.t('event_v2')} e
  LEFT JOIN ${this.t('user_v2')} u
    ON u.app_id = e.app_id AND u.user_pseudo_id = e.user_pseudo_id
  WHERE e.app_id = ${this.p('app_id')}
    AND e.event_time_msec >= ${this.p(
      options.lookback ? 'lookback_ms' : 'from_ms',
      'bigint',
    )}
    AND e.event_time_msec < ${this.p('to_ms', 'bigint')}${
      ctx.platform ? `\n    AND e.platform = ${this.p('platform')}` : ''
    }${ctx.includeBots ? '' : '\n    AND NOT e.is_bot'}
)`;
  }

  /** One row per session with events in the range; its day is the day it started. */
  sessions() {
    return `sessions AS (
  SELECT user_pseudo_id, session_id, MIN(merged_user_id) AS merged_user_id,
    ${this.d.localDate(
      'MIN(COALESCE(session_start_time_msec, event_time_msec))',
    )} AS day,
    COUNT(CASE WHEN event_name IN ${VIEWS} THEN 1 END) AS views,
    MAX(session_duration) AS duration,
    SUM(COALESCE(user_engagement_time_msec, 0)) AS engagement_ms
  FROM base
  WHERE session_id IS NOT NULL
  GROUP BY user_pseudo_id, session_id
)`;
  }

  /** Each merged user's first visit (the earliest first touch of any of their pseudo ids). */
  firsts() {
    return `firsts AS (
  SELECT COALESCE(user_id, user_pseudo_id) AS merged_user_id,
    ${this.d.localDate('MIN(first_touch_time_msec)')} AS first_date
  FROM ${this.t('user_v2')}
  WHERE app_id = ${this.p('app_id')}
  GROUP BY COALESCE(user_id, user_pseudo_id)
)`;
  }

  query(name: string, ctes: string[], select: string): MetricQuery {
    const sql = `WITH ${ctes.join(',\n')}\n${select}`;
    return { name, sql, params: usedParams(sql, this.params, this.d) };
  }

  /** The key metrics, as two queries that each scan the events once (they run in parallel). */
  kpis(): MetricQuery[] {
    return [
      this.query(
        'kpis',
        [this.base()],
        `SELECT COUNT(DISTINCT merged_user_id) AS active_users,
  COUNT(DISTINCT CASE WHEN event_name = '_first_open' THEN merged_user_id END) AS new_users,
  COUNT(*) AS events,
  COUNT(CASE WHEN event_name IN ${VIEWS} THEN 1 END) AS views
FROM base`,
      ),
      this.query(
        'sessionKpis',
        [this.base(SESSION_COLUMNS), this.sessions()],
        `SELECT COUNT(*) AS sessions,
  COUNT(CASE WHEN ${ENGAGED} THEN 1 END) AS engaged_sessions,
  SUM(CASE WHEN ${ENGAGED} THEN engagement_ms ELSE 0 END) AS engaged_ms
FROM sessions`,
      ),
    ];
  }

  daily() {
    return this.query(
      'daily',
      [this.base()],
      `SELECT day, COUNT(DISTINCT merged_user_id) AS active_users,
  COUNT(DISTINCT CASE WHEN event_name = '_first_open' THEN merged_user_id END) AS new_users,
  COUNT(*) AS events,
  COUNT(CASE WHEN event_name IN ${VIEWS} THEN 1 END) AS views
FROM base GROUP BY day ORDER BY day`,
    );
  }

  dailySessions() {
    return this.query(
      'dailySessions',
      [this.base(SESSION_COLUMNS), this.sessions()],
      `SELECT day, COUNT(*) AS sessions FROM sessions GROUP BY day ORDER BY day`,
    );
  }

  breakdown(name: string, expression: string, columns: readonly string[]) {
    return this.query(
      name,
      [this.base(columns)],
      `SELECT COALESCE(${expression}, '(not set)') AS value, COUNT(DISTINCT merged_user_id) AS users
FROM base
GROUP BY COALESCE(${expression}, '(not set)')
ORDER BY users DESC, value LIMIT ${TOP}`,
    );
  }

  sessionTraffic(name: string, groupBy: string[]) {
    const columns = groupBy.join(', ');
    return this.query(
      name,
      [
        this.base(SESSION_COLUMNS),
        this.sessions(),
        `traffic AS (
  SELECT s.*, COALESCE(ss.session_channel_group, 'Direct') AS channel_group,
    ss.session_source AS source, ss.session_medium AS medium
  FROM sessions s
  LEFT JOIN ${this.t('session')} ss ON ss.app_id = ${this.p('app_id')}
    AND ss.user_pseudo_id = s.user_pseudo_id AND ss.session_id = s.session_id
)`,
      ],
      `SELECT ${columns}, COUNT(DISTINCT merged_user_id) AS users, COUNT(*) AS sessions,
  COUNT(CASE WHEN ${ENGAGED} THEN 1 END) AS engaged_sessions
FROM traffic GROUP BY ${columns} ORDER BY sessions DESC, ${columns} LIMIT ${TOP}`,
    );
  }

  firstUserTraffic(
    name: string,
    columns: Array<[expression: string, alias: string]>,
  ) {
    const select = columns.map(([e, a]) => `${e} AS ${a}`).join(', ');
    const group = columns.map(([e]) => e).join(', ');
    return this.query(
      name,
      [this.base(['app_id'])],
      `SELECT ${select}, COUNT(DISTINCT b.merged_user_id) AS new_users
FROM base b
JOIN ${this.t(
        'user_v2',
      )} u ON u.app_id = b.app_id AND u.user_pseudo_id = b.user_pseudo_id
WHERE b.event_name = '_first_open'
GROUP BY ${group} ORDER BY new_users DESC, ${group} LIMIT ${TOP}`,
    );
  }

  eventsByName() {
    return this.query(
      'eventsByName',
      [this.base()],
      `SELECT event_name, COUNT(*) AS events, COUNT(DISTINCT merged_user_id) AS users
FROM base GROUP BY event_name ORDER BY events DESC, event_name`,
    );
  }

  static viewName = `CASE WHEN event_name = '_page_view'
    THEN COALESCE(page_view_page_url_path, '(not set)')
    ELSE COALESCE(screen_view_screen_name, '(not set)') END`;
  static viewType = `CASE WHEN event_name = '_page_view' THEN 'page' ELSE 'screen' END`;

  views() {
    return this.query(
      'views',
      [this.base(VIEW_COLUMNS)],
      `SELECT ${QueryBuilder.viewType} AS type, ${QueryBuilder.viewName} AS name,
  COUNT(*) AS views, COUNT(DISTINCT merged_user_id) AS users
FROM base WHERE event_name IN ${VIEWS}
GROUP BY ${QueryBuilder.viewType}, ${QueryBuilder.viewName}
ORDER BY views DESC, name, type LIMIT ${TOP}`,
    );
  }

  entrances() {
    return this.query(
      'entrances',
      [
        this.base([
          ...VIEW_COLUMNS,
          'page_view_entrances',
          'screen_view_entrances',
        ]),
      ],
      `SELECT ${QueryBuilder.viewType} AS type, ${QueryBuilder.viewName} AS name, COUNT(*) AS count
FROM base
WHERE (event_name = '_page_view' AND page_view_entrances)
   OR (event_name = '_screen_view' AND screen_view_entrances)
GROUP BY ${QueryBuilder.viewType}, ${QueryBuilder.viewName}
ORDER BY count DESC, name, type LIMIT ${TOP}`,
    );
  }

  exits() {
    return this.query(
      'exits',
      [
        this.base([
          ...VIEW_COLUMNS,
          'session_id',
          'event_time_msec',
          'event_id',
        ]),
        `ranked AS (
  SELECT ${QueryBuilder.viewType} AS type, ${QueryBuilder.viewName} AS name,
    ROW_NUMBER() OVER (PARTITION BY user_pseudo_id, session_id
      ORDER BY event_time_msec DESC, event_id DESC) AS position
  FROM base WHERE event_name IN ${VIEWS} AND session_id IS NOT NULL
)`,
      ],
      `SELECT type, name, COUNT(*) AS count FROM ranked WHERE position = 1
GROUP BY type, name ORDER BY count DESC, name, type LIMIT ${TOP}`,
    );
  }

  newVsReturning() {
    return this.query(
      'newVsReturning',
      [
        this.base(),
        this.firsts(),
        `active AS (SELECT DISTINCT day, merged_user_id FROM base)`,
      ],
      `SELECT a.day,
  COUNT(CASE WHEN COALESCE(f.first_date, a.day) = a.day THEN 1 END) AS new_users,
  COUNT(CASE WHEN COALESCE(f.first_date, a.day) <> a.day THEN 1 END) AS returning_users
FROM active a LEFT JOIN firsts f ON f.merged_user_id = a.merged_user_id
GROUP BY a.day ORDER BY a.day`,
    );
  }

  cohorts() {
    return this.query(
      'cohorts',
      [
        this.base(),
        this.firsts(),
        `active AS (SELECT DISTINCT day, merged_user_id FROM base)`,
      ],
      `SELECT f.first_date, a.day - f.first_date AS day_diff, COUNT(*) AS users
FROM firsts f JOIN active a ON a.merged_user_id = f.merged_user_id
WHERE f.first_date BETWEEN ${this.p('from', 'date')} AND ${this.p('to', 'date')}
  AND a.day - f.first_date BETWEEN 0 AND 42
GROUP BY f.first_date, a.day - f.first_date
ORDER BY f.first_date, day_diff`,
    );
  }

  stickiness() {
    return this.query(
      'stickiness',
      [
        this.base([], { lookback: true }),
        `active AS (SELECT DISTINCT day, merged_user_id FROM base)`,
        `days AS (SELECT DISTINCT day FROM active WHERE day BETWEEN ${this.p(
          'from',
          'date',
        )} AND ${this.p('to', 'date')})`,
      ],
      `SELECT d.day,
  COUNT(DISTINCT CASE WHEN a.day = d.day THEN a.merged_user_id END) AS dau,
  COUNT(DISTINCT CASE WHEN a.day > d.day - 7 THEN a.merged_user_id END) AS wau,
  COUNT(DISTINCT a.merged_user_id) AS mau
FROM days d JOIN active a ON a.day BETWEEN d.day - 29 AND d.day
GROUP BY d.day ORDER BY d.day`,
    );
  }

  lifecycle() {
    const week = (e: string) => `CAST(DATE_TRUNC('week', ${e}) AS DATE)`;
    return this.query(
      'lifecycle',
      [
        this.base([], { lookback: true }),
        this.firsts(),
        `weekly AS (SELECT DISTINCT ${week(
          'day',
        )} AS week, merged_user_id FROM base)`,
      ],
      `SELECT c.week,
  COUNT(CASE WHEN ${week('f.first_date')} = c.week THEN 1 END) AS new_users,
  COUNT(CASE WHEN ${week(
    'f.first_date',
  )} <> c.week AND p.merged_user_id IS NOT NULL THEN 1 END) AS retained,
  COUNT(CASE WHEN ${week(
    'f.first_date',
  )} <> c.week AND p.merged_user_id IS NULL THEN 1 END) AS returning_users,
  0 AS churned
FROM weekly c
JOIN firsts f ON f.merged_user_id = c.merged_user_id
LEFT JOIN weekly p ON p.merged_user_id = c.merged_user_id AND p.week = c.week - 7
WHERE c.week >= ${week(this.p('from', 'date'))}
GROUP BY c.week
UNION ALL
SELECT p.week + 7 AS week, 0, 0, 0, COUNT(*) AS churned
FROM weekly p
LEFT JOIN weekly c ON c.merged_user_id = p.merged_user_id AND c.week = p.week + 7
WHERE c.merged_user_id IS NULL AND p.week + 7 >= ${week(this.p('from', 'date'))}
  AND p.week + 7 <= ${this.p('to', 'date')}
GROUP BY p.week + 7
ORDER BY week`,
    );
  }

  crashes() {
    return this.query(
      'crashes',
      [this.base()],
      `SELECT COUNT(DISTINCT merged_user_id) AS users,
  COUNT(DISTINCT CASE WHEN event_name = '_app_exception' THEN merged_user_id END) AS crashed_users
FROM base`,
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
): MetricQuery[] {
  const q = new QueryBuilder(dialect, ctx);
  switch (sheet) {
    case 'overview':
      return [
        ...q.kpis(),
        q.daily(),
        q.dailySessions(),
        q.breakdown('platforms', 'platform', ['platform']),
      ];
    case 'acquisition':
      return [
        ...q.kpis(),
        q.sessionTraffic('sessionChannels', ['channel_group']),
        q.sessionTraffic('sessionSources', [
          'channel_group',
          'source',
          'medium',
        ]),
        q.firstUserTraffic('firstUserChannels', [
          [
            "COALESCE(u.first_traffic_channel_group, 'Direct')",
            'channel_group',
          ],
        ]),
        q.firstUserTraffic('firstUserSources', [
          ['u.first_traffic_source', 'source'],
          ['u.first_traffic_medium', 'medium'],
        ]),
      ];
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
        q.breakdown('platforms', 'platform', ['platform']),
        q.breakdown(
          'models',
          'COALESCE(device_mobile_model_name, device_ua_device)',
          ['device_mobile_model_name', 'device_ua_device'],
        ),
        q.breakdown(
          'operatingSystems',
          "COALESCE(device_operating_system, device_ua_os) || COALESCE(' ' || COALESCE(device_operating_system_version, device_ua_os_version), '')",
          [
            'device_operating_system',
            'device_ua_os',
            'device_operating_system_version',
            'device_ua_os_version',
          ],
        ),
        q.breakdown('browsers', 'device_ua_browser', ['device_ua_browser']),
        q.breakdown(
          'screenResolutions',
          "CAST(device_screen_width AS VARCHAR) || ' x ' || CAST(device_screen_height AS VARCHAR)",
          ['device_screen_width', 'device_screen_height'],
        ),
        q.breakdown('appVersions', 'app_version', ['app_version']),
        q.crashes(),
      ];
    case 'geography':
      return [
        q.breakdown('countries', 'geo_country', ['geo_country']),
        q.query(
          'cities',
          [q.base(['geo_country', 'geo_city'])],
          `SELECT geo_country AS country, COALESCE(geo_city, '(not set)') AS value,
  COUNT(DISTINCT merged_user_id) AS users
FROM base GROUP BY geo_country, COALESCE(geo_city, '(not set)')
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

function keyMetrics(eventRows: Rows, sessionRows: Rows): KeyMetrics {
  const r = { ...eventRows[0], ...sessionRows[0] };
  const sessions = num(r.sessions);
  const engaged = num(r.engaged_sessions);
  const engagedSeconds = num(r.engaged_ms) / 1000;
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

const trafficRows = (rows: Rows) =>
  rows.map(r => ({
    channelGroup: String(r.channel_group ?? 'Direct'),
    source: text(r.source),
    medium: text(r.medium),
    users: num(r.users),
    sessions: num(r.sessions),
    engagedSessions: num(r.engaged_sessions),
    engagementRate: ratio(num(r.engaged_sessions), num(r.sessions)),
  }));

/** Runs a sheet's queries and shapes their rows into the API's JSON. @public */
export async function computeSheet(
  runner: QueryRunner,
  dialect: SqlDialect,
  sheet: MetricSheet,
  ctx: MetricsContext,
): Promise<unknown> {
  const queries = sheetQueries(sheet, dialect, ctx);
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
      const sessions = byDay(r.dailySessions);
      const overview: OverviewSheet = {
        kpis: keyMetrics(r.kpis, r.sessionKpis),
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
        kpis: keyMetrics(r.kpis, r.sessionKpis),
        sessionChannels: trafficRows(r.sessionChannels),
        sessionSources: trafficRows(r.sessionSources),
        firstUserChannels: r.firstUserChannels.map(row => ({
          channelGroup: String(row.channel_group),
          newUsers: num(row.new_users),
        })),
        firstUserSources: r.firstUserSources.map(row => ({
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
        kpis: keyMetrics(r.kpis, r.sessionKpis),
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
