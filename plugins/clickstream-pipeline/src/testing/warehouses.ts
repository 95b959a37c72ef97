import { DuckDbWarehouse } from '../warehouse/DuckDbWarehouse';
import type { QueryRunner } from '@clickstream/backstage-plugin-clickstream-node';

/** A warehouse seen without its stored rollups: sheets aggregate its events on the fly. */
export const eventsOnly = (warehouse: DuckDbWarehouse): QueryRunner => ({
  dialect: 'duckdb',
  query: (sql, params) => warehouse.query(sql, params),
});
