/**
 * The daily rollups the metric sheets read: one row per app, day and user (and, per rollup,
 * event name, page or session), written once as aggregations over events. The embedded
 * warehouse stores them, refreshed by each load for the days and users it touched, so a
 * report over weeks reads a few rows per active user instead of every event; for a report in
 * another time zone (and on Redshift) the sheets aggregate the events the same way on the fly.
 *
 * Each aggregation reads a `source` relation (a name, or a subquery in parentheses) of
 * `rollupEvents`: the events with the local date the rollup groups by (`day`), the merged user
 * (`user_key`: the latest user id of the pseudo user, or the pseudo id before anyone logs in)
 * and the session (`session_key`).
 */
import { duckDbDialect, SqlDialect } from '../dialect';

export const VIEW_EVENTS = `('_page_view', '_screen_view')`;

/** The columns of an event that the rollups read. */
export const ROLLUP_EVENT_COLUMNS = [
  'app_id',
  'event_id',
  'event_name',
  'event_time_msec',
  'user_pseudo_id',
  'platform',
  'is_bot',
  'session_id',
  'session_start_time_msec',
  'session_duration',
  'user_engagement_time_msec',
  'page_view_page_url_path',
  'page_view_entrances',
  'screen_view_screen_name',
  'screen_view_entrances',
  'geo_country',
  'geo_city',
  'device_mobile_model_name',
  'device_ua_device',
  'device_operating_system',
  'device_operating_system_version',
  'device_ua_os',
  'device_ua_os_version',
  'device_ua_browser',
  'device_screen_width',
  'device_screen_height',
  'app_version',
] as const;

/** The first-visit traffic columns of `user_v2` that user rollup rows with a first open keep. */
export const FIRST_TRAFFIC = [
  'first_traffic_channel_group',
  'first_traffic_source',
  'first_traffic_medium',
] as const;

/** A merged user's key, from a `user_v2` row. */
export const userKey = (d: SqlDialect, user: string) =>
  d.distinctKey(`COALESCE(${user}.user_id, ${user}.user_pseudo_id)`);

/** The events that match a filter, as the rollups read them. */
export function rollupEvents(options: {
  dialect: SqlDialect;
  /** A warehouse table's name (Redshift keeps one schema per app). */
  table: (name: string) => string;
  /** The local date of an event `e`. */
  day: string;
  where: string;
}): string {
  const { dialect: d, table } = options;
  return `SELECT ${ROLLUP_EVENT_COLUMNS.map(c => `e.${c}`).join(', ')},
    ${options.day} AS day,
    ${d.distinctKey('COALESCE(u.user_id, e.user_pseudo_id)')} AS user_key,
    ${d.distinctKey(`e.user_pseudo_id || '|' || e.session_id`)} AS session_key
  FROM ${table('event_v2')} e
  LEFT JOIN ${table('user_v2')} u
    ON u.app_id = e.app_id AND u.user_pseudo_id = e.user_pseudo_id
  WHERE ${options.where}`;
}

/** What a rollup's aggregation is written for. */
export interface AggregateContext {
  dialect: SqlDialect;
  /** A warehouse table's name (Redshift keeps one schema per app). */
  table: (name: string) => string;
  /**
   * Leave out the sessions' last views, for queries that do not read them: finding them is
   * most of the cost of aggregating sessions.
   */
  withoutExits?: boolean;
}

/**
 * A previous-day column of a stored rollup: for each row, the latest earlier day (or the same
 * day, for all but the first of a day's rows) on which the same merged user has a row with the
 * same `by` values. See `storedRollup`.
 */
export interface PrevDate {
  column: string;
  /** What, besides the app, merged user and bot flag, the rows are partitioned by. */
  by: string[];
}

