import { IngestRecord } from '../buffer/record';
import { eventTable, Row } from '../schema/tables';
import { GeoInfo } from './enrich/geo';
import { TrafficSourceClassifier } from './enrich/trafficSource';
import { UserAgentInfo } from './enrich/userAgent';
import {
  Attributes,
  bool,
  isObject,
  num,
  parseUrl,
  str,
  userValue,
} from './values';

/** The instants a JavaScript date can hold (and so a warehouse date column). */
export const MAX_TIME_MS = 8.64e15;

/** What every event of one request shares, worked out once per request. */
export interface RequestContext {
  record: IngestRecord;
  projectId: string;
  /** The parsed user agent (none when that enrichment is off). */
  device?: UserAgentInfo;
  isBot: boolean;
  /** Where the client address is (none when that enrichment is off or unknown). */
  geo?: GeoInfo;
  /** Classifies traffic sources (none when that enrichment is off). */
  traffic?: TrafficSourceClassifier;
  /** `created_time_msec` of every row of the batch. */
  created: number;
}

/** One valid event being flattened. */
export interface EventContext {
  event: Record<string, any>;
  /** The event's `attributes` and `user` objects (empty when absent). */
  a: Attributes;
  user: Attributes;
  name: string;
  /** The event time, corrected by `shift` for the client's clock. */
  time: number;
  shift: number;
  /** Its local date in the app's time zone. */
  date: string;
  platform: string;
  pageUrl: string | null;
  url?: URL;
}

/** Writes one group of the event row's columns. */
type ColumnGroup = (row: Row, e: EventContext, r: RequestContext) => void;

export function eventContext(
  event: Record<string, any>,
  name: string,
  time: number,
  shift: number,
  date: string,
  record: IngestRecord,
): EventContext {
  const a: Attributes = isObject(event.attributes) ? event.attributes : {};
  const pageUrl = str(a._page_url);
  return {
    event,
    a,
    user: isObject(event.user) ? event.user : {},
    name,
    time,
    shift,
    date,
    platform: str(event.platform) ?? str(record.query.platform) ?? 'Web',
    pageUrl,
    url: parseUrl(pageUrl),
  };
}

/** A time from the SDK's attributes, corrected like the event's: only when a date can hold it. */
function shifted(e: EventContext, value: unknown): number | null {
  const n = num(value);
  return n === null || !(Math.abs(n + e.shift) < MAX_TIME_MS)
    ? null
    : n + e.shift;
}

const eventColumns: ColumnGroup = (row, { event, a, name, time, date }, r) => {
  row.event_id = event.event_id;
  row.event_time_msec = time;
  row.event_date = date;
  row.event_name = name;
  row.event_value = num(
    a._value ?? event.event_value ?? event.event_value_in_usd,
  );
  row.event_value_currency = str(
    a._currency ?? event.event_value_currency ?? event.currency,
  );
  row.event_bundle_sequence_id = num(r.record.query.event_bundle_sequence_id);
  row.ingest_time_msec = r.record.ingestTime;
};

/** The device as the SDK reports it, completed from the user agent. */
const deviceColumns: ColumnGroup = (row, { event, platform }, r) => {
  const { device } = r;
  const zoneOffset = num(event.zone_offset);
  row.device_mobile_brand_name = str(event.brand);
  row.device_mobile_model_name = str(event.model);
  row.device_manufacturer = str(event.make);
  row.device_carrier = str(event.carrier);
  row.device_network_type = str(event.network_type);
  row.device_operating_system =
    str(event.os_name) ?? mobileOs(platform) ?? device?.os ?? null;
  row.device_operating_system_version =
    str(event.os_version) ?? device?.osVersion ?? null;
  row.device_vendor_id = str(event.device_id);
  row.device_advertising_id = str(
    event.device_unique_id ?? event.advertising_id,
  );
  row.device_system_language = str(event.system_language);
  row.device_time_zone_offset_seconds =
    zoneOffset === null ? null : Math.round(zoneOffset / 1000);
  row.device_ua_browser = device?.browser ?? null;
  row.device_ua_browser_version = device?.browserVersion ?? null;
  row.device_ua_os = device?.os ?? null;
  row.device_ua_os_version = device?.osVersion ?? null;
  row.device_ua_device = device?.device ?? null;
  row.device_ua_device_category = device?.deviceCategory ?? null;
  row.device_ua = r.record.userAgent || null;
  row.device_screen_width = num(event.screen_width);
  row.device_screen_height = num(event.screen_height);
  row.device_viewport_width = num(event.viewport_width);
  row.device_viewport_height = num(event.viewport_height);
};

