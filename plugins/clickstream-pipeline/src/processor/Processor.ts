import { IngestRecord } from '../buffer/record';
import { decodePayload, PAYLOAD_LIMITS, PayloadLimits } from '../payload';
import { ProcessedBatch, ProcessingStats } from '../schema/batch';
import {
  eventTable,
  itemTable,
  Row,
  TableDefinition,
  TRAFFIC_FIELDS,
} from '../schema/tables';
import { mergeRow, sessionMergeRules, userMergeRules } from '../schema/merge';
import { eventContext, eventRow, MAX_TIME_MS, RequestContext } from './columns';
import { GeoLocator } from './enrich/geo';
import {
  TrafficSourceClassifier,
  TrafficSourceRules,
} from './enrich/trafficSource';
import { UserAgentParser } from './enrich/userAgent';
import { LocalDates } from './localDate';
import { validateEvent } from './validate';
import { Attributes, isObject, num, str, userValue } from './values';

/** Clock skew beyond this (client upload time vs. server receive time) is corrected. */
const SKEW_THRESHOLD_MS = 10 * 60 * 1000;
/** Events the reference keeps even when dated in the future. */
const ALWAYS_FRESH = new Set(['_first_open', '_first_visit', '_profile_set']);
/** Events that carry a session and may start it (the reference's session sources). */
const SESSION_EVENTS = new Set([
  '_session_start',
  '_page_view',
  '_screen_view',
  '_user_engagement',
  '_app_end',
]);
/** Quarantined text kept per request: a whole SDK request fits (the collector takes 1 MiB). */
const MAX_RAW = 1024 * 1024;
/** Invalid events a quarantine row's reason names one by one. */
const REASONS_LISTED = 5;
/** Integer columns are 64 bits wide: a number past this fits none of them. */
const MAX_BIGINT = 9.2e18;

/** What the processor needs to know about an app. @public */
export interface ProcessorApp {
  appId: string;
  /** IANA zone of the app's days (UTC when the app has none). */
  timezone: string;
}

/** @public */
export interface ProcessorOptions {
  projectId: string;
  /** The project's apps: events of any other app id are dropped and counted. */
  apps: ReadonlyMap<string, ProcessorApp>;
  dataFreshnessHours: number;
  enrichments?: {
    userAgent?: boolean;
    ipGeo?: boolean;
    trafficSource?: boolean;
    botFlag?: boolean;
  };
  geo?: GeoLocator;
  trafficSourceRules?: Partial<TrafficSourceRules>;
  /** What one request may carry (default {@link PAYLOAD_LIMITS}); more is quarantined whole. */
  payloadLimits?: PayloadLimits;
  now?: () => number;
}

/** Adds records to a batch one at a time (see {@link Processor.begin}). @public */
export interface BatchBuilder {
  /** The batch so far; `stats.expandedBytes` is what it has cost. */
  readonly batch: ProcessedBatch;
  add(record: IngestRecord): void;
  /** Keeps a request whole in quarantine without processing it (one that cannot be loaded). */
  quarantine(record: IngestRecord, reason: string): void;
  /** The batch with its users and sessions, once every record is added. */
  finish(): ProcessedBatch;
}

type RecordStats = Omit<ProcessingStats, 'records' | 'accepted' | 'bots'>;

/** One request's rows, before they join the batch. */
interface RecordRows {
  /** Each event's row, its user attributes as JSON, and its app. */
  events: Array<{ row: Row; userProperties: string; app: ProcessorApp }>;
  items: Row[];
  quarantine?: Row;
  stats: RecordStats;
}

function emptyRecordStats(): RecordStats {
  return {
    events: 0,
    quarantined: 0,
    quarantinedRequests: 0,
    expandedBytes: 0,
    stale: 0,
    unknownApp: 0,
    clockAdjusted: 0,
  };
}

/**
 * Turns ingest records (raw request bodies as the collector stored them) into warehouse rows:
 * decode, explode, validate (quarantining what fails), filter by freshness and app, correct
 * clock skew, flatten to the reference's columns, and enrich with user agent, geolocation,
 * traffic source and a bot flag. Pure: the same records give the same rows (but for
 * `created_time_msec`), so a batch can be processed again after a crash.
 * @public
 */
export class Processor {
  readonly #ua = new UserAgentParser();
  readonly #traffic: TrafficSourceClassifier;
  readonly #dates = new Map<string, LocalDates>();
  readonly #now: () => number;

  constructor(private readonly options: ProcessorOptions) {
    this.#traffic = new TrafficSourceClassifier(options.trafficSourceRules);
    this.#now = options.now ?? Date.now;
  }

  process(records: readonly IngestRecord[]): ProcessedBatch {
    const builder = this.begin();
    for (const record of records) builder.add(record);
    return builder.finish();
  }

