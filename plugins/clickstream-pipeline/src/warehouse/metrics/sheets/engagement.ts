import { datesBetween } from '../zonedTime';
import { QueryBuilder, TOP } from '../QueryBuilder';
import { SheetDefinition } from '../SheetDefinition';
import { byDay, keyMetrics, num, ratio, Rows } from '../shaping';
import { eventDaily, sessionDaily, viewDaily } from '../../rollups';

/** Engagement: events by name, page and screen views, entrances, exits and session duration. */
export const engagement: SheetDefinition<'engagement'> = {
  queries: q => [
    ...q.kpis(),
    q.daily(),
    eventsByName(q),
    views(q),
    entrances(q),
    exits(q),
    sessionDuration(q),
  ],
  shape(r, ctx) {
    const daily = byDay(r.daily);
    const durations = byDay(r.sessionDuration);
    const named = (rows: Rows) =>
      rows.map(row => ({
        type: row.type as 'page' | 'screen',
        name: String(row.name),
        count: num(row.count),
      }));
    return {
      kpis: keyMetrics(r.kpis, r.sessionsByDay),
      daily: datesBetween(ctx.from, ctx.to).map(date => ({
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
      sessionDuration: datesBetween(ctx.from, ctx.to).map(date => {
        const sessions = num(durations.get(date)?.sessions);
        const seconds = num(durations.get(date)?.duration_ms) / 1000;
        return {
          date,
          sessions,
          avgSessionDurationSeconds: ratio(seconds, sessions),
        };
      }),
    };
  },
};

function eventsByName(q: QueryBuilder) {
  // Users counted by previous days can be summed from the summaries.
  const summary = q.byPrevDate;
  const [ctes, from] = q.rollupOrSummary(eventDaily, summary);
  return q.query(
    'eventsByName',
    ctes,
    `SELECT event_name, SUM(events) AS events, ${q.users({
      summary,
    })} AS users
FROM ${from} GROUP BY event_name ORDER BY events DESC, event_name`,
  );
}

function views(q: QueryBuilder) {
  const summary = q.byPrevDate;
  const [ctes, from] = q.rollupOrSummary(viewDaily, summary);
  return q.query(
    'views',
    ctes,
    `SELECT view_type AS type, view_name AS name,
  SUM(views) AS views, ${q.users({ summary })} AS users
FROM ${from}
GROUP BY view_type, view_name
ORDER BY views DESC, name, type LIMIT ${TOP}`,
  );
}

function entrances(q: QueryBuilder) {
  // No users: the summary keeps the platforms and bots apart, so every filter can read it.
  const [ctes, from] = q.rollupOrSummary(viewDaily, true);
  return q.query(
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
function exits(q: QueryBuilder) {
  return q.query(
    'exits',
    [
      ...q.rollups([sessionDaily], { exits: true }),
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

/**
 * Sessions by the day they started, with their summed duration (the longest the SDK reported
 * for each session); the sheet divides, so Redshift's integer averages cannot truncate it.
 */
function sessionDuration(q: QueryBuilder) {
  return q.query(
    'sessionDuration',
    [...q.rollups([sessionDaily]), q.sessions()],
    `SELECT day, COUNT(*) AS sessions, SUM(duration) AS duration_ms
FROM sessions GROUP BY day`,
  );
}
