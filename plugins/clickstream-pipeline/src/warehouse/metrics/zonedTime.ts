import { InputError } from '@backstage/errors';

/** Milliseconds since the epoch at which the calendar day `date` (YYYY-MM-DD) starts in `timeZone`. */
export function startOfDay(date: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // The offset at the guess, then at the corrected instant (they differ across a DST change).
  let instant = utcMidnight - offsetAt(utcMidnight, timeZone);
  instant = utcMidnight - offsetAt(instant, timeZone);
  return instant;
}

/** The day after `date`, as YYYY-MM-DD. */
export function nextDay(date: string, days = 1): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

/** The most days one report spans (the API allows 366; this bound guards every other caller). */
const MAX_DAYS = 1_000;

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) {
    if (dates.length === MAX_DAYS || !/^\d{4}-/.test(d)) {
      throw new InputError(
        `a report spans at most ${MAX_DAYS} days (asked for ${from} to ${to})`,
      );
    }
    dates.push(d);
  }
  return dates;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/** A stretch of time over which a zone's offset from UTC does not change. */
export interface OffsetSpan {
  start: number;
  end: number;
  offset: number;
}

/**
 * The spans of constant offset between two instants: one, or one more per daylight-saving
 * change. Each change is found to the second (zones change offset at most once a day).
 */
export function offsetSpans(
  from: number,
  to: number,
  timeZone: string,
): OffsetSpan[] {
  const spans: OffsetSpan[] = [];
  let start = from;
  let offset = offsetAt(from, timeZone);
  for (let t = from; t < to; ) {
    const next = Math.min(t + DAY_MS, to);
    if (offsetAt(next, timeZone) !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetAt(mid, timeZone) === offset) lo = mid;
        else hi = mid;
      }
      spans.push({ start, end: hi, offset });
      start = hi;
      offset = offsetAt(hi, timeZone);
    }
    t = next;
  }
  spans.push({ start, end: to, offset });
  return spans;
}
