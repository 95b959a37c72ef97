import { Table, TableColumn } from '@backstage/core-components';
import {
  AcquisitionSheet,
  Breakdown,
  DevicesSheet,
  EngagementSheet,
  GeographySheet,
  KeyMetrics,
  OverviewSheet,
  RetentionSheet,
  TrafficRow,
} from '@clickstream/backstage-plugin-clickstream-common';
import Grid from '@material-ui/core/Grid';
import {
  ChartCard,
  ColumnChart,
  DailyLineChart,
  Kpi,
  KpiTiles,
  RankedBarChart,
} from './charts';
import { CohortHeatmap } from './CohortHeatmap';
import {
  countryName,
  formatCount,
  formatDuration,
  formatPercent,
  shortDate,
} from './format';

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

const byUsers = (rows: Breakdown[]) =>
  rows.map(r => ({ name: r.value || '(not set)', value: r.users }));

export function OverviewView({ data }: { data: OverviewSheet }) {
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <KpiTiles kpis={keyMetricTiles(data.kpis)} />
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

export function AcquisitionView({ data }: { data: AcquisitionSheet }) {
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <KpiTiles kpis={keyMetricTiles(data.kpis)} />
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

type ViewRow = EngagementSheet['views'][number];
const viewColumns: TableColumn<ViewRow>[] = [
  { title: 'Page or screen', field: 'name' },
  { title: 'Type', field: 'type' },
  { title: 'Views', field: 'views', type: 'numeric' },
  { title: 'Users', field: 'users', type: 'numeric' },
];

export function EngagementView({ data }: { data: EngagementSheet }) {
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <KpiTiles
          kpis={[
            ...keyMetricTiles(data.kpis).filter(k => k.label !== 'New users'),
            {
              label: 'Engagement time per session',
              value: formatDuration(
                data.kpis.avgEngagementTimePerSessionSeconds,
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

export function RetentionView({ data }: { data: RetentionSheet }) {
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
          subheader="Weeks start on Monday; churned users were active the week before"
        >
          <ColumnChart
            data={data.lifecycle.map(w => ({ ...w, churned: -w.churned }))}
            category="week"
            formatCategory={shortDate}
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

export function DevicesView({ data }: { data: DevicesSheet }) {
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

type CityRow = GeographySheet['cities'][number];
const cityColumns: TableColumn<CityRow>[] = [
  { title: 'City', render: r => r.value || '(not set)' },
  { title: 'Country', render: r => countryName(r.country) },
  { title: 'Users', field: 'users', type: 'numeric' },
];

export function GeographyView({ data }: { data: GeographySheet }) {
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <ChartCard title="Users by country">
          <RankedBarChart
            data={data.countries.map(c => ({
              name: countryName(c.value),
              value: c.users,
            }))}
            label="Users"
            limit={15}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <Table<CityRow>
          title="Users by city"
          options={{
            paging: data.cities.length > 10,
            pageSize: 10,
            search: true,
          }}
          columns={cityColumns}
          data={data.cities}
        />
      </Grid>
    </Grid>
  );
}
