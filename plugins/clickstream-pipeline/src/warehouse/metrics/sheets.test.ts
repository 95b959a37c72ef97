import { Processor } from '../../processor/Processor';
import { GOOGLEBOT_UA, ingestRecord, sdkEvent } from '../../testing/sdkEvents';
import { DuckDbWarehouse } from '../DuckDbWarehouse';
import { redshiftDialect } from '../dialect';
import { MetricsContext } from './QueryBuilder';
import { computeSheet, sheetQueries } from './sheets';
import { eventsOnly } from '../../testing/warehouses';
import {
  DevicesSheet,
  EngagementSheet,
  GeographySheet,
  OverviewSheet,
  RetentionSheet,
  AcquisitionSheet,
  METRIC_SHEETS,
} from '@clickstream/backstage-plugin-clickstream-common';

/**
 * A small world whose numbers are worked out by hand. The app's zone is Asia/Tokyo (UTC+9,
 * no daylight saving): local midnight of 2026-11-11 is 2026-11-10T15:00Z.
 *
 * - alice (pseudo a1) opens the app on the 10th, views /home then /cart in session a1-s1
 *   (2 views: engaged), logs in as alice; on the 11th she uses a second device (pseudo a2),
 *   logged in, one view of /home in a short session: not engaged. Merged, she is one user.
 * - bob (b1) opens on the 10th at 23:59:50 local; his session's second view comes at
 *   00:00:10 on the 11th: one session (started on the 10th), active both days. Engaged by
 *   duration (15 s).
 * - carol (c1) opens on the 10th, one view, a 3 s session: not engaged.
 * - a crawler views /home on the 10th: counted only when bots are included.
 * - alice's /cart view is delivered twice (an SDK retry): counted once.
 * - a late event: carol's `_user_engagement` of the 10th arrives in a later batch.
 */
jest.setTimeout(30_000);

const local = (date: string, time: string) =>
  Date.parse(`${date}T${time}+09:00`);
const D10 = '2026-11-10';
const D11 = '2026-11-11';

