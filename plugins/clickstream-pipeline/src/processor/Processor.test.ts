import { gzipSync } from 'node:zlib';
import { GOOGLEBOT_UA, ingestRecord, sdkEvent } from '../testing/sdkEvents';
import { openGeoLocator } from './enrich/geo';
import { Processor, ProcessorOptions } from './Processor';

const NOW = Date.parse('2026-11-20T12:00:00Z');

function processor(options: Partial<ProcessorOptions> = {}) {
  return new Processor({
    projectId: 'demo',
    apps: new Map([['shop', { appId: 'shop', timezone: 'Asia/Tokyo' }]]),
    dataFreshnessHours: 72,
    now: () => NOW,
    ...options,
  });
}

const at = '2026-11-20T11:00:00Z';

describe('Processor', () => {
  it('flattens a Web page view into the reference columns', () => {
    const event = sdkEvent({
      name: '_page_view',
      at,
      user: 'u1',
      session: 's1',
      userId: 'alice',
      pageUrl:
        'https://shop.example.com/products/42?utm_source=newsletter&utm_medium=email&utm_campaign=black_friday',
      referrer: '',
      entrances: true,
      attributes: { plan: 'pro' },
    });
    const batch = processor().process([ingestRecord([event])]);
    expect(batch.stats).toMatchObject({
      events: 1,
      accepted: 1,
      quarantined: 0,
    });
    const row = batch.events[0];
    expect(row).toMatchObject({
      event_id: event.event_id,
      event_name: '_page_view',
      event_time_msec: Date.parse(at),
      event_date: '2026-11-20', // 20:00 in Tokyo
      app_id: 'shop',
      project_id: 'demo',
      platform: 'Web',
      user_pseudo_id: 'u1',
      user_id: 'alice',
      session_id: 's1',
      page_view_page_url_path: '/products/42',
      page_view_hostname: 'shop.example.com',
      page_view_entrances: true,
      traffic_source_source: 'newsletter',
      traffic_source_medium: 'email',
      traffic_source_campaign: 'black_friday',
      traffic_source_channel_group: 'Email',
      device_ua_browser: 'Chrome',
      device_ua_os: 'Mac OS',
      device_ua_device_category: 'Desktop',
      is_bot: false,
      custom_parameters_json_str: JSON.stringify({ plan: 'pro' }),
    });
    expect(
      JSON.parse(row.page_view_page_url_query_parameters as string),
    ).toEqual({
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'black_friday',
    });
    expect(batch.users).toEqual([
      expect.objectContaining({
        user_pseudo_id: 'u1',
        user_id: 'alice',
        first_visit_date: '2026-11-20',
        first_traffic_channel_group: 'Email',
      }),
    ]);
    expect(batch.sessions).toEqual([
      expect.objectContaining({
        session_id: 's1',
        session_source: 'newsletter',
      }),
    ]);
  });

  it('reads gzip+base64 bodies as Android sends them', () => {
    const events = [
      sdkEvent({
        name: '_screen_view',
        at,
        user: 'u2',
        screen: 'Home',
        platform: 'Android',
      }),
    ];
    const body = Buffer.from(
      gzipSync(JSON.stringify(events)).toString('base64'),
    );
    const batch = processor().process([
      ingestRecord(body, { ingestTime: NOW }),
    ]);
    expect(batch.events).toHaveLength(1);
    expect(batch.events[0]).toMatchObject({
      screen_view_screen_name: 'Home',
      platform: 'Android',
      device_operating_system: 'Android',
    });
  });

  it('quarantines invalid events with the reason, and keeps the valid ones of the request', () => {
    const good = sdkEvent({ name: 'add_to_cart', at, user: 'u1' });
    const records = [
      ingestRecord(
        [
          good,
          { ...good, event_id: undefined },
          { ...good, event_id: 'x2', timestamp: 'yesterday' },
          { ...good, event_id: 'x3', event_type: '1st_event' },
          { ...good, event_id: 'x4', event_type: 'a'.repeat(51) },
          { ...good, event_id: 'x5', app_id: 7 },
          'not an object',
        ],
        { ingestTime: NOW },
      ),
      ingestRecord('{"not":"an array"}', {
        ingestTime: NOW,
        requestId: 'bad-body',
      }),
    ];
    const batch = processor().process(records);
    expect(batch.events.map(e => e.event_id)).toEqual([good.event_id]);
    // One row per request: its invalid events (a body the collector takes again, for
    // replay), the first one's index, and each reason.
    expect(batch.quarantine.map(q => [q.event_index, q.reason])).toEqual([
      [
        1,
        '6 of 7 events are invalid: event 1: event_id is missing or not a string; ' +
          'event 2: timestamp is missing or not a positive number of milliseconds; ' +
          'event 3: event_type must contain only letters, digits and underscores, and not start with a digit; ' +
          'event 4: event_type is longer than 50 characters; ' +
          'event 5: app_id is missing or not a string; and 1 more',
      ],
      [-1, 'request body is neither a JSON array nor base64-encoded gzip'],
    ]);
    expect(JSON.parse(batch.quarantine[0].raw as string)).toEqual([
      { ...good, event_id: undefined },
      { ...good, event_id: 'x2', timestamp: 'yesterday' },
      { ...good, event_id: 'x3', event_type: '1st_event' },
      { ...good, event_id: 'x4', event_type: 'a'.repeat(51) },
      { ...good, event_id: 'x5', app_id: 7 },
      'not an object',
    ]);
    expect(batch.quarantine[1]).toMatchObject({
      request_id: 'bad-body',
      raw: '{"not":"an array"}',
    });
    expect(batch.stats).toMatchObject({
      events: 7,
      accepted: 1,
      quarantined: 7,
      quarantinedRequests: 1,
    });
  });

  it('quarantines an event that speaks for another app than the request, and fills a missing app_id', () => {
    const mine = sdkEvent({ name: 'x', at, user: 'u1' });
    const theirs = sdkEvent({ name: 'x', at, user: 'u1', appId: 'admin' });
    const unnamed = { ...sdkEvent({ name: 'y', at, user: 'u1' }) };
    delete unnamed.app_id;
    const batch = processor({
      apps: new Map([
        ['shop', { appId: 'shop', timezone: 'UTC' }],
        ['admin', { appId: 'admin', timezone: 'UTC' }],
      ]),
    }).process([ingestRecord([mine, theirs, unnamed], { ingestTime: NOW })]);
    expect(batch.events.map(e => [e.event_id, e.app_id])).toEqual([
      [mine.event_id, 'shop'],
      [unnamed.event_id, 'shop'],
    ]);
    expect(batch.quarantine.map(q => q.reason)).toEqual([
      "event 1: app_id 'admin' is not the app the request was sent for ('shop')",
    ]);
  });

  it('quarantines a request that fails in any way whole, and goes on with the next', () => {
    const good = sdkEvent({ name: 'x', at, user: 'u1' });
    // A custom attribute nested too deep to be written back as JSON (the SDK's text, as
    // JSON.parse reads it without limit).
    const depth = 20_000;
    const deepBody = JSON.stringify([
      sdkEvent({ name: 'x', at, user: 'u2', attributes: { deep: 'DEEP' } }),
      good,
    ]).replace('"DEEP"', `${'{"d":'.repeat(depth)}1${'}'.repeat(depth)}`);
    // A first open (kept even from the future) at an instant no date can hold.
    const far = {
      ...sdkEvent({ name: '_first_open', at, user: 'u3' }),
      timestamp: 1e300,
    };
    const batch = processor().process([
      ingestRecord([good], { ingestTime: NOW }),
      ingestRecord(deepBody, { ingestTime: NOW, requestId: 'deep' }),
      ingestRecord([far], { ingestTime: NOW, requestId: 'far' }),
      ingestRecord([{ ...good, event_id: 'after' }], { ingestTime: NOW }),
    ]);
    expect(batch.events.map(e => e.event_id)).toEqual([good.event_id, 'after']);
    expect(batch.users.map(u => u.user_pseudo_id)).toEqual(['u1']);
    expect(batch.quarantine.map(q => [q.request_id, q.event_index])).toEqual([
      ['deep', -1],
      ['far', 0],
    ]);
    expect(batch.quarantine[0].reason).toMatch(
      /^the request could not be processed: Maximum call stack size exceeded/,
    );
    expect(batch.quarantine[1].reason).toBe(
      'event 0: timestamp is later than any date (milliseconds since 1970 expected)',
    );
    expect(batch.stats).toMatchObject({
      records: 4,
      accepted: 2,
      quarantinedRequests: 1,
    });
  });

  it('quarantines a request over the payload limits as one row', () => {
    const tiny = JSON.stringify(Array.from({ length: 50 }, () => ({})));
    const batch = processor({
      payloadLimits: { maxEvents: 10, maxExpandedBytes: 1024 },
    }).process([
      ingestRecord(tiny, { ingestTime: NOW, requestId: 'many' }),
      ingestRecord(
        gzipSync(Buffer.from(' '.repeat(5000) + tiny)).toString('base64'),
        {
          ingestTime: NOW,
          requestId: 'bomb',
        },
      ),
    ]);
    expect(
      batch.quarantine.map(q => [q.request_id, q.event_index, q.reason]),
    ).toEqual([
      ['many', -1, 'request body holds 50 events; the limit is 10 a request'],
      ['bomb', -1, 'request body inflates to more than 1024 bytes'],
    ]);
  });

  it('drops (and counts) stale events and events of unknown apps', () => {
    const old = sdkEvent({ name: 'x', at: NOW - 73 * 3_600_000, user: 'u1' });
    const future = sdkEvent({ name: 'x', at: NOW + 3_600_000, user: 'u1' });
    const firstOpenFuture = sdkEvent({
      name: '_first_open',
      at: NOW + 3_600_000,
      user: 'u1',
    });
    const other = sdkEvent({ name: 'x', at, user: 'u1', appId: 'other' });
    const batch = processor().process([
      // No upload time: nothing to correct the clock with.
      {
        ...ingestRecord([old, future, firstOpenFuture], {
          ingestTime: NOW,
        }),
        query: { appId: 'shop' },
      },
      // An app the collector knew when it took the request, deleted since.
      { ...ingestRecord([other], { ingestTime: NOW }), query: {} },
    ]);
    expect(batch.stats).toMatchObject({
      events: 4,
      accepted: 1,
      stale: 2,
      unknownApp: 1,
    });
    expect(batch.events[0].event_name).toBe('_first_open');
  });

  it('corrects a client clock that is off by more than 10 minutes', () => {
    const skew = 2 * 3_600_000; // the device is two hours behind
    const clientNow = NOW - skew;
    const event = sdkEvent({
      name: '_session_start',
      at: clientNow - 5000,
      user: 'u1',
      session: 's1',
    });
    const batch = processor().process([
      ingestRecord([event], { ingestTime: NOW, uploadTime: clientNow }),
    ]);
    expect(batch.events[0].event_time_msec).toBe(NOW - 5000);
    expect(batch.events[0].session_start_time_msec).toBe(NOW - 5000);
    expect(JSON.parse(batch.events[0].process_info as string)).toMatchObject({
      event_timestamp_adjusted_ms: skew,
    });
    expect(batch.stats.clockAdjusted).toBe(1);

    // Within 10 minutes the client's time is kept.
    const close = sdkEvent({ name: 'x', at: NOW - 60_000, user: 'u1' });
    const kept = processor().process([
      ingestRecord([close], { ingestTime: NOW, uploadTime: NOW - 5 * 60_000 }),
    ]);
    expect(kept.events[0].event_time_msec).toBe(NOW - 60_000);
  });

  it('flags bots instead of dropping them', () => {
    const batch = processor().process([
      ingestRecord([sdkEvent({ name: '_page_view', at, user: 'crawler' })], {
        userAgent: GOOGLEBOT_UA,
      }),
    ]);
    expect(batch.events[0]).toMatchObject({
      is_bot: true,
      device_ua_device_category: 'Bot',
    });
    expect(batch.stats.bots).toBe(1);
  });

  it('locates IP addresses with the bundled database', async () => {
    const geo = await openGeoLocator();
    const batch = processor({ geo }).process([
      ingestRecord([sdkEvent({ name: 'x', at, user: 'u1' })], {
        ip: '81.2.69.160',
      }),
      ingestRecord([sdkEvent({ name: 'x', at, user: 'u2' })], {
        ip: '10.1.2.3',
      }),
    ]);
    expect(batch.events[0]).toMatchObject({
      geo_continent: 'Europe',
      geo_country: 'GB',
      geo_city: 'London',
    });
    expect(batch.events[1]).toMatchObject({
      geo_country: null,
      geo_city: null,
    });
  });

  it('leaves the location out when the pipeline turns ipGeo off, database or not', async () => {
    const geo = await openGeoLocator();
    const batch = processor({ geo, enrichments: { ipGeo: false } }).process([
      ingestRecord([sdkEvent({ name: 'x', at, user: 'u1' })], {
        ip: '81.2.69.160',
      }),
    ]);
    expect(batch.events[0]).toMatchObject({
      geo_continent: null,
      geo_country: null,
      geo_city: null,
    });
  });

  it('merges a user: the latest user id wins, the first touch is the earliest', () => {
    const batch = processor().process([
      ingestRecord(
        [
          sdkEvent({
            name: '_first_open',
            at: NOW - 3000,
            user: 'u1',
            pageUrl: 'https://s.example/?gclid=abc',
          }),
          sdkEvent({
            name: '_profile_set',
            at: NOW - 1000,
            user: 'u1',
            userId: 'bob',
          }),
          sdkEvent({ name: 'x', at: NOW - 2000, user: 'u1' }),
        ],
        { ingestTime: NOW },
      ),
    ]);
    expect(batch.users).toHaveLength(1);
    expect(batch.users[0]).toMatchObject({
      user_id: 'bob',
      first_touch_time_msec: NOW - 3000,
      first_traffic_channel_group: 'Paid Search',
      event_time_msec: NOW - 1000,
    });
  });

  it('turns enrichments off when the pipeline says so', () => {
    const batch = processor({
      enrichments: { userAgent: false, trafficSource: false, botFlag: false },
    }).process([
      ingestRecord(
        [
          sdkEvent({
            name: 'x',
            at,
            user: 'u',
            pageUrl: 'https://a.example/?utm_source=x',
          }),
        ],
        { userAgent: GOOGLEBOT_UA },
      ),
    ]);
    expect(batch.events[0]).toMatchObject({
      device_ua_browser: null,
      traffic_source_source: null,
      is_bot: false,
    });
  });
});
