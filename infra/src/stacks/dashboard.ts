import * as quicksight from 'aws-cdk-lib/aws-quicksight';

/*
 * The QuickSight side of reporting: each app's two datasets (its events, and its weekly
 * retention cohorts) as custom SQL on the app's schema, and a dashboard with the reference
 * solution's sheets drawn from them.
 */

type Column = quicksight.CfnDataSet.InputColumnProperty;
type Field = quicksight.CfnDashboard.DimensionFieldProperty;
type Measure = quicksight.CfnDashboard.MeasureFieldProperty;
type Visual = quicksight.CfnDashboard.VisualProperty;

/** The identifiers the dashboard names its datasets by. */
export const EVENTS = 'events';
export const RETENTION = 'retention';

/** The events dataset's columns: what the visuals group and count by. */
export const EVENT_COLUMNS: Column[] = [
  { name: 'event_date', type: 'DATETIME' },
  { name: 'event_name', type: 'STRING' },
  { name: 'platform', type: 'STRING' },
  { name: 'user_pseudo_id', type: 'STRING' },
  // The user on their first visit only, so a distinct count is the new users.
  { name: 'new_user_pseudo_id', type: 'STRING' },
  { name: 'session_key', type: 'STRING' },
  { name: 'engagement_seconds', type: 'DECIMAL' },
  { name: 'page_title', type: 'STRING' },
  { name: 'screen_name', type: 'STRING' },
  { name: 'channel_group', type: 'STRING' },
  { name: 'traffic_source', type: 'STRING' },
  { name: 'traffic_medium', type: 'STRING' },
  { name: 'country', type: 'STRING' },
  { name: 'city', type: 'STRING' },
  { name: 'operating_system', type: 'STRING' },
  { name: 'browser', type: 'STRING' },
  { name: 'device_model', type: 'STRING' },
  { name: 'app_version', type: 'STRING' },
];

/** An app's events, bots left out, as the dashboard reads them. */
export function eventsSql(appId: string): string {
  return `SELECT
  event_date,
  event_name,
  platform,
  user_pseudo_id,
  CASE WHEN event_name = '_first_open' THEN user_pseudo_id END AS new_user_pseudo_id,
  user_pseudo_id || '#' || session_id AS session_key,
  COALESCE(user_engagement_time_msec, 0) / 1000.0 AS engagement_seconds,
  page_view_page_title AS page_title,
  screen_view_screen_name AS screen_name,
  traffic_source_channel_group AS channel_group,
  traffic_source_source AS traffic_source,
  traffic_source_medium AS traffic_medium,
  geo_country AS country,
  geo_city AS city,
  COALESCE(device_operating_system, device_ua_os) AS operating_system,
  device_ua_browser AS browser,
  device_mobile_model_name AS device_model,
  app_version
FROM ${appId}.event_v2
WHERE NOT COALESCE(is_bot, FALSE)`;
}

export const RETENTION_COLUMNS: Column[] = [
  { name: 'cohort_week', type: 'DATETIME' },
  { name: 'weeks_later', type: 'INTEGER' },
  { name: 'users', type: 'INTEGER' },
];

/** Weekly cohorts by first visit: how many of each came back 0 to 6 weeks later. */
export function retentionSql(appId: string): string {
  return `WITH firsts AS (
  SELECT user_pseudo_id, MIN(event_date) AS first_date
  FROM ${appId}.event_v2 GROUP BY user_pseudo_id
), active AS (
  SELECT DISTINCT user_pseudo_id, event_date FROM ${appId}.event_v2
)
SELECT DATE_TRUNC('week', f.first_date) AS cohort_week,
  DATEDIFF(week, f.first_date, a.event_date) AS weeks_later,
  COUNT(DISTINCT a.user_pseudo_id) AS users
FROM firsts f JOIN active a ON a.user_pseudo_id = f.user_pseudo_id
WHERE DATEDIFF(week, f.first_date, a.event_date) BETWEEN 0 AND 6
GROUP BY 1, 2`;
}

const column = (dataSet: string, columnName: string) => ({
  dataSetIdentifier: dataSet,
  columnName,
});
const category = (id: string, name: string, dataSet = EVENTS): Field => ({
  categoricalDimensionField: { fieldId: id, column: column(dataSet, name) },
});
const day = (id: string, name = 'event_date', dataSet = EVENTS): Field => ({
  dateDimensionField: {
    fieldId: id,
    column: column(dataSet, name),
    dateGranularity: name === 'cohort_week' ? 'WEEK' : 'DAY',
  },
});
const number = (id: string, name: string, dataSet: string): Field => ({
  numericalDimensionField: { fieldId: id, column: column(dataSet, name) },
});
const distinct = (id: string, name: string): Measure => ({
  categoricalMeasureField: {
    fieldId: id,
    column: column(EVENTS, name),
    aggregationFunction: 'DISTINCT_COUNT',
  },
});
const count = (id: string, name = 'event_name'): Measure => ({
  categoricalMeasureField: {
    fieldId: id,
    column: column(EVENTS, name),
    aggregationFunction: 'COUNT',
  },
});
const sum = (
  id: string,
  name: string,
  dataSet = EVENTS,
  aggregation: 'SUM' | 'AVERAGE' = 'SUM',
): Measure => ({
  numericalMeasureField: {
    fieldId: id,
    column: column(dataSet, name),
    aggregationFunction: { simpleNumericalAggregation: aggregation },
  },
});
const users = (id: string) => distinct(id, 'user_pseudo_id');
const sessions = (id: string) => distinct(id, 'session_key');

const title = (text: string) => ({
  visibility: 'VISIBLE',
  formatText: { plainText: text },
});

