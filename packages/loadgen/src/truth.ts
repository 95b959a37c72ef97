import { CRAWLERS, GEOS } from './data';
import { Platform, SdkEvent, utcDay } from './protocol';

/** Counts by key; `YYYY-MM-DD` keys are UTC days of the event timestamps. */
export type Counts = Record<string, number>;

/**
 * What the simulation produced, counted from the events themselves, so that later stages
 * (sessions, users, event counts, geolocation) can be checked against it.
 */
export interface GroundTruth {
  /** The inputs, echoed so that the run can be repeated. */
  appId: string;
  seed: number;
  startDate: string;
  days: number;
  platforms: Platform[];

  /** Distinct `unique_id` (the reference's user_pseudo_id). Crawlers count once per visit. */
  users: number;
  usersByPlatform: Counts;
  /** Distinct `unique_id` whose requests came from a crawler user agent. */
  crawlerUsers: number;
  /** Distinct `user._user_id` values (users who logged in). */
  loggedInUsers: number;
  /** Distinct `unique_id` by the country of the X-Forwarded-For address (see data.ts GEOS). */
  usersByCountry: Counts;
  /** Distinct `unique_id` with a `_first_open` event that day. */
  newUsersByDay: Counts;
  /** Distinct `unique_id` with any event that day. */
  activeUsersByDay: Counts;

  /** Distinct (`unique_id`, `_session_id`). */
  sessions: number;
  /** Sessions by the day of their `_session_start` event. */
  sessionsByDay: Counts;
  /** The reference's engaged session: more than one page/screen view, or `_session_duration` > 10 s. */
  engagedSessions: number;
  /** Web sessions by `source / medium` of their landing page (UTM parameters, else referrer). */
  webSessionsBySource: Counts;

  events: number;
  eventsByName: Counts;
  eventsByDayAndName: Record<string, Counts>;
  eventsByPlatform: Counts;

  requests: number;
  /** Sum of the request bodies as sent. */
  bytes: number;

  purchases: {
    count: number;
    /** Sum of `_value` of `purchase` events by `_currency`, to the cent. */
    revenueByCurrency: Counts;
  };
}

/** What the truth is counted from: each request's events and headers. */
export interface TruthRequest {
  events: readonly SdkEvent[];
  headers: Record<string, string>;
  bytes: number;
}

export type TruthMeta = Pick<
  GroundTruth,
  'appId' | 'seed' | 'startDate' | 'days' | 'platforms'
>;

const CRAWLER_UA = /bot|crawler|spider/i;

const COUNTRY_BY_IP = new Map<string, string>([
  ...GEOS.flatMap(g => g.ips.map(ip => [ip, g.country] as [string, string])),
  // The crawlers' published ranges are in the US.
  ...CRAWLERS.flatMap(c => c.ips.map(ip => [ip, 'US'] as [string, string])),
]);

function sorted(counts: Map<string, number>): Counts {
  const out: Counts = {};
  for (const key of [...counts.keys()].sort()) out[key] = counts.get(key)!;
  return out;
}

function sizes(sets: Map<string, Set<string>>): Counts {
  return sorted(new Map([...sets].map(([k, v]) => [k, v.size])));
}

