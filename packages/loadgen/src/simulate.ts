import {
  ANDROID_DEVICES,
  BROWSERS,
  CATEGORIES,
  CRAWLERS,
  Crawler,
  FIRST_NAMES,
  GEOS,
  Geo,
  IOS_DEVICES,
  MobileDevice,
  PER_USD,
  PRODUCTS,
  Product,
  SEARCH_TERMS,
  TRAFFIC_SOURCES,
  ZERO_DECIMAL,
} from './data';
import { mixSeed, Rng } from './prng';
import {
  encodeBody,
  hashCode,
  Platform,
  PLATFORMS,
  SdkEvent,
  SdkItem,
  sessionId,
  SimulatedRequest,
  UserAttributeValue,
} from './protocol';
import { computeTruth, GroundTruth } from './truth';

/** @public */
export interface SimulateOptions {
  seed: number;
  /** Simulated people (a crawler slot produces a new pseudo user per visit). */
  users: number;
  days: number;
  /** First simulated day, `YYYY-MM-DD` (UTC). */
  startDate: string;
  appId: string;
  /** Default: all three. */
  platforms?: Platform[];
  /**
   * Largest number of events per request. Unset: each SDK's default - Web in Immediate mode
   * (one event per request), Android and iOS batching up to 100 events every 10 s. Set to
   * more than 1, the Web SDK runs in Batch mode (a flush every 5 s).
   */
  eventsPerRequest?: number;
}

/** @public */
export interface SimulationResult {
  /** Ordered by `sendAt`. */
  requests: SimulatedRequest[];
  truth: GroundTruth;
}

/** What each SDK reports as its name and version (versions are recent releases; illustrative). */
const SDK_NAME = 'aws-solution-clickstream-sdk';
const SDK_VERSION: Record<Platform, string> = {
  Web: '0.12.6',
  Android: '0.14.2',
  iOS: '0.12.4',
};

const DAY_MS = 86_400_000;
/** The SDKs' default session timeout. */
const SESSION_TIMEOUT_MS = 30 * 60_000;
/** Flush intervals: Android/iOS `sendEventsInterval` 10 s; Web Batch mode 5 s. */
const MOBILE_FLUSH_MS = 10_000;
const WEB_BATCH_FLUSH_MS = 5_000;
const MOBILE_MAX_EVENTS = 100;
const CRAWLER_SHARE = 0.03;
const MAX_PAGES = 20;

/** Relative activity by local hour of day. */
const HOURLY = [
  1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2, 2.5, 2.5, 2.5, 3, 2.8, 2.5, 2.5, 2.6,
  2.8, 3.2, 3.6, 3.8, 3.5, 2.5, 1.6,
];
const HOURS = HOURLY.map((_, h) => h);

const PLATFORM_WEIGHT: Record<Platform, number> = {
  Web: 5,
  Android: 3,
  iOS: 2,
};

type PageKind =
  | 'home'
  | 'category'
  | 'product'
  | 'search'
  | 'cart'
  | 'checkout';

const NEXT: Record<PageKind, Array<[PageKind | 'end', number]>> = {
  home: [
    ['category', 35],
    ['search', 20],
    ['product', 25],
    ['end', 20],
  ],
  category: [
    ['product', 55],
    ['category', 10],
    ['search', 5],
    ['end', 30],
  ],
  search: [
    ['product', 55],
    ['search', 10],
    ['end', 35],
  ],
  product: [
    ['product', 25],
    ['category', 15],
    ['cart', 30],
    ['end', 30],
  ],
  cart: [
    ['checkout', 60],
    ['product', 20],
    ['end', 20],
  ],
  checkout: [
    ['home', 25],
    ['end', 75],
  ],
};

const SCREEN_NAMES: Record<'Android' | 'iOS', Record<PageKind, string>> = {
  Android: {
    home: 'MainActivity',
    category: 'CategoryActivity',
    product: 'ProductDetailActivity',
    search: 'SearchActivity',
    cart: 'CartActivity',
    checkout: 'CheckoutActivity',
  },
  iOS: {
    home: 'HomeViewController',
    category: 'CategoryViewController',
    product: 'ProductDetailViewController',
    search: 'SearchViewController',
    cart: 'CartViewController',
    checkout: 'CheckoutViewController',
  },
};

