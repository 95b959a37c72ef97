import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferFullError, IngestRecord } from './record';
import { SegmentLog } from './SegmentLog';

const record = (n: number, body = `[{"event_id":"e${n}"}]`): IngestRecord => ({
  body: Buffer.from(body),
  ingestTime: 1_700_000_000_000 + n,
  sourceIp: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
  requestId: `r${n}`,
  query: { appId: 'shop', platform: 'Web' },
});

describe('SegmentLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'segment-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a flipped byte in a record', (frame: Buffer) => (frame[20] ^= 0xff)],
    [
      'a length no record can have',
      (frame: Buffer) => frame.writeUInt32BE(0xfffffff0, 0),
    ],
    [
      'a length that ends inside the next record',
      (frame: Buffer) => frame.writeUInt32BE(frame.readUInt32BE(0) + 30, 0),
    ],
  ])('skips %s, says where, and reads on', async (_what, damage) => {
    const log = await SegmentLog.open({ directory: dir });
    const offsets = [];
    for (const n of [1, 2, 3, 4]) offsets.push(await log.append(record(n)));
    const file = join(dir, `${'0'.repeat(20)}.log`);
    const bytes = await fs.readFile(file);
    damage(bytes.subarray(offsets[1], offsets[2]));
    await fs.writeFile(file, bytes);

    const batch = await log.readBatch(0, { maxRecords: 100 });
    expect(batch.records.map(r => r.requestId)).toEqual(['r1', 'r3', 'r4']);
    expect(batch.corrupt).toEqual([
      { offset: offsets[1], nextOffset: offsets[2] },
    ]);
    expect(batch.nextOffset).toBe(log.endOffset);
    // Read from the damage on, one record at a time, the reader gets past it too.
    const one = await log.readBatch(offsets[1], { maxRecords: 1 });
    expect(one.corrupt).toEqual([
      { offset: offsets[1], nextOffset: offsets[2] },
    ]);
    expect(one.records.map(r => r.requestId)).toEqual(['r3']);
    expect(one.nextOffset).toBe(offsets[3]);
    await log.close();
  });

  it('reads back what it acknowledged, in order, with the request metadata', async () => {
    const log = await SegmentLog.open({ directory: dir });
    const offsets = await Promise.all(
      [1, 2, 3].map(n => log.append(record(n))),
    );
    expect(offsets[0]).toBe(0);
    expect(offsets[1]).toBeGreaterThan(offsets[0]);

    const records = await log.read(0);
    expect(records.map(r => r.requestId)).toEqual(['r1', 'r2', 'r3']);
    expect(records[0]).toMatchObject({
      body: Buffer.from('[{"event_id":"e1"}]'),
      ingestTime: 1_700_000_000_001,
      sourceIp: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
      query: { appId: 'shop', platform: 'Web' },
      offset: offsets[0],
      nextOffset: offsets[1],
    });
    expect(records[2].nextOffset).toBe(log.endOffset);
    expect(await log.read(records[1].nextOffset)).toHaveLength(1);
    await log.close();
  });

  it('shares one sync among concurrent appends (group commit)', async () => {
    const log = await SegmentLog.open({ directory: dir });
    const probe = await fs.open(join(dir, 'probe'), 'w');
    const datasync = jest.spyOn(Object.getPrototypeOf(probe), 'datasync');
    await probe.close();
    await Promise.all(
      Array.from({ length: 200 }, (_, n) => log.append(record(n))),
    );
    expect((await log.read(0, { maxRecords: 1000 })).length).toBe(200);
    expect(datasync.mock.calls.length).toBeGreaterThan(0);
    expect(datasync.mock.calls.length).toBeLessThan(10);
    datasync.mockRestore();
    await log.close();
  });

  it('keeps everything across a reopen and cuts a torn tail left by a crash', async () => {
    let log = await SegmentLog.open({ directory: dir });
    await log.append(record(1));
    await log.append(record(2));
    const end = log.endOffset;
    await log.close();
    // A crash in the middle of writing a third record.
    await fs.appendFile(
      join(dir, '00000000000000000000.log'),
      Buffer.from([0, 0, 1, 0, 9, 9]),
    );

    log = await SegmentLog.open({ directory: dir });
    expect(log.endOffset).toBe(end);
    expect((await log.read(0)).map(r => r.requestId)).toEqual(['r1', 'r2']);
    await log.append(record(3));
    expect((await log.read(0)).map(r => r.requestId)).toEqual([
      'r1',
      'r2',
      'r3',
    ]);
    await log.close();
  });

  it('rotates segments, reads across them, and deletes only what every consumer has passed', async () => {
    const log = await SegmentLog.open({ directory: dir, segmentBytes: 200 });
    for (let n = 0; n < 20; n++) await log.append(record(n));
    const segments = async () =>
      (await fs.readdir(dir)).filter(f => f.endsWith('.log')).length;
    expect(await segments()).toBeGreaterThan(3);
    expect(
      (await log.read(0, { maxRecords: 100 })).map(r => r.requestId),
    ).toEqual(Array.from({ length: 20 }, (_, n) => `r${n}`));

    const all = await log.read(0, { maxRecords: 100 });
    await log.commit('processor', all[10].offset);
    await log.commit('archiver', all[3].offset);
    expect(await log.committed('processor')).toBe(all[10].offset);
    const before = await segments();
    await log.retain(['processor', 'archiver']);
    const kept = await log.read(0, { maxRecords: 100 });
    expect(kept[0].offset).toBeLessThanOrEqual(all[3].offset);
    await log.retain(['processor']);
    expect(await segments()).toBeLessThan(before);
    const rest = await log.read(0, { maxRecords: 100 });
    expect(rest[0].offset).toBeLessThanOrEqual(all[10].offset);
    expect(rest.map(r => r.requestId)).toContain('r10');
    await log.close();
  });

  it('refuses appends past its size limit, losing nothing it accepted', async () => {
    const log = await SegmentLog.open({ directory: dir, maxBytes: 1000 });
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, n) => log.append(record(n))),
    );
    const accepted = results.filter(r => r.status === 'fulfilled').length;
    const refused = results.filter(r => r.status === 'rejected');
    expect(accepted).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(
      BufferFullError,
    );
    expect(await log.read(0, { maxRecords: 100 })).toHaveLength(accepted);
    await log.close();
  });

  it('reads a record larger than its read chunk', async () => {
    const log = await SegmentLog.open({ directory: dir });
    const big = `[${'"x",'.repeat(100_000)}"x"]`;
    await log.append(record(1, big));
    await log.append(record(2));
    const records = await log.read(0, { maxBytes: 1024 });
    expect(records[0].body.toString()).toBe(big);
    const next = await log.read(records[0].nextOffset);
    expect(next[0].requestId).toBe('r2');
    await log.close();
  });
});
