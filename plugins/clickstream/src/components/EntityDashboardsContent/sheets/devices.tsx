import {
  Breakdown,
  DevicesSheet,
} from '@clickstream/backstage-plugin-clickstream-common';
import Grid from '@material-ui/core/Grid';
import { ChartCard, KpiTiles, RankedBarChart } from '../charts';
import { formatCount, formatPercent } from '../format';
import { byUsers } from './keyMetrics';
import { SheetView } from './SheetView';

function DevicesView({ data }: { data: DevicesSheet }) {
  const panels: Array<[string, Breakdown[]]> = [
    ['Platforms', data.platforms],
    ['Operating systems', data.operatingSystems],
    ['Browsers', data.browsers],
    ['Device models', data.models],
    ['Screen resolutions', data.screenResolutions],
    ['App versions', data.appVersions],
  ];
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <KpiTiles
          kpis={[
            { label: 'Users', value: formatCount(data.crashes.users) },
            {
              label: 'Users with a crash',
              value: formatCount(data.crashes.crashedUsers),
            },
            {
              label: 'Crash rate',
              value: formatPercent(data.crashes.crashRate),
              hint: 'Users with an app exception / users',
            },
          ]}
        />
      </Grid>
      {panels.map(([title, rows], i) => (
        <Grid item xs={12} md={6} key={title}>
          <ChartCard title={title} subheader="Users">
            <RankedBarChart data={byUsers(rows)} label="Users" colorIndex={i} />
          </ChartCard>
        </Grid>
      ))}
    </Grid>
  );
}

/** The Devices tab. */
export const devicesView: SheetView<'devices'> = {
  title: 'Devices',
  View: DevicesView,
  isEmpty: data => data.crashes.users === 0,
  empty: {
    title: 'No users in this period',
    description:
      'Devices are counted per user: send events with the SDK, or widen the date range.',
  },
};