interface Page {
  kind: PageKind;
  url: string;
  title: string;
  product?: Product;
  category?: string;
  term?: string;
}

interface Screen {
  name: string;
  id: string;
  uniqueId: string;
}

interface CartLine {
  product: Product;
  quantity: number;
}

interface App {
  appId: string;
  title: string;
  host: string;
  packageName: string;
}

/** Device and identity of one installation (a browser profile or an app install). */
interface Install {
  platform: Platform;
  deviceId: string;
  uniqueId: string;
  userAgent: string;
  ip: string;
  locale: string;
  zoneOffset: number;
  screen: [number, number];
  viewport?: [number, number];
  mobile?: MobileDevice;
  carrier: string;
  appVersion: string;
  seq: number;
  lastSendAt: number;
  sessionNumber: number;
  firstTouch?: number;
  userId?: string;
  userAttributes: Record<string, UserAttributeValue>;
}

interface Person {
  index: number;
  rng: Rng;
  /** Draws for delivery timing only, so batching options never change the simulated events. */
  sendRng: Rng;
  platform: Platform;
  geo: Geo;
  crawler?: Crawler;
  registered: boolean;
  profile: { name: string; membership: string; age: number };
  loyalty: number;
  install: Install;
  lastEventTs: number;
}

interface PendingRequest {
  request: SimulatedRequest;
  events: SdkEvent[];
  order: number;
}

