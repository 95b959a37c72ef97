import {
  MetricSheet,
  SheetData,
} from '@clickstream/backstage-plugin-clickstream-common';
import { duckDbDialect, redshiftDialect, SqlDialect } from '../../dialect';
import { MetricQuery, MetricsContext, QueryBuilder } from '../QueryBuilder';
import type { QueryRunner } from '@clickstream/backstage-plugin-clickstream-node';
import { SheetDefinition } from '../SheetDefinition';
import { acquisition } from './acquisition';
import { devices } from './devices';
import { engagement } from './engagement';
import { geography } from './geography';
import { overview } from './overview';
import { retention } from './retention';

/** Every sheet, by name: a new sheet is one module here and one line in this table. */
const SHEETS: { [S in MetricSheet]: SheetDefinition<S> } = {
  overview,
  acquisition,
  engagement,
  retention,
  devices,
  geography,
};

/** The queries a sheet runs, by name. @public */
export function sheetQueries(
  sheet: MetricSheet,
  dialect: SqlDialect,
  ctx: MetricsContext,
  options: { rollups?: boolean } = {},
): MetricQuery[] {
  // The stored rollups group by the days of the zone the app stores events in.
  const stored =
    options.rollups === true && ctx.timezone === ctx.storedTimezone;
  return SHEETS[sheet].queries(new QueryBuilder(dialect, ctx, stored));
}

/**
 * Runs a sheet's queries on a warehouse, in its SQL dialect, and shapes their rows into the
 * sheet's data.
 * @public
 */
export async function computeSheet<S extends MetricSheet>(
  runner: QueryRunner,
  sheet: S,
  ctx: MetricsContext,
): Promise<SheetData[S]> {
  const dialect =
    runner.dialect === 'redshift' ? redshiftDialect : duckDbDialect;
  const queries = sheetQueries(sheet, dialect, ctx, {
    rollups: runner.rollups,
  });
  const results = await Promise.all(
    queries.map(q => runner.query(q.sql, q.params)),
  );
  const rows = Object.fromEntries(queries.map((q, i) => [q.name, results[i]]));
  return SHEETS[sheet].shape(rows, ctx);
}
