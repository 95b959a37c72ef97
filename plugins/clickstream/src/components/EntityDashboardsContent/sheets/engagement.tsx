import { Table, TableColumn } from '@backstage/core-components';
import { EngagementSheet } from '@clickstream/backstage-plugin-clickstream-common';
import Grid from '@material-ui/core/Grid';
import { ChartCard, DailyLineChart, KpiTiles, RankedBarChart } from '../charts';
import { formatDuration } from '../format';
import { comparedWith, keyMetricTiles } from './keyMetrics';
import { PreviousPeriod, SheetView } from './SheetView';

type ViewRow = EngagementSheet['views'][number];
const viewColumns: TableColumn<ViewRow>[] = [
  { title: 'Page or screen', field: 'name' },
  { title: 'Type', field: 'type' },
  { title: 'Views', field: 'views', type: 'numeric' },
  { title: 'Users', field: 'users', type: 'numeric' },
];

function EngagementView(props: {
  data: EngagementSheet;
  previous?: PreviousPeriod;
}) {
  const { data, previous } = props;
  const perSession = data.kpis.avgEngagementTimePerSessionSeconds;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <KpiTiles
          kpis={[
            ...keyMetricTiles(data.kpis, previous).filter(
              k => k.label !== 'New users',
            ),
            {
              label: 'Engagement time per session',
              value: formatDuration(perSession),
              ...comparedWith(
                perSession,
                previous,
                k => k.avgEngagementTimePerSessionSeconds,
              ),
            },
          ]}
        />
      </Grid>
      <Grid item xs={12} md={7}>
        <ChartCard title="Events and views per day">
          <DailyLineChart
            data={data.daily}
            series={[
              { key: 'events', label: 'Events' },
              { key: 'views', label: 'Views' },
            ]}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={5}>
        <ChartCard title="Top events">
          <RankedBarChart
            data={data.eventsByName.map(e => ({
              name: e.eventName,
              value: e.events,
            }))}
            label="Events"
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12}>
        <ChartCard title="Average session duration per day (seconds)">
          <DailyLineChart
            data={data.sessionDuration}
            series={[
              {
                key: 'avgSessionDurationSeconds',
                label: 'Average session duration',
              },
            ]}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartCard title="Entrances">
          <RankedBarChart
            data={data.entrances.map(e => ({ name: e.name, value: e.count }))}
            label="Entrances"
            colorIndex={2}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartCard title="Exits">
          <RankedBarChart
            data={data.exits.map(e => ({ name: e.name, value: e.count }))}
            label="Exits"
            colorIndex={3}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12}>
        <Table<ViewRow>
          title="Pages and screens"
          options={{
            paging: data.views.length > 10,
            pageSize: 10,
            search: true,
          }}
          columns={viewColumns}
          data={data.views}
        />
      </Grid>
    </Grid>
  );
}

/** The Engagement tab. */
export const engagementView: SheetView<'engagement'> = {
  title: 'Engagement',
  View: EngagementView,
  isEmpty: data => data.kpis.events === 0,
  empty: {
    title: 'No events in this period',
    description:
      'Send events with the SDK setup on the Overview tab, or widen the date range.',
  },
};
