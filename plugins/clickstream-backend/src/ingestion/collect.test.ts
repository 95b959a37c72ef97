import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { SegmentLog } from '@clickstream/backstage-plugin-clickstream-pipeline';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { clickstreamPlugin } from '../plugin';
import { clickstreamRootHttpRouterConfigure } from './collectRouter';

jest.setTimeout(30_000);

describe('the collect endpoint of local projects', () => {
  let dataDirectory: string;
  let server: Parameters<typeof request>[0];
  const base = '/api/clickstream';
  const anonymous = mockCredentials.none.header();

  beforeEach(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'clickstream-data-'));
    ({ server } = await startTestBackend({
      features: [
        clickstreamPlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            clickstream: { dataDirectory },
          },
        }),
      ],
    }));
    await request(server)
      .post(`${base}/projects`)
      .send({ id: 'shop', name: 'Shop', owner: 'group:a' })
      .expect(201);
    await request(server)
      .post(`${base}/projects/shop/apps`)
      .send({
        appId: 'web',
        name: 'Web',
        corsOrigins: ['https://shop.example.com'],
      })
      .expect(201);
  });

  afterEach(() => rmSync(dataDirectory, { recursive: true, force: true }));

  async function deployAndWait(expected: string) {
    for (let i = 0; i < 100; i++) {
      const res = await request(server).get(
        `${base}/projects/shop/pipeline/status`,
      );
      if (res.body.status === expected && !res.body.operation) return res.body;
      await new Promise(r => setTimeout(r, 20));
    }
    throw new Error(`pipeline did not become ${expected}`);
  }

  const collect = (body: string, query = 'appId=web&platform=Web') =>
    request(server)
      .post(`${base}/collect/shop?${query}`)
      .set('Authorization', anonymous)
      .set('Content-Type', 'application/json')
      .set('Origin', 'https://shop.example.com')
      .send(body);

  it('accepts SDK events without Backstage credentials once the pipeline is deployed', async () => {
    const before = await collect('[{"event_id":"e0"}]');
    expect(before.status).toBe(404);
    expect(before.body.error).toMatch(/deploy its pipeline first/);

    await request(server)
      .post(`${base}/projects/shop/pipeline/deploy`)
      .expect(202);
    const active = await deployAndWait('Active');
    expect(active.outputs.endpointUrl).toBe(
      'http://localhost:7007/api/clickstream/collect/shop',
    );
    expect(active.stacks).toEqual([
      { name: 'ingestion', status: 'CREATE_COMPLETE' },
      { name: 'buffer', status: 'CREATE_COMPLETE' },
      { name: 'processing', status: 'CREATE_COMPLETE' },
      { name: 'modeling', status: 'CREATE_COMPLETE' },
      { name: 'reporting', status: 'CREATE_COMPLETE' },
    ]);

    const ok = await collect('[{"event_id":"e1"},{"event_id":"e2"}]');
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    expect(ok.headers['access-control-allow-origin']).toBe(
      'https://shop.example.com',
    );
    expect((await collect('[{"event_id":"e3"}]', 'appId=other')).status).toBe(
      403,
    );
    expect((await collect('{"not":"an array"}')).status).toBe(400);

    const ping = await request(server)
      .get(`${base}/collect/shop/ping`)
      .set('Authorization', anonymous);
    expect(ping.status).toBe(200);
    expect(typeof ping.body.timestamp).toBe('number');

    // The buffer holds exactly the accepted request.
    const log = await SegmentLog.open({
      directory: join(dataDirectory, 'shop', 'buffer'),
    });
    const records = await log.read(0);
    await log.close();
    expect(records.map(r => JSON.parse(r.body.toString()))).toEqual([
      [{ event_id: 'e1' }, { event_id: 'e2' }],
    ]);
    expect(records[0].query).toMatchObject({ appId: 'web', platform: 'Web' });
  });

  it('follows app changes without a restart, and stops when the pipeline is deleted', async () => {
    await request(server)
      .post(`${base}/projects/shop/pipeline/deploy`)
      .expect(202);
    await deployAndWait('Active');
    expect((await collect('[{"event_id":"e1"}]')).status).toBe(200);

    await request(server)
      .put(`${base}/projects/shop/apps/web`)
      .send({ enabled: false })
      .expect(200);
    await new Promise(r => setTimeout(r, 2_100));
    const disabled = await collect('[{"event_id":"e2"}]');
    expect(disabled.status).toBe(403);
    expect(disabled.body.error).toMatch(/disabled/);

    await request(server).delete(`${base}/projects/shop/pipeline`).expect(202);
    await deployAndWait('Deleted');
    expect((await collect('[{"event_id":"e3"}]')).status).toBe(404);
    expect(existsSync(join(dataDirectory, 'shop'))).toBe(false);
  });

  it('keeps the rest of the API behind credentials', async () => {
    const res = await request(server)
      .get(`${base}/projects`)
      .set('Authorization', anonymous);
    expect(res.status).toBe(401);
  });
});

describe('clickstreamRootHttpRouterConfigure', () => {
  it('puts SDK traffic before the defaults and gives request headers 20 s', () => {
    const used: unknown[] = [];
    const server = { headersTimeout: 60_000 };
    let defaults = 0;
    clickstreamRootHttpRouterConfigure({
      app: { use: handler => used.push(handler) },
      routes: () => undefined,
      applyDefaults: () => defaults++,
      server,
    });
    expect(server.headersTimeout).toBe(20_000);
    expect(used).toHaveLength(1);
    expect(defaults).toBe(1);
    // A shorter deadline someone set already is kept.
    const strict = { headersTimeout: 5_000 };
    clickstreamRootHttpRouterConfigure({
      app: { use: () => undefined },
      routes: () => undefined,
      applyDefaults: () => undefined,
      server: strict,
    });
    expect(strict.headersTimeout).toBe(5_000);
  });
});
