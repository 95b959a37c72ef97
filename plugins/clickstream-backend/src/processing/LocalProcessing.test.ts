import { mockServices } from '@backstage/backend-test-utils';
import { SegmentLog } from '@clickstream/backstage-plugin-clickstream-pipeline';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageViewRequest } from '../__testUtils__/localBackend';
import { ControlPlaneStore } from '../database/ControlPlaneStore';
import { LocalProcessing } from './LocalProcessing';

jest.setTimeout(60_000);

const NOW = Date.now();

const request = (id: string, eventIds: string[]) =>
  pageViewRequest(id, eventIds, NOW);

/** What the worker reads from the control plane: one app, default processing. */
const store = {
  listApps: async () => ({
    items: [{ appId: 'web', timezone: 'UTC' }],
    totalCount: 1,
  }),
  getPipeline: async () => undefined,
} as unknown as ControlPlaneStore;

describe('LocalProcessing', () => {
  let dir: string;
  let log: SegmentLog;
  let processing: LocalProcessing | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'local-processing-'));
    log = await SegmentLog.open({ directory: join(dir, 'p', 'buffer') });
  });
  afterEach(async () => {
    await processing?.stopAll();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(
    options: Partial<ConstructorParameters<typeof LocalProcessing>[0]> = {},
  ) {
    processing = new LocalProcessing({
      store,
      dataDirectory: dir,
      log: async () => log,
      logger: mockServices.logger.mock(),
      idleMs: 20,
      ...options,
    });
    return processing;
  }

  /** The report once `records` requests are counted and nothing is left to read. */
  async function settled(p: LocalProcessing, records: number) {
    for (let i = 0; i < 500; i++) {
      const report = await p.report('p');
      if (report.lagBytes === 0 && report.totals.records === records) {
        return report;
      }
      await new Promise(r => setTimeout(r, 20));
    }
    throw new Error('processing did not catch up');
  }

  it('skips damaged bytes in the buffer, counts them, and loads everything around them', async () => {
    const offsets = [];
    for (let i = 0; i < 5; i++) {
      offsets.push(await log.append(request(`r${i}`, [`e${i}`])));
    }
    const file = join(dir, 'p', 'buffer', `${'0'.repeat(20)}.log`);
    const bytes = await fs.readFile(file);
    bytes[offsets[2] + 30] ^= 0xff;
    await fs.writeFile(file, bytes);

    const p = start();
    await p.start('p');
    const report = await settled(p, 4);
    expect(report.totals).toMatchObject({ records: 4, loaded: 4, corrupt: 1 });
    expect(await log.committed('processor')).toBe(log.endOffset);
  });

  it('decodes a batch within its expanded-size budget, over as many loads as it takes', async () => {
    for (let i = 0; i < 6; i++) {
      await log.append(
        request(
          `r${i}`,
          Array.from({ length: 50 }, (_, j) => `e${i}-${j}`),
        ),
      );
    }
    const p = start({ batchExpandedBytes: 8 * 1024 });
    await p.start('p');
    const report = await settled(p, 6);
    expect(report.totals).toMatchObject({ records: 6, loaded: 300 });
  });

  it('answers queries from its process, and survives a kill -9 of it mid-batch with nothing lost or counted twice', async () => {
    const requests = 400;
    for (let i = 0; i < requests; i++) {
      await log.append(
        request(
          `r${i}`,
          Array.from({ length: 5 }, (_, j) => `e${i}-${j}`),
        ),
      );
    }
    const failures: string[] = [];
    const p = start({
      batchRecords: 20,
      onFailure: (_projectId, reason) => failures.push(reason),
    });
    await p.start('p');
    // SIGKILL the processing process while it works through the backlog.
    for (let i = 0; i < 500; i++) {
      if ((await p.report('p')).totals.records > 0) break;
      await new Promise(r => setTimeout(r, 5));
    }
    await p.interruptWorker('p');
    expect(p.isHealthy('p')).toBe(false);
    expect(failures).toHaveLength(1);

    // The restarted process resumes from the committed offset.
    for (let i = 0; i < 1000; i++) {
      const report = await p.report('p');
      if (report.lagBytes === 0 && p.isHealthy('p')) break;
      await new Promise(r => setTimeout(r, 20));
    }
    const counts = await p
      .warehouse('p')!
      .query(
        'SELECT count(*)::INTEGER AS events, count(DISTINCT event_id)::INTEGER AS ids FROM event_v2',
      );
    expect(counts).toEqual([{ events: requests * 5, ids: requests * 5 }]);
    expect(await log.committed('processor')).toBe(log.endOffset);
  });

  it('restarts a process that runs out of memory, and loads or quarantines each request whole', async () => {
    for (let i = 0; i < 3; i++) await log.append(request(`r${i}`, [`e${i}`]));
    // About 4 MiB of JSON each: three together outgrow a 24 MiB heap while they are processed.
    const huge = Array.from({ length: 1_900 }, (_, j) => ({
      event_id: `big-${j}`,
      event_type: 'x',
      app_id: 'web',
      timestamp: NOW - 60_000,
      attributes: { text: 'y'.repeat(1_000), more: 'z'.repeat(1_000) },
    }));
    for (let i = 0; i < 3; i++) {
      await log.append({
        ...request(`huge${i}`, []),
        body: Buffer.from(
          JSON.stringify(
            huge.map(e => ({ ...e, event_id: `${e.event_id}-${i}` })),
          ),
        ),
      });
    }
    await log.append(request('after', ['e-after']));
    const failures: string[] = [];
    const p = start({
      heapLimitMb: 24,
      onFailure: (_projectId, reason) => failures.push(reason),
    });
    await p.start('p');
    for (let i = 0; i < 1500; i++) {
      const report = await p.report('p');
      if (report.lagBytes === 0 && report.totals.records >= 4) break;
      await new Promise(r => setTimeout(r, 20));
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatch(/memory/);
    const loaded = await p
      .warehouse('p')!
      .query(
        "SELECT event_id FROM event_v2 WHERE event_id IN ('e0', 'e-after') ORDER BY 1",
      );
    expect(loaded).toEqual([{ event_id: 'e-after' }, { event_id: 'e0' }]);
    // Each large request ended whole in one place: loaded in a smaller batch, or, when it
    // ended its process even alone, quarantined with the reason.
    const quarantined = await p
      .warehouse('p')!
      .query('SELECT request_id, reason FROM quarantine');
    for (const q of quarantined) {
      expect(q.reason).toMatch(
        /^processing this request ended the project's processing process: it ran out of memory/,
      );
    }
    for (let i = 0; i < 3; i++) {
      const [{ n }] = await p
        .warehouse('p')!
        .query(
          `SELECT count(*)::INTEGER AS n FROM event_v2 WHERE event_id LIKE 'big-%-${i}'`,
        );
      const kept = quarantined.some(q => q.request_id === `huge${i}`);
      expect([i, kept ? 0 : 1_900]).toEqual([i, n]);
    }
    expect(await log.committed('processor')).toBe(log.endOffset);
  });

  it("deletes what is older than the pipeline's data retention, and keeps the rest", async () => {
    const DAY = 86_400_000;
    // Two days old (within the default 72 hours of freshness) and new, a day of retention.
    await log.append(pageViewRequest('old', ['o1', 'o2'], NOW - 2 * DAY));
    await log.append(request('new', ['n1']));
    const logger = mockServices.logger.mock();
    const p = start({
      logger,
      retentionIntervalMs: 0,
      store: {
        ...store,
        getPipeline: async () => ({
          config: { processing: undefined, modeling: { dataRetentionDays: 1 } },
        }),
      } as unknown as ControlPlaneStore,
    });
    await p.start('p');
    await settled(p, 2);
    let ids: unknown[] = [];
    for (let i = 0; i < 500; i++) {
      ids = (
        await p
          .warehouse('p')!
          .query('SELECT event_id FROM event_v2 ORDER BY event_id')
      ).map(r => r.event_id);
      if (ids.length === 1) break;
      await new Promise(r => setTimeout(r, 20));
    }
    expect(ids).toEqual(['n1']);
    expect(logger.info).toHaveBeenCalledWith(
      'Applied data retention',
      expect.objectContaining({ projectId: 'p', events: 2 }),
    );
  });
});
