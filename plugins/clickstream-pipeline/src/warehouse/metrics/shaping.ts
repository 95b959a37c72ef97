import {
  Breakdown,
  KeyMetrics,
} from '@clickstream/backstage-plugin-clickstream-common';

/** The rows of one query, as the runner answers them. */
export type Rows = Record<string, unknown>[];

/** A number from a row's value: warehouses answer counts as numbers, bigints or strings. */
export const num = (v: unknown) =>
  v === null || v === undefined ? 0 : Number(v);
export const text = (v: unknown) =>
  v === null || v === undefined ? null : String(v);
export const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export const breakdowns = (rows: Rows): Breakdown[] =>
  rows.map(r => ({ value: String(r.value), users: num(r.users) }));

/** Rows with a `day` column, by day. */
export const byDay = (rows: Rows) =>
  new Map(rows.map(row => [String(row.day), row]));

/** SQL's order for text: nulls last. */
export const compareText = (a: unknown, b: unknown) => {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return String(a) < String(b) ? -1 : 1;
};

/** The key metrics from the event totals and the sessions by the day they started. */
export function keyMetrics(eventRows: Rows, sessionsByDay: Rows): KeyMetrics {
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
