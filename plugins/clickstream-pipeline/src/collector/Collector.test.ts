import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SegmentLog } from '../buffer/SegmentLog';
import { Collector, CollectorApp } from './Collector';
import { SegmentLogSink } from './EventSink';
import { createCollectorServer } from './server';

const apps: Record<string, CollectorApp> = {
  shop: {
    appId: 'shop',
    enabled: true,
    corsOrigins: ['https://shop.example.com', 'https://*.example.org'],
  },
  paused: { appId: 'paused', enabled: false, corsOrigins: [] },
};

const events = [
  { event_id: 'e1', event_type: '_page_view', app_id: 'shop', timestamp: 1 },
  { event_id: 'e2', event_type: 'add_to_cart', app_id: 'shop', timestamp: 2 },
];

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('Collector', () => {
  let dir: string;
  let log: SegmentLog;
  let server: Server;
  let port: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'collector-'));
    log = await SegmentLog.open({ directory: dir });
    const collector = new Collector({
      findApp: appId => apps[appId],
      sink: new SegmentLogSink(log),
      requestTimeoutMs: 500,
      trustedProxies: ['127.0.0.1'],
    });
    server = createServer((req, res) => {
      if (
        req.url?.startsWith('/collect/ping') ||
        req.url?.startsWith('/ping')
      ) {
        collector.ping(req, res);
      } else {
        collector.collect(req, res);
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await new Promise(resolve => server.close(resolve));
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function send(
    body: string | Buffer,
    options: {
      query?: string;
      method?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          port,
          host: '127.0.0.1',
          method: options.method ?? 'POST',
          path: `/collect?${
            options.query ??
            'appId=shop&platform=Web&event_bundle_sequence_id=1&upload_timestamp=5&hashCode=abcd'
          }`,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            ...options.headers,
          },
        },
        res => {
          let text = '';
          res.on('data', c => (text += c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              headers: res.headers,
              body: text,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  const stored = async () => log.read(0, { maxRecords: 1000 });

  it('stores a plain JSON array with its request metadata and answers an empty 200', async () => {
    const reply = await send(JSON.stringify(events), {
      headers: {
        'user-agent': 'Mozilla/5.0 test',
        'x-forwarded-for': '198.51.100.9, 127.0.0.1',
      },
    });
    expect(reply).toMatchObject({ status: 200, body: '' });
    const [record] = await stored();
    expect(JSON.parse(record.body.toString())).toEqual(events);
    expect(record).toMatchObject({
      userAgent: 'Mozilla/5.0 test',
      sourceIp: '198.51.100.9',
      query: {
        appId: 'shop',
        platform: 'Web',
        event_bundle_sequence_id: '1',
        upload_timestamp: '5',
        hashCode: 'abcd',
      },
    });
    expect(record.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(record.ingestTime - Date.now())).toBeLessThan(5000);
  });

  it('stores base64 of gzip as Android sends it, unchanged', async () => {
    const body = gzipSync(JSON.stringify(events)).toString('base64');
    const reply = await send(body, {
      query: 'appId=shop&platform=Android&compression=gzip',
    });
    expect(reply.status).toBe(200);
    expect((await stored())[0].body.toString()).toBe(body);
  });

  it('takes an empty compression parameter (Android, Swift uncompressed) as plain', async () => {
    const reply = await send(JSON.stringify(events), {
      query: 'appId=shop&platform=Android&compression=',
    });
    expect(reply.status).toBe(200);
  });

  it('answers a preflight for an allowed origin with a credentialed grant', async () => {
    const reply = await send('', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers).toMatchObject({
      'access-control-allow-origin': 'https://shop.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': 'content-type',
    });
    const wildcard = await send(JSON.stringify(events), {
      headers: { origin: 'https://www.example.org' },
    });
    expect(wildcard.headers['access-control-allow-origin']).toBe(
      'https://www.example.org',
    );
  });

  it('grants nothing to an origin the app does not allow', async () => {
    for (const origin of [
      'https://evil.example.net',
      'https://example.org',
      'https://a.b.example.org.evil.com',
      'https://a.b.example.org',
    ]) {
      const reply = await send('', { method: 'OPTIONS', headers: { origin } });
      expect(reply.status).toBe(204);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it.each([
    ['an unknown app', { query: 'appId=nobody' }, 403, /unknown app 'nobody'/],
    [
      'a disabled app',
      { query: 'appId=paused' },
      403,
      /app 'paused' is disabled/,
    ],
    [
      'a missing appId',
      { query: 'platform=Web' },
      400,
      /appId query parameter is required/,
    ],
    [
      'a form content type',
      { headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      /not accepted/,
    ],
    [
      'an unknown compression',
      { query: 'appId=shop&compression=br' },
      400,
      /compression must be gzip/,
    ],
    ['a GET', { method: 'GET' }, 405, /use POST/],
  ])('refuses %s', async (_, options, status, message) => {
    const reply = await send(JSON.stringify(events), options);
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.body).error).toMatch(message);
    expect(await stored()).toHaveLength(0);
  });

  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  it.each([
    ['invalid JSON', '[{"event_id":', 'gzip-less', /not valid JSON/],
    [
      'an object instead of an array',
      '{"event_id":"e1"}',
      '',
      /neither a JSON array nor base64/,
    ],
    ['an empty array', '[]', '', /empty array/],
    ['an array of strings', '["a","b"]', '', /event 0 is not a JSON object/],
    [
      'bad base64',
      '%%%not-base64%%%',
      'gzip',
      /neither a JSON array nor base64/,
    ],
    [
      'truncated gzip',
      gzipSync(JSON.stringify(events)).subarray(0, 20).toString('base64'),
      'gzip',
      /not valid gzip/,
    ],
    ['deep nesting', deep, '', /not valid JSON|is not a JSON object/],
    ['an empty body', '', '', /empty/],
  ])(
    'answers %s with 400, storing nothing',
    async (_, body, compression, message) => {
      const query = `appId=shop${
        compression === 'gzip' ? '&compression=gzip' : ''
      }`;
      const reply = await send(body, { query });
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body).error).toMatch(message);
      expect(await stored()).toHaveLength(0);
    },
  );

  it('answers invalid UTF-8 with 400', async () => {
    const reply = await send(
      Buffer.from([0x5b, 0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x5d]),
    );
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error).toMatch(/not valid UTF-8/);
  });

  it('answers a body over 1 MB with 413, declared or streamed', async () => {
    const big = `[${JSON.stringify({
      event_id: 'x',
      pad: 'y'.repeat(2 * 1024 * 1024),
    })}]`;
    expect((await send(big)).status).toBe(413);
    // Chunked, so the size is only known while reading.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/collect?appId=shop',
          headers: { 'transfer-encoding': 'chunked' },
        },
        res => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 40; i++) req.write('y'.repeat(64 * 1024));
      req.end();
    }).catch(() => 413);
    expect(chunked).toBe(413);
    expect(await stored()).toHaveLength(0);
  });

  it('answers a client that stalls with 408 and keeps serving others', async () => {
    const reply = await new Promise<string>(resolve => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST /collect?appId=shop HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{"event_id"',
        );
      });
      let text = '';
      socket.on('data', d => (text += d));
      socket.on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1.1 408/);
    expect((await send(JSON.stringify(events))).status).toBe(200);
  });

  it('keeps serving SDKs while many slow clients each declare a large body', async () => {
    const fair = new Collector({
      findApp: a => apps[a],
      sink: new SegmentLogSink(log),
      maxInflightBytes: 4 * 1024 * 1024,
      requestTimeoutMs: 3_000,
      trustedProxies: ['127.0.0.1'],
    });
    server.removeAllListeners('request');
    server.on('request', (req, res) => fair.collect(req, res));
    // 40 sockets promise 1 MB each (10 times the budget) and send a few bytes.
    const sockets = Array.from({ length: 40 }, (_, i) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /collect?appId=shop HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.${i}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n[{"event_id"',
        );
      });
      return socket.on('error', () => undefined);
    });
    try {
      await new Promise(r => setTimeout(r, 300));
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await send(JSON.stringify(events))).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it('gives one client address at most its share of the in-flight budget', async () => {
    const fair = new Collector({
      findApp: a => apps[a],
      sink: new SegmentLogSink(log),
      maxInflightBytes: 8 * 1024 * 1024,
      maxInflightBytesPerClient: 256 * 1024,
      requestTimeoutMs: 3_000,
      trustedProxies: ['127.0.0.1'],
    });
    server.removeAllListeners('request');
    server.on('request', (req, res) => fair.collect(req, res));
    // One address trickles 300 KB of a 900 KB body: past its share, it is told to come back.
    const hog = await new Promise<string>(resolve => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST /collect?appId=shop HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.7\r\n' +
            'Content-Type: application/json\r\nContent-Length: 900000\r\n\r\n',
        );
        socket.write(`[${'{"a":1},'.repeat(40_000)}`);
      });
      let text = '';
      socket.on('data', d => (text += d));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(hog).toMatch(/^HTTP\/1.1 503/);
    expect(hog).toMatch(/Retry-After: 1/i);
    // Everyone else is served.
    expect((await send(JSON.stringify(events))).status).toBe(200);
  });

  it('answers 413 to a request with more events or more JSON than one request may carry', async () => {
    const many = JSON.stringify(
      Array.from({ length: 2_001 }, (_, i) => ({
        ...events[0],
        event_id: `m${i}`,
      })),
    );
    const tooMany = await send(many);
    expect(tooMany.status).toBe(413);
    expect(JSON.parse(tooMany.body).error).toBe(
      'request body holds 2001 events; the limit is 2000 a request',
    );
    // 20 KB of gzip that inflates to 20 MB of tiny events.
    const bomb = gzipSync(`[${'{},'.repeat(7_000_000)}{}]`).toString('base64');
    const inflated = await send(bomb, {
      query: 'appId=shop&compression=gzip',
    });
    expect(inflated.status).toBe(413);
    expect(JSON.parse(inflated.body).error).toMatch(
      /inflates to more than 4194304 bytes/,
    );
    expect(await stored()).toHaveLength(0);
  });

  it('answers 503 with Retry-After when the buffer is full, and loses nothing it acknowledged', async () => {
    await log.close();
    log = await SegmentLog.open({ directory: dir, maxBytes: 2000 });
    const collector = new Collector({
      findApp: a => apps[a],
      sink: new SegmentLogSink(log),
    });
    server.removeAllListeners('request');
    server.on('request', (req, res) => collector.collect(req, res));
    const replies = [];
    for (let i = 0; i < 20; i++)
      replies.push(await send(JSON.stringify(events)));
    const ok = replies.filter(r => r.status === 200).length;
    const full = replies.filter(r => r.status === 503);
    expect(ok).toBeGreaterThan(0);
    expect(full.length).toBeGreaterThan(0);
    expect(full[0].headers['retry-after']).toBe('5');
    expect(await stored()).toHaveLength(ok);
  });

  it('answers 429 with Retry-After past the per-address and per-app rates', async () => {
    const limited = new Collector({
      findApp: a => apps[a],
      sink: new SegmentLogSink(log),
      rateLimit: { perIp: 2 },
    });
    server.removeAllListeners('request');
    server.on('request', (req, res) => limited.collect(req, res));
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await send(JSON.stringify(events))).status);
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]); // a burst of twice the rate
    const refused = await send(JSON.stringify(events));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await stored()).toHaveLength(statuses.filter(s => s === 200).length);
  });

  it('answers ping with the time', async () => {
    const reply = await send('', { method: 'GET' }).then(
      () =>
        new Promise<Reply>(resolve => {
          request({ port, host: '127.0.0.1', path: '/ping' }, res => {
            let text = '';
            res.on('data', c => (text += c));
            res.on('end', () =>
              resolve({
                status: res.statusCode!,
                headers: res.headers,
                body: text,
              }),
            );
          }).end();
        }),
    );
    expect(reply.status).toBe(200);
    expect(
      Math.abs(JSON.parse(reply.body).timestamp - Date.now()),
    ).toBeLessThan(5000);
  });
});

describe('createCollectorServer', () => {
  it('serves the SDKs at the configured endpoint path (ingestion.endpointPath) and nowhere else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'collector-path-'));
    const log = await SegmentLog.open({ directory: dir });
    const server = createCollectorServer({
      collector: new Collector({
        findApp: appId => apps[appId],
        sink: new SegmentLogSink(log),
      }),
      path: '/events/',
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const post = (path: string) =>
        fetch(`${base}${path}?appId=shop`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(events),
        });
      expect((await post('/events')).status).toBe(200);
      expect((await post('/collect')).status).toBe(404);
      expect((await fetch(`${base}/events/ping`)).status).toBe(200);
      expect(await log.read(0, { maxRecords: 10 })).toHaveLength(1);
    } finally {
      await new Promise(resolve => server.close(resolve));
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