function titleCase(value: string): string {
  return value
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(w => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

function parseStartDate(startDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(startDate);
  const ms = match
    ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
    : NaN;
  if (!match || new Date(ms).toISOString().slice(0, 10) !== startDate) {
    throw new Error(
      `startDate must be a calendar date YYYY-MM-DD, got '${startDate}'`,
    );
  }
  return ms;
}

function validate(options: SimulateOptions): Platform[] {
  const { seed, users, days, appId, eventsPerRequest } = options;
  if (!Number.isInteger(seed)) throw new Error('seed must be an integer');
  if (!Number.isInteger(users) || users < 0) {
    throw new Error('users must be a non-negative integer');
  }
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new Error('days must be an integer from 1 to 366');
  }
  if (!appId || !/^[A-Za-z0-9_-]{1,128}$/.test(appId)) {
    throw new Error('appId must be 1-128 letters, digits, _ or -');
  }
  if (
    eventsPerRequest !== undefined &&
    (!Number.isInteger(eventsPerRequest) || eventsPerRequest < 1)
  ) {
    throw new Error('eventsPerRequest must be a positive integer');
  }
  const platforms = options.platforms ?? [...PLATFORMS];
  if (platforms.length === 0) throw new Error('platforms must not be empty');
  for (const platform of platforms) {
    if (!PLATFORMS.includes(platform)) {
      throw new Error(
        `unknown platform '${platform}' (use ${PLATFORMS.join(', ')})`,
      );
    }
  }
  return PLATFORMS.filter(p => platforms.includes(p));
}

/** Local price of a product, rounded as a shop would. */
function localPrice(product: Product, currency: string): number {
  const raw = product.priceUsd * (PER_USD[currency] ?? 1);
  return ZERO_DECIMAL.has(currency)
    ? Math.round(raw)
    : Math.round(raw * 100) / 100;
}

const cents = (amount: number) => Math.round(amount * 100);

/** Chance to come back on a later day: one-time visitors, casual and loyal users. */
function loyalty(kind: number, rng: Rng): number {
  if (kind < 0.35) return 0.03;
  if (kind < 0.75) return 0.15 + 0.15 * rng.next();
  return 0.5 + 0.3 * rng.next();
}

/** Builds one session's events with each SDK's envelope and field order. */
class SessionRecorder {
  readonly events: SdkEvent[] = [];
  page?: Page;
  screen?: Screen;
  latestReferrer = '';
  readonly #networkType: string;

  constructor(
    private readonly app: App,
    private readonly person: Person,
    private readonly startTs: number,
    private readonly sid: string,
  ) {
    this.#networkType =
      person.platform !== 'Web' && person.rng.chance(0.35) ? 'Mobile' : 'WIFI';
  }

  record(
    name: string,
    ts: number,
    specific: Record<string, string | number | boolean> = {},
    items?: SdkItem[],
    profile = false,
  ) {
    const { platform, rng } = this.person;
    const install = this.person.install;
    const session = {
      _session_id: this.sid,
      _session_start_timestamp: this.startTs,
      _session_duration: ts - this.startTs,
      _session_number: install.sessionNumber,
    };
    const first: Record<string, UserAttributeValue> = {
      _user_first_touch_timestamp: {
        value: install.firstTouch!,
        set_timestamp: install.firstTouch!,
      },
    };
    // `_profile_set` carries every user attribute; other events only the user id and first touch.
    const { _user_id: userId, ...custom } = install.userAttributes;
    const user: Record<string, UserAttributeValue> = {
      ...(userId ? { _user_id: userId } : {}),
      ...first,
      ...(profile ? custom : {}),
    };
    const [language, region = ''] = install.locale.split('-');

    if (platform === 'Web') {
      const page = this.page;
      const common: Record<string, string | number | boolean> = {
        ...session,
        _page_title: page?.title ?? '',
        _page_url: page?.url ?? `https://${this.app.host}/`,
        _latest_referrer: this.latestReferrer,
        ...(this.latestReferrer
          ? { _latest_referrer_host: new URL(this.latestReferrer).host }
          : {}),
      };
      const attributes =
        name === '_page_view'
          ? { ...common, ...specific }
          : { ...specific, ...common };
      this.events.push({
        event_type: name,
        event_id: rng.uuid(),
        device_id: install.deviceId,
        unique_id: install.uniqueId,
        app_id: this.app.appId,
        timestamp: ts,
        host_name: this.app.host,
        locale: install.locale,
        system_language: language,
        country_code: region.toUpperCase(),
        zone_offset: install.zoneOffset,
        make: 'Gecko',
        platform: 'Web',
        screen_height: install.screen[1],
        screen_width: install.screen[0],
        viewport_height: install.viewport![1],
        viewport_width: install.viewport![0],
        sdk_name: SDK_NAME,
        sdk_version: SDK_VERSION.Web,
        ...(items ? { items } : {}),
        user,
        attributes,
      });
      return;
    }

    const screen: Record<string, string> =
      this.screen && name !== '_screen_view'
        ? {
            _screen_name: this.screen.name,
            _screen_unique_id: this.screen.uniqueId,
          }
        : {};
    const attributes = { ...specific, ...screen, ...session };
    const device = install.mobile!;
    const javaLocale = `${language}_${region.toUpperCase()}`;
    if (platform === 'Android') {
      this.events.push({
        unique_id: install.uniqueId,
        event_type: name,
        event_id: rng.uuid(),
        app_id: this.app.appId,
        timestamp: ts,
        device_id: install.deviceId,
        platform: 'Android',
        os_version: device.osVersion,
        make: device.make,
        brand: device.brand,
        model: device.model,
        locale: javaLocale,
        carrier: install.carrier,
        network_type: this.#networkType,
        screen_height: device.screen[1],
        screen_width: device.screen[0],
        zone_offset: install.zoneOffset,
        system_language: language,
        country: this.person.geo.countryName,
        country_code: region.toUpperCase(),
        sdk_version: SDK_VERSION.Android,
        sdk_name: SDK_NAME,
        app_version: install.appVersion,
        app_package_name: this.app.packageName,
        app_title: this.app.title,
        ...(items ? { items } : {}),
        user,
        attributes,
      });
      return;
    }
    // The Swift SDK serialises with JSONSerialization's .sortedKeys.
    this.events.push(
      sortKeysDeep({
        unique_id: install.uniqueId,
        event_type: name,
        event_id: rng.uuid().toUpperCase(),
        app_id: this.app.appId,
        timestamp: ts,
        device_id: install.deviceId,
        device_unique_id: '',
        platform: 'iOS',
        os_version: device.osVersion,
        make: device.make,
        brand: device.brand,
        model: device.model,
        locale: javaLocale,
        carrier: install.carrier,
        network_type: this.#networkType,
        screen_height: device.screen[1],
        screen_width: device.screen[0],
        zone_offset: install.zoneOffset,
        system_language: language,
        country_code: region.toUpperCase(),
        sdk_version: SDK_VERSION.iOS,
        sdk_name: SDK_NAME,
        app_version: install.appVersion,
        app_package_name: this.app.packageName,
        app_title: this.app.title,
        ...(items ? { items } : {}),
        user,
        attributes,
      }) as SdkEvent,
    );
  }
}

class Simulation {
  #order = 0;

  constructor(
    private readonly app: App,
    private readonly eventsPerRequest: number | undefined,
    private readonly pending: PendingRequest[],
  ) {}

  newInstall(person: Person): Install {
    const { rng, platform, geo, crawler } = person;
    const locale = crawler ? 'en-US' : rng.pick(geo.locales);
    const base = {
      platform,
      locale,
      zoneOffset: crawler ? 0 : geo.utcOffsetMinutes * 60_000,
      ip: crawler ? rng.pick(crawler.ips) : rng.pick(geo.ips),
      carrier: rng.pick(geo.carriers),
      appVersion: rng.chance(0.8) ? '3.2.1' : '3.1.0',
      seq: 0,
      lastSendAt: 0,
      sessionNumber: 0,
      userAttributes: {},
    };
    if (platform === 'Web') {
      const browser = crawler
        ? undefined
        : rng.weighted(BROWSERS, b => b.weight);
      const screen: [number, number] = crawler
        ? crawler.screen
        : rng.pick(browser!.screens);
      return {
        ...base,
        deviceId: rng.uuid(),
        uniqueId: rng.uuid(),
        userAgent: crawler ? crawler.userAgent : browser!.userAgent,
        screen,
        viewport: [
          screen[0],
          screen[1] - (crawler ? 0 : browser!.chromeHeight),
        ],
      };
    }
    if (platform === 'Android') {
      const device = rng.weighted(ANDROID_DEVICES, d => d.weight);
      return {
        ...base,
        // Settings.Secure.ANDROID_ID: 64 bits in hex.
        deviceId: rng.hex(16),
        uniqueId: rng.uuid(),
        // The system user agent (what a UA parser needs); the SDK's OkHttp client may send its own.
        userAgent: `Dalvik/2.1.0 (Linux; U; Android ${device.osVersion}; ${device.model} Build/${device.build})`,
        screen: device.screen,
        mobile: device,
      };
    }
    const device = rng.weighted(IOS_DEVICES, d => d.weight);
    const darwin = device.osVersion.startsWith('18')
      ? 'CFNetwork/1568.200.51 Darwin/24.1.0'
      : 'CFNetwork/1494.0.7 Darwin/23.4.0';
    return {
      ...base,
      // identifierForVendor and Swift's UUID().uuidString are upper case.
      deviceId: rng.uuid().toUpperCase(),
      uniqueId: rng.uuid().toUpperCase(),
      userAgent: `${this.app.title.replace(/\s+/g, '')}/${
        base.appVersion
      } ${darwin}`,
      screen: device.screen,
      mobile: device,
      carrier: '--',
    };
  }

  /** One visit: a session from app start / page load to background / close. */
  session(person: Person, startAt: number) {
    const install = person.install;
    const { rng } = person;
    const first = install.firstTouch === undefined;
    install.sessionNumber++;
    const startTs = startAt;
    if (first) install.firstTouch = startTs - rng.int(1, 3);
    const rec = new SessionRecorder(
      this.app,
      person,
      startTs,
      sessionId(person.platform, install, startTs),
    );
    const web = person.platform === 'Web';
    const crawler = !!person.crawler;
    const source =
      web && !crawler
        ? rng.weighted(TRAFFIC_SOURCES, s => s.weight)
        : TRAFFIC_SOURCES[0];
    const landingKind = web ? rng.pick(source.landing) : 'home';
    const cart: CartLine[] = [];
    // A registered user who is not logged in yet may log in on one of the first pages.
    let loginPage = Infinity;
    if (
      person.registered &&
      install.userId === undefined &&
      rng.chance(first ? 0.5 : 0.4)
    ) {
      loginPage = rng.int(0, 3);
    }

    let page = this.page(rng, landingKind);
    if (web) {
      if (source.utm) {
        const q = new URLSearchParams({
          utm_source: source.utm.source,
          utm_medium: source.utm.medium,
          utm_campaign: rng.pick(source.utm.campaigns),
        });
        if (source.gclid) q.set('gclid', `Cj0KCQiA${rng.hex(24)}`);
        page = {
          ...page,
          url: `${page.url}${page.url.includes('?') ? '&' : '?'}${q}`,
        };
      }
      // The page is loaded (and document.referrer known) before the SDK records anything.
      rec.latestReferrer = source.referrer;
      rec.page = page;
    }

    let t = startTs + rng.int(1, 4);
    if (first) {
      rec.record('_first_open', t);
      t += rng.int(5, 20);
    }
    if (!web) {
      rec.record('_app_start', t, { _is_first_time: true });
      t += rng.int(2, 10);
    }
    rec.record('_session_start', t);
    t += rng.int(2, 8);

    if (web) {
      rec.record('_page_view', t, {
        _page_referrer: source.referrer,
        _page_referrer_title: '',
        _entrances: 1,
      });
    } else {
      rec.screen = this.screen(rng, person.platform, page.kind);
      rec.record('_screen_view', t, {
        _screen_name: rec.screen.name,
        _screen_id: rec.screen.id,
        _screen_unique_id: rec.screen.uniqueId,
        _entrances: 1,
      });
    }
    let viewTs = t;

    for (let index = 0; ; index++) {
      const dwell = crawler
        ? rng.int(300, 900)
        : rng.logNormal(22_000, 0.9, 1_500, 600_000);
      const engagement = crawler
        ? dwell
        : Math.round(dwell * (0.55 + 0.45 * rng.next()));
      const end = viewTs + dwell;

      // What the user does on the page, spread over its first 60 %.
      const actions: Array<(at: number) => void> = [];
      if (
        !crawler &&
        (index >= loginPage ||
          (page.kind === 'checkout' && loginPage !== Infinity)) &&
        person.registered &&
        install.userId === undefined
      ) {
        actions.push(at => this.login(person, rec, at));
      }
      if (!crawler) this.pageActions(person, rec, page, cart, actions);
      for (let i = 0; i < actions.length; i++) {
        t = Math.max(
          t + 2,
          viewTs + Math.round((0.6 * dwell * (i + 1)) / (actions.length + 1)),
        );
        actions[i](t);
      }
      if (web && !crawler && dwell > 8_000 && rng.chance(0.4)) {
        t = Math.max(t + 2, viewTs + Math.round(dwell * 0.8));
        rec.record('_scroll', t, {
          _engagement_time_msec: Math.round(engagement * 0.8),
        });
      }

      const options = NEXT[page.kind].filter(
        ([kind]) => kind !== 'cart' || cart.length > 0,
      );
      const next =
        index + 1 >= MAX_PAGES || (crawler && index >= rng.int(2, 7))
          ? 'end'
          : rng.weighted(options, ([, w]) => w)[0];
      t = Math.max(t + 2, end);
      // Engagement shorter than 1 s is not reported (the SDKs' minimum).
      if (next === 'end') {
        if (engagement >= 1_000) {
          rec.record('_user_engagement', t, {
            _engagement_time_msec: engagement,
          });
        }
        if (!web) rec.record('_app_end', t + rng.int(1, 5));
        break;
      }
      const nextPage = this.page(rng, next, page);
      if (web) {
        if (engagement >= 1_000) {
          rec.record('_user_engagement', t, {
            _engagement_time_msec: engagement,
          });
        }
        t += rng.int(1, 15);
        const previous = page;
        page = nextPage;
        rec.page = page;
        rec.record('_page_view', t, {
          _page_referrer: previous.url,
          _page_referrer_title: previous.title,
          _entrances: 0,
          _previous_timestamp: viewTs,
          _engagement_time_msec: engagement,
        });
      } else {
        t += rng.int(20, 400);
        const previous = rec.screen!;
        page = nextPage;
        rec.screen = this.screen(rng, person.platform, page.kind);
        rec.record('_screen_view', t, {
          _screen_name: rec.screen.name,
          _screen_id: rec.screen.id,
          _screen_unique_id: rec.screen.uniqueId,
          _previous_screen_name: previous.name,
          _previous_screen_id: previous.id,
          _previous_screen_unique_id: previous.uniqueId,
          _entrances: 0,
          _previous_timestamp: viewTs,
          _engagement_time_msec: engagement,
        });
      }
      viewTs = t;
    }
    const lastTs = rec.events[rec.events.length - 1].timestamp;
    person.lastEventTs = lastTs;
    this.emit(person, rec.events, startTs);
  }

  private pageActions(
    person: Person,
    rec: SessionRecorder,
    page: Page,
    cart: CartLine[],
    actions: Array<(at: number) => void>,
  ) {
    const { rng, geo } = person;
    const currency = geo.currency;
    if (page.kind === 'product' && page.product) {
      const product = page.product;
      const price = localPrice(product, currency);
      const item = (quantity?: number): SdkItem => ({
        id: product.id,
        name: product.name,
        category: product.category,
        brand: product.brand,
        price,
        ...(quantity ? { quantity } : {}),
        currency,
      });
      actions.push(at =>
        rec.record('view_item', at, { currency, value: price }, [item()]),
      );
      if (rng.chance(0.3)) {
        const quantity = rng.chance(0.85) ? 1 : 2;
        actions.push(at => {
          cart.push({ product, quantity });
          rec.record(
            'add_to_cart',
            at,
            { currency, value: (cents(price) * quantity) / 100 },
            [item(quantity)],
          );
        });
      }
    } else if (page.kind === 'search' && page.term) {
      const term = page.term;
      const results = rng.int(0, 24);
      actions.push(at =>
        rec.record('search', at, { search_term: term, results }),
      );
    } else if (
      page.kind === 'checkout' &&
      cart.length > 0 &&
      rng.chance(0.65)
    ) {
      const transaction = `T-${rng.hex(10).toUpperCase()}`;
      actions.push(at => {
        const items: SdkItem[] = cart.map(line => ({
          id: line.product.id,
          name: line.product.name,
          category: line.product.category,
          brand: line.product.brand,
          price: localPrice(line.product, currency),
          quantity: line.quantity,
          currency,
        }));
        const total = cart.reduce(
          (sum, line) =>
            sum + cents(localPrice(line.product, currency)) * line.quantity,
          0,
        );
        rec.record(
          'purchase',
          at,
          // Attr.VALUE / Attr.CURRENCY of the SDKs: the event's value.
          {
            _value: total / 100,
            _currency: currency,
            transaction_id: transaction,
          },
          items,
        );
        cart.length = 0;
      });
    }
  }

  /** `setUserId` then `setUserAttributes`: two `_profile_set` events, as the SDKs record them. */
  private login(person: Person, rec: SessionRecorder, at: number) {
    const install = person.install;
    install.userId = `u-${String(person.index).padStart(6, '0')}`;
    install.userAttributes = {
      _user_id: { value: install.userId, set_timestamp: at },
    };
    rec.record('_profile_set', at, {}, undefined, true);
    const set = at + 1;
    install.userAttributes = {
      ...install.userAttributes,
      _user_name: { value: person.profile.name, set_timestamp: set },
      membership: { value: person.profile.membership, set_timestamp: set },
      age: { value: person.profile.age, set_timestamp: set },
    };
    rec.record('_profile_set', set, {}, undefined, true);
  }

  private page(rng: Rng, kind: PageKind, from?: Page): Page {
    const base = `https://${this.app.host}`;
    const suffix = ` | ${this.app.title}`;
    switch (kind) {
      case 'home':
        return { kind, url: `${base}/`, title: `Home${suffix}` };
      case 'category': {
        const category =
          from?.product && rng.chance(0.5)
            ? from.product.category
            : rng.pick(CATEGORIES);
        return {
          kind,
          category,
          url: `${base}/c/${category}`,
          title: `${titleCase(category)}${suffix}`,
        };
      }
      case 'product': {
        const pool = from?.category
          ? PRODUCTS.filter(p => p.category === from.category)
          : PRODUCTS;
        const product = rng.pick(pool);
        return {
          kind,
          product,
          url: `${base}/p/${product.id}`,
          title: `${product.name}${suffix}`,
        };
      }
      case 'search': {
        const term = rng.pick(SEARCH_TERMS);
        // `term`, not `q`: a `q`/`search`/`keyword` parameter would make the Web SDK
        // also record its preset `_search` event.
        return {
          kind,
          term,
          url: `${base}/search?term=${encodeURIComponent(term)}`,
          title: `Search: ${term}${suffix}`,
        };
      }
      default:
        return {
          kind,
          url: `${base}/${kind}`,
          title: `${titleCase(kind)}${suffix}`,
        };
    }
  }

  private screen(rng: Rng, platform: Platform, kind: PageKind): Screen {
    const names = SCREEN_NAMES[platform === 'iOS' ? 'iOS' : 'Android'];
    const name = names[kind];
    return {
      name,
      id:
        platform === 'iOS'
          ? `${this.app.title.replace(/\s+/g, '')}.${name}`
          : `${this.app.packageName}.ui.${name}`,
      // The SDKs use the screen object's hash code.
      uniqueId: String(rng.int(10_000_000, 2_147_483_647)),
    };
  }

  /** Groups a session's events into requests the way the platform's SDK sends them. */
  private emit(person: Person, events: SdkEvent[], startTs: number) {
    const install = person.install;
    const rng = person.sendRng;
    const web = person.platform === 'Web';
    const cap = this.eventsPerRequest ?? (web ? 1 : MOBILE_MAX_EVENTS);
    if (web && cap === 1) {
      // Immediate mode: one request per event, right after it is recorded.
      for (const event of events) {
        const sendAt = Math.max(
          event.timestamp + rng.int(1, 6),
          install.lastSendAt,
        );
        this.request(person, [event], sendAt);
      }
      return;
    }
    // A timer flushes what is queued every interval; going to the background / closing the
    // page flushes the rest.
    const interval = web ? WEB_BATCH_FLUSH_MS : MOBILE_FLUSH_MS;
    const lastTs = events[events.length - 1].timestamp;
    const closeFlush = lastTs + rng.int(20, 80);
    const groups = new Map<number, SdkEvent[]>();
    for (const event of events) {
      const tick =
        startTs +
        (Math.floor((event.timestamp - startTs) / interval) + 1) * interval;
      const group = groups.get(tick);
      if (group) group.push(event);
      else groups.set(tick, [event]);
    }
    for (const [tick, group] of groups) {
      const sendAt = Math.max(Math.min(tick, closeFlush), install.lastSendAt);
      for (let i = 0; i < group.length; i += cap) {
        this.request(person, group.slice(i, i + cap), sendAt);
      }
    }
  }

  private request(person: Person, events: SdkEvent[], sendAt: number) {
    const install = person.install;
    install.seq++;
    install.lastSendAt = sendAt;
    const gzip = person.platform !== 'Web';
    const body = encodeBody(events, gzip);
    const hash = hashCode(body);
    const seq = String(install.seq);
    const upload = String(sendAt);
    const appId = this.app.appId;
    let query: Record<string, string>;
    if (person.platform === 'Web') {
      query = {
        platform: 'Web',
        appId,
        event_bundle_sequence_id: seq,
        upload_timestamp: upload,
        hashCode: hash,
      };
    } else if (person.platform === 'Android') {
      query = {
        platform: 'Android',
        appId,
        hashCode: hash,
        event_bundle_sequence_id: seq,
        upload_timestamp: upload,
        compression: 'gzip',
      };
    } else {
      query = {
        platform: 'iOS',
        appId,
        compression: 'gzip',
        event_bundle_sequence_id: seq,
        upload_timestamp: upload,
        hashCode: hash,
      };
    }
    this.pending.push({
      request: {
        query,
        body,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': install.userAgent,
          'x-forwarded-for': install.ip,
        },
        events: events.length,
        sendAt,
      },
      events,
      order: this.#order++,
    });
  }
}

