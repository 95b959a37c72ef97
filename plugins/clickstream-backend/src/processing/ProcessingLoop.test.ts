import {
  DuckDbWarehouse,
  ProcessedBatch,
  Processor,
  SegmentLog,
} from '@clickstream/backstage-plugin-clickstream-pipeline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageViewRequest } from '../__testUtils__/localBackend';
import { BatchOutcome, ProcessingLoop } from './ProcessingLoop';

jest.setTimeout(60_000);

const NOW = Date.now();

const request = (id: string, eventIds: string[]) =>
  pageViewRequest(id, eventIds, NOW);

describe('ProcessingLoop', () => {
  let dir: string;
  let log: SegmentLog;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'processing-loop-'));
    log = await SegmentLog.open({ directory: join(dir, 'buffer') });
  });
  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('quarantines the one request whose rows cannot be loaded, and loads the rest', async () => {
    for (let i = 0; i < 9; i++) await log.append(request(`r${i}`, [`e${i}`]));
    await log.append(request('poison', ['bad', 'innocent']));
    for (let i = 9; i < 15; i++) await log.append(request(`r${i}`, [`e${i}`]));

    // A real warehouse that refuses any batch holding the event 'bad', as a load that fails
    // for one request's sake would.
    const warehouse = await DuckDbWarehouse.open(':memory:');
    let loads = 0;
    const failing = {
      load(batch: ProcessedBatch) {
        loads++;
        if (batch.events.some(e => e.event_id === 'bad')) {
          return Promise.reject(new Error('Conversion Error: cannot store it'));
        }
        return warehouse.load(batch);
      },
    };
    const processor = new Processor({
      projectId: 'p',
      apps: new Map([['web', { appId: 'web', timezone: 'UTC' }]]),
      dataFreshnessHours: 72,
    });
    const commits: Array<[number, BatchOutcome]> = [];
    const errors: unknown[] = [];
    const loop: ProcessingLoop = new ProcessingLoop({
      read: from => log.readBatch(from, { maxRecords: 100 }),
      warehouse: failing,
      processor: () => processor,
      commit: (offset, outcome) => {
        commits.push([offset, outcome]);
      },
      idle: async () => loop.stop(),
      onError: e => errors.push(e),
    });
    await loop.run(0);

    expect(errors).toEqual([]);
    expect(loads).toBeGreaterThan(2); // it bisected
    expect(commits).toHaveLength(1);
    const [offset, outcome] = commits[0];
    expect(offset).toBe(log.endOffset);
    expect(outcome.stats).toMatchObject({
      records: 16,
      quarantinedRequests: 1,
    });
    expect(outcome.loaded.inserted).toBe(15);
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
    await warehouse.close();
  });
});