const kpi = (id: string, text: string, value: Measure): Visual => ({
  kpiVisual: {
    visualId: id,
    title: title(text),
    chartConfiguration: { fieldWells: { values: [value] } },
  },
});
const line = (
  id: string,
  text: string,
  x: Field,
  values: Measure[],
): Visual => ({
  lineChartVisual: {
    visualId: id,
    title: title(text),
    chartConfiguration: {
      fieldWells: {
        lineChartAggregatedFieldWells: { category: [x], values },
      },
    },
  },
});
const bar = (id: string, text: string, by: Field, value: Measure): Visual => ({
  barChartVisual: {
    visualId: id,
    title: title(text),
    chartConfiguration: {
      orientation: 'HORIZONTAL',
      fieldWells: {
        barChartAggregatedFieldWells: { category: [by], values: [value] },
      },
      sortConfiguration: {
        categorySort: [
          {
            fieldSort: {
              fieldId: (
                (value.categoricalMeasureField ??
                  value.numericalMeasureField) as { fieldId: string }
              ).fieldId,
              direction: 'DESC',
            },
          },
        ],
      },
    },
  },
});
const table = (
  id: string,
  text: string,
  groupBy: Field[],
  values: Measure[],
): Visual => ({
  tableVisual: {
    visualId: id,
    title: title(text),
    chartConfiguration: {
      fieldWells: {
        tableAggregatedFieldWells: { groupBy, values },
      },
    },
  },
});

/** The sheets, in the reference's order; each visual and field id is unique in the dashboard. */
export function dashboardSheets(): quicksight.CfnDashboard.SheetDefinitionProperty[] {
  const sheet = (
    sheetId: string,
    name: string,
    visuals: Visual[],
  ): quicksight.CfnDashboard.SheetDefinitionProperty => ({
    sheetId,
    name,
    title: name,
    visuals,
  });
  return [
    sheet('overview', 'Overview', [
      kpi('overview-users', 'Active users', users('overview-users-v')),
      kpi(
        'overview-new-users',
        'New users',
        distinct('overview-new-users-v', 'new_user_pseudo_id'),
      ),
      kpi('overview-sessions', 'Sessions', sessions('overview-sessions-v')),
      kpi('overview-events', 'Events', count('overview-events-v')),
      line('overview-daily', 'Active users by day', day('overview-daily-d'), [
        users('overview-daily-users'),
        distinct('overview-daily-new', 'new_user_pseudo_id'),
      ]),
      bar(
        'overview-platforms',
        'Users by platform',
        category('overview-platforms-p', 'platform'),
        users('overview-platforms-u'),
      ),
    ]),
    sheet('acquisition', 'Acquisition', [
      bar(
        'acquisition-channels',
        'Users by channel group',
        category('acquisition-channels-c', 'channel_group'),
        users('acquisition-channels-u'),
      ),
      line(
        'acquisition-new-daily',
        'New users by day',
        day('acquisition-new-daily-d'),
        [distinct('acquisition-new-daily-n', 'new_user_pseudo_id')],
      ),
      table(
        'acquisition-sources',
        'Traffic sources',
        [
          category('acquisition-sources-s', 'traffic_source'),
          category('acquisition-sources-m', 'traffic_medium'),
        ],
        [users('acquisition-sources-u'), sessions('acquisition-sources-n')],
      ),
    ]),
    sheet('engagement', 'Engagement', [
      kpi(
        'engagement-time',
        'Engagement time (seconds)',
        sum('engagement-time-v', 'engagement_seconds'),
      ),
      line(
        'engagement-daily',
        'Sessions and engagement by day',
        day('engagement-daily-d'),
        [
          sessions('engagement-daily-s'),
          sum('engagement-daily-t', 'engagement_seconds'),
        ],
      ),
      table(
        'engagement-pages',
        'Page and screen views',
        [
          category('engagement-pages-p', 'page_title'),
          category('engagement-pages-s', 'screen_name'),
        ],
        [count('engagement-pages-v'), users('engagement-pages-u')],
      ),
    ]),
    sheet('retention', 'Retention', [
      {
        pivotTableVisual: {
          visualId: 'retention-cohorts',
          title: title('Users returning, by week of first visit'),
          chartConfiguration: {
            fieldWells: {
              pivotTableAggregatedFieldWells: {
                rows: [day('retention-cohorts-w', 'cohort_week', RETENTION)],
                columns: [
                  number('retention-cohorts-l', 'weeks_later', RETENTION),
                ],
                values: [sum('retention-cohorts-u', 'users', RETENTION)],
              },
            },
          },
        },
      },
    ]),
    sheet('devices', 'Devices', [
      bar(
        'devices-os',
        'Users by operating system',
        category('devices-os-o', 'operating_system'),
        users('devices-os-u'),
      ),
      bar(
        'devices-browsers',
        'Users by browser',
        category('devices-browsers-b', 'browser'),
        users('devices-browsers-u'),
      ),
      bar(
        'devices-models',
        'Users by device model',
        category('devices-models-m', 'device_model'),
        users('devices-models-u'),
      ),
      bar(
        'devices-countries',
        'Users by country',
        category('devices-countries-c', 'country'),
        users('devices-countries-u'),
      ),
      table(
        'devices-versions',
        'App versions',
        [category('devices-versions-v', 'app_version')],
        [users('devices-versions-u')],
      ),
    ]),
    sheet('details', 'Details', [
      table(
        'details-events',
        'Events by name and platform',
        [
          category('details-events-n', 'event_name'),
          category('details-events-p', 'platform'),
        ],
        [count('details-events-c'), users('details-events-u')],
      ),
      table(
        'details-cities',
        'Cities',
        [
          category('details-cities-country', 'country'),
          category('details-cities-city', 'city'),
        ],
        [users('details-cities-u')],
      ),
    ]),
  ];
}
