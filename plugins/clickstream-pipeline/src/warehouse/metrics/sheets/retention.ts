import { RetentionSheet } from '@clickstream/backstage-plugin-clickstream-common';
import { datesBetween, nextDay } from '../zonedTime';
import { QueryBuilder } from '../QueryBuilder';
import { SheetDefinition } from '../SheetDefinition';
import { byDay, num, ratio } from '../shaping';
import { userDaily } from '../../rollups';

/** Retention: new against returning users, cohorts, stickiness and the weekly lifecycle. */
export const retention: SheetDefinition<'retention'> = {
  queries: q => [newVsReturning(q), cohorts(q), stickiness(q), lifecycle(q)],
  shape(r, ctx) {
    const nvr = byDay(r.newVsReturning);
    const cohortDays = new Map<string, Array<{ day: number; users: number }>>();
    for (const row of r.cohorts) {
      const first = String(row.first_date);
      if (!cohortDays.has(first)) cohortDays.set(first, []);
      cohortDays
        .get(first)!
        .push({ day: num(row.day_diff), users: num(row.users) });
    }
    const weeks = new Map<string, RetentionSheet['lifecycle'][number]>();
    for (const row of r.lifecycle) {
      const week = String(row.week);
      const entry = weeks.get(week) ?? {
        week,
        new: 0,
        retained: 0,
        returning: 0,
        churned: 0,
        // The range starts after the Monday or ends before the Sunday.
        partial: week < ctx.from || nextDay(week, 6) > ctx.to,
      };
      entry.new += num(row.new_users);
      entry.retained += num(row.retained);
      entry.returning += num(row.returning_users);
      entry.churned += num(row.churned);
      weeks.set(week, entry);
    }
    return {
      newVsReturning: datesBetween(ctx.from, ctx.to).map(date => ({
        date,
        newUsers: num(nvr.get(date)?.new_users),
        returningUsers: num(nvr.get(date)?.returning_users),
      })),
      cohorts: [...cohortDays.entries()].map(([firstDate, entries]) => {
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
      lifecycle: [...weeks.values()].sort((a, b) =>
        a.week.localeCompare(b.week),
      ),
    };
  },
};

function newVsReturning(q: QueryBuilder) {
  const { ctes, join, first } = q.firstsOf('a', { left: true });
  return q.query(
    'newVsReturning',
    [...q.rollups([userDaily]), ...ctes, q.active()],
    `SELECT a.day,
  COUNT(CASE WHEN COALESCE(${first}, a.day) = a.day THEN 1 END) AS new_users,
  COUNT(CASE WHEN COALESCE(${first}, a.day) <> a.day THEN 1 END) AS returning_users
FROM active a ${join}
GROUP BY a.day ORDER BY a.day`,
  );
}

function cohorts(q: QueryBuilder) {
  const { ctes, join, first } = q.firstsOf('a');
  return q.query(
    'cohorts',
    [...q.rollups([userDaily]), ...ctes, q.active()],
    `SELECT ${first} AS first_date, a.day - ${first} AS day_diff, COUNT(*) AS users
FROM active a ${join}
WHERE ${first} BETWEEN ${q.p('from', 'date')} AND ${q.p('to', 'date')}
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
function stickiness(q: QueryBuilder) {
  const spans = (days: number) =>
    `SELECT CASE WHEN prev IS NULL OR prev + ${days} <= day THEN day ELSE prev + ${days} END AS day, 1 AS change FROM active
  UNION ALL SELECT day + ${days}, -1 FROM active`;
  return q.query(
    'stickiness',
    [
      ...q.rollups([userDaily], { lookback: true }),
      q.active(),
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
WHERE dau > 0 AND day BETWEEN ${q.p('from', 'date')} AND ${q.p('to', 'date')}
ORDER BY day`,
  );
}

function lifecycle(q: QueryBuilder) {
  const week = (e: string) => `CAST(DATE_TRUNC('week', ${e}) AS DATE)`;
  const { ctes, join, first } = q.firstsOf('c');
  const firstDate = q.stored ? ', first_date' : '';
  return q.query(
    'lifecycle',
    [
      ...q.rollups([userDaily], { lookback: true }),
      ...ctes,
      // Each user's first row of each week.
      q.byPrevDate
        ? `weekly AS (SELECT ${week(
            'event_date',
          )} AS week, user_key${firstDate} FROM user_daily
  WHERE ${q.firstSince('prev_date', week('event_date'))})`
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
WHERE c.week >= ${week(q.p('from', 'date'))} AND ${first} IS NOT NULL
GROUP BY c.week
UNION ALL
SELECT p.week + 7 AS week, 0, 0, 0, COUNT(*) AS churned
FROM weekly p
LEFT JOIN weekly c ON c.user_key = p.user_key AND c.week = p.week + 7
WHERE c.user_key IS NULL AND p.week + 7 >= ${week(q.p('from', 'date'))}
  AND p.week + 7 <= ${q.p('to', 'date')}
GROUP BY p.week + 7
ORDER BY week`,
  );
}
