/** How a batch's users and sessions merge into the rows DuckDB already has. */
import { TRAFFIC_FIELDS } from './tables';

const trafficColumns = TRAFFIC_FIELDS;

// Later events set the user id and properties; the earliest touch keeps the first_* columns.
export const upsertUsers = `INSERT INTO user_v2 SELECT * FROM temp.stage_user_v2
ON CONFLICT (app_id, user_pseudo_id) DO UPDATE SET
  user_id = CASE WHEN EXCLUDED.event_time_msec >= user_v2.event_time_msec
    THEN coalesce(EXCLUDED.user_id, user_v2.user_id) ELSE coalesce(user_v2.user_id, EXCLUDED.user_id) END,
  user_properties_json_str = CASE WHEN EXCLUDED.event_time_msec >= user_v2.event_time_msec
    THEN json_merge_patch(user_v2.user_properties_json_str, EXCLUDED.user_properties_json_str)::VARCHAR
    ELSE json_merge_patch(EXCLUDED.user_properties_json_str, user_v2.user_properties_json_str)::VARCHAR END,
  ${[
    'first_referrer',
    ...trafficColumns.map(c => `first_traffic_${c}`),
    'first_traffic_category',
    'first_app_install_source',
    'first_visit_date',
  ]
    .map(
      c =>
        `${c} = CASE WHEN EXCLUDED.first_touch_time_msec < user_v2.first_touch_time_msec THEN EXCLUDED.${c} ELSE user_v2.${c} END`,
    )
    .join(',\n  ')},
  first_touch_time_msec = least(user_v2.first_touch_time_msec, EXCLUDED.first_touch_time_msec),
  event_time_msec = greatest(user_v2.event_time_msec, EXCLUDED.event_time_msec)`;

// A session keeps its earliest start; its source is the earliest known (not Direct) one.
const sessionSourceWins = `(
  (session.session_source IS NULL OR session.session_channel_group = 'Direct')
    AND NOT (EXCLUDED.session_source IS NULL OR EXCLUDED.session_channel_group = 'Direct')
  OR ((session.session_source IS NULL OR session.session_channel_group = 'Direct')
    = (EXCLUDED.session_source IS NULL OR EXCLUDED.session_channel_group = 'Direct')
    AND EXCLUDED.event_time_msec < session.event_time_msec))`;
export const upsertSessions = `INSERT INTO session SELECT * FROM temp.stage_session
ON CONFLICT (app_id, user_pseudo_id, session_id) DO UPDATE SET
  ${[...trafficColumns.map(c => `session_${c}`), 'session_source_category']
    .map(
      c =>
        `${c} = CASE WHEN ${sessionSourceWins} THEN EXCLUDED.${c} ELSE session.${c} END`,
    )
    .join(',\n  ')},
  session_start_time_msec = least(session.session_start_time_msec, EXCLUDED.session_start_time_msec),
  user_id = coalesce(EXCLUDED.user_id, session.user_id),
  session_number = coalesce(session.session_number, EXCLUDED.session_number),
  event_time_msec = least(session.event_time_msec, EXCLUDED.event_time_msec)`;
