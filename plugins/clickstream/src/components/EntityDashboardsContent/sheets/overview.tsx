import { OverviewSheet } from '@clickstream/backstage-plugin-clickstream-common';
import Grid from '@material-ui/core/Grid';
import {
  ChartCard,
  ColumnChart,
  DailyLineChart,
  KpiTiles,
  RankedBarChart,
} from '../charts';
import { shortDate } from '../format';
import { byUsers, keyMetricTiles } from './keyMetrics';
import { PreviousPeriod, SheetView } from './SheetView';

function OverviewView(props: {
  data: OverviewSheet;
  previous?: PreviousPeriod;
}) {
  const { data, previous } = props;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <KpiTiles kpis={keyMetricTiles(data.kpis, previous)} />
      </Grid>
      <Grid item xs={12} md={8}>
        <ChartCard title="Users per day">
          <DailyLineChart
            data={data.daily}
            series={[
              { key: 'activeUsers', label: 'Active users' },
              { key: 'newUsers', label: 'New users' },
            ]}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <ChartCard title="Users by platform">
          <RankedBarChart data={byUsers(data.platforms)} label="Users" />
        </ChartCard>
      </Grid>
      <Grid item xs={12}>
        <ChartCard title="Sessions and views per day">
          <ColumnChart
            data={data.daily}
            category="date"
            formatCategory={shortDate}
            series={[
              { key: 'sessions', label: 'Sessions' },
              { key: 'views', label: 'Views' },
            ]}
          />
        </ChartCard>
      </Grid>
    </Grid>
  );
}

/** The Overview tab. */
export const overviewView: SheetView<'overview'> = {
  title: 'Overview',
  View: OverviewView,
  isEmpty: data => data.kpis.events === 0,
  empty: {
    title: 'No events in this period',
    description:
      'Send events with the SDK setup on the Overview tab, or widen the date range.',
  },
};