/** Where the client is, from its address (the IP geolocation enrichment). */
const geoColumns: ColumnGroup = (row, { event }, { geo }) => {
  row.geo_continent = geo?.continent ?? null;
  row.geo_country = geo?.country ?? null;
  row.geo_region = geo?.region ?? null;
  row.geo_city = geo?.city ?? null;
  row.geo_locale = str(event.locale);
};

/** The event's traffic source and channel group (the traffic source enrichment). */
const trafficColumns: ColumnGroup = (row, { a, pageUrl }, r) => {
  const traffic = r.traffic?.classify({
    sdk: prefixed(a, '_traffic_source_'),
    sdkUtm: { ...prefixed(a, '_utm_'), gclid: str(a._gclid) ?? undefined },
    pageUrl,
    pageReferrer: str(a._page_referrer),
    latestReferrer: str(a._latest_referrer),
    latestReferrerHost: str(a._latest_referrer_host),
  });
  row.traffic_source_source = traffic?.source ?? null;
  row.traffic_source_medium = traffic?.medium ?? null;
  row.traffic_source_campaign = traffic?.campaign ?? null;
  row.traffic_source_content = traffic?.content ?? null;
  row.traffic_source_term = traffic?.term ?? null;
  row.traffic_source_campaign_id = traffic?.campaignId ?? null;
  row.traffic_source_clid_platform = traffic?.clidPlatform ?? null;
  row.traffic_source_clid = traffic?.clid ?? null;
  row.traffic_source_channel_group = traffic?.channelGroup ?? null;
  row.traffic_source_category = traffic?.category ?? null;
};

const appColumns: ColumnGroup = (row, { event, a, platform }, r) => {
  row.app_package_id = str(event.app_package_name);
  row.app_version = str(event.app_version);
  row.app_title = str(event.app_title);
  row.app_install_source = str(
    a._app_install_channel ?? a._app_install_source ?? a._install_channel,
  );
  row.platform = platform;
  row.project_id = r.projectId;
  row.app_id = event.app_id;
};

const screenViewColumns: ColumnGroup = (row, e) => {
  const { a } = e;
  const isScreen = e.name === '_screen_view';
  row.screen_view_screen_name = isScreen ? str(a._screen_name) : null;
  row.screen_view_screen_id = isScreen ? str(a._screen_id) : null;
  row.screen_view_screen_unique_id = isScreen ? str(a._screen_unique_id) : null;
  row.screen_view_previous_screen_name = isScreen
    ? str(a._previous_screen_name)
    : null;
  row.screen_view_previous_screen_id = isScreen
    ? str(a._previous_screen_id)
    : null;
  row.screen_view_previous_time_msec = isScreen
    ? shifted(e, a._previous_timestamp)
    : null;
  row.screen_view_engagement_time_msec = isScreen
    ? num(a._engagement_time_msec)
    : null;
  row.screen_view_entrances = isScreen ? bool(a._entrances) : null;
};

const pageViewColumns: ColumnGroup = (row, e) => {
  const { a, event, url } = e;
  const isPage = e.name === '_page_view';
  row.page_view_page_referrer = isPage ? str(a._page_referrer) : null;
  row.page_view_page_referrer_title = isPage
    ? str(a._page_referrer_title)
    : null;
  row.page_view_previous_time_msec = isPage
    ? shifted(e, a._previous_timestamp)
    : null;
  row.page_view_engagement_time_msec = isPage
    ? num(a._engagement_time_msec)
    : null;
  row.page_view_page_title = str(a._page_title);
  row.page_view_page_url = e.pageUrl;
  row.page_view_page_url_path = url ? url.pathname : null;
  row.page_view_page_url_query_parameters =
    url && url.search
      ? JSON.stringify(Object.fromEntries(url.searchParams))
      : null;
  row.page_view_hostname = url ? url.hostname : str(event.host_name);
  row.page_view_latest_referrer = str(a._latest_referrer);
  row.page_view_latest_referrer_host = str(a._latest_referrer_host);
  row.page_view_entrances = isPage ? bool(a._entrances) : null;
};

