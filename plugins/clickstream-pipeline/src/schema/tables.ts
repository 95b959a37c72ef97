/**
 * The warehouse's logical tables, defined once. The DuckDB and Redshift DDL are generated from
 * these lists, and the processor fills rows keyed by the same column names. Names follow the
 * reference solution's v2 schema so that people who know it find the columns they expect.
 */

/** The column types the two warehouses share (`json` is VARCHAR on DuckDB, SUPER on Redshift). @public */
export type ColumnType =
  | 'varchar'
  | 'bigint'
  | 'double'
  | 'boolean'
  | 'date'
  | 'json';

/** @public */
export interface TableDefinition {
  name: string;
  columns: ReadonlyArray<readonly [name: string, type: ColumnType]>;
  /** Columns that identify a row: loads never insert a second row with the same key. */
  key: readonly string[];
}

const v = 'varchar' as const;
const n = 'bigint' as const;
const d = 'double' as const;
const b = 'boolean' as const;

/** The traffic source fields, in the order of the reference's columns. @public */
export const TRAFFIC_FIELDS = [
  'source',
  'medium',
  'campaign',
  'content',
  'term',
  'campaign_id',
  'clid_platform',
  'clid',
  'channel_group',
] as const;

const trafficColumns = (prefix: string) =>
  TRAFFIC_FIELDS.map(c => [`${prefix}${c}`, v] as const);

/** One row per event. @public */
export const eventTable: TableDefinition = {
  name: 'event_v2',
  key: ['app_id', 'event_id'],
  columns: [
    ['event_id', v],
    ['event_time_msec', n],
    // The event's day in the app's time zone when it was loaded: reports group by it.
    ['event_date', 'date'],
    ['event_name', v],
    ['event_value', d],
    ['event_value_currency', v],
    ['event_bundle_sequence_id', n],
    ['ingest_time_msec', n],
    ['device_mobile_brand_name', v],
    ['device_mobile_model_name', v],
    ['device_manufacturer', v],
    ['device_carrier', v],
    ['device_network_type', v],
    ['device_operating_system', v],
    ['device_operating_system_version', v],
    ['device_vendor_id', v],
    ['device_advertising_id', v],
    ['device_system_language', v],
    ['device_time_zone_offset_seconds', n],
    ['device_ua_browser', v],
    ['device_ua_browser_version', v],
    ['device_ua_os', v],
    ['device_ua_os_version', v],
    ['device_ua_device', v],
    ['device_ua_device_category', v],
    ['device_ua', v],
    ['device_screen_width', n],
    ['device_screen_height', n],
    ['device_viewport_width', n],
    ['device_viewport_height', n],
    ['geo_continent', v],
    ['geo_country', v],
    ['geo_region', v],
    ['geo_city', v],
    ['geo_locale', v],
    ...trafficColumns('traffic_source_'),
    ['traffic_source_category', v],
    ['user_first_touch_time_msec', n],
    ['app_package_id', v],
    ['app_version', v],
    ['app_title', v],
    ['app_install_source', v],
    ['platform', v],
    ['project_id', v],
    ['app_id', v],
    ['screen_view_screen_name', v],
    ['screen_view_screen_id', v],
    ['screen_view_screen_unique_id', v],
    ['screen_view_previous_screen_name', v],
    ['screen_view_previous_screen_id', v],
    ['screen_view_previous_time_msec', n],
    ['screen_view_engagement_time_msec', n],
    ['screen_view_entrances', b],
    ['page_view_page_referrer', v],
    ['page_view_page_referrer_title', v],
    ['page_view_previous_time_msec', n],
    ['page_view_engagement_time_msec', n],
    ['page_view_page_title', v],
    ['page_view_page_url', v],
    ['page_view_page_url_path', v],
    ['page_view_page_url_query_parameters', 'json'],
    ['page_view_hostname', v],
    ['page_view_latest_referrer', v],
    ['page_view_latest_referrer_host', v],
    ['page_view_entrances', b],
    ['app_start_is_first_time', b],
    ['upgrade_previous_app_version', v],
    ['upgrade_previous_os_version', v],
    ['search_key', v],
    ['search_term', v],
    ['outbound_link_classes', v],
    ['outbound_link_domain', v],
    ['outbound_link_id', v],
    ['outbound_link_url', v],
    ['outbound_link', b],
    ['user_engagement_time_msec', n],
    ['user_id', v],
    ['user_pseudo_id', v],
    ['session_id', v],
    ['session_start_time_msec', n],
    ['session_duration', n],
    ['session_number', n],
    ['scroll_engagement_time_msec', n],
    ['sdk_error_code', v],
    ['sdk_error_message', v],
    ['sdk_version', v],
    ['sdk_name', v],
    ['app_exception_message', v],
    ['app_exception_stack', v],
    ['is_bot', b],
    ['custom_parameters_json_str', 'json'],
    ['process_info', 'json'],
    ['created_time_msec', n],
  ],
};

