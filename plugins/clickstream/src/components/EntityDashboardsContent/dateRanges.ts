import { daysBefore, shortDate } from './format';

/** The date ranges people pick, relative to today in the dashboard's time zone. */
export const DATE_RANGES = [
  { id: 'today', label: 'Today' },
  { id: 'yesterday', label: 'Yesterday' },
  { id: '7d', label: 'Last 7 days' },
  { id: '28d', label: 'Last 28 days' },
  { id: '90d', label: 'Last 90 days' },
  { id: 'mtd', label: 'Month to date' },
  { id: 'lastMonth', label: 'Last month' },
  { id: '12m', label: 'Last 12 months' },
  { id: 'custom', label: 'Custom range' },
] as const;

export type DateRangeId = (typeof DATE_RANGES)[number]['id'];
export type RelativeRangeId = Exclude<DateRangeId, 'custom'>;

export function isDateRangeId(value: unknown): value is DateRangeId {
  return DATE_RANGES.some(r => r.id === value);
}

/**
 * The first and last day (YYYY-MM-DD, both included) of a relative range, for a given today.
 * The ranges that run to today include it, as analytics tools do: its numbers grow all day.
 */
export function rangeDates(
  range: RelativeRangeId,
  today: string,
): { from: string; to: string } {
  switch (range) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const yesterday = daysBefore(today, 1);
      return { from: yesterday, to: yesterday };
    }
    case '7d':
      return { from: daysBefore(today, 6), to: today };
    case '28d':
      return { from: daysBefore(today, 27), to: today };
    case '90d':
      return { from: daysBefore(today, 89), to: today };
    case 'mtd':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'lastMonth': {
      const firstOfThisMonth = `${today.slice(0, 7)}-01`;
      const lastDay = daysBefore(firstOfThisMonth, 1);
      return { from: `${lastDay.slice(0, 7)}-01`, to: lastDay };
    }
    case '12m': {
      // The day after the same date a year ago: twelve whole months, today included. Only
      // Feb 29 has no such date; the day after Feb 28 stands for it.
      const sameDay = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
      const yearAgo = sameDay.endsWith('-02-29')
        ? sameDay.replace(/29$/, '28')
        : sameDay;
      return { from: daysBefore(yearAgo, -1), to: today };
    }
    default:
      throw new Error(`unknown date range ${range satisfies never}`);
  }
}

/** "Nov 26 – Dec 2", or "Dec 2" for one day, as the range picker shows a range's dates. */
export function datesLabel(from: string, to: string): string {
  const year = (d: string) => d.slice(0, 4);
  const day = (d: string) =>
    year(from) === year(to) ? shortDate(d) : `${shortDate(d)}, ${year(d)}`;
  return from === to ? day(from) : `${day(from)} – ${day(to)}`;
}