/** A rollup: its name and how it aggregates a source of events. */
export interface Rollup {
  /** The name of its CTE in a metric query; the stored table is `rollup_<name>`. */
  name: 'user_daily' | 'event_daily' | 'view_daily' | 'session_daily';
  aggregate(source: string, context: AggregateContext): string;
  /** The previous-day columns the stored rollup keeps. */
  prevDates?: PrevDate[];
  /** Whether the stored rollup keeps its merged user's first visit date (`first_date`). */
  firstDate?: boolean;
  /**
   * Whether the stored rollup's rows with a first open keep their pseudo user's first-visit
   * traffic (`FIRST_TRAFFIC`, as `user_v2` has it), so first-visit traffic needs no join.
   */
  firstTraffic?: boolean;
  /** The stored rollup's summary, if it keeps one: see `rollupSummary`. */
  summary?: RollupSummary;
}

/**
 * A stored rollup's rows without their users (`rollup_<name>_summary`): grouped by the key's
 * other columns and `by` (columns, or expressions with a name), with `sums` summed and the
 * rows counted (`row_count`). Grouped by a previous day, a range's users are then a sum over a
 * few rows per day instead of a count over every user's.
 */
export interface RollupSummary {
  by: string[];
  sums: string[];
  /** Which rows are summarized (all by default). */
  where?: string;
}

/** The name of a rollup's stored summary. */
export const summaryTable = (rollup: Rollup) => `rollup_${rollup.name}_summary`;

/** A stored rollup's summary rows, of the days `where` keeps. */
export function rollupSummary(rollup: Rollup, where: string): string {
  const { by, sums, where: rows = 'true' } = rollup.summary!;
  return `SELECT app_id, event_date, platform, is_bot, ${[
    ...by,
    ...sums.map(c => `CAST(SUM(${c}) AS BIGINT) AS ${c}`),
    'COUNT(*) AS row_count',
  ].join(', ')}
FROM rollup_${rollup.name}
WHERE (${rows}) AND ${where}
GROUP BY ALL`;
}

/** A session is engaged with more than one view or more than 10 seconds, as the reference says. */
export const ENGAGED = `(views > 1 OR duration > 10000)`;

/**
 * Each merged user's first visit date: the earliest of their pseudo ids', as users store it
 * (in the app's zone).
 */
export const userFirstDates = (
  d: SqlDialect,
  table: (name: string) => string,
) => `SELECT u.app_id, ${userKey(
  d,
  'u',
)} AS user_key, MIN(u.first_visit_date) AS first_date
  FROM ${table('user_v2')} u
  GROUP BY 1, 2`;

/** The window that computes a previous-day column over a rollup's rows. */
export const prevDateWindow = ({ by }: PrevDate) =>
  `LAG(event_date) OVER (PARTITION BY ${[
    'app_id',
    'user_key',
    'is_bot',
    ...by,
  ].join(', ')} ORDER BY event_date)`;

/**
 * A rollup's rows as the embedded warehouse stores them, with its previous-day columns. The
 * users of a range are then its rows with no previous day inside the range: a filtered count
 * instead of a distinct count, several times faster over millions of rows. It is exact for
 * the rows that are not bots, over every platform. Aggregations on the fly have no previous
 * days: over a range's events, the window costs more than the distinct count it replaces.
 */
export function storedRollup(
  rollup: Rollup,
  source: string,
  /** Leave the previous days and first dates empty, for a load that recomputes them after. */
  options: { derived?: boolean } = {},
): string {
  const rows = rollup.aggregate(source, {
    dialect: duckDbDialect,
    table: name => name,
  });
  if (!rollup.prevDates && !rollup.firstDate && !rollup.firstTraffic) {
    return rows;
  }
  const derived = options.derived ?? true;
  const columns = (rollup.prevDates ?? []).map(
    p => `${derived ? prevDateWindow(p) : 'CAST(NULL AS DATE)'} AS ${p.column}`,
  );
  const joins: string[] = [];
  if (rollup.firstDate) {
    columns.push(derived ? 'f.first_date' : 'CAST(NULL AS DATE) AS first_date');
    if (derived) {
      joins.push(`LEFT JOIN (${userFirstDates(duckDbDialect, name => name)}) f
  USING (app_id, user_key)`);
    }
  }
  if (rollup.firstTraffic) {
    columns.push(
      ...FIRST_TRAFFIC.map(c =>
        derived
          ? `CASE WHEN g.first_opens > 0 THEN t.${c} END AS ${c}`
          : `CAST(NULL AS VARCHAR) AS ${c}`,
      ),
    );
    if (derived) {
      joins.push(`LEFT JOIN user_v2 t
  ON t.app_id = g.app_id AND t.user_pseudo_id = g.user_pseudo_id`);
    }
  }
  return `SELECT g.*,
  ${columns.join(',\n  ')}
FROM (
${rows}
) g${joins.map(j => `\n${j}`).join('')}`;
}