/** One row per item of an event (e-commerce). @public */
export const itemTable: TableDefinition = {
  name: 'item_v2',
  key: ['app_id', 'event_id', 'item_index'],
  columns: [
    ['app_id', v],
    ['event_id', v],
    ['item_index', n],
    ['event_time_msec', n],
    ['event_name', v],
    ['platform', v],
    ['user_pseudo_id', v],
    ['user_id', v],
    ['item_id', v],
    ['name', v],
    ['brand', v],
    ['currency', v],
    ['price', d],
    ['quantity', n],
    ['creative_name', v],
    ['creative_slot', v],
    ['location_id', v],
    ['category', v],
    ['category2', v],
    ['category3', v],
    ['category4', v],
    ['category5', v],
    ['custom_parameters_json_str', 'json'],
    ['created_time_msec', n],
  ],
};

/** One row per pseudo user: the latest user id and properties, and how they first arrived. @public */
export const userTable: TableDefinition = {
  name: 'user_v2',
  key: ['app_id', 'user_pseudo_id'],
  columns: [
    ['app_id', v],
    ['user_pseudo_id', v],
    // The latest event that changed this row: later events win for user_id and properties.
    ['event_time_msec', n],
    ['user_id', v],
    ['user_properties_json_str', 'json'],
    ['first_touch_time_msec', n],
    ['first_visit_date', 'date'],
    ['first_referrer', v],
    ...trafficColumns('first_traffic_'),
    ['first_traffic_category', v],
    ['first_app_install_source', v],
    ['created_time_msec', n],
  ],
};

/** One row per session, with the traffic source that started it. @public */
export const sessionTable: TableDefinition = {
  name: 'session',
  key: ['app_id', 'user_pseudo_id', 'session_id'],
  columns: [
    ['app_id', v],
    ['user_pseudo_id', v],
    ['session_id', v],
    ['event_time_msec', n],
    ['user_id', v],
    ['session_number', n],
    ['session_start_time_msec', n],
    ...trafficColumns('session_'),
    ['session_source_category', v],
    ['created_time_msec', n],
  ],
};

/** Events (or whole requests) that failed validation, with the reason: kept, never dropped. @public */
export const quarantineTable: TableDefinition = {
  name: 'quarantine',
  key: ['request_id', 'event_index'],
  columns: [
    ['request_id', v],
    // -1 when the whole request could not be decoded.
    ['event_index', n],
    ['app_id', v],
    ['ingest_time_msec', n],
    ['reason', v],
    ['raw', v],
    ['created_time_msec', n],
  ],
};

/** Every table the warehouse holds, in load order. @public */
export const warehouseTables = [
  eventTable,
  itemTable,
  userTable,
  sessionTable,
  quarantineTable,
] as const;

/** A row of one of the tables: column name to value (null when unknown). @public */
export type Row = Record<string, string | number | boolean | null>;
