import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startLocalBackend, waitFor } from '../__testUtils__/localBackend';

jest.setTimeout(120_000);

const base = '/api/clickstream';

describe('local pipelines after a restart', () => {
  let dataDirectory: string;
  beforeAll(() => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'clickstream-resume-'));
  });
  afterAll(() => rmSync(dataDirectory, { recursive: true, force: true }));

  const startBackend = () => startLocalBackend(dataDirectory);

  const collect = (server: any, projectId: string) =>
    request(server)
      .post(`${base}/collect/${projectId}?appId=web`)
      .set('content-type', 'application/json')
      .send(
        JSON.stringify([
          {
            event_id: `e-${Math.random()}`,
            event_type: 'x',
            timestamp: Date.now(),
          },
        ]),
      );

  it('start each on its own: one that cannot start is marked Warning, the others run', async () => {
    const first = await startBackend();
    for (const id of ['broken', 'healthy']) {
      await request(first.server)
        .post(`${base}/projects`)
        .send({ id, name: id, owner: 'group:a' })
        .expect(201);
      await request(first.server)
        .post(`${base}/projects/${id}/apps`)
        .send({ appId: 'web', name: 'Web', platforms: ['Web'] })
        .expect(201);
      await request(first.server)
        .post(`${base}/projects/${id}/pipeline/deploy`)
        .expect(202);
      await waitFor(`${id} Active`, async () => {
        const res = await request(first.server).get(
          `${base}/projects/${id}/pipeline/status`,
        );
        return res.body.status === 'Active' && !res.body.operation
          ? true
          : undefined;
      });
    }
    await first.stop();
    // A warehouse file that is no database any more (a disk error, a bad copy).
    writeFileSync(
      join(dataDirectory, 'broken', 'warehouse.duckdb'),
      'not a database'.repeat(1000),
    );

    const second = await startBackend();
    try {
      const broken = await request(second.server)
        .get(`${base}/projects/broken/pipeline`)
        .expect(200);
      expect(broken.body.status).toBe('Warning');
      expect(broken.body.lastError).toMatch(
        /^the embedded pipeline could not start: /,
      );
      const healthy = await request(second.server)
        .get(`${base}/projects/healthy/pipeline`)
        .expect(200);
      expect(healthy.body).toMatchObject({ status: 'Active', lastError: null });
      expect((await collect(second.server, 'healthy')).status).toBe(200);

      // The collector's default rate limit is on: one address gets a burst of 200 (twice its
      // 100 a second), then 100 a second; the rest are told 429.
      const started = Date.now();
      const statuses: number[] = [];
      for (let batch = 0; batch < 10; batch++) {
        statuses.push(
          ...(await Promise.all(
            Array.from({ length: 100 }, () =>
              collect(second.server, 'healthy').then(r => r.status),
            ),
          )),
        );
      }
      const seconds = (Date.now() - started) / 1000;
      const ok = statuses.filter(s => s === 200).length;
      expect(ok).toBeGreaterThanOrEqual(190);
      expect(ok).toBeLessThanOrEqual(201 + Math.ceil(100 * seconds) + 10);
      expect(statuses.filter(s => s === 429)).toHaveLength(1000 - ok);
    } finally {
      await second.stop();
    }
  });
});
