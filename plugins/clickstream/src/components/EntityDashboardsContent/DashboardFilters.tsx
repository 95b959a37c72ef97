import {
  App,
  AppPlatform,
  APP_PLATFORMS,
  METRIC_SHEETS,
  MetricSheet,
  metricsQuerySchema,
  REPORT_DATE_RANGE,
} from '@clickstream/backstage-plugin-clickstream-common';
import Box from '@material-ui/core/Box';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  DATE_RANGES,
  DateRangeId,
  datesLabel,
  isDateRangeId,
  rangeDates,
} from './dateRanges';
import { todayIn } from './format';

export interface Filters {
  appId: string;
  /** A range relative to today, or 'custom' for the from/to fields. */
  range: DateRangeId;
  from: string;
  to: string;
  timezone: string;
  /** '' for every platform. */
  platform: AppPlatform | '';
}

/** What the dashboards show: a sheet, under filters the API can answer. */
export interface DashboardView {
  sheet: MetricSheet;
  filters: Filters;
}

/** The time zones this browser knows, for the picker (typing any other name still works). */
const TIME_ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

/** The range's dates in the time zone, unless it is custom (then its own). */
function withDates(filters: Filters): Filters {
  if (filters.range === 'custom') return filters;
  return {
    ...filters,
    ...rangeDates(filters.range, todayIn(filters.timezone)),
  };
}

/**
 * The view a URL's search parameters describe (`sheet`, `app`, `range`, `from` and `to` for a
 * custom range, `tz`, `platform`), so a link shares it and Back returns to the last one. What is
 * missing or cannot be answered falls back to the app's defaults: its time zone, the last 7 days.
 */
export function viewFromParams(
  params: URLSearchParams,
  apps: App[],
): DashboardView {
  const sheet = params.get('sheet');
  const app = apps.find(a => a.appId === params.get('app')) ?? apps[0];
  const range = params.get('range');
  const platform = params.get('platform');
  const defaults = withDates({
    appId: app.appId,
    range: '7d',
    from: '',
    to: '',
    timezone: app.timezone ?? 'UTC',
    platform: '',
  });
  const asked = withDates({
    ...defaults,
    range: isDateRangeId(range) ? range : defaults.range,
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    timezone: params.get('tz') ?? defaults.timezone,
    platform: APP_PLATFORMS.includes(platform as AppPlatform)
      ? (platform as AppPlatform)
      : '',
  });
  return {
    sheet: METRIC_SHEETS.includes(sheet as MetricSheet)
      ? (sheet as MetricSheet)
      : 'overview',
    filters: filtersAreValid(asked)
      ? asked
      : { ...defaults, platform: asked.platform },
  };
}

/** The search parameters of a view ({@link viewFromParams} reads them back). */
export function viewToParams(view: DashboardView): URLSearchParams {
  const { filters } = view;
  const params = new URLSearchParams({
    sheet: view.sheet,
    app: filters.appId,
    range: filters.range,
  });
  if (filters.range === 'custom') {
    params.set('from', filters.from);
    params.set('to', filters.to);
  }
  params.set('tz', filters.timezone);
  if (filters.platform) params.set('platform', filters.platform);
  return params;
}

/** Whether the API would answer these filters. */
export function filtersAreValid(filters: Filters): boolean {
  return Object.keys(filterProblems(filters)).length === 0;
}

/**
 * What is wrong with the filters, by field, in words for the person filling them in: the
 * API's checks, said the way a date picker or a time zone field would say them.
 */
export function filterProblems(
  filters: Filters,
): Partial<Record<'from' | 'to' | 'timezone', string>> {
  const result = metricsQuerySchema.safeParse({
    from: filters.from,
    to: filters.to,
    timezone: filters.timezone,
  });
  if (result.success) return {};
  const out: Partial<Record<'from' | 'to' | 'timezone', string>> = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if (field === 'timezone') {
      out.timezone = filters.timezone.trim()
        ? `"${filters.timezone}" is not a time zone we know: use a name like Europe/Paris or America/New_York`
        : 'Enter a time zone, like Europe/Paris';
    } else if (field === 'from' || field === 'to') {
      out[field] ??= / between /.test(issue.message)
        ? `Pick a date from ${REPORT_DATE_RANGE.min.slice(
            0,
            4,
          )} to ${REPORT_DATE_RANGE.max.slice(0, 4)}`
        : 'Pick a whole date';
    } else if (/after/.test(issue.message)) {
      out.to ??= 'The end date is before the start date';
    } else {
      out.to ??= 'Pick at most a year (366 days)';
    }
  }
  return out;
}

