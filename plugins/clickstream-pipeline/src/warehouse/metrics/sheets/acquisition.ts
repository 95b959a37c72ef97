import { QueryBuilder, TOP } from '../QueryBuilder';
import { SheetDefinition } from '../SheetDefinition';
import { compareText, keyMetrics, num, ratio, Rows, text } from '../shaping';
import { ENGAGED, sessionDaily, userDaily } from '../../rollups';

/** Acquisition: sessions by the traffic that started them, new users by their first visit's. */
export const acquisition: SheetDefinition<'acquisition'> = {
  queries: q => [...q.kpis(), traffic(q), firstUserTraffic(q)],
  shape: r => ({
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
  }),
};

/** Sessions by channel group, and by channel group, source and medium, in one pass. */
function traffic(q: QueryBuilder) {
  if (q.byPrevDate) {
    // The sessions of one day are summed from the stored summary; the others regrouped.
    const firstRows = (flag: string) =>
      `SUM(CASE WHEN ${flag} THEN sessions ELSE 0 END)`;
    return q.query(
      'traffic',
      [
        ...q.rollups([sessionDaily]),
        q.summary(sessionDaily),
        q.sessions({ firstOfUser: true, regroupedOnly: true }),
        `traffic AS (
  SELECT channel_group, source, medium, ${q.firstSince(
    'prev_channel_date',
  )} AS first_channel,
    ${q.firstSince(
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
  return q.query(
    'traffic',
    [...q.rollups([sessionDaily]), q.sessions({ firstOfUser: true })],
    `SELECT channel_group, source, medium, GROUPING(source) AS by_channel,
  ${
    q.byPrevDate
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
function firstUserTraffic(q: QueryBuilder) {
  // Stored user rows with a first open keep their user's first-visit traffic.
  const u = q.stored ? 'r' : 'u';
  const join = q.stored
    ? ''
    : `\nJOIN ${q.t(
        'user_v2',
      )} u ON u.app_id = r.app_id AND u.user_pseudo_id = r.user_pseudo_id`;
  const channel = `COALESCE(${u}.first_traffic_channel_group, 'Direct')`;
  return q.query(
    'firstUserTraffic',
    q.rollups([userDaily]),
    `SELECT ${channel} AS channel_group,
  ${u}.first_traffic_source AS source, ${u}.first_traffic_medium AS medium,
  GROUPING(${u}.first_traffic_source) AS by_channel,
  COUNT(DISTINCT r.user_key) AS new_users
FROM user_daily r${join}
WHERE r.first_opens > 0
GROUP BY GROUPING SETS ((${channel}), (${u}.first_traffic_source, ${u}.first_traffic_medium))`,
  );
}

/** One grouping set of a traffic query, the largest `measure` first, as the top rows. */
function topTrafficRows(rows: Rows, byChannel: boolean, measure: string) {
  return rows
    .filter(r => (num(r.by_channel) === 1) === byChannel)
    .sort(
      (a, b) =>
        num(b[measure]) - num(a[measure]) ||
        compareText(a.channel_group, b.channel_group) ||
        compareText(a.source, b.source) ||
        compareText(a.medium, b.medium),
    )
    .slice(0, TOP);
}

/** One grouping set of the session traffic query, most sessions first. */
function trafficRows(rows: Rows, byChannel: boolean) {
  return topTrafficRows(rows, byChannel, 'sessions').map(r => ({
    channelGroup: String(r.channel_group ?? 'Direct'),
    source: text(r.source),
    medium: text(r.medium),
    users: num(r.users),
    sessions: num(r.sessions),
    engagedSessions: num(r.engaged_sessions),
    engagementRate: ratio(num(r.engaged_sessions), num(r.sessions)),
  }));
}

/** One grouping set of the first-visit traffic query, most new users first. */
function firstUserRows(rows: Rows, byChannel: boolean) {
  return topTrafficRows(rows, byChannel, 'new_users');
}
