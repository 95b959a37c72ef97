/**
 * How incoming users and sessions merge into the rows the embedded warehouse already has:
 * DuckDB's `ON CONFLICT DO UPDATE`, with the assignments of the shared merge rules.
 */
import {
  mergeAssignments,
  sessionMergeRules,
  userMergeRules,
} from '../schema/merge';

export const upsertUsers = `INSERT INTO user_v2 SELECT * FROM temp.stage_user_v2
ON CONFLICT (app_id, user_pseudo_id) DO UPDATE SET
  ${mergeAssignments(userMergeRules, 'user_v2', 'EXCLUDED').join(',\n  ')}`;

export const upsertSessions = `INSERT INTO session SELECT * FROM temp.stage_session
ON CONFLICT (app_id, user_pseudo_id, session_id) DO UPDATE SET
  ${mergeAssignments(sessionMergeRules, 'session', 'EXCLUDED').join(',\n  ')}`;