  /**
   * Starts a batch that records are added to one at a time, so that a caller can stop at a
   * budget (`expandedBytes`) or yield to its event loop between records. A record that fails
   * in any way is quarantined whole and leaves nothing else behind in the batch.
   */
  begin(): BatchBuilder {
    const batch: ProcessedBatch = {
      events: [],
      items: [],
      users: [],
      sessions: [],
      quarantine: [],
      stats: {
        records: 0,
        events: 0,
        accepted: 0,
        quarantined: 0,
        quarantinedRequests: 0,
        expandedBytes: 0,
        stale: 0,
        unknownApp: 0,
        bots: 0,
        clockAdjusted: 0,
      },
    };
    const users = new Map<string, Row>();
    const sessions = new Map<string, Row>();
    const created = this.#now();
    return {
      batch,
      add: record => {
        batch.stats.records++;
        let rows: RecordRows;
        try {
          rows = this.#processRecord(record, created);
        } catch (e) {
          rows = wholeRequest(
            record,
            `the request could not be processed: ${(e as Error).message}`,
            created,
          );
        }
        this.#addRows(batch, rows, users, sessions, created);
      },
      quarantine: (record, reason) => {
        batch.stats.records++;
        const rows = wholeRequest(record, reason, created);
        this.#addRows(batch, rows, users, sessions, created);
      },
      finish: () => {
        batch.users = [...users.values()];
        batch.sessions = [...sessions.values()];
        return batch;
      },
    };
  }

  /** Adds one request's rows to the batch, merging its users and sessions. */
  #addRows(
    batch: ProcessedBatch,
    rows: RecordRows,
    users: Map<string, Row>,
    sessions: Map<string, Row>,
    created: number,
  ) {
    const { stats } = batch;
    stats.events += rows.stats.events;
    stats.accepted += rows.events.length;
    stats.quarantined += rows.stats.quarantined;
    stats.quarantinedRequests += rows.stats.quarantinedRequests;
    stats.expandedBytes += rows.stats.expandedBytes;
    stats.stale += rows.stats.stale;
    stats.unknownApp += rows.stats.unknownApp;
    stats.clockAdjusted += rows.stats.clockAdjusted;
    if (rows.quarantine) batch.quarantine.push(rows.quarantine);
    for (const { row, userProperties, app } of rows.events) {
      if (row.is_bot) stats.bots++;
      batch.events.push(row);
      mergeUser(users, row, userProperties, created, ms =>
        this.#localDates(app.timezone).dateOf(ms),
      );
      if (row.session_id && SESSION_EVENTS.has(row.event_name as string)) {
        mergeSession(sessions, row, created);
      }
    }
    for (const item of rows.items) batch.items.push(item);
  }

  /**
   * One request's rows, built apart from the batch: anything that throws here (a value no
   * date can hold, JSON nested too deep to write back) quarantines the request alone.
   */
  #processRecord(record: IngestRecord, created: number): RecordRows {
    let decoded: unknown[];
    let expandedBytes: number;
    try {
      ({ events: decoded, expandedBytes } = decodePayload(
        record.body,
        this.options.payloadLimits ?? PAYLOAD_LIMITS,
      ));
    } catch (e) {
      return wholeRequest(record, (e as Error).message, created);
    }
    const rows: RecordRows = {
      events: [],
      items: [],
      stats: { ...emptyRecordStats(), expandedBytes },
    };
    const { stats } = rows;
    const enrich = this.options.enrichments ?? {};
    // One parse per request: every event of a request shares its user agent.
    const ua =
      enrich.userAgent === false && enrich.botFlag === false
        ? undefined
        : this.#ua.parse(record.userAgent ?? '');
    const request: RequestContext = {
      record,
      projectId: this.options.projectId,
      device: enrich.userAgent === false ? undefined : ua,
      isBot: enrich.botFlag !== false && !!ua?.isBot,
      geo:
        enrich.ipGeo !== false && this.options.geo
          ? this.options.geo.locate(record.sourceIp)
          : undefined,
      traffic: enrich.trafficSource === false ? undefined : this.#traffic,
      created,
    };
    const upload = Number(record.query.upload_timestamp);
    const skew =
      Number.isFinite(upload) && upload > 0 ? record.ingestTime - upload : 0;
    const freshnessMs = this.options.dataFreshnessHours * 3_600_000;
    // The app the collector admitted the request for; its events may not speak for another.
    const admitted = record.query.appId;
    const invalid: Array<{ index: number; reason: string; raw: unknown }> = [];

    decoded.forEach((raw, index) => {
      stats.events++;
      if (
        admitted &&
        isObject(raw) &&
        (raw.app_id === undefined || raw.app_id === null)
      ) {
        raw.app_id = admitted;
      }
      const reason =
        validateEvent(raw) ??
        (admitted && (raw as Attributes).app_id !== admitted
          ? `app_id '${String((raw as Attributes).app_id).slice(
              0,
              100,
            )}' is not the app the request was sent for ('${admitted}')`
          : undefined);
      if (reason) {
        invalid.push({ index, reason, raw });
        return;
      }
      const event = raw as Record<string, any>;
      const app = this.options.apps.get(event.app_id);
      if (!app) {
        stats.unknownApp++;
        return;
      }
      const name: string = event.event_type ?? event.event_name;
      // The reference corrects the clock when the upload time is far from the receive time,
      // or when the event claims to come from the future.
      const shift =
        skew !== 0 &&
        (Math.abs(skew) > SKEW_THRESHOLD_MS ||
          event.timestamp > record.ingestTime)
          ? skew
          : 0;
      const time = event.timestamp + shift;
      if (!(time > 0 && time < MAX_TIME_MS)) {
        invalid.push({
          index,
          reason: 'timestamp, corrected by the upload time, is not a date',
          raw,
        });
        return;
      }
      if (shift !== 0) stats.clockAdjusted++;
      if (
        record.ingestTime - time > freshnessMs ||
        (time > record.ingestTime + SKEW_THRESHOLD_MS &&
          !ALWAYS_FRESH.has(name))
      ) {
        stats.stale++;
        return;
      }
      const row = eventRow(
        eventContext(
          event,
          name,
          time,
          shift,
          this.#localDates(app.timezone).dateOf(time),
          record,
        ),
        request,
      );
      const items = Array.isArray(event.items)
        ? event.items
            .filter(
              (item: unknown): item is Attributes =>
                typeof item === 'object' && item !== null,
            )
            .map((item: Attributes, itemIndex: number) =>
              itemRow(row, item, itemIndex, created),
            )
        : [];
      const outOfRange =
        integerOutOfRange(eventTable, row) ??
        items
          .map((item: Row) => integerOutOfRange(itemTable, item))
          .find(Boolean);
      if (outOfRange) {
        invalid.push({
          index,
          reason: `${outOfRange} is out of range (a 64-bit integer)`,
          raw,
        });
        return;
      }
      const userProperties: Attributes = {};
      if (isObject(event.user)) {
        for (const [key, value] of Object.entries(event.user)) {
          userProperties[key] = userValue(value);
        }
      }
      // Written once here, so a value that cannot be written fails this request alone.
      rows.events.push({
        row,
        userProperties: JSON.stringify(userProperties),
        app,
      });
      rows.items.push(...items);
    });
    if (invalid.length > 0) {
      stats.quarantined += invalid.length;
      rows.quarantine = quarantineRow(
        record,
        invalid[0].index,
        describeInvalid(invalid, decoded.length),
        rawOf(
          invalid.map(i => i.raw),
          record,
        ),
        created,
      );
    }
    return rows;
  }

  #localDates(timeZone: string): LocalDates {
    let dates = this.#dates.get(timeZone);
    if (!dates) {
      dates = new LocalDates(timeZone);
      this.#dates.set(timeZone, dates);
    }
    return dates;
  }
}

