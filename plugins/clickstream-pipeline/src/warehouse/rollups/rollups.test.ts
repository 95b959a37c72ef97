import { simulate } from '@clickstream/loadgen';
import { METRIC_SHEETS } from '@clickstream/backstage-plugin-clickstream-common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestRecord } from '../../buffer/record';
import { Processor } from '../../processor/Processor';
import { ingestRecord, sdkEvent } from '../../testing/sdkEvents';
import { eventsOnly } from '../../testing/warehouses';
import { DuckDbWarehouse } from '../DuckDbWarehouse';
import { MetricsContext } from '../metrics/QueryBuilder';
import { computeSheet } from '../metrics/sheets';

jest.setTimeout(120_000);

const processor = new Processor({
  projectId: 'demo',
  apps: new Map([
    ['shop', { appId: 'shop', timezone: 'UTC' }],
    ['web', { appId: 'web', timezone: 'Europe/Berlin' }],
  ]),
  dataFreshnessHours: 24 * 365 * 10,
});

const both = (
  warehouse: DuckDbWarehouse,
  sheet: (typeof METRIC_SHEETS)[number],
  ctx: MetricsContext,
) =>
  Promise.all([
    computeSheet(warehouse, sheet, ctx),
    computeSheet(eventsOnly(warehouse), sheet, ctx),
  ]);

/** The first two days of November in a UTC app, `shop`. */
const twoDays: MetricsContext = {
  appId: 'shop',
  from: '2026-11-01',
  to: '2026-11-02',
  timezone: 'UTC',
  storedTimezone: 'UTC',
};

/** Loads one request of SDK events as its own batch. */
const loadRequest = (
  warehouse: DuckDbWarehouse,
  events: Record<string, unknown>[],
) => warehouse.load(processor.process([ingestRecord(events)]));

