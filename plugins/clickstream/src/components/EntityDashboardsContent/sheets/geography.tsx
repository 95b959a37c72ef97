import { Table, TableColumn } from '@backstage/core-components';
import { GeographySheet } from '@clickstream/backstage-plugin-clickstream-common';
import Grid from '@material-ui/core/Grid';
import { ChartCard, RankedBarChart } from '../charts';
import { countryName } from '../format';
import { SheetView } from './SheetView';

type CityRow = GeographySheet['cities'][number];
const cityColumns: TableColumn<CityRow>[] = [
  { title: 'City', render: r => r.value || '(not set)' },
  { title: 'Country', render: r => countryName(r.country) },
  { title: 'Users', field: 'users', type: 'numeric' },
];

function GeographyView({ data }: { data: GeographySheet }) {
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

/** The Geography tab. */
export const geographyView: SheetView<'geography'> = {
  title: 'Geography',
  View: GeographyView,
  isEmpty: data => data.countries.length === 0,
  empty: {
    title: 'No users in this period',
    description:
      'Countries and cities come from the IP addresses of the clients: send events, or widen the date range.',
  },
};
