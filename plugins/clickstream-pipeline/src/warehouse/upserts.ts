/**
 * How incoming users and sessions merge into the rows a warehouse already has, written once
 * for DuckDB's `ON CONFLICT DO UPDATE` and Redshift's `MERGE`.
 */
import { TRAFFIC_FIELDS } from '../schema/tables';

const FIRST_TOUCH_COLUMNS = [
  'first_referrer',
  ...TRAFFIC_FIELDS.map(c => `first_traffic_${c}`),
  'first_traffic_category',
  'first_app_install_source',
  'first_visit_date',
];

/**
 * `column = expression` assignments for a user row: later events set the user id and
 * replace the properties, the earliest touch keeps the first_* columns. `existing` and `incoming` are the
 * two rows' names in the statement.
 */
export function userMergeAssignments(
  existing: string,
  incoming: string,
): string[] {
  const newer = `${incoming}.event_time_msec >= ${existing}.event_time_msec`;
  const earlier = `${incoming}.first_touch_time_msec < ${existing}.first_touch_time_msec`;
  // The SDKs send the user's whole attribute set with every event: the newer set is the user's.
  const properties = `CASE WHEN ${newer} THEN coalesce(${incoming}.user_properties_json_str, ${existing}.user_properties_json_str)
    ELSE coalesce(${existing}.user_properties_json_str, ${incoming}.user_properties_json_str) END`;
  return [
    `user_id = CASE WHEN ${newer}
    THEN coalesce(${incoming}.user_id, ${existing}.user_id) ELSE coalesce(${existing}.user_id, ${incoming}.user_id) END`,
    `user_properties_json_str = ${properties}`,
    ...FIRST_TOUCH_COLUMNS.map(
      c =>
        `${c} = CASE WHEN ${earlier} THEN ${incoming}.${c} ELSE ${existing}.${c} END`,
    ),
    `first_touch_time_msec = least(${existing}.first_touch_time_msec, ${incoming}.first_touch_time_msec)`,
    `event_time_msec = greatest(${existing}.event_time_msec, ${incoming}.event_time_msec)`,
  ];
}

/** Whether a session row's traffic source is unknown or Direct: any other source beats it. */
export const sessionSourceIsDirect = (row: string) =>
  `(${row}.session_source IS NULL OR ${row}.session_channel_group = 'Direct')`;

/**
 * `column = expression` assignments for a session row: it keeps its earliest start, and its
 * source is the earliest known (not Direct) one.
 */
export function sessionMergeAssignments(
  existing: string,
  incoming: string,
): string[] {
  const direct = sessionSourceIsDirect;
  const sourceWins = `(
  ${direct(existing)} AND NOT ${direct(incoming)}
  OR (${direct(existing)} = ${direct(incoming)}
    AND ${incoming}.event_time_msec < ${existing}.event_time_msec))`;
  return [
    ...[
      ...TRAFFIC_FIELDS.map(c => `session_${c}`),
      'session_source_category',
    ].map(
      c =>
        `${c} = CASE WHEN ${sourceWins} THEN ${incoming}.${c} ELSE ${existing}.${c} END`,
    ),
    `session_start_time_msec = least(${existing}.session_start_time_msec, ${incoming}.session_start_time_msec)`,
    `user_id = coalesce(${incoming}.user_id, ${existing}.user_id)`,
    `session_number = coalesce(${existing}.session_number, ${incoming}.session_number)`,
    `event_time_msec = least(${existing}.event_time_msec, ${incoming}.event_time_msec)`,
  ];
}

export const upsertUsers = `INSERT INTO user_v2 SELECT * FROM temp.stage_user_v2
ON CONFLICT (app_id, user_pseudo_id) DO UPDATE SET
  ${userMergeAssignments('user_v2', 'EXCLUDED').join(',\n  ')}`;

export const upsertSessions = `INSERT INTO session SELECT * FROM temp.stage_session
ON CONFLICT (app_id, user_pseudo_id, session_id) DO UPDATE SET
  ${sessionMergeAssignments('session', 'EXCLUDED').join(',\n  ')}`;
