import {
  MetricSheet,
  SheetData,
} from '@clickstream/backstage-plugin-clickstream-common';
import { MetricQuery, MetricsContext, QueryBuilder } from './QueryBuilder';
import { Rows } from './shaping';

/**
 * One dashboard sheet: the queries it runs (they run in parallel) and how their rows, by
 * query name, become the sheet's data. Each sheet is one module under `sheets/`.
 */
export interface SheetDefinition<S extends MetricSheet> {
  queries(q: QueryBuilder): MetricQuery[];
  shape(rows: Record<string, Rows>, ctx: MetricsContext): SheetData[S];
}