/** Every rollup starts with these columns, grouped by: filters apply to them. */
const KEY = `app_id, day AS event_date, user_pseudo_id, user_key, platform, is_bot`;
const keyGroups = (extra: number) =>
  Array.from({ length: 6 + extra }, (_, i) => i + 1).join(', ');

const VIEW_TYPE = `CASE WHEN event_name = '_page_view' THEN 'page' ELSE 'screen' END`;
const VIEW_NAME = `CASE WHEN event_name = '_page_view'
    THEN COALESCE(page_view_page_url_path, '(not set)')
    ELSE COALESCE(screen_view_screen_name, '(not set)') END`;

/** The columns of `user_daily` that the device breakdowns count users by. */
const DEVICE_COLUMNS = [
  'platform',
  'device_model',
  'operating_system',
  'browser',
  'screen_resolution',
  'app_version',
] as const;

/** The previous-day column of a breakdown's users: `prev_<column>_date`. */
export const breakdownPrevDate = (column: string): PrevDate => ({
  column: `prev_${column}_date`,
  by: [column],
});

/** Users per day with what the breakdowns group by, and their event counts. */
export const userDaily: Rollup = {
  name: 'user_daily',
  prevDates: [
    { column: 'prev_date', by: [] },
    ...DEVICE_COLUMNS.map(breakdownPrevDate),
  ],
  firstDate: true,
  firstTraffic: true,
  aggregate: source => `SELECT ${KEY}, geo_country, geo_city,
  COALESCE(device_mobile_model_name, device_ua_device) AS device_model,
  COALESCE(device_operating_system, device_ua_os) || COALESCE(' ' || COALESCE(device_operating_system_version, device_ua_os_version), '') AS operating_system,
  device_ua_browser AS browser,
  CAST(device_screen_width AS VARCHAR) || ' x ' || CAST(device_screen_height AS VARCHAR) AS screen_resolution,
  app_version,
  COUNT(*) AS events,
  COUNT(CASE WHEN event_name IN ${VIEW_EVENTS} THEN 1 END) AS views,
  COUNT(CASE WHEN event_name = '_first_open' THEN 1 END) AS first_opens,
  COUNT(CASE WHEN event_name = '_app_exception' THEN 1 END) AS exceptions
FROM ${source} src
GROUP BY ${keyGroups(7)}`,
};

/** Events per day, user and name. */
export const eventDaily: Rollup = {
  name: 'event_daily',
  prevDates: [{ column: 'prev_date', by: ['event_name'] }],
  summary: { by: ['event_name', 'prev_date'], sums: ['events'] },
  aggregate: source => `SELECT ${KEY}, event_name, COUNT(*) AS events
FROM ${source} src
GROUP BY ${keyGroups(1)}`,
};

/** Page and screen views per day, user and page or screen. */
export const viewDaily: Rollup = {
  name: 'view_daily',
  prevDates: [{ column: 'prev_date', by: ['view_type', 'view_name'] }],
  summary: {
    by: ['view_type', 'view_name', 'prev_date'],
    sums: ['views', 'entrances'],
  },
  aggregate:
    source => `SELECT ${KEY}, ${VIEW_TYPE} AS view_type, ${VIEW_NAME} AS view_name,
  COUNT(*) AS views,
  COUNT(CASE WHEN page_view_entrances OR screen_view_entrances THEN 1 END) AS entrances
FROM ${source} src
WHERE event_name IN ${VIEW_EVENTS}
GROUP BY ${keyGroups(2)}`,
};

