import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DefaultClickstreamService } from './DefaultClickstreamService';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

/** A real HTTP server on port 0 that records each request and answers from `answer`. */
async function api(
  answer: (req: Seen) => { status: number; body?: unknown },
): Promise<{ server: Server; baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = {
      method: req.method!,
      url: req.url!,
      authorization: req.headers.authorization,
      body,
    };
    seen.push(request);
    const { status, body: out } = answer(request);
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(out ?? {}));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, baseUrl: `http://127.0.0.1:${port}/api/clickstream`, seen };
}

const client = (baseUrl: string) =>
  new DefaultClickstreamService({
    discovery: mockServices.discovery.mock({
      getBaseUrl: async id => {
        expect(id).toBe('clickstream');
        return baseUrl;
      },
    }),
    auth: mockServices.auth(),
  });

const credentials = mockCredentials.user('user:default/ada');

describe('DefaultClickstreamService', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('reads every page of projects, as the caller', async () => {
    const all = Array.from({ length: 1_203 }, (_, i) => ({ id: `p${i}` }));
    const started = await api(req => {
      const url = new URL(req.url, 'http://x');
      const limit = Number(url.searchParams.get('limit'));
      const offset = Number(url.searchParams.get('offset'));
      return {
        status: 200,
        body: {
          items: all.slice(offset, offset + limit),
          totalCount: all.length,
          limit,
          offset,
        },
      };
    });
    server = started.server;
    const projects = await client(started.baseUrl).listProjects({
      credentials,
    });
    expect(projects.map(p => p.id)).toEqual(all.map(p => p.id));
    expect(started.seen.map(s => s.url)).toEqual([
      '/api/clickstream/projects?limit=500&offset=0',
      '/api/clickstream/projects?limit=500&offset=500',
      '/api/clickstream/projects?limit=500&offset=1000',
    ]);
    // A plugin request token issued on behalf of the caller, for the clickstream plugin.
    expect(started.seen[0].authorization).toBe(
      mockCredentials.service.header({
        onBehalfOf: credentials,
        targetPluginId: 'clickstream',
      }),
    );
  });

  it('stops reading when a page comes back empty, even if the total says more', async () => {
    const started = await api(() => ({
      status: 200,
      body: { items: [], totalCount: 10, limit: 500, offset: 0 },
    }));
    server = started.server;
    await expect(
      client(started.baseUrl).listProjects({ credentials }),
    ).resolves.toEqual([]);
    expect(started.seen).toHaveLength(1);
  });

  it('sends bodies as JSON to the route of each call', async () => {
    const started = await api(req => ({
      status: req.method === 'POST' ? 201 : 200,
      body: { echoed: `${req.method} ${req.url}` },
    }));
    server = started.server;
    const cs = client(started.baseUrl);
    const options = { credentials };
    await cs.createProject(
      { id: 'shop', name: 'Shop', owner: 'group:default/web' },
      options,
    );
    await cs.createApp('shop', { appId: 'web', name: 'Web' }, options);
    await cs.updatePipelineConfig('shop', {}, options);
    await cs.deployPipeline('shop', options);
    await cs.upgradePipeline('shop', options);
    await expect(cs.getPipelineStatus('a b', options)).resolves.toEqual({
      echoed: 'GET /api/clickstream/projects/a%20b/pipeline/status',
    });
    expect(started.seen.map(s => [s.method, s.url, s.body])).toEqual([
      [
        'POST',
        '/api/clickstream/projects',
        '{"id":"shop","name":"Shop","owner":"group:default/web"}',
      ],
      [
        'POST',
        '/api/clickstream/projects/shop/apps',
        '{"appId":"web","name":"Web"}',
      ],
      ['PUT', '/api/clickstream/projects/shop/pipeline', '{}'],
      ['POST', '/api/clickstream/projects/shop/pipeline/deploy', ''],
      ['POST', '/api/clickstream/projects/shop/pipeline/upgrade', ''],
      ['GET', '/api/clickstream/projects/a%20b/pipeline/status', ''],
    ]);
  });

  const failing = async (status: number) => {
    const started = await api(() => ({
      status,
      // What Backstage's error handler answers.
      body: {
        error: { name: 'X', message: `the api says ${status}` },
        request: { method: 'POST', url: '/projects/shop/pipeline/deploy' },
        response: { statusCode: status },
      },
    }));
    server = started.server;
    return client(started.baseUrl).deployPipeline('shop', { credentials });
  };

  it.each([
    [400, InputError],
    [404, NotFoundError],
    [409, ConflictError],
  ])(
    'answers status %i with %p and the API message',
    async (status, errorClass) => {
      const call = failing(status);
      await expect(call).rejects.toBeInstanceOf(errorClass);
      await expect(call).rejects.toThrow(`the api says ${status}`);
    },
  );

  it('keeps any other failure as the ResponseError, with the whole response', async () => {
    const call = failing(500);
    await expect(call).rejects.toBeInstanceOf(ResponseError);
    await expect(call).rejects.toMatchObject({
      response: { status: 500 },
      body: { error: { message: 'the api says 500' } },
    });
  });
});
