import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** The SDK platforms the generator can impersonate. */
export type Platform = 'Web' | 'Android' | 'iOS';

export const PLATFORMS: readonly Platform[] = ['Web', 'Android', 'iOS'];

/** A user attribute as the SDKs send it under `user`. */
export interface UserAttributeValue {
  value: string | number | boolean;
  set_timestamp: number;
}

/** An item of `items[]` (field names of the SDKs' `Item`). */
export interface SdkItem {
  id: string;
  name: string;
  category?: string;
  brand?: string;
  price?: number;
  quantity?: number;
  currency?: string;
}

/**
 * One event as an SDK serialises it. The fields every platform sends are typed; the rest
 * (host_name, viewport_*, brand, carrier, app_version, ...) depend on the platform.
 */
export interface SdkEvent {
  event_type: string;
  event_id: string;
  device_id: string;
  unique_id: string;
  app_id: string;
  timestamp: number;
  platform: Platform;
  locale: string;
  zone_offset: number;
  make: string;
  screen_height: number;
  screen_width: number;
  sdk_name: string;
  sdk_version: string;
  items?: SdkItem[];
  user: Record<string, UserAttributeValue>;
  attributes: Record<string, string | number | boolean>;
  [field: string]: unknown;
}

/** One HTTP request of the collect protocol, ready to send. */
export interface SimulatedRequest {
  /** Query parameters, in the order the SDK writes them. */
  query: Record<string, string>;
  /** The body exactly as sent: a JSON array, or base64 of its gzip for `compression=gzip`. */
  body: Buffer;
  /** `content-type`, `user-agent`, `x-forwarded-for`. */
  headers: Record<string, string>;
  /** Number of events in the body. */
  events: number;
  /** When the SDK sends it (ms since the epoch, simulated time). */
  sendAt: number;
}

/** The `hashCode` query parameter: the first 8 hex digits of SHA-256 of the body as sent. */
export function hashCode(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 8);
}

/** Serialises events the way the platform's SDK does. */
export function encodeBody(events: readonly SdkEvent[], gzip: boolean): Buffer {
  const json = Buffer.from(JSON.stringify(events), 'utf8');
  if (!gzip) return json;
  // Android: Base64.encodeToString(gzip, NO_WRAP); Swift: base64EncodedString() - no line breaks.
  return Buffer.from(gzipSync(json).toString('base64'), 'ascii');
}

/** Decodes a body the way the collector does (a body not starting with `[` is base64+gzip). */
export function decodeBody(body: Buffer): SdkEvent[] {
  const text = body.toString('utf8');
  const json = text.startsWith('[')
    ? text
    : gunzipSync(Buffer.from(text, 'base64')).toString('utf8');
  const parsed = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new Error('body is not a JSON array');
  return parsed as SdkEvent[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `yyyyMMdd-HHmmssSSS` in UTC, the time part of every SDK's session id. */
export function sessionTimePart(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(
    d.getUTCDate(),
    2,
  )}-${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(
    d.getUTCSeconds(),
    2,
  )}${pad(d.getUTCMilliseconds(), 3)}`;
}

/**
 * The `_session_id` each SDK builds:
 * - Web (`Session.ts`): last 8 characters of `unique_id`;
 * - Android (`Session.java`, `trimOrPadString`): last 8 characters of `device_id`, left-padded with `_`;
 * - iOS (`Session.swift`, `padding(toLength:)`): first 8 characters of `unique_id`, right-padded with `_`;
 * then `-yyyyMMdd-HHmmssSSS` of the session start in UTC.
 */
export function sessionId(
  platform: Platform,
  ids: { deviceId: string; uniqueId: string },
  startMs: number,
): string {
  let key: string;
  if (platform === 'Web') key = ids.uniqueId.slice(-8);
  else if (platform === 'Android')
    key = ids.deviceId.slice(-8).padStart(8, '_');
  else key = ids.uniqueId.slice(0, 8).padEnd(8, '_');
  return `${key}-${sessionTimePart(startMs)}`;
}

/** The UTC day (`YYYY-MM-DD`) of a timestamp. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
