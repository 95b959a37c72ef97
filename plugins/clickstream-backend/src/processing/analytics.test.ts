import { send, simulate } from '@clickstream/loadgen';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startLocalBackend, waitFor } from '../__testUtils__/localBackend';

jest.setTimeout(120_000);

const base = '/api/clickstream';
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * End to end inside one backend: the data generator sends through the real collector over
 * HTTP, the local worker processes the buffer into DuckDB, and the analytics API's numbers
 * equal the generator's ground truth. Then a restart: nothing is lost or counted twice.
 */
describe('local processing and the analytics API', () => {
  let dataDirectory: string;

  beforeAll(() => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'clickstream-analytics-'));
  });
  afterAll(() => rmSync(dataDirectory, { recursive: true, force: true }));

  async function startBackend() {
    // The generator sends from one address, faster than the default per-address rate.
    const backend = await startLocalBackend(dataDirectory, {
      collector: { rateLimit: { perIp: 0 } },
    });
    const port = (backend.server.address() as AddressInfo).port;
    return {
      backend,
      server: backend.server,
      endpoint: `http://127.0.0.1:${port}${base}/collect/shop`,
    };
  }

  const simulation = simulate({
    seed: 7,
    users: 40,
    days: 3,
    startDate: day(-3),
    appId: 'web',
  });
  const { truth } = simulation;
  const from = truth.startDate;
  const to = day(-1);

  it('answers with the generator ground truth, and again after a restart', async () => {
    const backend = await startBackend();
    let server = backend.server;
    await request(server)
      .post(`${base}/projects`)
      .send({ id: 'shop', name: 'Shop', owner: 'group:a' })
      .expect(201);
    await request(server)
      .post(`${base}/projects/shop/apps`)
      .send({ appId: 'web', name: 'Web', platforms: ['Web', 'Android', 'iOS'] })
      .expect(201);
    await request(server)
      .put(`${base}/projects/shop/pipeline`)
      .send({
        processing: {
          dataFreshnessHours: 24 * 30,
          // A project rule, tried before the built-in ones: every known source is "Partners".
          trafficSourceRules: {
            channels: [{ channel: 'Partners', source: '.' }],
          },
        },
      })
      .expect(200);

    // Before a deployment there is nothing to query.
    const notRunning = await request(server)
      .get(
        `${base}/projects/shop/apps/web/metrics/overview?from=${from}&to=${to}`,
      )
      .expect(409);
    expect(notRunning.body.error.message).toMatch(/not running; deploy it/);

    await request(server)
      .post(`${base}/projects/shop/pipeline/deploy`)
      .expect(202);
    await waitFor('Active', async () => {
      const res = await request(server).get(
        `${base}/projects/shop/pipeline/status`,
      );
      return res.body.status === 'Active' && !res.body.operation
        ? true
        : undefined;
    });

    const sentAt = Date.now();
    const sent = await send(simulation.requests, {
      endpoint: backend.endpoint,
      concurrency: 8,
      uploadTimestamp: 'now',
    });
    expect(sent.failed).toBe(0);

    const report = await waitFor('processing', async () => {
      const res = await request(server).get(
        `${base}/projects/shop/ingestion?limit=0`,
      );
      const p = res.body.processing;
      return p.totals.events === truth.events && p.lagBytes === 0
        ? res.body
        : undefined;
    });
    // What the pipeline card shows: when events last arrived and how fast they flow.
    expect(Date.parse(report.lastReceivedAt)).toBeGreaterThanOrEqual(sentAt);
    // Within the minute every event counts in the rate; later, at least the last batches.
    const rate = report.processing.eventsPerMinute;
    const withinMinute = Date.now() - sentAt < 55_000;
    expect(withinMinute ? rate === truth.events : rate > 0).toBe(true);

    const metrics = async (sheet: string, query = '') =>
      (
        await request(server)
          .get(
            `${base}/projects/shop/apps/web/metrics/${sheet}?from=${from}&to=${to}${query}`,
          )
          .expect(200)
      ).body;

    const check = async () => {
      const overview = await metrics('overview', '&includeBots=true');
      expect(overview).toMatchObject({
        sheet: 'overview',
        appId: 'web',
        timezone: 'UTC',
      });
      expect(overview.data.kpis.events).toBe(truth.events);
      expect(overview.data.kpis.sessions).toBe(truth.sessions);
      expect(overview.data.kpis.engagedSessions).toBe(truth.engagedSessions);
      expect(overview.data.kpis.activeUsers).toBe(truth.users);
      const daily = Object.fromEntries(
        overview.data.daily.map((d: any) => [d.date, d]),
      );
      for (const [date, users] of Object.entries(truth.activeUsersByDay)) {
        expect([date, daily[date].activeUsers]).toEqual([date, users]);
      }
      for (const [date, users] of Object.entries(truth.newUsersByDay)) {
        expect([date, daily[date].newUsers]).toEqual([date, users]);
      }
      for (const [date, sessions] of Object.entries(truth.sessionsByDay)) {
        expect([date, daily[date].sessions]).toEqual([date, sessions]);
      }
      const engagement = await metrics('engagement', '&includeBots=true');
      expect(
        Object.fromEntries(
          engagement.data.eventsByName.map((e: any) => [e.eventName, e.events]),
        ),
      ).toEqual(truth.eventsByName);
      // Crawlers are flagged, and left out by default.
      const humans = await metrics('overview');
      expect(humans.data.kpis.activeUsers).toBe(
        truth.users - truth.crawlerUsers,
      );
      const platforms = Object.fromEntries(
        overview.data.platforms.map((p: any) => [p.value, p.users]),
      );
      expect(platforms).toEqual(truth.usersByPlatform);
    };
    await check();

    // Sessions that came from elsewhere are the project's "Partners"; the others are Direct,
    // or Internal when their referrer was the site itself (as the reference classifies them).
    const acquisition = await metrics('acquisition');
    expect(
      acquisition.data.sessionChannels.map((c: any) => c.channelGroup).sort(),
    ).toEqual(['Direct', 'Internal', 'Partners']);

    // Every sheet answers.
    for (const sheet of ['retention', 'devices', 'geography']) {
      expect((await metrics(sheet)).data).toBeDefined();
    }

    // Bad input is a clear 4xx.
    const bad = await request(server)
      .get(
        `${base}/projects/shop/apps/web/metrics/overview?from=2026-13-01&to=${to}`,
      )
      .expect(400);
    expect(bad.body.error.message).toMatch(/from must be a real calendar date/);
    // Dates no report can mean are refused before any query runs (a year-10000 range once
    // looped over its days until the backend ran out of memory).
    for (const [range, message] of [
      ['from=2026-02-28&to=2026-02-31', /to must be a real calendar date/],
      [
        'from=9999-12-31&to=9999-12-31',
        /from must be between 2000-01-01 and 2099-12-31/,
      ],
      ['from=0000-01-01&to=0000-01-02', /from must be between/],
      ['from=2020-01-01&to=2026-01-01', /must not exceed 366 days/],
    ] as const) {
      const refused = await request(server)
        .get(`${base}/projects/shop/apps/web/metrics/overview?${range}`)
        .expect(400);
      expect(refused.body.error.message).toMatch(message);
    }
    await request(server)
      .get(
        `${base}/projects/shop/apps/web/metrics/funnels?from=${from}&to=${to}`,
      )
      .expect(404);
    await request(server)
      .get(
        `${base}/projects/shop/apps/nope/metrics/overview?from=${from}&to=${to}`,
      )
      .expect(404);

    // Restart: the same events are replayed by nobody, and the numbers do not change; events
    // sent again (an SDK retrying after a lost answer) do not count twice.
    await backend.backend.stop();
    const again = await startBackend();
    const server2 = again.server;
    const resent = await send(simulation.requests.slice(0, 50), {
      endpoint: again.endpoint,
      concurrency: 4,
      uploadTimestamp: 'now',
    });
    expect(resent.failed).toBe(0);
    await waitFor('the replay', async () => {
      const res = await request(server2).get(
        `${base}/projects/shop/ingestion?limit=0`,
      );
      const p = res.body.processing;
      return p.totals.events === resent.events && p.lagBytes === 0
        ? p
        : undefined;
    });
    server = server2;
    await check();
    await again.backend.stop();
  });
});
