import http from 'node:http';
import { AddressInfo } from 'node:net';
import { hashCode } from './protocol';
import { checkEndpoint, isLoopbackHost, send } from './send';
import { simulate } from './simulate';

interface Received {
  url: URL;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
  at: number;
  socket: number;
}

/** A collector stand-in on 127.0.0.1:0 that records what it receives. */
async function startServer(
  answer: (
    req: Received,
    index: number,
  ) => { status: number; headers?: Record<string, string> },
) {
  const received: Received[] = [];
  const sockets = new Map<unknown, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size);
      const r: Received = {
        url: new URL(req.url ?? '/', 'http://collector'),
        body: Buffer.concat(chunks),
        headers: req.headers,
        at: Date.now(),
        socket: sockets.get(req.socket)!,
      };
      received.push(r);
      const { status, headers } = answer(r, received.length - 1);
      res.writeHead(status, { 'content-length': '0', ...headers });
      res.end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/api/clickstream/collect/p1`,
    received,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const { requests } = simulate({
  seed: 3,
  users: 12,
  days: 2,
  startDate: '2026-01-05',
  appId: 'shop',
});

describe('send', () => {
  it('delivers every request unchanged over keep-alive connections', async () => {
    const server = await startServer(() => ({ status: 200 }));
    try {
      const result = await send(requests, {
        endpoint: server.endpoint,
        concurrency: 4,
      });
      const events = requests.reduce((n, r) => n + r.events, 0);
      expect(result).toMatchObject({
        requests: requests.length,
        events,
        accepted: requests.length,
        acceptedEvents: events,
        failed: 0,
        retries: 0,
        byStatus: { 200: requests.length },
      });
      expect(result.latencyMs.p50).toBeGreaterThan(0);
      expect(result.latencyMs.p50).toBeLessThanOrEqual(result.latencyMs.p95);
      expect(result.latencyMs.p95).toBeLessThanOrEqual(result.latencyMs.p99);
      expect(server.received).toHaveLength(requests.length);
      const byHash = new Map(requests.map(r => [r.query.hashCode, r]));
      for (const got of server.received) {
        expect(got.url.pathname).toBe('/api/clickstream/collect/p1');
        const sent = byHash.get(got.url.searchParams.get('hashCode')!)!;
        expect(sent).toBeDefined();
        expect(hashCode(got.body)).toBe(sent.query.hashCode);
        expect(Object.fromEntries(got.url.searchParams)).toEqual(sent.query);
        expect(got.headers['x-forwarded-for']).toBe(
          sent.headers['x-forwarded-for'],
        );
        expect(got.headers['user-agent']).toBe(sent.headers['user-agent']);
      }
      // Keep-alive: far fewer connections than requests.
      expect(
        new Set(server.received.map(r => r.socket)).size,
      ).toBeLessThanOrEqual(4);
    } finally {
      await server.close();
    }
  });

  it('waits as long as Retry-After says after a 503, then retries', async () => {
    const server = await startServer((_, i) =>
      i === 0
        ? { status: 503, headers: { 'retry-after': '1' } }
        : { status: 200 },
    );
    try {
      const some = requests.slice(0, 5);
      const result = await send(some, {
        endpoint: server.endpoint,
        concurrency: 1,
      });
      expect(result.accepted).toBe(5);
      expect(result.failed).toBe(0);
      expect(result.retries).toBe(1);
      expect(result.byStatus).toEqual({ 200: 5, 503: 1 });
      const [first, second] = server.received;
      expect(second.body.equals(first.body)).toBe(true);
      expect(second.at - first.at).toBeGreaterThanOrEqual(900);
    } finally {
      await server.close();
    }
  });

  it('gives up after the configured number of retries', async () => {
    const server = await startServer(() => ({
      status: 503,
      headers: { 'retry-after': '0' },
    }));
    try {
      const result = await send(requests.slice(0, 2), {
        endpoint: server.endpoint,
        concurrency: 2,
        retries: 2,
      });
      expect(result.accepted).toBe(0);
      expect(result.failed).toBe(2);
      expect(result.retries).toBe(4);
      expect(server.received).toHaveLength(6);
      expect(result.errors[0]).toMatch(/HTTP 503 after 3 attempt/);
    } finally {
      await server.close();
    }
  });

  it('does not retry a client error', async () => {
    const server = await startServer(() => ({ status: 400 }));
    try {
      const result = await send(requests.slice(0, 3), {
        endpoint: server.endpoint,
        concurrency: 2,
      });
      expect(result).toMatchObject({ accepted: 0, failed: 3, retries: 0 });
      expect(result.byStatus).toEqual({ 400: 3 });
    } finally {
      await server.close();
    }
  });

  it('counts network errors and retries them', async () => {
    const server = await startServer(() => ({ status: 200 }));
    const endpoint = server.endpoint;
    await server.close();
    const result = await send(requests.slice(0, 1), {
      endpoint,
      concurrency: 1,
      retries: 1,
    });
    expect(result.failed).toBe(1);
    expect(result.byStatus).toEqual({ error: 2 });
  });

  it('refuses endpoints that are not on the loopback interface', async () => {
    await expect(
      send(requests, { endpoint: 'http://192.0.2.10/collect', concurrency: 1 }),
    ).rejects.toThrow(/only loopback endpoints/);
    await expect(
      send(requests, {
        endpoint: 'http://example.com/collect',
        concurrency: 1,
      }),
    ).rejects.toThrow(/refusing to send to example.com/);
    await expect(
      send(requests, { endpoint: 'https://localhost/collect', concurrency: 1 }),
    ).rejects.toThrow(/http:\/\//);
    await expect(
      send(requests, { endpoint: 'not a url', concurrency: 1 }),
    ).rejects.toThrow(/not a URL/);
    // allowRemote lifts the check (nothing is sent for an empty list).
    await expect(
      send([], {
        endpoint: 'http://192.0.2.10/collect',
        concurrency: 1,
        allowRemote: true,
      }),
    ).resolves.toMatchObject({ requests: 0, accepted: 0 });
  });

  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['api.localhost', true],
    ['127.0.0.1', true],
    ['127.255.3.4', true],
    ['[::1]', true],
    ['::1', true],
    ['[::ffff:7f00:1]', true],
    ['::ffff:127.0.0.1', true],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
    ['0.0.0.0', false],
    ['[::]', false],
    ['[::ffff:a00:1]', false],
    ['localhost.example.com', false],
    ['127.0.0.1.nip.io', false],
  ])('isLoopbackHost(%s) is %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('normalises endpoints through the URL parser before checking', () => {
    expect(checkEndpoint('http://[0:0:0:0:0:0:0:1]:7007/x').hostname).toBe(
      '[::1]',
    );
    expect(() => checkEndpoint('http://2130706433.example/x')).toThrow();
    expect(checkEndpoint('http://2130706433/x').hostname).toBe('127.0.0.1');
  });
});
