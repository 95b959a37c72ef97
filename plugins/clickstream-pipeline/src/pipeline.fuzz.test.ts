import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SegmentLog } from './buffer/SegmentLog';
import { Collector } from './collector/Collector';
import { SegmentLogSink } from './collector/EventSink';
import { Processor } from './processor/Processor';
import { DuckDbWarehouse } from './warehouse/DuckDbWarehouse';

jest.setTimeout(120_000);

/** A small deterministic generator (mulberry32), so a failure can be run again. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}

const SEED = 20261204;
const NOW = Date.now();
const ALPHABETS = [
  'abcdefghijklmnopqrstuvwxyz0123456789 ',
  'éèàçüößñ漢字かなカナ한국어',
  '😀🎉👩‍💻🏳️‍🌈',
  'مرحبا עברית',
  '\u0000\u0001\u001f"\\/\b\f\n\r\t',
];

/**
 * What a request was meant to be, to check the pipeline's answer against: the event ids that
 * must load, whether some events must be quarantined, whether the whole request must be.
 */
interface Case {
  kind: string;
  body: string;
  query: string;
  /** The collector must refuse it (4xx). */
  refused?: boolean;
  valid: string[];
  someInvalid?: boolean;
  whole?: boolean;
}

function cases(count: number): Case[] {
  const r = random(SEED);
  let id = 0;
  const text = (max: number) => {
    const alphabet = [...r.pick(ALPHABETS)];
    return Array.from({ length: r.int(max) }, () => r.pick(alphabet)).join('');
  };
  const event = (extra: Record<string, unknown> = {}) => ({
    event_id: `fz-${++id}`,
    event_type: r.pick(['_page_view', '_session_start', 'add_to_cart', 'x']),
    app_id: 'shop',
    unique_id: `user-${r.int(50)}`,
    timestamp: NOW - r.int(3_600_000),
    platform: r.pick(['Web', 'Android', 'iOS']),
    attributes: {
      _session_id: `s-${r.int(20)}`,
      _session_number: r.pick([1, 0, 2 ** 53 + 1, 7.5]),
      _engagement_time_msec: r.pick([1000, -5, 0.001]),
      _page_url: `https://shop.example/${encodeURIComponent(text(30))}?q=${text(
        10,
      )}`,
      [`note_${r.int(5)}`]: text(200),
      nested: { deeper: [text(10), r.next(), null, { ok: true }] },
      ...extra,
    },
    user: { _user_id: { value: text(20), set_timestamp: NOW } },
  });
  const query = (i: number) =>
    `appId=shop&platform=Web&event_bundle_sequence_id=${i}&upload_timestamp=${NOW}`;

  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const kind = r.pick([
      'valid',
      'valid',
      'unicode-gzip',
      'mixed',
      'deep',
      'items',
      'refused',
    ]);
    if (kind === 'valid' || kind === 'unicode-gzip') {
      const events = Array.from({ length: 1 + r.int(20) }, () => event());
      const json = JSON.stringify(events);
      out.push({
        kind,
        body: kind === 'valid' ? json : gzipSync(json).toString('base64'),
        query: kind === 'valid' ? query(i) : `${query(i)}&compression=gzip`,
        valid: events.map(e => e.event_id),
      });
    } else if (kind === 'mixed') {
      const good = Array.from({ length: 1 + r.int(5) }, () => event());
      const bad = [
        { ...event(), event_id: undefined },
        { ...event(), event_type: '1st' },
        { ...event(), app_id: 'admin' },
        { ...event(), timestamp: 1e20 },
        { ...event(), timestamp: -1 },
        { ...event(), attributes: { long: 'x'.repeat(2000) } },
        // Numbers past what the warehouse's 64-bit integer columns hold.
        { ...event(), attributes: { _session_number: r.pick([1e308, -1e20]) } },
        {
          ...event(),
          attributes: Object.fromEntries(
            Array.from({ length: 501 }, (_, k) => [`a${k}`, k]),
          ),
        },
      ].slice(0, 1 + r.int(8));
      const events = [...good, ...bad].sort(() => r.next() - 0.5);
      // 1e400 is Infinity once parsed: no date can hold it.
      const body = JSON.stringify(events).replace(
        /"timestamp":-1\b/g,
        '"timestamp":1e400',
      );
      out.push({
        kind,
        body,
        query: query(i),
        valid: good.map(e => e.event_id),
        someInvalid: true,
      });
    } else if (kind === 'deep') {
      // An attribute nested past what can be written back as JSON.
      const depth = 150_000;
      const body = JSON.stringify([event(), event({ deep: 'DEEP' })]).replace(
        '"DEEP"',
        `${'['.repeat(depth)}1${']'.repeat(depth)}`,
      );
      out.push({ kind, body, query: query(i), valid: [], whole: true });
    } else if (kind === 'items') {
      // More items than an SDK sends: that event is refused, the other one loads.
      const first = event();
      const items = Array.from({ length: 10_000 }, (_, k) => ({ id: k }));
      out.push({
        kind,
        body: JSON.stringify([first, { ...event(), items }]),
        query: query(i),
        valid: [first.event_id],
        someInvalid: true,
      });
    } else {
      out.push({
        kind,
        body: r.pick([
          '{"not":"an array"}',
          '[]',
          '[1, "two", null]',
          JSON.stringify(Array.from({ length: 2_001 }, () => ({}))),
          'not json at all',
          gzipSync(`[${'{},'.repeat(3_000_000)}{}]`).toString('base64'),
        ]),
        query: query(i),
        refused: true,
        valid: [],
      });
    }
  }
  return out;
}

