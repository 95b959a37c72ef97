import { mockServices } from '@backstage/backend-test-utils';
import {
  DuckDbWarehouse,
  ProcessedBatch,
  SegmentLog,
} from '@clickstream/backstage-plugin-clickstream-node';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlPlaneStore } from '../database/ControlPlaneStore';
import { LocalProcessing } from './LocalProcessing';

jest.setTimeout(60_000);

const NOW = Date.now();

/** One SDK request of `events` page views, each with its own id. */
function request(id: string, eventIds: string[]) {
  return {
    body: Buffer.from(
      JSON.stringify(
        eventIds.map(eventId => ({
          event_id: eventId,
          event_type: '_page_view',
          app_id: 'web',
          unique_id: `user-${id}`,
          timestamp: NOW - 60_000,
          platform: 'Web',
        })),
      ),
    ),
    ingestTime: NOW,
    sourceIp: '203.0.113.9',
    userAgent: 'Mozilla/5.0',
    requestId: id,
    query: { appId: 'web', platform: 'Web' },
  };
}

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

  it('quarantines the one request whose rows cannot be loaded, and loads the rest', async () => {
    for (let i = 0; i < 9; i++) await log.append(request(`r${i}`, [`e${i}`]));
    await log.append(request('poison', ['bad', 'innocent']));
    for (let i = 9; i < 15; i++) await log.append(request(`r${i}`, [`e${i}`]));

    // A real warehouse that refuses any batch holding the event 'bad', as a load that fails
    // for one record's sake would.
    let loads = 0;
    const p = start({
      openWarehouse: async (path, options) => {
        const real = await DuckDbWarehouse.open(path, options);
        const load = real.load.bind(real);
        real.load = (batch: ProcessedBatch) => {
          loads++;
          if (batch.events.some(e => e.event_id === 'bad')) {
            return Promise.reject(
              new Error('Conversion Error: cannot store it'),
            );
          }
          return load(batch);
        };
        return real;
      },
    });
    await p.start('p');
    const report = await settled(p, 16);
    expect(report.totals).toMatchObject({ records: 16, loaded: 15 });
    expect(report.lastError).toBeNull();
    expect(loads).toBeGreaterThan(2); // it bisected
    const warehouse = p.warehouse('p')!;
    expect(
      await warehouse.query(
        'SELECT request_id, event_index::INTEGER AS event_index, reason FROM quarantine',
      ),
    ).toEqual([
      {
        request_id: 'poison',
        event_index: -1,
        reason:
          "the request's rows could not be loaded: Conversion Error: cannot store it",
      },
    ]);
    expect(
      await warehouse.query('SELECT count(*)::INTEGER AS n FROM event_v2'),
    ).toEqual([{ n: 15 }]);
    expect(await log.committed('processor')).toBe(log.endOffset);
  });

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
});
