import { IngestRecord } from '../buffer/record';

/** Test helpers: SDK-shaped events and the ingest records that carry them. */

let counter = 0;

export interface EventSpec {
  name: string;
  at: number | string; // ms or ISO instant
  user: string; // unique_id
  session?: string;
  sessionStart?: number | string;
  sessionDuration?: number;
  userId?: string;
  pageUrl?: string;
  referrer?: string;
  screen?: string;
  entrances?: boolean;
  engagementMs?: number;
  platform?: 'Web' | 'Android' | 'iOS';
  eventId?: string;
  appId?: string;
  attributes?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

const ms = (t: number | string) => (typeof t === 'number' ? t : Date.parse(t));

export function sdkEvent(spec: EventSpec): Record<string, unknown> {
  const attributes: Record<string, unknown> = { ...(spec.attributes ?? {}) };
  if (spec.session) {
    attributes._session_id = spec.session;
    attributes._session_start_timestamp = ms(spec.sessionStart ?? spec.at);
    attributes._session_duration = spec.sessionDuration ?? 0;
    attributes._session_number = 1;
  }
  if (spec.pageUrl) attributes._page_url = spec.pageUrl;
  if (spec.referrer !== undefined) attributes._page_referrer = spec.referrer;
  if (spec.screen) attributes._screen_name = spec.screen;
  if (spec.entrances !== undefined)
    attributes._entrances = spec.entrances ? 1 : 0;
  if (spec.engagementMs !== undefined)
    attributes._engagement_time_msec = spec.engagementMs;
  const user: Record<string, unknown> = {
    _user_first_touch_timestamp: {
      value: ms(spec.at),
      set_timestamp: ms(spec.at),
    },
  };
  if (spec.userId)
    user._user_id = { value: spec.userId, set_timestamp: ms(spec.at) };
  return {
    event_type: spec.name,
    event_id: spec.eventId ?? `evt-${++counter}`,
    device_id: `device-${spec.user}`,
    unique_id: spec.user,
    app_id: spec.appId ?? 'shop',
    timestamp: ms(spec.at),
    platform: spec.platform ?? 'Web',
    locale: 'en-US',
    screen_width: 1280,
    screen_height: 800,
    sdk_name: 'aws-solution-clickstream-sdk',
    sdk_version: '0.12.6',
    user,
    attributes,
    ...(spec.extra ?? {}),
  };
}

export const CHROME_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const GOOGLEBOT_UA =
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

export function ingestRecord(
  events: unknown[] | string | Buffer,
  options: {
    ingestTime?: number | string;
    uploadTime?: number;
    userAgent?: string;
    ip?: string;
    appId?: string;
    requestId?: string;
  } = {},
): IngestRecord {
  const body = Buffer.isBuffer(events)
    ? events
    : Buffer.from(typeof events === 'string' ? events : JSON.stringify(events));
  const latest = Array.isArray(events)
    ? Math.max(...events.map(e => Number((e as any)?.timestamp) || 0))
    : 0;
  const ingestTime =
    options.ingestTime !== undefined ? ms(options.ingestTime) : latest + 1000;
  return {
    body,
    ingestTime,
    sourceIp: options.ip ?? '81.2.69.160',
    userAgent: options.userAgent ?? CHROME_UA,
    requestId: options.requestId ?? `req-${++counter}`,
    query: {
      appId: options.appId ?? 'shop',
      platform: 'Web',
      upload_timestamp: String(options.uploadTime ?? ingestTime),
    },
  };
}