function add(counts: Map<string, number>, key: string, n = 1) {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

function addTo(sets: Map<string, Set<string>>, key: string, value: string) {
  let set = sets.get(key);
  if (!set) sets.set(key, (set = new Set()));
  set.add(value);
}

const VIEW_EVENTS = new Set(['_page_view', '_screen_view']);

/**
 * `source / medium` of a web landing page, named as the reference's classifier names them for
 * the referrers this generator uses (its referrer table: Google, Bing; `(Organic)`).
 */
export function landingSource(pageUrl: string, referrer: string): string {
  try {
    const params = new URL(pageUrl).searchParams;
    const source = params.get('utm_source');
    const medium = params.get('utm_medium');
    if (source) return `${source} / ${medium ?? 'None'}`;
  } catch {
    // not a URL: fall through to the referrer
  }
  if (!referrer) return 'Direct / None';
  let host = referrer;
  try {
    host = new URL(referrer).hostname;
  } catch {
    // keep the raw value
  }
  if (/(^|\.)google\./.test(host)) return 'Google / (Organic)';
  if (/(^|\.)bing\./.test(host)) return 'Bing / (Organic)';
  return `${host} / (Referral)`;
}

interface SessionAcc {
  platform: string;
  views: number;
  maxDuration: number;
  landingTs: number;
  landing?: string;
}

/** Counts the ground truth from generated (or decoded) requests. */
export function computeTruth(
  requests: readonly TruthRequest[],
  meta: TruthMeta,
): GroundTruth {
  const users = new Set<string>();
  const usersByPlatform = new Map<string, Set<string>>();
  const crawlers = new Set<string>();
  const loggedIn = new Set<string>();
  const usersByCountry = new Map<string, Set<string>>();
  const newUsersByDay = new Map<string, Set<string>>();
  const activeUsersByDay = new Map<string, Set<string>>();
  const sessions = new Map<string, SessionAcc>();
  const sessionsByDay = new Map<string, number>();
  const eventsByName = new Map<string, number>();
  const eventsByDay = new Map<string, Map<string, number>>();
  const eventsByPlatform = new Map<string, number>();
  const revenueCents = new Map<string, number>();
  let events = 0;
  let bytes = 0;
  let purchases = 0;

  for (const request of requests) {
    bytes += request.bytes;
    const crawler = CRAWLER_UA.test(request.headers['user-agent'] ?? '');
    const ip = (request.headers['x-forwarded-for'] ?? '').split(',')[0].trim();
    const country = COUNTRY_BY_IP.get(ip) ?? 'unknown';
    for (const event of request.events) {
      const user = event.unique_id;
      const day = utcDay(event.timestamp);
      const name = event.event_type;
      events++;
      users.add(user);
      addTo(usersByPlatform, event.platform, user);
      addTo(usersByCountry, country, user);
      addTo(activeUsersByDay, day, user);
      if (crawler) crawlers.add(user);
      const userId = event.user?._user_id?.value;
      if (userId !== undefined) loggedIn.add(String(userId));
      if (name === '_first_open') addTo(newUsersByDay, day, user);
      add(eventsByName, name);
      add(eventsByPlatform, event.platform);
      let byName = eventsByDay.get(day);
      if (!byName) eventsByDay.set(day, (byName = new Map()));
      add(byName, name);

      const attributes = event.attributes ?? {};
      const sid = attributes._session_id;
      if (typeof sid === 'string') {
        const key = `${user}\u0000${sid}`;
        let session = sessions.get(key);
        if (!session) {
          session = {
            platform: event.platform,
            views: 0,
            maxDuration: 0,
            landingTs: Infinity,
          };
          sessions.set(key, session);
        }
        if (name === '_session_start') add(sessionsByDay, day);
        const duration = Number(attributes._session_duration ?? 0);
        if (duration > session.maxDuration) session.maxDuration = duration;
        if (VIEW_EVENTS.has(name)) {
          session.views++;
          if (name === '_page_view' && event.timestamp < session.landingTs) {
            session.landingTs = event.timestamp;
            session.landing = landingSource(
              String(attributes._page_url ?? ''),
              String(attributes._latest_referrer ?? ''),
            );
          }
        }
      }
      if (name === 'purchase') {
        purchases++;
        const currency = String(attributes._currency ?? 'unknown');
        add(
          revenueCents,
          currency,
          Math.round(Number(attributes._value) * 100),
        );
      }
    }
  }

  const webSources = new Map<string, number>();
  let engaged = 0;
  for (const session of sessions.values()) {
    if (session.views > 1 || session.maxDuration > 10_000) engaged++;
    if (session.platform === 'Web') {
      add(webSources, session.landing ?? '(not set)');
    }
  }
  const eventsByDayAndName: Record<string, Counts> = {};
  for (const day of [...eventsByDay.keys()].sort()) {
    eventsByDayAndName[day] = sorted(eventsByDay.get(day)!);
  }
  const revenueByCurrency: Counts = {};
  for (const currency of [...revenueCents.keys()].sort()) {
    revenueByCurrency[currency] = revenueCents.get(currency)! / 100;
  }

  return {
    appId: meta.appId,
    seed: meta.seed,
    startDate: meta.startDate,
    days: meta.days,
    platforms: [...meta.platforms],
    users: users.size,
    usersByPlatform: sizes(usersByPlatform),
    crawlerUsers: crawlers.size,
    loggedInUsers: loggedIn.size,
    usersByCountry: sizes(usersByCountry),
    newUsersByDay: sizes(newUsersByDay),
    activeUsersByDay: sizes(activeUsersByDay),
    sessions: sessions.size,
    sessionsByDay: sorted(sessionsByDay),
    engagedSessions: engaged,
    webSessionsBySource: sorted(webSources),
    events,
    eventsByName: sorted(eventsByName),
    eventsByDayAndName,
    eventsByPlatform: sorted(eventsByPlatform),
    requests: requests.length,
    bytes,
    purchases: { count: purchases, revenueByCurrency },
  };
}
