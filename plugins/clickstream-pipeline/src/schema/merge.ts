/**
 * How two rows of one user, or of one session, become one. The rows meet in three places:
 * the processor merges a batch's events into one row per key (JavaScript), the embedded
 * warehouse merges that row into the stored one (DuckDB's ON CONFLICT), and the Redshift loader
 * first reduces the staged rows of several batches to one per key (window functions), then
 * merges it into the stored one (MERGE). All three are generated here from one rule list, so
 * however events are cut into batches, the stored row is the same.
 */
import { TRAFFIC_FIELDS } from './tables';
import type { Row } from './tables';

/** One key of an ordering, in both languages. */
interface OrderKey {
  /** Its value for a row named `row` in SQL. */
  sql(row: string): string;
  js(row: Row): number;
  direction: 'ASC' | 'DESC';
}

/**
 * Which of two rows comes first: the first on the first key that differs. Every order ends
 * with the time the row was first processed, so a tie goes to the row that was there first,
 * in a batch, against the table, and among the staged rows of several batches alike.
 */
type Order = OrderKey[];

/** How one group of columns of the merged row is chosen. */
type MergeRule =
  /** From the row that comes first in `order`; on a tie, from the row that was there first. */
  | { take: 'first'; order: Order; columns: string[] }
  /** As `first`, but per column, from the first row where it is known (not null). */
  | { take: 'firstKnown'; order: Order; columns: string[] }
  /** The smallest known value of either row. */
  | { take: 'min'; columns: string[] }
  /** The largest known value of either row. */
  | { take: 'max'; columns: string[] };

const column = (name: string, direction: 'ASC' | 'DESC'): OrderKey => ({
  sql: row => `${row}.${name}`,
  js: row => row[name] as number,
  direction,
});

const firstProcessed = column('created_time_msec', 'ASC');

/** Newest event first. */
const newest: Order = [column('event_time_msec', 'DESC'), firstProcessed];

/** Earliest first touch first. */
const earliestTouch: Order = [
  column('first_touch_time_msec', 'ASC'),
  firstProcessed,
];

/**
 * A session's source: the earliest known one that is not Direct, else the earliest, as the
 * reference does (its `min_by` over events preferring a known source).
 */
const knownSourceFirst: Order = [
  {
    sql: row =>
      `CASE WHEN ${row}.session_source IS NULL OR ${row}.session_channel_group = 'Direct' THEN 1 ELSE 0 END`,
    js: row =>
      row.session_source === null ||
      row.session_source === undefined ||
      row.session_channel_group === 'Direct'
        ? 1
        : 0,
    direction: 'ASC',
  },
  column('event_time_msec', 'ASC'),
  firstProcessed,
];

/** The rules of `user_v2`: columns not named here (keys, created time) keep the first row's. */
export const userMergeRules: MergeRule[] = [
  // The SDKs send the user's whole attribute set with every event: the newest set is the user's.
  {
    take: 'firstKnown',
    order: newest,
    columns: ['user_id', 'user_properties_json_str'],
  },
  {
    take: 'first',
    order: earliestTouch,
    columns: [
      'first_visit_date',
      'first_referrer',
      ...TRAFFIC_FIELDS.map(c => `first_traffic_${c}`),
      'first_traffic_category',
      'first_app_install_source',
    ],
  },
  { take: 'min', columns: ['first_touch_time_msec'] },
  { take: 'max', columns: ['event_time_msec'] },
];

/** The rules of `session`. */
export const sessionMergeRules: MergeRule[] = [
  {
    take: 'first',
    order: knownSourceFirst,
    columns: [
      ...TRAFFIC_FIELDS.map(c => `session_${c}`),
      'session_source_category',
    ],
  },
  {
    take: 'min',
    columns: ['session_start_time_msec', 'event_time_msec', 'session_number'],
  },
  // A user who signs in during a session: the session is theirs.
  { take: 'max', columns: ['user_id'] },
];