/**
 * Simulates users of an app the way the Clickstream SDKs record and send their events, and
 * counts the ground truth of what was generated. A pure function of its options.
 * @public
 */
export function simulate(options: SimulateOptions): SimulationResult {
  const platforms = validate(options);
  const start = parseStartDate(options.startDate);
  const { seed, users, days, appId } = options;
  const slug = appId.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const app: App = {
    appId,
    title: titleCase(appId) || appId,
    host: `www.${slug}.example.com`,
    packageName: `com.example.${slug.replace(/-/g, '')}`,
  };
  const pending: PendingRequest[] = [];
  const sim = new Simulation(app, options.eventsPerRequest, pending);

  for (let index = 0; index < users; index++) {
    const rng = new Rng(mixSeed(seed, index));
    const crawler =
      platforms.includes('Web') && rng.chance(CRAWLER_SHARE)
        ? rng.pick(CRAWLERS)
        : undefined;
    const platform: Platform = crawler
      ? 'Web'
      : rng.weighted(platforms, p => PLATFORM_WEIGHT[p]);
    const geo = crawler ? GEOS[0] : rng.weighted(GEOS, g => g.weight);
    const kind = rng.next();
    const person: Person = {
      index,
      rng,
      sendRng: new Rng(mixSeed(seed, index, 1)),
      platform,
      geo,
      crawler,
      registered: !crawler && rng.chance(0.55),
      profile: {
        name: `${rng.pick(FIRST_NAMES)}.${rng.hex(4)}`,
        membership: rng.pick(['basic', 'basic', 'silver', 'gold']),
        age: rng.int(18, 72),
      },
      loyalty: loyalty(kind, rng),
      install: undefined as unknown as Install,
      lastEventTs: 0,
    };
    person.install = sim.newInstall(person);
    const firstDay = rng.int(0, days - 1);
    for (let day = firstDay; day < days; day++) {
      const dayStart = start + day * DAY_MS;
      if (crawler) {
        if (day !== firstDay && !rng.chance(0.6)) continue;
        // A crawler renders with empty storage: a new device and pseudo user every visit.
        if (day !== firstDay) person.install = sim.newInstall(person);
        const at = dayStart + rng.int(0, DAY_MS - 3_600_000);
        sim.session(person, at);
        continue;
      }
      if (day !== firstDay && !rng.chance(person.loyalty)) continue;
      let count = 1;
      if (!rng.chance(0.75)) count = rng.chance(0.8) ? 2 : 3;
      const starts: number[] = [];
      for (let i = 0; i < count; i++) {
        const offsetHours = Math.round(geo.utcOffsetMinutes / 60);
        const utcHour = rng.weighted(
          HOURS,
          h => HOURLY[(((h + offsetHours) % 24) + 24) % 24],
        );
        starts.push(dayStart + utcHour * 3_600_000 + rng.int(0, 3_599_999));
      }
      starts.sort((a, b) => a - b);
      for (let at of starts) {
        const earliest = person.lastEventTs + SESSION_TIMEOUT_MS + 60_000;
        if (person.lastEventTs > 0 && at < earliest) {
          at = earliest + rng.int(0, 3_600_000);
        }
        if (at >= dayStart + DAY_MS) continue;
        sim.session(person, at);
      }
    }
  }

  pending.sort(
    (a, b) => a.request.sendAt - b.request.sendAt || a.order - b.order,
  );
  const truth = computeTruth(
    pending.map(p => ({
      events: p.events,
      headers: p.request.headers,
      bytes: p.request.body.length,
    })),
    {
      appId,
      seed,
      startDate: options.startDate,
      days,
      platforms,
    },
  );
  return { requests: pending.map(p => p.request), truth };
}
