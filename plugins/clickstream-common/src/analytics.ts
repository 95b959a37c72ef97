import { z } from 'zod';
import { APP_PLATFORMS, isValidTimeZone } from './model/app';

/** The dashboard sheets, as in the reference's default dashboard. @public */
export const METRIC_SHEETS = [
  'overview',
  'acquisition',
  'engagement',
  'retention',
  'devices',
  'geography',
] as const;
/** @public */
export type MetricSheet = (typeof METRIC_SHEETS)[number];

/** The dates reports may ask for: wide enough for any real data, narrow enough to stay cheap. @public */
export const REPORT_DATE_RANGE = {
  min: '2000-01-01',
  max: '2099-12-31',
} as const;

/** Whether `date` is YYYY-MM-DD naming a day that exists (no 2026-02-31). */
function isCalendarDate(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

const isoDate = (field: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${field} must be a date like 2026-12-01`)
    .refine(isCalendarDate, {
      message: `${field} must be a real calendar date`,
    })
    .refine(d => d >= REPORT_DATE_RANGE.min && d <= REPORT_DATE_RANGE.max, {
      message: `${field} must be between ${REPORT_DATE_RANGE.min} and ${REPORT_DATE_RANGE.max}`,
    });

/** Query parameters of `GET /projects/:projectId/apps/:appId/metrics/:sheet`. @public */
export const metricsQuerySchema = z
  .object({
    from: isoDate('from'),
    to: isoDate('to'),
    timezone: z
      .string()
      .refine(isValidTimeZone, {
        message: 'timezone must be an IANA time zone name like Europe/Paris',
      })
      .optional(),
    platform: z
      .enum(APP_PLATFORMS, {
        errorMap: () => ({
          message: `platform must be one of ${APP_PLATFORMS.join(', ')}`,
        }),
      })
      .optional(),
    /** Events flagged as coming from bots are left out unless this is true. */
    includeBots: z
      .enum(['true', 'false'], {
        errorMap: () => ({ message: "includeBots must be 'true' or 'false'" }),
      })
      .transform(v => v === 'true')
      .default('false'),
  })
  .strict()
  .refine(q => q.from <= q.to, { message: 'from must not be after to' })
  .refine(
    q =>
      Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`) <=
      366 * 86_400_000,
    { message: 'the date range must not exceed 366 days' },
  );
/** @public */
export type MetricsQueryInput = z.input<typeof metricsQuerySchema>;
/** @public */
export type MetricsQuery = z.output<typeof metricsQuerySchema>;

/** A value and how many users (or events) have it. @public */
export interface Breakdown {
  value: string;
  users: number;
}

/** The headline numbers every sheet starts from. @public */
export interface KeyMetrics {
  activeUsers: number;
  newUsers: number;
  sessions: number;
  engagedSessions: number;
  /** Engaged sessions / sessions (0 when there are no sessions). */
  engagementRate: number;
  avgEngagementTimePerSessionSeconds: number;
  avgEngagementTimePerUserSeconds: number;
  views: number;
  events: number;
}

/** @public */
export interface DailyMetrics {
  date: string;
  activeUsers: number;
  newUsers: number;
  /** Sessions that started that day. */
  sessions: number;
  views: number;
  events: number;
}

/** @public */
export interface OverviewSheet {
  kpis: KeyMetrics;
  daily: DailyMetrics[];
  platforms: Breakdown[];
}

/** @public */
export interface TrafficRow {
  channelGroup: string;
  source: string | null;
  medium: string | null;
  users: number;
  sessions: number;
  engagedSessions: number;
  engagementRate: number;
}

/** @public */
export interface AcquisitionSheet {
  kpis: KeyMetrics;
  /** Sessions by the traffic source that started them. */
  sessionChannels: TrafficRow[];
  sessionSources: TrafficRow[];
  /** New users by the source of their first visit. */
  firstUserChannels: Array<{ channelGroup: string; newUsers: number }>;
  firstUserSources: Array<{
    source: string | null;
    medium: string | null;
    newUsers: number;
  }>;
}

/** @public */
export interface EngagementSheet {
  kpis: KeyMetrics;
  daily: Array<{ date: string; events: number; views: number }>;
  eventsByName: Array<{ eventName: string; events: number; users: number }>;
  /** Page views (by URL path) and screen views (by screen name). */
  views: Array<{
    type: 'page' | 'screen';
    name: string;
    views: number;
    users: number;
  }>;
  entrances: Array<{ type: 'page' | 'screen'; name: string; count: number }>;
  exits: Array<{ type: 'page' | 'screen'; name: string; count: number }>;
  /** Sessions by the day they started, and their average duration as the SDKs measure it. */
  sessionDuration: Array<{
    date: string;
    sessions: number;
    avgSessionDurationSeconds: number;
  }>;
}

/** @public */
export interface RetentionCohort {
  /** The cohort: users whose first visit was this day. */
  firstDate: string;
  users: number;
  /** Day 0..42 after the first visit: users who came back, and the share of the cohort. */
  days: Array<{ day: number; users: number; rate: number }>;
}

/** @public */
export interface RetentionSheet {
  newVsReturning: Array<{
    date: string;
    newUsers: number;
    returningUsers: number;
  }>;
  cohorts: RetentionCohort[];
  stickiness: Array<{
    date: string;
    dau: number;
    wau: number;
    mau: number;
    dauWau: number;
    dauMau: number;
    wauMau: number;
  }>;
  /** Weekly lifecycle: each week starts on Monday; churned users are those of the week before. */
  lifecycle: Array<{
    week: string;
    new: number;
    retained: number;
    returning: number;
    churned: number;
    /** The date range holds only part of this week, so its counts are not a whole week's. */
    partial: boolean;
  }>;
}

/** @public */
export interface DevicesSheet {
  platforms: Breakdown[];
  models: Breakdown[];
  operatingSystems: Breakdown[];
  browsers: Breakdown[];
  screenResolutions: Breakdown[];
  appVersions: Breakdown[];
  crashes: { users: number; crashedUsers: number; crashRate: number };
}

/** @public */
export interface GeographySheet {
  countries: Breakdown[];
  cities: Array<Breakdown & { country: string | null }>;
}

/**
 * Each sheet's data, by sheet name: what the metrics API answers in `data`, and what each
 * dashboard view shows.
 * @public
 */
export interface SheetData {
  overview: OverviewSheet;
  acquisition: AcquisitionSheet;
  engagement: EngagementSheet;
  retention: RetentionSheet;
  devices: DevicesSheet;
  geography: GeographySheet;
}

/** The answer of the metrics API: the sheet's data and the query it answers. @public */
export interface MetricsResponse<S extends MetricSheet = MetricSheet> {
  sheet: S;
  appId: string;
  from: string;
  to: string;
  timezone: string;
  platform: string | null;
  data: SheetData[S];
}