/**
 * App, date range, time zone and platform of the dashboards. `typing` says the change came from
 * a keystroke (a date or a time zone being typed), not a choice.
 */
export function DashboardFilters(props: {
  apps: App[];
  filters: Filters;
  onChange: (filters: Filters, typing: boolean) => void;
}) {
  const { apps, filters, onChange } = props;
  const errors = filterProblems(filters);
  const update = (change: Partial<Filters>, typing = false) => {
    const next = { ...filters, ...change };
    onChange(withDates(next), typing);
  };
  const today = todayIn(filters.timezone);

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="flex-start"
      style={{ gap: 16 }}
      mb={2}
      role="search"
      aria-label="Dashboard filters"
    >
      <TextField
        select
        id="clickstream-filter-app"
        label="App"
        variant="outlined"
        size="small"
        value={filters.appId}
        onChange={e => {
          const app = apps.find(a => a.appId === e.target.value)!;
          update({ appId: app.appId, timezone: app.timezone ?? 'UTC' });
        }}
        style={{ minWidth: 160 }}
      >
        {apps.map(a => (
          <MenuItem key={a.appId} value={a.appId}>
            {a.name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        id="clickstream-filter-range"
        label="Date range"
        variant="outlined"
        size="small"
        value={filters.range}
        onChange={e => update({ range: e.target.value as DateRangeId })}
        SelectProps={{
          renderValue: value =>
            DATE_RANGES.find(r => r.id === value)?.label ?? String(value),
        }}
        helperText={
          filters.range === 'custom' || errors.timezone
            ? undefined
            : datesLabel(filters.from, filters.to)
        }
        style={{ minWidth: 180 }}
      >
        {DATE_RANGES.map(r => {
          const dates = r.id === 'custom' ? undefined : rangeDates(r.id, today);
          return (
            <MenuItem key={r.id} value={r.id}>
              <ListItemText
                primary={r.label}
                secondary={dates && datesLabel(dates.from, dates.to)}
              />
            </MenuItem>
          );
        })}
      </TextField>
      {filters.range === 'custom' && (
        <>
          <TextField
            id="clickstream-filter-from"
            label="From"
            type="date"
            variant="outlined"
            size="small"
            InputLabelProps={{ shrink: true }}
            value={filters.from}
            onChange={e => update({ from: e.target.value }, true)}
            error={!!errors.from}
            helperText={errors.from}
          />
          <TextField
            id="clickstream-filter-to"
            label="To"
            type="date"
            variant="outlined"
            size="small"
            InputLabelProps={{ shrink: true }}
            value={filters.to}
            onChange={e => update({ to: e.target.value }, true)}
            error={!!errors.to}
            helperText={errors.to}
          />
        </>
      )}
      <Autocomplete
        id="clickstream-filter-timezone"
        freeSolo
        options={TIME_ZONES}
        value={filters.timezone}
        inputValue={filters.timezone}
        onInputChange={(_, value, reason) => {
          // A reset only echoes the value chosen or shown.
          if (reason === 'input') update({ timezone: value }, true);
        }}
        onChange={(_, value) => {
          if (typeof value === 'string') update({ timezone: value });
        }}
        disableClearable
        style={{ minWidth: 220 }}
        renderInput={params => (
          <TextField
            {...params}
            label="Time zone"
            variant="outlined"
            size="small"
            error={!!errors.timezone}
            helperText={errors.timezone}
          />
        )}
      />
      <TextField
        select
        id="clickstream-filter-platform"
        label="Platform"
        variant="outlined"
        size="small"
        value={filters.platform}
        onChange={e => update({ platform: e.target.value as AppPlatform | '' })}
        SelectProps={{ displayEmpty: true }}
        InputLabelProps={{ shrink: true }}
        style={{ minWidth: 140 }}
      >
        <MenuItem value="">All platforms</MenuItem>
        {APP_PLATFORMS.map(p => (
          <MenuItem key={p} value={p}>
            {p}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );
}
