import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  App,
  METRIC_SHEETS,
  MetricSheet,
  REPORT_DATE_RANGE,
  SheetData,
} from '@clickstream/backstage-plugin-clickstream-common';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useInterval from 'react-use/esm/useInterval';
import { clickstreamApiRef } from '../../api';
import { projectIdOf } from '../../conditions';
import {
  DashboardFilters,
  DashboardView,
  Filters,
  filtersAreValid,
  viewFromParams,
  viewToParams,
} from './DashboardFilters';
import { daysBefore } from './format';
import { PreviousPeriod, SHEET_VIEWS, SheetView } from './sheets';

/** Dashboards refresh on their own while open: events keep arriving. */
const REFRESH_MS = 30_000;

/** The sheets whose tiles are the key metrics, which the overview of the period before gives. */
const SHEETS_WITH_KEY_METRICS: MetricSheet[] = [
  'overview',
  'acquisition',
  'engagement',
];

/** The days just before the filters' range, as many as it has; none before the reports begin. */
function previousPeriod(filters: Filters) {
  const days =
    (Date.parse(filters.to) - Date.parse(filters.from)) / 86_400_000 + 1;
  const from = daysBefore(filters.from, days);
  if (from < REPORT_DATE_RANGE.min) return undefined;
  return { from, to: daysBefore(filters.from, 1) };
}

function SheetPanel<S extends MetricSheet>(props: {
  projectId: string;
  sheet: S;
  filters: Filters;
}) {
  const { projectId, sheet, filters } = props;
  const api = useApi(clickstreamApiRef);
  const [tick, setTick] = useState(0);
  useInterval(() => setTick(t => t + 1), REFRESH_MS);
  const query = {
    from: filters.from,
    to: filters.to,
    timezone: filters.timezone,
    platform: filters.platform || undefined,
  };
  // Each answer carries the question it answers: while a new one loads, the last answer is
  // still the value, and must not be shown as the new question's.
  const key = JSON.stringify([sheet, filters]);
  const { value, loading, error } = useAsync(async () => {
    const before = SHEETS_WITH_KEY_METRICS.includes(sheet)
      ? previousPeriod(filters)
      : undefined;
    const [answer, previous] = await Promise.all([
      api.getMetrics(projectId, filters.appId, sheet, query),
      // The comparison is extra: without it, the tiles show their numbers alone.
      before &&
        api
          .getMetrics(projectId, filters.appId, 'overview', {
            ...query,
            ...before,
          })
          .then(
            ({ data }): PreviousPeriod => ({ kpis: data.kpis, ...before }),
            () => undefined,
          ),
    ]);
    return { key, data: answer.data, previous };
  }, [api, projectId, sheet, JSON.stringify(query), filters.appId, tick]);

  // Refreshes keep the sheet on screen; only a new question shows the spinner.
  const [shown, setShown] = useState<{
    key: string;
    data: SheetData[S];
    previous?: PreviousPeriod;
  }>();
  if (value && (shown?.key !== value.key || shown.data !== value.data)) {
    setShown(value);
  }
  const current = shown?.key === key ? shown : undefined;

  if (error && !current) {
    if (error instanceof ResponseError && error.statusCode === 409) {
      return (
        <EmptyState
          missing="info"
          title="The dashboards need a running pipeline"
          description={error.body.error.message}
        />
      );
    }
    return <ResponseErrorPanel error={error} />;
  }
  if (loading && !current) return <Progress />;
  if (!current) return null;
  const view: SheetView<S> = SHEET_VIEWS[sheet];
  if (view.isEmpty(current.data)) {
    return <EmptyState missing="data" {...view.empty} />;
  }
  return <view.View data={current.data} previous={current.previous} />;
}

function Dashboards({ projectId, apps }: { projectId: string; apps: App[] }) {
  // The view lives in the URL: a link shares it, Back and Forward move through it.
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const view = useMemo(
    () => viewFromParams(new URLSearchParams(search), apps),
    [search, apps],
  );
  // The fields may hold what the API cannot answer yet (a half-typed time zone or date): the
  // sheets keep the last view meanwhile, with the problem shown beside its field.
  const [filters, setFilters] = useState(view.filters);
  // A new view from the URL (Back, Forward, a link) replaces whatever the fields held.
  const viewKey = JSON.stringify(view.filters);
  const [shownKey, setShownKey] = useState(viewKey);
  if (shownKey !== viewKey) {
    setShownKey(viewKey);
    setFilters(view.filters);
  }
  const show = (next: DashboardView, typing = false) => {
    const nextParams = viewToParams(next);
    if (nextParams.toString() === search) return;
    // Keystrokes replace the entry they refine; choices add one, for Back.
    setParams(nextParams, { replace: typing });
  };
  const change = (next: Filters, typing: boolean) => {
    setFilters(next);
    if (filtersAreValid(next))
      show({ sheet: view.sheet, filters: next }, typing);
  };
  return (
    <>
      <DashboardFilters apps={apps} filters={filters} onChange={change} />
      <Box mb={2}>
        <Tabs
          value={view.sheet}
          onChange={(_, sheet) => show({ sheet, filters: view.filters })}
          indicatorColor="primary"
          variant="scrollable"
          aria-label="Dashboard sheet"
        >
          {METRIC_SHEETS.map(s => (
            <Tab key={s} value={s} label={SHEET_VIEWS[s].title} />
          ))}
        </Tabs>
      </Box>
      <SheetPanel
        projectId={projectId}
        sheet={view.sheet}
        filters={view.filters}
      />
    </>
  );
}

/** The Dashboards tab of a project's entity page. */
export const EntityDashboardsContent = () => {
  const { entity } = useEntity();
  const projectId = projectIdOf(entity)!;
  const api = useApi(clickstreamApiRef);
  const apps = useAsync(() => api.listApps(projectId), [api, projectId]);

  let body;
  if (apps.loading) body = <Progress />;
  else if (apps.error) body = <ResponseErrorPanel error={apps.error} />;
  else if (!apps.value?.items.length) {
    body = (
      <EmptyState
        missing="data"
        title="No apps yet"
        description="Dashboards are per app: register one with the clickstream-app template."
      />
    );
  } else {
    body = <Dashboards projectId={projectId} apps={apps.value.items} />;
  }
  return <Content noPadding>{body}</Content>;
};
