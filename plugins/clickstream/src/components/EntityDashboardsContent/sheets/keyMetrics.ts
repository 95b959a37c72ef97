import {
  Breakdown,
  KeyMetrics,
} from '@clickstream/backstage-plugin-clickstream-common';
import { Kpi } from '../charts';
import { datesLabel } from '../dateRanges';
import { formatCount, formatDuration, formatPercent } from '../format';
import { PreviousPeriod } from './SheetView';

/**
 * A tile's comparison with the period before: the relative change, or none when that period
 * had nothing to compare with.
 */
export function comparedWith(
  current: number,
  previous: PreviousPeriod | undefined,
  of: (kpis: KeyMetrics) => number,
): Pick<Kpi, 'change' | 'comparedWith'> {
  const before = previous && of(previous.kpis);
  if (!previous || !before) return {};
  return {
    change: (current - before) / before,
    comparedWith: datesLabel(previous.from, previous.to),
  };
}

/** The headline numbers shared by the overview, acquisition and engagement sheets. */
export function keyMetricTiles(
  kpis: KeyMetrics,
  previous?: PreviousPeriod,
): Kpi[] {
  const tile = (
    label: string,
    of: (k: KeyMetrics) => number,
    format: (n: number) => string,
    hint?: string,
  ): Kpi => ({
    label,
    value: format(of(kpis)),
    hint,
    ...comparedWith(of(kpis), previous, of),
  });
  return [
    tile('Active users', k => k.activeUsers, formatCount),
    tile(
      'New users',
      k => k.newUsers,
      formatCount,
      'Users whose first visit falls in the period',
    ),
    tile('Sessions', k => k.sessions, formatCount),
    tile(
      'Engagement rate',
      k => k.engagementRate,
      formatPercent,
      'Engaged sessions / sessions (engaged: 2+ views, or over 10 s)',
    ),
    tile(
      'Engagement time per user',
      k => k.avgEngagementTimePerUserSeconds,
      formatDuration,
    ),
    tile('Views', k => k.views, formatCount),
  ];
}

/** Breakdown rows as a ranked chart's bars. */
export const byUsers = (rows: Breakdown[]) =>
  rows.map(r => ({ name: r.value || '(not set)', value: r.users }));