/** Whether `incoming` comes strictly before `existing` in `order` (SQL). */
function precedesSql(order: Order, existing: string, incoming: string) {
  const before = (key: OrderKey) =>
    `${key.sql(incoming)} ${key.direction === 'ASC' ? '<' : '>'} ${key.sql(
      existing,
    )}`;
  const same = (key: OrderKey) => `${key.sql(incoming)} = ${key.sql(existing)}`;
  return `(${order
    .map((key, i) =>
      [...order.slice(0, i).map(same), before(key)].join(' AND '),
    )
    .join(' OR ')})`;
}

/** Whether `incoming` comes strictly before `existing` in `order` (JavaScript). */
function precedes(order: Order, existing: Row, incoming: Row): boolean {
  for (const key of order) {
    const a = key.js(incoming);
    const b = key.js(existing);
    if (a !== b) return key.direction === 'ASC' ? a < b : a > b;
  }
  return false;
}

/**
 * `column = expression` assignments that merge row `incoming` into row `existing` (an
 * UPDATE of ON CONFLICT or MERGE; SQL's GREATEST and LEAST skip nulls on both warehouses).
 */
export function mergeAssignments(
  rules: MergeRule[],
  existing: string,
  incoming: string,
): string[] {
  return rules.flatMap(rule => {
    if (rule.take === 'min' || rule.take === 'max') {
      const fn = rule.take === 'min' ? 'least' : 'greatest';
      return rule.columns.map(
        c => `${c} = ${fn}(${existing}.${c}, ${incoming}.${c})`,
      );
    }
    const wins = precedesSql(rule.order, existing, incoming);
    return rule.columns.map(c =>
      rule.take === 'first'
        ? `${c} = CASE WHEN ${wins} THEN ${incoming}.${c} ELSE ${existing}.${c} END`
        : `${c} = CASE WHEN ${wins} THEN coalesce(${incoming}.${c}, ${existing}.${c}) ELSE coalesce(${existing}.${c}, ${incoming}.${c}) END`,
    );
  });
}

/** Merges row `incoming` into row `existing`, in place, by the same rules. */
export function mergeRow(rules: MergeRule[], existing: Row, incoming: Row) {
  // Every rule reads both rows as they were, as an SQL UPDATE does.
  const updates: Array<[string, Row[string]]> = [];
  for (const rule of rules) {
    if (rule.take === 'min' || rule.take === 'max') {
      for (const c of rule.columns) {
        const a = existing[c];
        const b = incoming[c];
        if (a === null || a === undefined) updates.push([c, b]);
        else if (b === null || b === undefined) updates.push([c, a]);
        else updates.push([c, (rule.take === 'min' ? b < a : b > a) ? b : a]);
      }
      continue;
    }
    const [first, second] = precedes(rule.order, existing, incoming)
      ? [incoming, existing]
      : [existing, incoming];
    for (const c of rule.columns) {
      updates.push([
        c,
        rule.take === 'first' ? first[c] : first[c] ?? second[c],
      ]);
    }
  }
  for (const [c, value] of updates) existing[c] = value;
}

/**
 * Each ruled column as a window expression over the rows of one key (`partition`) of table
 * alias `row`: any one row of the partition then carries the merge of all of them.
 */
export function reduceExpressions(
  rules: MergeRule[],
  partition: string,
  row: string,
): Record<string, string> {
  const expressions: Record<string, string> = {};
  for (const rule of rules) {
    for (const c of rule.columns) {
      if (rule.take === 'min' || rule.take === 'max') {
        expressions[
          c
        ] = `${rule.take.toUpperCase()}(${row}.${c}) OVER (${partition})`;
        continue;
      }
      const order = rule.order
        .map(key => `${key.sql(row)} ${key.direction}`)
        .join(', ');
      const ignoreNulls = rule.take === 'firstKnown' ? ' IGNORE NULLS' : '';
      expressions[
        c
      ] = `FIRST_VALUE(${row}.${c}${ignoreNulls}) OVER (${partition} ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`;
    }
  }
  return expressions;
}