/** The preset events' own attributes: app start, upgrade, search, outbound links, errors. */
const presetEventColumns: ColumnGroup = (row, { a, name }) => {
  const engagement = num(a._engagement_time_msec);
  row.app_start_is_first_time =
    name === '_app_start' ? bool(a._is_first_time) : null;
  row.upgrade_previous_app_version = str(a._previous_app_version);
  row.upgrade_previous_os_version = str(a._previous_os_version);
  row.search_key = str(a._search_key);
  row.search_term = str(a._search_term);
  row.outbound_link_classes = str(a._link_classes);
  row.outbound_link_domain = str(a._link_domain);
  row.outbound_link_id = str(a._link_id);
  row.outbound_link_url = str(a._link_url);
  row.outbound_link = a._outbound === undefined ? null : bool(a._outbound);
  row.user_engagement_time_msec =
    name === '_user_engagement' ? engagement : null;
  row.scroll_engagement_time_msec = name === '_scroll' ? engagement : null;
  row.sdk_error_code = str(a._error_code);
  row.sdk_error_message = str(a._error_message);
  row.app_exception_message = str(a._exception_message);
  row.app_exception_stack = str(a._exception_stack);
};

const userColumns: ColumnGroup = (row, e) => {
  const { event, user } = e;
  row.user_first_touch_time_msec = shifted(
    e,
    userValue(user._user_first_touch_timestamp),
  );
  row.user_id = str(userValue(user._user_id));
  row.user_pseudo_id =
    str(event.unique_id ?? event.user_pseudo_id) ?? str(event.device_id) ?? '';
};

const sessionColumns: ColumnGroup = (row, e) => {
  const { a } = e;
  row.session_id = str(a._session_id);
  row.session_start_time_msec = shifted(
    e,
    a._session_start_timestamp ?? a._session_start_time_msec,
  );
  row.session_duration = num(a._session_duration);
  row.session_number = num(a._session_number);
};

/** The SDK, the bot flag, custom attributes and where the request came from. */
const processColumns: ColumnGroup = (row, { event, a, shift }, r) => {
  const custom: Attributes = {};
  let hasCustom = false;
  for (const key in a) {
    if (key[0] !== '_') {
      custom[key] = a[key];
      hasCustom = true;
    }
  }
  const { record } = r;
  row.sdk_version = str(event.sdk_version);
  row.sdk_name = str(event.sdk_name);
  row.is_bot = r.isBot;
  row.custom_parameters_json_str = hasCustom ? JSON.stringify(custom) : null;
  row.process_info = JSON.stringify({
    rid: record.requestId,
    ingest_time: record.ingestTime,
    source_ip: record.sourceIp,
    upload_time: num(record.query.upload_timestamp),
    ...(shift !== 0 ? { event_timestamp_adjusted_ms: shift } : {}),
  });
  row.created_time_msec = r.created;
};

/**
 * Every column group of an event row, in the order they are written. An enrichment is one
 * group here, its columns in `schema/tables.ts`, and its switch in the request context.
 */
const COLUMN_GROUPS: readonly ColumnGroup[] = [
  eventColumns,
  deviceColumns,
  geoColumns,
  trafficColumns,
  appColumns,
  screenViewColumns,
  pageViewColumns,
  presetEventColumns,
  userColumns,
  sessionColumns,
  processColumns,
];

/**
 * Every event column, null: each row starts as a copy, so the groups fill an object whose
 * shape is set once (filling an empty object column by column is about a tenth slower).
 */
const BLANK_EVENT_ROW: Row = Object.fromEntries(
  eventTable.columns.map(([name]) => [name, null]),
);

/** The event's row in the reference's `event_v2` columns. */
export function eventRow(e: EventContext, r: RequestContext): Row {
  const row: Row = { ...BLANK_EVENT_ROW };
  for (const group of COLUMN_GROUPS) group(row, e, r);
  return row;
}

/** The SDK's attributes that start with `prefix`, without it (empty ones left out). */
function prefixed(
  a: Attributes,
  prefix: string,
): Partial<Record<string, string>> {
  const out: Partial<Record<string, string>> = {};
  for (const key of Object.keys(a)) {
    if (!key.startsWith(prefix)) continue;
    const value = str(a[key]);
    if (value) out[key.slice(prefix.length)] = value;
  }
  return out;
}

function mobileOs(platform: string): string | null {
  if (platform === 'Android') return 'Android';
  if (platform === 'iOS') return 'iOS';
  return null;
}
