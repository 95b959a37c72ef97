import { QueryBuilder, TOP } from '../QueryBuilder';
import { SheetDefinition } from '../SheetDefinition';
import { breakdowns, num, text } from '../shaping';
import { userDaily } from '../../rollups';

/** Geography: users by country and by city. */
export const geography: SheetDefinition<'geography'> = {
  queries: q => [q.breakdown('countries', 'geo_country'), cities(q)],
  shape: r => ({
    countries: breakdowns(r.countries),
    cities: r.cities.map(row => ({
      country: text(row.country),
      value: String(row.value),
      users: num(row.users),
    })),
  }),
};

function cities(q: QueryBuilder) {
  return q.query(
    'cities',
    q.rollups([userDaily]),
    `SELECT geo_country AS country, COALESCE(geo_city, '(not set)') AS value,
  COUNT(DISTINCT user_key) AS users
FROM user_daily GROUP BY geo_country, COALESCE(geo_city, '(not set)')
ORDER BY users DESC, value, country LIMIT ${TOP}`,
  );
}