async function world(): Promise<DuckDbWarehouse> {
  const processor = new Processor({
    projectId: 'demo',
    apps: new Map([['shop', { appId: 'shop', timezone: 'Asia/Tokyo' }]]),
    dataFreshnessHours: 24 * 365 * 5,
  });
  const cart = sdkEvent({
    name: '_page_view',
    at: local(D10, '10:01:00'),
    user: 'a1',
    session: 'a1-s1',
    sessionStart: local(D10, '10:00:00'),
    sessionDuration: 60_000,
    pageUrl: 'https://shop.example/cart',
    entrances: false,
    userId: 'alice',
  });
  const batch1 = [
    ingestRecord([
      sdkEvent({
        name: '_first_open',
        at: local(D10, '10:00:00'),
        user: 'a1',
        session: 'a1-s1',
        pageUrl: 'https://shop.example/home?utm_source=Google&utm_medium=cpc',
      }),
      sdkEvent({
        name: '_session_start',
        at: local(D10, '10:00:00'),
        user: 'a1',
        session: 'a1-s1',
        pageUrl: 'https://shop.example/home?utm_source=Google&utm_medium=cpc',
      }),
      sdkEvent({
        name: '_page_view',
        at: local(D10, '10:00:01'),
        user: 'a1',
        session: 'a1-s1',
        sessionStart: local(D10, '10:00:00'),
        pageUrl: 'https://shop.example/home?utm_source=Google&utm_medium=cpc',
        entrances: true,
      }),
      cart,
      sdkEvent({
        name: '_user_engagement',
        at: local(D10, '10:02:00'),
        user: 'a1',
        session: 'a1-s1',
        sessionStart: local(D10, '10:00:00'),
        sessionDuration: 120_000,
        engagementMs: 90_000,
        userId: 'alice',
      }),
    ]),
    ingestRecord([cart]), // the retry
    ingestRecord(
      [
        sdkEvent({
          name: '_first_open',
          at: local(D10, '23:59:50'),
          user: 'b1',
          session: 'b1-s1',
        }),
        sdkEvent({
          name: '_session_start',
          at: local(D10, '23:59:50'),
          user: 'b1',
          session: 'b1-s1',
          referrer: 'https://m.facebook.com/',
        }),
        sdkEvent({
          name: '_page_view',
          at: local(D10, '23:59:51'),
          user: 'b1',
          session: 'b1-s1',
          pageUrl: 'https://shop.example/home',
          referrer: 'https://m.facebook.com/',
          entrances: true,
        }),
        sdkEvent({
          name: '_page_view',
          at: local(D11, '00:00:05'),
          user: 'b1',
          session: 'b1-s1',
          sessionStart: local(D10, '23:59:50'),
          sessionDuration: 15_000,
          pageUrl: 'https://shop.example/deals',
        }),
        sdkEvent({
          name: '_user_engagement',
          at: local(D11, '00:00:10'),
          user: 'b1',
          session: 'b1-s1',
          sessionStart: local(D10, '23:59:50'),
          sessionDuration: 20_000,
          engagementMs: 10_000,
        }),
      ],
      { ip: '8.8.8.8' },
    ),
    ingestRecord([
      sdkEvent({
        name: '_first_open',
        at: local(D10, '12:00:00'),
        user: 'c1',
        session: 'c1-s1',
      }),
      sdkEvent({
        name: '_session_start',
        at: local(D10, '12:00:00'),
        user: 'c1',
        session: 'c1-s1',
      }),
      sdkEvent({
        name: '_page_view',
        at: local(D10, '12:00:01'),
        user: 'c1',
        session: 'c1-s1',
        pageUrl: 'https://shop.example/home',
        entrances: true,
        sessionDuration: 3000,
      }),
    ]),
    ingestRecord(
      [
        sdkEvent({
          name: '_page_view',
          at: local(D10, '08:00:00'),
          user: 'bot1',
          session: 'bot-s',
          pageUrl: 'https://shop.example/home',
          entrances: true,
        }),
      ],
      { userAgent: GOOGLEBOT_UA },
    ),
  ];
  const batch2 = [
    ingestRecord([
      sdkEvent({
        name: '_session_start',
        at: local(D11, '09:00:00'),
        user: 'a2',
        session: 'a2-s1',
        userId: 'alice',
      }),
      sdkEvent({
        name: '_page_view',
        at: local(D11, '09:00:01'),
        user: 'a2',
        session: 'a2-s1',
        pageUrl: 'https://shop.example/home',
        entrances: true,
        sessionDuration: 2000,
        userId: 'alice',
      }),
    ]),
    // Late: carol's engagement of the 10th, delivered a day later.
    ingestRecord(
      [
        sdkEvent({
          name: '_user_engagement',
          at: local(D10, '12:00:03'),
          user: 'c1',
          session: 'c1-s1',
          sessionDuration: 3000,
          engagementMs: 2000,
        }),
      ],
      { ingestTime: local(D11, '13:00:00') },
    ),
  ];
  const warehouse = await DuckDbWarehouse.open(':memory:');
  const first = await warehouse.load(processor.process(batch1));
  expect(first).toEqual({ inserted: 14, duplicates: 1, quarantined: 0 });
  await warehouse.load(processor.process(batch2));
  // Loading the first batch again (a replay after a crash) changes nothing.
  expect(await warehouse.load(processor.process(batch1))).toEqual({
    inserted: 0,
    duplicates: 15,
    quarantined: 0,
  });
  return warehouse;
}

