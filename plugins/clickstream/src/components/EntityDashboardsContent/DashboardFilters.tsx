import {
  App,
  AppPlatform,
  APP_PLATFORMS,
  metricsQuerySchema,
  REPORT_DATE_RANGE,
} from '@clickstream/backstage-plugin-clickstream-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { daysBefore, todayIn } from './format';

export interface Filters {
  appId: string;
  /** Days back from today, or 'custom' for the from/to fields. */
  range: number | 'custom';
  from: string;
  to: string;
  timezone: string;
  /** '' for every platform. */
  platform: AppPlatform | '';
}

const RANGES: Array<{ value: number | 'custom'; label: string }> = [
  { value: 7, label: 'Last 7 days' },
  { value: 28, label: 'Last 28 days' },
  { value: 90, label: 'Last 90 days' },
  { value: 'custom', label: 'Custom range' },
];

function rangeDates(days: number, timezone: string) {
  const to = todayIn(timezone);
  return { from: daysBefore(to, days - 1), to };
}

/** The filters a dashboard opens with: the first app, its time zone, the last 7 days. */
export function useDefaultFilters(apps: App[]) {
  return useState<Filters>(() => {
    const app = apps[0];
    const timezone = app.timezone ?? 'UTC';
    return {
      appId: app.appId,
      range: 7,
      ...rangeDates(7, timezone),
      timezone,
      platform: '',
    };
  });
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

/** App, date range, time zone and platform of the dashboards. */
export function DashboardFilters(props: {
  apps: App[];
  filters: Filters;
  onChange: (filters: Filters) => void;
}) {
  const { apps, filters, onChange } = props;
  const errors = filterProblems(filters);
  const update = (change: Partial<Filters>) => {
    const next = { ...filters, ...change };
    if (typeof next.range === 'number') {
      Object.assign(next, rangeDates(next.range, next.timezone));
    }
    onChange(next);
  };

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
        onChange={e =>
          update({
            range:
              e.target.value === 'custom' ? 'custom' : Number(e.target.value),
          })
        }
        style={{ minWidth: 160 }}
      >
        {RANGES.map(r => (
          <MenuItem key={r.value} value={r.value}>
            {r.label}
          </MenuItem>
        ))}
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
            onChange={e => update({ from: e.target.value })}
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
            onChange={e => update({ to: e.target.value })}
            error={!!errors.to}
            helperText={errors.to}
          />
        </>
      )}
      <TextField
        id="clickstream-filter-timezone"
        label="Time zone"
        variant="outlined"
        size="small"
        value={filters.timezone}
        onChange={e => update({ timezone: e.target.value })}
        error={!!errors.timezone}
        helperText={errors.timezone}
        style={{ minWidth: 200 }}
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
