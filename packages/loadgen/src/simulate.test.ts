import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { CRAWLERS, GEOS } from './data';
import { decodeBody, sessionTimePart, utcDay } from './protocol';
import { simulate, SimulateOptions } from './simulate';
import { computeTruth } from './truth';

const OPTIONS: SimulateOptions = {
  seed: 42,
  users: 120,
  days: 4,
  startDate: '2026-01-05',
  appId: 'shop',
};

const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const KNOWN_IPS = new Set([
  ...GEOS.flatMap(g => g.ips),
  ...CRAWLERS.flatMap(c => c.ips),
]);

describe('simulate', () => {
  const run = simulate(OPTIONS);
  const decoded = run.requests.map(r => decodeBody(r.body));
  const events = decoded.flat();
  const pairs = run.requests.map((request, i) => ({
    request,
    events: decoded[i],
  }));
  const webPairs = pairs.filter(p => p.request.query.platform === 'Web');
  const mobilePairs = pairs.filter(p => p.request.query.platform !== 'Web');
  const webEvents = events.filter(e => e.platform === 'Web');
  const mobileEvents = events.filter(e => e.platform !== 'Web');
  const ofType = (name: string) => events.filter(e => e.event_type === name);

  it('is deterministic: the same seed gives byte-identical requests', () => {
    const again = simulate(OPTIONS);
    expect(again.requests.length).toBe(run.requests.length);
    again.requests.forEach((r, i) => {
      expect(r.body.equals(run.requests[i].body)).toBe(true);
      expect(r.query).toEqual(run.requests[i].query);
      expect(r.headers).toEqual(run.requests[i].headers);
      expect(r.sendAt).toBe(run.requests[i].sendAt);
    });
    expect(again.truth).toEqual(run.truth);
  });

  it('gives different data for a different seed', () => {
    const other = simulate({ ...OPTIONS, seed: 43 });
    const bodies = new Set(run.requests.map(r => r.body.toString('base64')));
    const shared = other.requests.filter(r =>
      bodies.has(r.body.toString('base64')),
    );
    expect(shared).toHaveLength(0);
    expect(other.truth).not.toEqual(run.truth);
  });

  it('keeps earlier users unchanged when more users are simulated', () => {
    const fewer = simulate({ ...OPTIONS, users: 20 });
    const more = simulate({ ...OPTIONS, users: 40 });
    const bodies = new Set(more.requests.map(r => r.body.toString('base64')));
    for (const r of fewer.requests) {
      expect(bodies.has(r.body.toString('base64'))).toBe(true);
    }
  });

  it('produces a realistic amount of traffic on every platform', () => {
    expect(run.truth.users).toBeGreaterThanOrEqual(OPTIONS.users);
    expect(run.truth.sessions).toBeGreaterThan(OPTIONS.users);
    expect(Object.keys(run.truth.usersByPlatform).sort()).toEqual([
      'Android',
      'Web',
      'iOS',
    ]);
    for (const name of [
      '_first_open',
      '_session_start',
      '_page_view',
      '_screen_view',
      '_user_engagement',
      '_profile_set',
      'view_item',
      'add_to_cart',
      'purchase',
      'search',
    ]) {
      expect(run.truth.eventsByName[name]).toBeGreaterThan(0);
    }
    expect(Object.keys(run.truth.webSessionsBySource).sort()).toEqual([
      'Direct / None',
      'Google / (Organic)',
      'facebook / social',
      'google / cpc',
      'newsletter / email',
    ]);
  });

  it('encodes every body as its SDK does and signs it with hashCode', () => {
    expect(webPairs.length).toBeGreaterThan(0);
    expect(mobilePairs.length).toBeGreaterThan(0);
    for (const { request: r, events: body } of pairs) {
      expect(['Web', 'Android', 'iOS']).toContain(r.query.platform);
      expect(r.query.appId).toBe('shop');
      expect(r.query.hashCode).toBe(
        createHash('sha256').update(r.body).digest('hex').slice(0, 8),
      );
      expect(r.query.upload_timestamp).toBe(String(r.sendAt));
      expect(Number(r.query.event_bundle_sequence_id)).toBeGreaterThan(0);
      expect(body).toHaveLength(r.events);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(r.headers['user-agent']).toBeTruthy();
      expect(isIPv4(r.headers['x-forwarded-for'])).toBe(true);
      expect(KNOWN_IPS.has(r.headers['x-forwarded-for'])).toBe(true);
      for (const event of body) {
        expect(event.platform).toBe(r.query.platform);
        expect(event.timestamp).toBeLessThanOrEqual(r.sendAt);
      }
    }
    for (const { request: r, events: body } of webPairs) {
      expect(r.query.compression).toBeUndefined();
      expect(r.body.toString()).toMatch(/^\[\{"event_type":/);
      expect(r.body.toString()).toBe(JSON.stringify(body));
    }
    for (const { request: r, events: body } of mobilePairs) {
      expect(r.query.compression).toBe('gzip');
      const text = r.body.toString('ascii');
      expect(text).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      const json = gunzipSync(Buffer.from(text, 'base64')).toString('utf8');
      expect(JSON.parse(json)).toEqual(body);
    }
  });

  it('follows each SDK default for events per request', () => {
    for (const { request } of webPairs) expect(request.events).toBe(1);
    for (const { request } of mobilePairs) {
      expect(request.events).toBeLessThanOrEqual(100);
    }
    expect(mobilePairs.some(p => p.request.events > 1)).toBe(true);
    const batched = simulate({ ...OPTIONS, users: 30, eventsPerRequest: 3 });
    expect(batched.requests.every(r => r.events <= 3)).toBe(true);
    expect(
      batched.requests.some(r => r.query.platform === 'Web' && r.events > 1),
    ).toBe(true);
    expect(batched.truth.events).toBe(
      batched.requests.reduce((n, r) => n + r.events, 0),
    );
    // Batching changes the requests, never the simulated events.
    const unbatched = simulate({ ...OPTIONS, users: 30 });
    const strip = ({ requests: _r, bytes: _b, ...rest }: typeof run.truth) =>
      rest;
    expect(strip(batched.truth)).toEqual(strip(unbatched.truth));
    expect(batched.requests.length).toBeLessThan(unbatched.requests.length);
    const ids = (rs: typeof run.requests) =>
      rs.flatMap(r => decodeBody(r.body).map(e => e.event_id)).sort();
    expect(ids(batched.requests)).toEqual(ids(unbatched.requests));
  });

  it('gives every event the fields the SDKs send', () => {
    const ids = new Set<string>();
    for (const event of events) {
      expect(typeof event.event_type).toBe('string');
      expect(event.event_id).toMatch(UUID);
      expect(event.app_id).toBe('shop');
      expect(Number.isInteger(event.timestamp)).toBe(true);
      expect(event.unique_id).toMatch(UUID);
      expect(event.device_id).toBeTruthy();
      expect(event.sdk_name).toBe('aws-solution-clickstream-sdk');
      expect(event.sdk_version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(typeof event.locale).toBe('string');
      expect(typeof event.zone_offset).toBe('number');
      expect(event.make).toBeTruthy();
      expect(event.screen_width).toBeGreaterThan(0);
      expect(event.screen_height).toBeGreaterThan(0);
      expect(typeof event.user).toBe('object');
      expect(event.user._user_first_touch_timestamp.value).toBeLessThanOrEqual(
        event.timestamp,
      );
      const a = event.attributes;
      expect(typeof a._session_id).toBe('string');
      expect(a._session_duration).toBe(
        event.timestamp - Number(a._session_start_timestamp),
      );
      expect(a._session_number).toBeGreaterThan(0);
      expect(ids.has(event.event_id)).toBe(false);
      ids.add(event.event_id);
    }
    for (const event of webEvents) {
      expect(event.host_name).toBe('www.shop.example.com');
      expect(event.viewport_width).toBeGreaterThan(0);
      expect(String(event.attributes._page_url)).toMatch(
        /^https:\/\/www\.shop\.example\.com\//,
      );
      expect(typeof event.attributes._latest_referrer).toBe('string');
    }
    for (const event of mobileEvents) {
      expect(event.app_package_name).toBe('com.example.shop');
      expect(event.app_version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(event.os_version).toBeTruthy();
      expect(event.model).toBeTruthy();
    }
  });

  it('records custom events with items, value and currency', () => {
    for (const event of ofType('purchase')) {
      expect(event.items!.length).toBeGreaterThan(0);
      expect(typeof event.attributes._currency).toBe('string');
      const total = event.items!.reduce(
        (sum, item) => sum + Math.round(item.price! * 100) * item.quantity!,
        0,
      );
      expect(Math.round(Number(event.attributes._value) * 100)).toBe(total);
    }
    for (const event of ofType('add_to_cart')) {
      expect(event.items).toHaveLength(1);
      expect(event.items![0].quantity).toBeGreaterThan(0);
    }
    for (const event of ofType('_user_engagement')) {
      expect(event.attributes._engagement_time_msec).toBeGreaterThanOrEqual(
        1000,
      );
    }
    for (const event of ofType('_profile_set')) {
      expect(event.user._user_id.value).toMatch(/^u-\d{6}$/);
    }
    for (const event of ofType('search')) {
      expect(event.attributes.search_term).toBeTruthy();
    }
  });

  it('builds session ids in each SDK format', () => {
    const time = (e: (typeof events)[number]) =>
      sessionTimePart(Number(e.attributes._session_start_timestamp));
    for (const event of events) {
      expect(String(event.attributes._session_id)).toMatch(
        /^[0-9A-Za-z_-]{8}-\d{8}-\d{9}$/,
      );
    }
    for (const event of events.filter(e => e.platform === 'Web')) {
      expect(event.attributes._session_id).toBe(
        `${event.unique_id.slice(-8)}-${time(event)}`,
      );
    }
    for (const event of events.filter(e => e.platform === 'Android')) {
      expect(event.device_id).toMatch(/^[0-9a-f]{16}$/);
      expect(event.attributes._session_id).toBe(
        `${event.device_id.slice(-8)}-${time(event)}`,
      );
    }
    for (const event of events.filter(e => e.platform === 'iOS')) {
      expect(event.unique_id).toBe(event.unique_id.toUpperCase());
      expect(event.attributes._session_id).toBe(
        `${event.unique_id.slice(0, 8)}-${time(event)}`,
      );
    }
  });

  it('behaves like an SDK over time: ordered sequence ids, one start per session', () => {
    const seqByDevice = new Map<string, number>();
    const lastSend = new Map<string, number>();
    run.requests.forEach((r, i) => {
      const device = decoded[i][0].device_id;
      const seq = Number(r.query.event_bundle_sequence_id);
      expect(seq).toBe((seqByDevice.get(device) ?? 0) + 1);
      seqByDevice.set(device, seq);
      expect(r.sendAt).toBeGreaterThanOrEqual(lastSend.get(device) ?? 0);
      lastSend.set(device, r.sendAt);
    });
    const starts = new Map<string, number>();
    const firstOpens = new Map<string, number>();
    const sessionsByUser = new Map<string, Array<[number, number]>>();
    for (const e of events) {
      const sid = `${e.unique_id}/${e.attributes._session_id}`;
      if (e.event_type === '_session_start') {
        starts.set(sid, (starts.get(sid) ?? 0) + 1);
      }
      if (e.event_type === '_first_open') {
        firstOpens.set(e.unique_id, (firstOpens.get(e.unique_id) ?? 0) + 1);
      }
    }
    for (const e of ofType('_first_open')) {
      expect(e.attributes._session_number).toBe(1);
    }
    expect([...starts.values()].every(n => n === 1)).toBe(true);
    expect(starts.size).toBe(run.truth.sessions);
    expect([...firstOpens.values()].every(n => n === 1)).toBe(true);
    expect(firstOpens.size).toBe(run.truth.users);
    // Sessions of a user never overlap and are separated by more than the 30 min timeout.
    const bounds = new Map<string, [number, number]>();
    for (const e of events) {
      const sid = `${e.unique_id}/${e.attributes._session_id}`;
      const b = bounds.get(sid) ?? [Infinity, -Infinity];
      bounds.set(sid, [
        Math.min(b[0], e.timestamp),
        Math.max(b[1], e.timestamp),
      ]);
    }
    for (const [sid, b] of bounds) {
      const user = sid.split('/')[0];
      const list = sessionsByUser.get(user) ?? [];
      list.push(b);
      sessionsByUser.set(user, list);
    }
    for (const list of sessionsByUser.values()) {
      list.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < list.length; i++) {
        expect(list[i][0] - list[i - 1][1]).toBeGreaterThan(30 * 60_000);
      }
    }
  });

  it('reports a ground truth equal to a recount of the decoded requests', () => {
    const recount = computeTruth(
      run.requests.map((r, i) => ({
        events: decoded[i],
        headers: r.headers,
        bytes: r.body.length,
      })),
      run.truth,
    );
    expect(recount).toEqual(run.truth);

    // And independently of computeTruth, for the headline numbers.
    const byName: Record<string, number> = {};
    const byDay: Record<string, Set<string>> = {};
    for (const e of events) {
      byName[e.event_type] = (byName[e.event_type] ?? 0) + 1;
      (byDay[utcDay(e.timestamp)] ??= new Set()).add(e.unique_id);
    }
    expect(run.truth.events).toBe(events.length);
    expect(run.truth.requests).toBe(run.requests.length);
    expect(run.truth.eventsByName).toEqual(byName);
    expect(run.truth.users).toBe(new Set(events.map(e => e.unique_id)).size);
    expect(run.truth.sessions).toBe(
      new Set(events.map(e => `${e.unique_id}/${e.attributes._session_id}`))
        .size,
    );
    for (const [day, users] of Object.entries(byDay)) {
      expect(run.truth.activeUsersByDay[day]).toBe(users.size);
    }
    const sum = (o: Record<string, number>) =>
      Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(run.truth.newUsersByDay)).toBe(run.truth.users);
    expect(sum(run.truth.sessionsByDay)).toBe(run.truth.sessions);
    expect(run.truth.purchases.count).toBe(byName.purchase);
    expect(run.truth.bytes).toBe(
      run.requests.reduce((n, r) => n + r.body.length, 0),
    );
    // Days stay inside the simulated range (a late session may run past midnight of the last day).
    for (const day of Object.keys(run.truth.sessionsByDay)) {
      expect(day >= '2026-01-05' && day <= '2026-01-08').toBe(true);
    }
  });

  it('includes crawlers that come back as new users on every visit', () => {
    const many = simulate({ ...OPTIONS, users: 400, platforms: ['Web'] });
    expect(many.truth.crawlerUsers).toBeGreaterThan(0);
    const crawlerRequests = many.requests.filter(r =>
      /bot/i.test(r.headers['user-agent']),
    );
    const crawlerEvents = crawlerRequests.flatMap(r => decodeBody(r.body));
    expect(crawlerEvents.some(e => e.event_type === 'purchase')).toBe(false);
    expect(
      crawlerEvents.filter(e => e.event_type === '_first_open'),
    ).toHaveLength(many.truth.crawlerUsers);
  });

  it('simulates only the requested platforms', () => {
    const web = simulate({ ...OPTIONS, users: 30, platforms: ['Web'] });
    expect(web.requests.every(r => r.query.platform === 'Web')).toBe(true);
    const mobile = simulate({
      ...OPTIONS,
      users: 30,
      platforms: ['Android', 'iOS'],
    });
    expect(mobile.requests.every(r => r.query.compression === 'gzip')).toBe(
      true,
    );
    expect(mobile.truth.crawlerUsers).toBe(0);
  });

  it('rejects bad options', () => {
    expect(() => simulate({ ...OPTIONS, startDate: '2026-02-30' })).toThrow(
      /startDate/,
    );
    expect(() => simulate({ ...OPTIONS, days: 0 })).toThrow(/days/);
    expect(() => simulate({ ...OPTIONS, seed: 1.5 })).toThrow(/seed/);
    expect(() =>
      simulate({ ...OPTIONS, platforms: ['Windows' as unknown as 'Web'] }),
    ).toThrow(/platform/);
    expect(() => simulate({ ...OPTIONS, eventsPerRequest: 0 })).toThrow(
      /eventsPerRequest/,
    );
  });

  it('handles zero users', () => {
    const empty = simulate({ ...OPTIONS, users: 0 });
    expect(empty.requests).toEqual([]);
    expect(empty.truth.events).toBe(0);
  });
});