describe('the stored rollups', () => {
  it('follow a pseudo user who logs in after the days they were counted for', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const at = (day: string) => Date.parse(`${day}T12:00:00Z`);
    // Day 1: p1 is anonymous; p2 (another device) is logged in as u.
    await loadRequest(warehouse, [
      sdkEvent({ name: '_page_view', at: at('2026-11-01'), user: 'p1' }),
      sdkEvent({
        name: '_page_view',
        at: at('2026-11-01'),
        user: 'p2',
        userId: 'u',
      }),
    ]);
    const [before] = await both(warehouse, 'overview', twoDays);
    expect((before as any).kpis.activeUsers).toBe(2);
    // Day 2: p1 logs in as u, so its day-1 rows now count as u's.
    await loadRequest(warehouse, [
      sdkEvent({
        name: '_page_view',
        at: at('2026-11-02'),
        user: 'p1',
        userId: 'u',
      }),
    ]);
    const [stored, fromEvents] = await both(warehouse, 'overview', twoDays);
    expect((stored as any).kpis.activeUsers).toBe(1);
    expect((stored as any).daily.map((d: any) => d.activeUsers)).toEqual([
      1, 1,
    ]);
    expect(stored).toEqual(fromEvents);
    await warehouse.close();
  });

  it('count a user who switches accounts once under each account', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const view = (day: string, user: string, userId: string) =>
      sdkEvent({
        name: '_page_view',
        at: Date.parse(`${day}T12:00:00Z`),
        user,
        userId,
        pageUrl: 'https://shop.example/home',
      });
    // Account a on p1, then on p2 the next day; then p1 switches to account b.
    await loadRequest(warehouse, [view('2026-11-01', 'p1', 'a')]);
    await loadRequest(warehouse, [view('2026-11-02', 'p2', 'a')]);
    await loadRequest(warehouse, [view('2026-11-03', 'p1', 'b')]);
    const threeDays = { ...twoDays, to: '2026-11-03' };
    const [stored, fromEvents] = await both(warehouse, 'engagement', threeDays);
    // p1's day-1 view is b's now, so a's first view in the range is p2's.
    expect((stored as any).views).toEqual([
      { type: 'page', name: '/home', views: 3, users: 2 },
    ]);
    expect(
      (stored as any).eventsByName.find(
        (e: any) => e.eventName === '_page_view',
      ),
    ).toEqual({ eventName: '_page_view', events: 3, users: 2 });
    expect(stored).toEqual(fromEvents);
    await warehouse.close();
  });

  it("date a merged user's first visit by the earliest of their devices", async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const view = (day: string, user: string, userId?: string) =>
      sdkEvent({
        name: '_page_view',
        at: Date.parse(`${day}T12:00:00Z`),
        user,
        userId,
      });
    // p1 visits anonymously on day 1; p2, logged in as u, first visits on day 2; on day 3
    // p1 logs in as u: u's first visit was day 1, so day 2 was a return.
    await loadRequest(warehouse, [view('2026-11-01', 'p1')]);
    await loadRequest(warehouse, [view('2026-11-02', 'p2', 'u')]);
    await loadRequest(warehouse, [view('2026-11-03', 'p1', 'u')]);
    const threeDays = { ...twoDays, to: '2026-11-03' };
    const [stored, fromEvents] = await both(warehouse, 'retention', threeDays);
    expect(
      (stored as any).newVsReturning.map((d: any) => [
        d.newUsers,
        d.returningUsers,
      ]),
    ).toEqual([
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
    expect(stored).toEqual(fromEvents);
    await warehouse.close();
  });

  it('count a session once when a later load brings its next day', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const view = (at: string) =>
      sdkEvent({
        name: '_page_view',
        at,
        user: 'p1',
        session: 's1',
        sessionStart: '2026-11-01T23:59:00Z',
        pageUrl: 'https://shop.example/home',
      });
    await loadRequest(warehouse, [view('2026-11-01T23:59:00Z')]);
    await loadRequest(warehouse, [view('2026-11-02T00:01:00Z')]);
    const [stored, fromEvents] = await both(warehouse, 'acquisition', twoDays);
    expect((stored as any).sessionChannels).toEqual([
      expect.objectContaining({
        channelGroup: 'Direct',
        sessions: 1,
        users: 1,
      }),
    ]);
    expect(stored).toEqual(fromEvents);
    await warehouse.close();
  });

  it("follow a session's traffic source when a later day's events change it", async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const session = {
      user: 'p1',
      session: 's1',
      sessionStart: Date.parse('2026-11-01T23:59:00Z'),
    };
    // Day 1: the session starts with no known source (Direct)...
    await loadRequest(warehouse, [
      sdkEvent({
        ...session,
        name: '_page_view',
        at: Date.parse('2026-11-01T23:59:00Z'),
        pageUrl: 'https://shop.example/home',
      }),
    ]);
    // ...then, past midnight, an event of the same session names a paid search source.
    await loadRequest(warehouse, [
      sdkEvent({
        ...session,
        name: '_page_view',
        at: Date.parse('2026-11-02T00:01:00Z'),
        pageUrl: 'https://shop.example/deals?utm_source=Google&utm_medium=cpc',
      }),
    ]);
    const [stored, fromEvents] = await both(warehouse, 'acquisition', twoDays);
    expect((stored as any).sessionChannels).toEqual([
      expect.objectContaining({ channelGroup: 'Paid Search', sessions: 1 }),
    ]);
    expect(stored).toEqual(fromEvents);
    await warehouse.close();
  });

  it('count each user once per traffic channel and source over sessions and days', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const visit = (day: string, user: string, session: string, query = '') =>
      sdkEvent({
        name: '_page_view',
        at: Date.parse(`${day}T12:00:00Z`),
        user,
        session,
        pageUrl: `https://shop.example/home${query}`,
      });
    const cpc = '?utm_source=Google&utm_medium=cpc';
    // p1: paid search on days 1 and 2 (two sessions on day 2), direct on day 2; p2: paid
    // search from another source on day 2. One request per load, days out of order.
    await loadRequest(warehouse, [
      visit('2026-11-02', 'p1', 's2', cpc),
      visit('2026-11-02', 'p1', 's3', cpc),
      visit('2026-11-02', 'p1', 's4'),
      visit('2026-11-02', 'p2', 's5', '?utm_source=Bing&utm_medium=cpc'),
    ]);
    await loadRequest(warehouse, [visit('2026-11-01', 'p1', 's1', cpc)]);
    const channels = async (ctx: MetricsContext) => {
      const [stored, fromEvents] = await both(warehouse, 'acquisition', ctx);
      expect(stored).toEqual(fromEvents);
      return (stored as any).sessionChannels.concat(
        (stored as any).sessionSources,
      );
    };
    const users = (rows: any[]) =>
      rows.map(r => [r.channelGroup, r.source, r.users, r.sessions]);
    expect(users(await channels(twoDays))).toEqual([
      ['Paid Search', null, 2, 4],
      ['Direct', null, 1, 1],
      ['Paid Search', 'Google', 1, 3],
      ['Direct', 'Direct', 1, 1],
      ['Paid Search', 'Bing', 1, 1],
    ]);
    // Day 2 alone: p1's first paid search session of the range is s2.
    const day2 = { ...twoDays, from: '2026-11-02' };
    expect(users(await channels(day2))).toEqual([
      ['Paid Search', null, 2, 3],
      ['Direct', null, 1, 1],
      ['Paid Search', 'Google', 1, 2],
      ['Direct', 'Direct', 1, 1],
      ['Paid Search', 'Bing', 1, 1],
    ]);
    await warehouse.close();
  });

  it("follow a user's first-visit traffic when a late event moves it to the day before", async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const event = (name: string, at: string, query = '') =>
      sdkEvent({
        name,
        at,
        user: 'p1',
        session: 's1',
        sessionStart: '2026-11-01T23:59:00Z',
        pageUrl: `https://shop.example/home${query}`,
      });
    // The first open is loaded first; the earlier page view of the campaign arrives late.
    await loadRequest(warehouse, [
      event('_first_open', '2026-11-02T00:01:00Z'),
      event('_page_view', '2026-11-02T00:01:00Z'),
    ]);
    const firstChannels = async () => {
      const [stored, fromEvents] = await both(
        warehouse,
        'acquisition',
        twoDays,
      );
      expect(stored).toEqual(fromEvents);
      return (stored as any).firstUserChannels;
    };
    expect(await firstChannels()).toEqual([
      { channelGroup: 'Direct', newUsers: 1 },
    ]);
    await loadRequest(warehouse, [
      event(
        '_page_view',
        '2026-11-01T23:59:00Z',
        '?utm_source=Google&utm_medium=cpc',
      ),
    ]);
    expect(await firstChannels()).toEqual([
      { channelGroup: 'Paid Search', newUsers: 1 },
    ]);
    await warehouse.close();
  });

  it('count each user once per device value over days', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const open = (day: string, user: string, version: string, hour = 12) =>
      sdkEvent({
        name: '_page_view',
        at: Date.parse(`${day}T${hour}:00:00Z`),
        user,
        session: `${user}-${day}`,
        pageUrl: 'https://shop.example/home',
        extra: { app_version: version },
      });
    // p1 upgrades from 1.0 to 1.1 on day 2 and is back on 1.0 that evening (a second device);
    // p2 runs 1.1 on both days. Day 2 is loaded first.
    await loadRequest(warehouse, [
      open('2026-11-02', 'p1', '1.1'),
      open('2026-11-02', 'p1', '1.0', 20),
      open('2026-11-02', 'p2', '1.1'),
    ]);
    await loadRequest(warehouse, [
      open('2026-11-01', 'p1', '1.0'),
      open('2026-11-01', 'p2', '1.1'),
    ]);
    const versions = async (ctx: MetricsContext) => {
      const [stored, fromEvents] = await both(warehouse, 'devices', ctx);
      expect(stored).toEqual(fromEvents);
      return (stored as any).appVersions;
    };
    expect(await versions(twoDays)).toEqual([
      { value: '1.1', users: 2 },
      { value: '1.0', users: 1 },
    ]);
    expect(await versions({ ...twoDays, from: '2026-11-02' })).toEqual([
      { value: '1.1', users: 2 },
      { value: '1.0', users: 1 },
    ]);
    await warehouse.close();
  });

  describe('on generated traffic loaded in batches', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollups-'));
    const path = join(dir, 'warehouse.duckdb');
    let warehouse: DuckDbWarehouse;
    const { requests } = simulate({
      seed: 7,
      appId: 'web',
      users: 150,
      days: 4,
      startDate: '2026-10-01',
    });
    const records: IngestRecord[] = requests.map((r, i) => ({
      body: r.body,
      ingestTime: r.sendAt + 500,
      sourceIp: '127.0.0.1',
      userAgent: r.headers['user-agent'] ?? '',
      requestId: `r${i}`,
      query: { ...r.query, upload_timestamp: String(r.sendAt) },
    }));
    beforeAll(async () => {
      warehouse = await DuckDbWarehouse.open(path);
      // Batches of the order they arrive in, one of them loaded twice.
      for (let i = 0; i < records.length; i += 97) {
        await warehouse.load(processor.process(records.slice(i, i + 97)));
      }
      await warehouse.load(processor.process(records.slice(0, 300)));
    });
    afterAll(async () => {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const ctxs: MetricsContext[] = [
      {
        appId: 'web',
        from: '2026-10-01',
        to: '2026-10-04',
        timezone: 'Europe/Berlin',
        storedTimezone: 'Europe/Berlin',
      },
      // Days inside the data: users seen before the range count by their previous days.
      {
        appId: 'web',
        from: '2026-10-02',
        to: '2026-10-03',
        timezone: 'Europe/Berlin',
        storedTimezone: 'Europe/Berlin',
      },
      {
        appId: 'web',
        from: '2026-10-02',
        to: '2026-10-03',
        timezone: 'Europe/Berlin',
        storedTimezone: 'Europe/Berlin',
        platform: 'Android',
        includeBots: true,
      },
    ];

    it.each(METRIC_SHEETS)(
      'give the numbers of the events themselves: %s',
      async sheet => {
        for (const ctx of ctxs) {
          const [stored, fromEvents] = await both(warehouse, sheet, ctx);
          expect(stored).toEqual(fromEvents);
        }
      },
    );

    it('are rebuilt from the events when their definitions change', async () => {
      const ctx = ctxs[0];
      const [before] = await both(warehouse, 'engagement', ctx);
      expect((before as any).kpis.events).toBeGreaterThan(1000);
      await warehouse.query('DELETE FROM rollup_event_daily');
      await warehouse.query("UPDATE rollup_build SET definitions = 'older'");
      await warehouse.close();
      warehouse = await DuckDbWarehouse.open(path);
      const [after, fromEvents] = await both(warehouse, 'engagement', ctx);
      expect(after).toEqual(before);
      expect(after).toEqual(fromEvents);
    });
  });
});