/** Pairs of (user or session column, event column) of an event's traffic source. */
const trafficPairs = (prefix: string, category: string) => [
  ...TRAFFIC_FIELDS.map(c => [`${prefix}${c}`, `traffic_source_${c}`]),
  [category, 'traffic_source_category'],
];
const USER_TRAFFIC = trafficPairs('first_traffic_', 'first_traffic_category');
const SESSION_TRAFFIC = trafficPairs('session_', 'session_source_category');

function copyTraffic(event: Row, to: Row, pairs: string[][]) {
  for (const [column, eventColumn] of pairs) to[column] = event[eventColumn];
}

/** A user's row as one event describes it; the batch merges it into the user's row. */
function mergeUser(
  users: Map<string, Row>,
  row: Row,
  /** The event's user attributes, as JSON. */
  properties: string,
  created: number,
  dateOf: (ms: number) => string,
) {
  const key = `${row.app_id}\u0000${row.user_pseudo_id}`;
  const firstTouch =
    (row.user_first_touch_time_msec as number | null) ??
    (row.event_time_msec as number);
  const user: Row = {
    app_id: row.app_id,
    user_pseudo_id: row.user_pseudo_id,
    event_time_msec: row.event_time_msec,
    user_id: row.user_id,
    user_properties_json_str: properties,
    first_touch_time_msec: firstTouch,
    first_visit_date: dateOf(firstTouch),
    first_referrer:
      row.page_view_page_referrer ?? row.page_view_latest_referrer,
    first_app_install_source: row.app_install_source,
    created_time_msec: created,
  };
  copyTraffic(row, user, USER_TRAFFIC);
  const existing = users.get(key);
  if (existing) mergeRow(userMergeRules, existing, user);
  else users.set(key, user);
}

