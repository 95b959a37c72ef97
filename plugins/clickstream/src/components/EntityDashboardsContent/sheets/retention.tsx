import { RetentionSheet } from '@clickstream/backstage-plugin-clickstream-common';
import Grid from '@material-ui/core/Grid';
import { ChartCard, ColumnChart, DailyLineChart, KpiTiles } from '../charts';
import { CohortHeatmap } from '../CohortHeatmap';
import { formatCount, formatPercent, shortDate } from '../format';
import { SheetView } from './SheetView';

function RetentionView({ data }: { data: RetentionSheet }) {
  const last = data.stickiness[data.stickiness.length - 1];
  return (
    <Grid container spacing={3}>
      {last && (
        <Grid item xs={12}>
          <KpiTiles
            kpis={[
              {
                label: 'DAU',
                value: formatCount(last.dau),
                hint: `On ${last.date}`,
              },
              {
                label: 'WAU',
                value: formatCount(last.wau),
                hint: 'Last 7 days',
              },
              {
                label: 'MAU',
                value: formatCount(last.mau),
                hint: 'Last 30 days',
              },
              { label: 'DAU / MAU', value: formatPercent(last.dauMau) },
              { label: 'DAU / WAU', value: formatPercent(last.dauWau) },
              { label: 'WAU / MAU', value: formatPercent(last.wauMau) },
            ]}
          />
        </Grid>
      )}
      <Grid item xs={12} md={6}>
        <ChartCard title="New and returning users">
          <ColumnChart
            data={data.newVsReturning}
            category="date"
            formatCategory={shortDate}
            stacked
            series={[
              { key: 'newUsers', label: 'New' },
              { key: 'returningUsers', label: 'Returning' },
            ]}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartCard title="Stickiness">
          <DailyLineChart
            data={data.stickiness}
            percent
            series={[
              { key: 'dauMau', label: 'DAU / MAU' },
              { key: 'dauWau', label: 'DAU / WAU' },
              { key: 'wauMau', label: 'WAU / MAU' },
            ]}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12}>
        <ChartCard
          title="Retention by first-visit day"
          subheader="Share of each cohort active N days after its first visit"
        >
          <CohortHeatmap cohorts={data.cohorts} />
        </ChartCard>
      </Grid>
      <Grid item xs={12}>
        <ChartCard
          title="Weekly lifecycle"
          subheader="Weeks start on Monday; churned users were active the week before; a partial week is one the date range cuts"
        >
          <ColumnChart
            data={data.lifecycle.map(w => ({
              ...w,
              // Drawn below zero, so it never hides the other groups.
              churned: -w.churned,
              label: `${shortDate(w.week)}${w.partial ? ' (partial)' : ''}`,
            }))}
            category="label"
            stacked
            series={[
              { key: 'new', label: 'New' },
              { key: 'retained', label: 'Retained' },
              { key: 'returning', label: 'Returning' },
              { key: 'churned', label: 'Churned' },
            ]}
          />
        </ChartCard>
      </Grid>
    </Grid>
  );
}

/** The Retention tab. */
export const retentionView: SheetView<'retention'> = {
  title: 'Retention',
  View: RetentionView,
  isEmpty: data =>
    data.newVsReturning.every(d => d.newUsers + d.returningUsers === 0),
  empty: {
    title: 'No active users in this period',
    description:
      'Retention follows users from their first visit: widen the date range to see them come back.',
  },
};