describe('the collector and the processor, fuzzed', () => {
  let dir: string;
  let log: SegmentLog;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fuzz-'));
    log = await SegmentLog.open({ directory: dir });
    const collector = new Collector({
      findApp: appId =>
        appId === 'shop'
          ? { appId, enabled: true, corsOrigins: [] }
          : undefined,
      sink: new SegmentLogSink(log),
    });
    server = createServer((req, res) => collector.collect(req, res));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: string, query: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: `/collect?${query}`,
          headers: { 'content-type': 'application/json' },
        },
        res => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('never answers 5xx, loads every valid event once, and quarantines the rest by request', async () => {
    const all = cases(240);
    const statuses: number[] = [];
    for (const c of all) statuses.push(await post(c.body, c.query));

    // The collector: 4xx for what it refuses, 200 for the rest, never 5xx.
    all.forEach((c, i) => {
      expect([c.kind, statuses[i] >= 400 && statuses[i] < 500]).toEqual([
        c.kind,
        !!c.refused,
      ]);
    });
    const accepted = all.filter(c => !c.refused);
    expect(accepted.length).toBeGreaterThan(150);

    // The processor and the warehouse, in batches as the worker reads them.
    const processor = new Processor({
      projectId: 'fuzz',
      apps: new Map([
        ['shop', { appId: 'shop', timezone: 'Europe/Paris' }],
        ['admin', { appId: 'admin', timezone: 'UTC' }],
      ]),
      dataFreshnessHours: 72,
    });
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const requestOf = new Map<string, Case>();
    let offset = 0;
    for (;;) {
      const records = await log.read(offset, { maxRecords: 37 });
      if (records.length === 0) break;
      for (const record of records) {
        requestOf.set(
          record.requestId,
          all[Number(record.query.event_bundle_sequence_id)],
        );
      }
      await warehouse.load(processor.process(records));
      offset = records[records.length - 1].nextOffset;
    }
    expect(requestOf.size).toBe(accepted.length);

    const loaded = await warehouse.query(
      'SELECT event_id, count(*)::INTEGER AS n FROM event_v2 GROUP BY 1',
    );
    expect(loaded.every(row => row.n === 1)).toBe(true);
    expect(loaded.map(row => row.event_id).sort()).toEqual(
      accepted.flatMap(c => c.valid).sort(),
    );

    const quarantined = await warehouse.query(
      'SELECT request_id, event_index::INTEGER AS event_index FROM quarantine',
    );
    const expected = [...requestOf]
      .filter(([, c]) => c.someInvalid || c.whole)
      .map(([requestId, c]) => [requestId, c.whole ? -1 : 'events'])
      .sort();
    expect(
      quarantined
        .map(q => [q.request_id, q.event_index === -1 ? -1 : 'events'])
        .sort(),
    ).toEqual(expected);
    await warehouse.close();
  });
});