/** A session's row as one event describes it; the batch merges it into the session's row. */
function mergeSession(sessions: Map<string, Row>, row: Row, created: number) {
  const key = `${row.app_id}\u0000${row.user_pseudo_id}\u0000${row.session_id}`;
  const session: Row = {
    app_id: row.app_id,
    user_pseudo_id: row.user_pseudo_id,
    session_id: row.session_id,
    event_time_msec: row.event_time_msec,
    user_id: row.user_id,
    session_number: row.session_number,
    session_start_time_msec: row.session_start_time_msec ?? row.event_time_msec,
    created_time_msec: created,
  };
  copyTraffic(row, session, SESSION_TRAFFIC);
  const existing = sessions.get(key);
  if (existing) mergeRow(sessionMergeRules, existing, session);
  else sessions.set(key, session);
}

function itemRow(
  event: Row,
  item: Record<string, unknown>,
  index: number,
  created: number,
): Row {
  const known = new Set([
    'id',
    'item_id',
    'name',
    'item_name',
    'brand',
    'currency',
    'price',
    'quantity',
    'creative_name',
    'creative_slot',
    'location_id',
    'category',
    'category2',
    'category3',
    'category4',
    'category5',
  ]);
  const custom = Object.fromEntries(
    Object.entries(item).filter(([k]) => !known.has(k)),
  );
  return {
    app_id: event.app_id,
    event_id: event.event_id,
    item_index: index,
    event_time_msec: event.event_time_msec,
    event_name: event.event_name,
    platform: event.platform,
    user_pseudo_id: event.user_pseudo_id,
    user_id: event.user_id,
    item_id: str(item.item_id ?? item.id),
    name: str(item.item_name ?? item.name),
    brand: str(item.brand),
    currency: str(item.currency),
    price: num(item.price),
    quantity: num(item.quantity),
    creative_name: str(item.creative_name),
    creative_slot: str(item.creative_slot),
    location_id: str(item.location_id),
    category: str(item.category),
    category2: str(item.category2),
    category3: str(item.category3),
    category4: str(item.category4),
    category5: str(item.category5),
    custom_parameters_json_str: Object.keys(custom).length
      ? JSON.stringify(custom)
      : null,
    created_time_msec: created,
  };
}

function quarantineRow(
  record: IngestRecord,
  index: number,
  reason: string,
  raw: string,
  created: number,
): Row {
  return {
    request_id: record.requestId,
    event_index: index,
    app_id: record.query.appId ?? null,
    ingest_time_msec: record.ingestTime,
    reason,
    raw,
    created_time_msec: created,
  };
}

/** A request kept whole in quarantine: one row with its body as received. */
function wholeRequest(
  record: IngestRecord,
  reason: string,
  created: number,
): RecordRows {
  const rows: RecordRows = { events: [], items: [], stats: emptyRecordStats() };
  rows.stats.quarantined = 1;
  rows.stats.quarantinedRequests = 1;
  rows.quarantine = quarantineRow(
    record,
    -1,
    reason,
    record.body.subarray(0, MAX_RAW).toString('utf8'),
    created,
  );
  return rows;
}

/** "event 1: reason", or how many of the request's events failed and the first reasons. */
function describeInvalid(
  invalid: ReadonlyArray<{ index: number; reason: string }>,
  total: number,
): string {
  const listed = invalid
    .slice(0, REASONS_LISTED)
    .map(i => `event ${i.index}: ${i.reason}`);
  if (invalid.length === 1) return listed[0];
  const more =
    invalid.length > REASONS_LISTED
      ? `; and ${invalid.length - REASONS_LISTED} more`
      : '';
  return `${invalid.length} of ${total} events are invalid: ${listed.join(
    '; ',
  )}${more}`;
}

/**
 * The invalid events as a JSON array (a body the collect endpoint takes again, for replay),
 * or the request's own body when that array would be larger than a row keeps.
 */
function rawOf(events: unknown[], record: IngestRecord): string {
  const json = JSON.stringify(events);
  return json.length <= MAX_RAW
    ? json
    : record.body.subarray(0, MAX_RAW).toString('utf8');
}

/** The first integer column of `row` holding a number no 64-bit integer can. */
function integerOutOfRange(
  table: TableDefinition,
  row: Row,
): string | undefined {
  for (const [name, type] of table.columns) {
    const value = row[name];
    if (
      type === 'bigint' &&
      typeof value === 'number' &&
      !(Math.abs(value) < MAX_BIGINT)
    ) {
      return name;
    }
  }
  return undefined;
}
