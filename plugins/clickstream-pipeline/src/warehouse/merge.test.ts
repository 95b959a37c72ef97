import { Processor } from '../processor/Processor';
import { ingestRecord, sdkEvent } from '../testing/sdkEvents';
import { DuckDbWarehouse } from './DuckDbWarehouse';

/**
 * A user's and a session's rows are merged twice: within a batch by the processor, and across
 * batches by the warehouse. However the same events are cut into batches, the stored rows
 * must be the same.
 */
// Each case opens a DuckDB warehouse and builds its rollups: seconds on a busy machine.
jest.setTimeout(30_000);

const at = (time: string) => Date.parse(`2026-11-10T${time}Z`);

/** The SDKs send every event with the user's whole attribute set as it is then. */
function withUserAttributes(
  event: Record<string, unknown>,
  attributes: Record<string, unknown>,
) {
  const user = { ...(event.user as Record<string, unknown>) };
  for (const [key, value] of Object.entries(attributes)) {
    user[key] = { value, set_timestamp: event.timestamp };
  }
  return { ...event, user };
}

const events = [
  withUserAttributes(
    sdkEvent({
      name: '_session_start',
      at: at('10:00:00'),
      user: 'u1',
      session: 's1',
      pageUrl: 'https://shop.example/?utm_source=google&utm_medium=cpc',
    }),
    { plan: 'free', level: 1 },
  ),
  withUserAttributes(
    sdkEvent({
      name: '_page_view',
      at: at('10:05:00'),
      user: 'u1',
      session: 's1',
      sessionDuration: 300_000,
      pageUrl: 'https://shop.example/cart',
      referrer: 'https://www.facebook.com/',
    }),
    { plan: 'free', level: 2 },
  ),
  withUserAttributes(
    sdkEvent({
      name: '_session_start',
      at: at('11:00:00'),
      user: 'u1',
      session: 's2',
      userId: 'alice',
      pageUrl: 'https://shop.example/',
      referrer: 'https://www.bing.com/',
    }),
    { plan: 'pro' },
  ),
  withUserAttributes(
    sdkEvent({
      name: '_page_view',
      at: at('11:02:00'),
      user: 'u1',
      session: 's2',
      userId: 'alice',
      sessionDuration: 120_000,
      pageUrl: 'https://shop.example/deals',
    }),
    { plan: 'pro' },
  ),
  // A session that starts Direct and learns its source from a later event.
  withUserAttributes(
    sdkEvent({
      name: '_session_start',
      at: at('12:00:00'),
      user: 'u1',
      session: 's3',
      userId: 'alice',
      pageUrl: 'https://shop.example/',
    }),
    { plan: 'pro' },
  ),
  withUserAttributes(
    sdkEvent({
      name: '_page_view',
      at: at('12:01:00'),
      user: 'u1',
      session: 's3',
      userId: 'alice',
      sessionDuration: 60_000,
      pageUrl: 'https://shop.example/?utm_source=newsletter&utm_medium=email',
    }),
    { plan: 'pro' },
  ),
];

async function storedRows(batches: unknown[][][]) {
  const processor = new Processor({
    projectId: 'demo',
    apps: new Map([['shop', { appId: 'shop', timezone: 'UTC' }]]),
    dataFreshnessHours: 24 * 365 * 5,
  });
  const warehouse = await DuckDbWarehouse.open(':memory:');
  try {
    for (const batch of batches) {
      await warehouse.load(
        processor.process(batch.map(request => ingestRecord(request))),
      );
    }
    const rows = async (table: string, order: string) =>
      (await warehouse.query(`SELECT * FROM ${table} ORDER BY ${order}`)).map(
        ({ created_time_msec: _created, ...row }) => row,
      );
    return {
      users: await rows('user_v2', 'user_pseudo_id'),
      sessions: await rows('session', 'session_id'),
    };
  } finally {
    await warehouse.close();
  }
}

describe('users and sessions', () => {
  it('merge the same within a batch as across batches', async () => {
    const [e1, e2, e3, e4, e5, e6] = events;
    const oneBatch = await storedRows([
      [
        [e1, e2],
        [e3, e4],
        [e5, e6],
      ],
    ]);
    expect(oneBatch.users).toHaveLength(1);
    expect(oneBatch.sessions).toHaveLength(3);
    expect(oneBatch.sessions[2]).toMatchObject({
      session_id: 's3',
      session_source: 'newsletter',
      session_start_time_msec: String(at('12:00:00')),
    });
    // The newest event's attribute set is the user's: the SDKs send it whole each time.
    expect(
      JSON.parse(oneBatch.users[0].user_properties_json_str as string),
    ).toEqual(expect.objectContaining({ plan: 'pro' }));
    expect(
      JSON.parse(oneBatch.users[0].user_properties_json_str as string),
    ).not.toHaveProperty('level');
    expect(oneBatch.users[0]).toMatchObject({
      user_id: 'alice',
      first_traffic_source: 'google',
      first_traffic_medium: 'cpc',
    });

    for (const batches of [
      [[[e1, e2]], [[e3, e4]], [[e5, e6]]],
      [[[e1]], [[e2]], [[e3]], [[e4]], [[e5]], [[e6]]],
      [[[e1], [e2]], [[e3]], [[e4], [e5]], [[e6]]],
    ]) {
      expect(await storedRows(batches)).toEqual(oneBatch);
    }
  });
});
