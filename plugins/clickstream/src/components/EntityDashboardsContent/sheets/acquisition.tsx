import { Table, TableColumn } from '@backstage/core-components';
import {
  AcquisitionSheet,
  TrafficRow,
} from '@clickstream/backstage-plugin-clickstream-common';
import Grid from '@material-ui/core/Grid';
import { ChartCard, KpiTiles, RankedBarChart } from '../charts';
import { formatPercent } from '../format';
import { keyMetricTiles } from './keyMetrics';
import { PreviousPeriod, SheetView } from './SheetView';

const trafficColumns: TableColumn<TrafficRow>[] = [
  { title: 'Source', render: r => r.source ?? '(direct)' },
  { title: 'Medium', render: r => r.medium ?? '(none)' },
  { title: 'Channel group', field: 'channelGroup' },
  { title: 'Users', field: 'users', type: 'numeric' },
  { title: 'Sessions', field: 'sessions', type: 'numeric' },
  {
    title: 'Engagement rate',
    type: 'numeric',
    render: r => formatPercent(r.engagementRate),
  },
];

function AcquisitionView(props: {
  data: AcquisitionSheet;
  previous?: PreviousPeriod;
}) {
  const { data, previous } = props;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <KpiTiles kpis={keyMetricTiles(data.kpis, previous)} />
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartCard title="Sessions by channel group">
          <RankedBarChart
            data={data.sessionChannels.map(r => ({
              name: r.channelGroup,
              value: r.sessions,
            }))}
            label="Sessions"
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartCard
          title="New users by first channel group"
          subheader="Where each new user came from on their first visit"
        >
          <RankedBarChart
            data={data.firstUserChannels.map(r => ({
              name: r.channelGroup,
              value: r.newUsers,
            }))}
            label="New users"
            colorIndex={1}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12}>
        <Table<TrafficRow>
          title="Sessions by source and medium"
          options={{
            paging: data.sessionSources.length > 10,
            pageSize: 10,
            search: false,
          }}
          columns={trafficColumns}
          data={data.sessionSources}
        />
      </Grid>
    </Grid>
  );
}

/** The Acquisition tab. */
export const acquisitionView: SheetView<'acquisition'> = {
  title: 'Acquisition',
  View: AcquisitionView,
  isEmpty: data => data.kpis.events === 0,
  empty: {
    title: 'No events in this period',
    description:
      'Acquisition counts sessions by the traffic that started them: send events with the SDK, or widen the date range.',
  },
};
