/** Number formats of the dashboards: fixed to en-US so numbers read (and parse) the same everywhere. */
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('en-US', {
  style: 'percent',
  maximumFractionDigits: 1,
});

export const formatCount = (n: number) => integer.format(n);
export const formatPercent = (rate: number) => percent.format(rate);

/** Seconds as "42s", "3m 05s" or "1h 02m". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600)
    return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(
    Math.floor((s % 3600) / 60),
  ).padStart(2, '0')}m`;
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** A date `days` before another (YYYY-MM-DD, calendar arithmetic in UTC). */
export function daysBefore(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) - days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** "2026-11-05" as "Nov 5" for chart axes. */
export function shortDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return d.toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** "US" as "United States"; anything that is not a region code stays as it is. */
export function countryName(code: string | null): string {
  if (!code) return '(not set)';
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}