describe.each([
  ['from the stored rollups', true],
  ['from the events', false],
])('metric sheets on DuckDB, %s', (_, stored) => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await world();
  });
  afterAll(() => warehouse.close());

  const ctx = (over: Partial<MetricsContext> = {}): MetricsContext => ({
    appId: 'shop',
    from: D10,
    to: D11,
    timezone: 'Asia/Tokyo',
    storedTimezone: 'Asia/Tokyo',
    ...over,
  });
  const sheet = <T>(
    name: (typeof METRIC_SHEETS)[number],
    over: Partial<MetricsContext> = {},
  ) =>
    computeSheet(
      stored ? warehouse : eventsOnly(warehouse),
      name,
      ctx(over),
    ) as Promise<T>;

  it('overview: users merged across devices, sessions once across midnight, no duplicates', async () => {
    const overview = await sheet<OverviewSheet>('overview');
    expect(overview.kpis).toEqual({
      activeUsers: 3, // alice (a1 + a2), bob, carol
      newUsers: 3,
      sessions: 4, // a1-s1, a2-s1, b1-s1, c1-s1
      engagedSessions: 2, // a1-s1 (2 views), b1-s1 (20 s)
      engagementRate: 0.5,
      // Engaged sessions' engagement: 90 s (alice) + 10 s (bob).
      avgEngagementTimePerSessionSeconds: 50,
      avgEngagementTimePerUserSeconds: 100 / 3,
      views: 6, // a1: 2, b1: 2, c1: 1, a2: 1
      events: 16,
    });
    expect(overview.daily).toEqual([
      {
        date: D10,
        activeUsers: 3,
        newUsers: 3,
        sessions: 3,
        views: 4,
        events: 12,
      },
      {
        date: D11,
        activeUsers: 2,
        newUsers: 0,
        sessions: 1,
        views: 2,
        events: 4,
      },
    ]);
    expect(overview.platforms).toEqual([{ value: 'Web', users: 3 }]);
  });

  it('counts bots only when asked', async () => {
    const overview = await sheet<OverviewSheet>('overview', {
      includeBots: true,
    });
    expect(overview.kpis.activeUsers).toBe(4);
    expect(overview.kpis.views).toBe(7);
  });

  it('puts days in the report time zone', async () => {
    // In UTC, bob's events just after midnight in Tokyo are 15:00Z on the 10th; only alice's
    // second-device visit (09:00 Tokyo = 00:00Z) stays on the 11th.
    const overview = await sheet<OverviewSheet>('overview', {
      timezone: 'UTC',
    });
    expect(overview.daily.map(d => [d.date, d.activeUsers, d.events])).toEqual([
      [D10, 3, 14],
      [D11, 1, 2],
    ]);
  });

  it('filters by platform', async () => {
    const overview = await sheet<OverviewSheet>('overview', {
      platform: 'Android',
    });
    expect(overview.kpis.activeUsers).toBe(0);
    expect(overview.kpis.engagementRate).toBe(0);
  });

  it('engagement: events by name, views, entrances and exits', async () => {
    const engagement = await sheet<EngagementSheet>('engagement');
    expect(engagement.eventsByName).toEqual(
      [
        { eventName: '_page_view', events: 6, users: 3 },
        { eventName: '_session_start', events: 3 + 1, users: 3 },
        { eventName: '_first_open', events: 3, users: 3 },
        { eventName: '_user_engagement', events: 3, users: 3 },
      ].sort(
        (a, b) => b.events - a.events || a.eventName.localeCompare(b.eventName),
      ),
    );
    expect(engagement.views).toEqual([
      { type: 'page', name: '/home', views: 4, users: 3 },
      { type: 'page', name: '/cart', views: 1, users: 1 },
      { type: 'page', name: '/deals', views: 1, users: 1 },
    ]);
    expect(engagement.entrances).toEqual([
      { type: 'page', name: '/home', count: 4 },
    ]);
    // Last view of each session: a1-s1 /cart, b1-s1 /deals, c1-s1 /home, a2-s1 /home.
    expect(engagement.exits).toEqual([
      { type: 'page', name: '/home', count: 2 },
      { type: 'page', name: '/cart', count: 1 },
      { type: 'page', name: '/deals', count: 1 },
    ]);
    // Sessions by the day they started, each as long as the longest duration its events
    // report: a1-s1 120 s, b1-s1 20 s (across midnight), c1-s1 3 s on the 10th; a2-s1 2 s.
    expect(engagement.sessionDuration).toEqual([
      {
        date: D10,
        sessions: 3,
        avgSessionDurationSeconds: (120 + 20 + 3) / 3,
      },
      { date: D11, sessions: 1, avgSessionDurationSeconds: 2 },
    ]);
  });

  it('acquisition: sessions by the source that started them, new users by first source', async () => {
    const acquisition = await sheet<AcquisitionSheet>('acquisition');
    expect(acquisition.sessionChannels).toEqual([
      {
        channelGroup: 'Direct',
        source: null,
        medium: null,
        users: 2,
        sessions: 2,
        engagedSessions: 0,
        engagementRate: 0,
      },
      {
        channelGroup: 'Organic Social',
        source: null,
        medium: null,
        users: 1,
        sessions: 1,
        engagedSessions: 1,
        engagementRate: 1,
      },
      {
        channelGroup: 'Paid Search',
        source: null,
        medium: null,
        users: 1,
        sessions: 1,
        engagedSessions: 1,
        engagementRate: 1,
      },
    ]);
    expect(acquisition.firstUserChannels).toEqual([
      { channelGroup: 'Direct', newUsers: 2 }, // bob's _first_open came before his referrer; carol
      { channelGroup: 'Paid Search', newUsers: 1 },
    ]);
    expect(acquisition.firstUserSources).toEqual([
      { source: 'Direct', medium: 'None', newUsers: 2 },
      { source: 'Google', medium: 'cpc', newUsers: 1 },
    ]);
  });

  it('retention: new vs returning, the cohort of the 10th, stickiness, lifecycle', async () => {
    const retention = await sheet<RetentionSheet>('retention');
    expect(retention.newVsReturning).toEqual([
      { date: D10, newUsers: 3, returningUsers: 0 },
      { date: D11, newUsers: 0, returningUsers: 2 },
    ]);
    expect(retention.cohorts).toEqual([
      {
        firstDate: D10,
        users: 3,
        days: [
          { day: 0, users: 3, rate: 1 },
          { day: 1, users: 2, rate: 2 / 3 },
        ],
      },
    ]);
    expect(retention.stickiness).toEqual([
      { date: D10, dau: 3, wau: 3, mau: 3, dauWau: 1, dauMau: 1, wauMau: 1 },
      {
        date: D11,
        dau: 2,
        wau: 3,
        mau: 3,
        dauWau: 2 / 3,
        dauMau: 2 / 3,
        wauMau: 1,
      },
    ]);
    // 2026-11-09 is a Monday: everyone is new in that week, of which the range (the 10th and
    // 11th) holds only two days.
    expect(retention.lifecycle).toEqual([
      {
        week: '2026-11-09',
        new: 3,
        retained: 0,
        returning: 0,
        churned: 0,
        partial: true,
      },
    ]);
  });

  it('devices and geography', async () => {
    const devices = await sheet<DevicesSheet>('devices');
    expect(devices.browsers).toEqual([{ value: 'Chrome', users: 3 }]);
    expect(devices.screenResolutions).toEqual([
      { value: '1280 x 800', users: 3 },
    ]);
    expect(devices.crashes).toEqual({
      users: 3,
      crashedUsers: 0,
      crashRate: 0,
    });
    const geography = await sheet<GeographySheet>('geography');
    // Without a geolocation database the processor leaves geo empty.
    expect(geography.countries).toEqual([{ value: '(not set)', users: 3 }]);
  });
});

describe('the Redshift SQL', () => {
  const ctx: MetricsContext = {
    appId: 'shop',
    from: D10,
    to: D11,
    timezone: 'Asia/Tokyo',
    platform: 'iOS',
  };
  it.each(METRIC_SHEETS)('of %s follows the dialect rules', sheet => {
    for (const query of sheetQueries(sheet, redshiftDialect, ctx)) {
      // Tables in the app's schema, named parameters, no DuckDB-only syntax.
      expect(query.sql).toMatch(/FROM shop\.event_v2 e/);
      expect(query.sql).not.toMatch(/\$[a-z_]+/);
      expect(query.sql).not.toMatch(
        /\b(QUALIFY|to_timestamp|timezone\(|ANTI JOIN|SEMI JOIN|NOT MATERIALIZED|hash\(|GROUP BY ALL|arg_max)\b/i,
      );
      for (const name of Object.keys(query.params)) {
        expect(query.sql).toContain(`:${name}`);
      }
      expect(query.params).toMatchObject({ app_id: 'shop', platform: 'iOS' });
    }
  });

  it('is kept as a snapshot, reviewed when it changes', () => {
    expect(sheetQueries('overview', redshiftDialect, ctx)).toMatchSnapshot();
  });
});