/**
 * Sessions per day: their start, views, duration and engagement, the last view of the day
 * (the session's exit when it is the last of the report's days), the traffic source that
 * started the session, copied from the `session` table, and whether this is the session's
 * only row (`single`: nearly every session ends the day it starts, and its row needs no
 * regrouping). Ranking the views first keeps the aggregation to what both warehouses have
 * (no `arg_max` on Redshift).
 */
export const sessionDaily: Rollup = {
  name: 'session_daily',
  // For the users of each traffic channel, and of each channel, source and medium.
  prevDates: [
    { column: 'prev_channel_date', by: ['channel_group'] },
    { column: 'prev_source_date', by: ['channel_group', 'source', 'medium'] },
  ],
  // The traffic table's sessions that need no regrouping.
  summary: {
    by: [
      'channel_group',
      'source',
      'medium',
      'prev_channel_date',
      'prev_source_date',
      `${ENGAGED} AS engaged`,
    ],
    sums: [],
    where: 'single',
  },
  aggregate: (source, { dialect, table, withoutExits }) => {
    const view = `event_name IN ${VIEW_EVENTS}`;
    let exits = '';
    let events = `${source} src
  WHERE session_id IS NOT NULL`;
    if (withoutExits) {
      // No exit columns.
    } else if (dialect.name === 'duckdb') {
      // The values of the latest view, ordered by (time, event id), in one pass.
      const last = (value: string) =>
        `arg_max(CASE WHEN ${view} THEN ${value} END, CASE WHEN ${view} THEN (event_time_msec, event_id) END)`;
      exits = `,
    MAX(CASE WHEN ${view} THEN event_time_msec END) AS exit_time_msec,
    ${last('event_id')} AS exit_event_id,
    ${last(VIEW_TYPE)} AS exit_type,
    ${last(VIEW_NAME)} AS exit_name`;
    } else {
      // Redshift has no arg_max: the views are ranked first.
      exits = `,
    MAX(CASE WHEN exit_rank = 1 THEN event_time_msec END) AS exit_time_msec,
    MAX(CASE WHEN exit_rank = 1 THEN event_id END) AS exit_event_id,
    MAX(CASE WHEN exit_rank = 1 THEN ${VIEW_TYPE} END) AS exit_type,
    MAX(CASE WHEN exit_rank = 1 THEN ${VIEW_NAME} END) AS exit_name`;
      events = `(
    SELECT src.*, CASE WHEN ${view} THEN ROW_NUMBER() OVER (
      PARTITION BY app_id, day, user_pseudo_id, session_id, platform, is_bot,
        CASE WHEN ${view} THEN 1 ELSE 0 END
      ORDER BY event_time_msec DESC, event_id DESC) END AS exit_rank
    FROM ${source} src
    WHERE session_id IS NOT NULL
  ) ranked`;
    }
    return `SELECT d.*,
  COALESCE(ss.session_channel_group, 'Direct') AS channel_group,
  ss.session_source AS source, ss.session_medium AS medium,
  COUNT(*) OVER (PARTITION BY d.app_id, d.session_key) = 1 AS single
FROM (
  SELECT ${KEY}, session_id, session_key,
    MIN(COALESCE(session_start_time_msec, event_time_msec)) AS start_msec,
    COUNT(CASE WHEN ${view} THEN 1 END) AS views,
    MAX(session_duration) AS duration,
    -- A BIGINT: DuckDB would sum into 128 bits, several times slower to read.
    CAST(SUM(COALESCE(user_engagement_time_msec, 0)) AS BIGINT) AS engagement_msec${exits}
  FROM ${events}
  GROUP BY ${keyGroups(2)}
) d
LEFT JOIN ${table('session')} ss ON ss.app_id = d.app_id
  AND ss.user_pseudo_id = d.user_pseudo_id AND ss.session_id = d.session_id`;
  },
};

export const ROLLUPS: readonly Rollup[] = [
  userDaily,
  eventDaily,
  viewDaily,
  sessionDaily,
];
