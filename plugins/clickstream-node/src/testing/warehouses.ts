import { DuckDbWarehouse } from '../warehouse/DuckDbWarehouse';
import { QueryRunner } from '../warehouse/QueryRunner';

/** A warehouse seen without its stored rollups: sheets aggregate its events on the fly. */
export const eventsOnly = (warehouse: DuckDbWarehouse): QueryRunner => ({
  dialect: 'duckdb',
  query: (sql, params) => warehouse.query(sql, params),
});
