import {
  Breakdown,
  KeyMetrics,
} from '@clickstream/backstage-plugin-clickstream-common';
import { Kpi } from '../charts';
import { formatCount, formatDuration, formatPercent } from '../format';

/** The headline numbers shared by the overview, acquisition and engagement sheets. */
export function keyMetricTiles(kpis: KeyMetrics): Kpi[] {
  return [
    { label: 'Active users', value: formatCount(kpis.activeUsers) },
    {
      label: 'New users',
      value: formatCount(kpis.newUsers),
      hint: 'Users whose first visit falls in the period',
    },
    { label: 'Sessions', value: formatCount(kpis.sessions) },
    {
      label: 'Engagement rate',
      value: formatPercent(kpis.engagementRate),
      hint: 'Engaged sessions / sessions (engaged: 2+ views, or over 10 s)',
    },
    {
      label: 'Engagement time per user',
      value: formatDuration(kpis.avgEngagementTimePerUserSeconds),
    },
    { label: 'Views', value: formatCount(kpis.views) },
  ];
}

/** Breakdown rows as a ranked chart's bars. */
export const byUsers = (rows: Breakdown[]) =>
  rows.map(r => ({ name: r.value || '(not set)', value: r.users }));
