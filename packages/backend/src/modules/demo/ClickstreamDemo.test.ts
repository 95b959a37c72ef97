import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import clickstreamPlugin from '@clickstream/backstage-plugin-clickstream-backend';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiCall, ClickstreamDemo } from './ClickstreamDemo';

jest.setTimeout(120_000);

describe('ClickstreamDemo', () => {
  let dataDirectory: string;
  beforeAll(() => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'clickstream-demo-'));
  });
  afterAll(() => rmSync(dataDirectory, { recursive: true, force: true }));

  it('creates, deploys and fills the demo project once, then keeps feeding it', async () => {
    const backend = await startTestBackend({
      features: [
        clickstreamPlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            clickstream: { dataDirectory },
          },
        }),
      ],
    });
    const origin = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }`;
    const api: ApiCall = async (method, path, body) => {
      const response = await fetch(`${origin}/api/clickstream${path}`, {
        method,
        headers: {
          Authorization: mockCredentials.service.header(),
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!response.ok) throw await ResponseError.fromResponse(response);
      return response.json();
    };
    const processed = async (events: number) => {
      for (let i = 0; i < 300; i++) {
        const report = await api('GET', '/projects/demo/ingestion');
        const p = report.processing;
        if (p.totals.events === events && p.lagBytes === 0) return;
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(`processing did not reach ${events} events`);
    };
    const demo = new ClickstreamDemo(
      {
        projectId: 'demo',
        appId: 'shop',
        historyDays: 10,
        historyUsers: 30,
        usersPerMinute: 20,
      },
      api,
      mockServices.logger.mock(),
    );

    try {
      const first = await demo.setUp();
      expect(first).toEqual({
        created: true,
        endpoint: 'http://localhost:7007/api/clickstream/collect/demo',
      });
      // The test backend listens elsewhere than its configured base URL.
      const endpoint = first.endpoint.replace('http://localhost:7007', origin);

      const project = await api('GET', '/projects/demo');
      expect(project).toMatchObject({
        owner: 'group:default/analytics-team',
        target: { type: 'local' },
      });
      const pipeline = await api('GET', '/projects/demo/pipeline');
      expect(pipeline.status).toBe('Active');
      // Ten days of history fit in the freshness window it sets.
      expect(pipeline.config.processing.dataFreshnessHours).toBe(11 * 24);

      const history = await demo.sendHistory(endpoint);
      expect(history).toBeGreaterThan(100);
      await processed(history);

      // Nothing of the history was dropped as stale (crawlers included).
      const today = new Date().toISOString().slice(0, 10);
      const from = new Date(Date.now() - 9 * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const overview = await api(
        'GET',
        `/projects/demo/apps/shop/metrics/overview?from=${from}&to=${today}&includeBots=true`,
      );
      expect(overview.data.kpis.events).toBe(history);
      expect(overview.data.daily).toHaveLength(10);
      expect(
        overview.data.daily.reduce((n: number, d: any) => n + d.events, 0),
      ).toBe(history);

      // A second start finds everything in place.
      expect((await demo.setUp()).created).toBe(false);
      expect((await api('GET', '/projects')).totalCount).toBe(1);

      // The live feed: new people start a visit at once, and the rest of it follows in time.
      const now = Date.now();
      let live = await demo.tick(endpoint, now);
      expect(live).toBeGreaterThan(0);
      const waiting = demo.pendingRequests;
      expect(waiting).toBeGreaterThan(0);
      // Within the minute nobody new arrives.
      live += await demo.tick(endpoint, now + 1_000);
      expect(demo.pendingRequests).toBeLessThanOrEqual(waiting);
      await processed(history + live);
      // The live events happen now, not at the hour the simulation chose.
      const latest = await api('GET', '/projects/demo/ingestion?limit=20');
      for (const event of latest.recentEvents) {
        expect(event.timestamp).toBeLessThanOrEqual(now + 1_000);
        expect(event.timestamp).toBeGreaterThan(now - 5 * 60_000);
      }
    } finally {
      await backend.stop();
    }
  });
});
