import { MockFetchApi } from '@backstage/test-utils';
import { ClickstreamClient } from './ClickstreamClient';

describe('ClickstreamClient', () => {
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) =>
      `http://backend.test/api/${pluginId}`,
  };

  it('reads /health from the clickstream plugin', async () => {
    const implementation = jest.fn(
      async (_input: any, _init?: any) =>
        new Response(
          JSON.stringify({ status: 'ok', principal: 'user:default/guest' }),
          {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          },
        ),
    );
    const client = new ClickstreamClient({
      discoveryApi,
      fetchApi: new MockFetchApi({ baseImplementation: implementation }),
    });

    await expect(client.getHealth()).resolves.toEqual({
      status: 'ok',
      principal: 'user:default/guest',
    });
    expect(String(implementation.mock.calls[0][0])).toBe(
      'http://backend.test/api/clickstream/health',
    );
  });

  it('throws a ResponseError carrying the backend error', async () => {
    const client = new ClickstreamClient({
      discoveryApi,
      fetchApi: new MockFetchApi({
        baseImplementation: async () =>
          new Response(
            JSON.stringify({
              error: {
                name: 'AuthenticationError',
                message: 'Missing credentials',
              },
              request: { method: 'GET', url: '/api/clickstream/health' },
              response: { statusCode: 401 },
            }),
            {
              status: 401,
              statusText: 'Unauthorized',
              headers: { 'Content-Type': 'application/json' },
            },
          ),
      }),
    });

    await expect(client.getHealth()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 401,
      body: { error: { name: 'AuthenticationError' } },
    });
  });

  it('lists projects a page at a time', async () => {
    const implementation = jest.fn(
      async (_input: any, _init?: any) =>
        new Response(
          JSON.stringify({ items: [], totalCount: 0, limit: 20, offset: 40 }),
          { status: 200, headers: { 'Content-Type': 'application/json' } },
        ),
    );
    const client = new ClickstreamClient({
      discoveryApi,
      fetchApi: new MockFetchApi({ baseImplementation: implementation }),
    });
    await expect(
      client.listProjects({ limit: 20, offset: 40 }),
    ).resolves.toEqual({
      items: [],
      totalCount: 0,
      limit: 20,
      offset: 40,
    });
    expect(String(implementation.mock.calls[0][0])).toBe(
      'http://backend.test/api/clickstream/projects?limit=20&offset=40',
    );
  });
  it('calls the pipeline, ingestion and metrics routes with the right method and query', async () => {
    const implementation = jest.fn(
      async (_input: any, _init?: any) =>
        new Response('{}', {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    const client = new ClickstreamClient({
      discoveryApi,
      fetchApi: new MockFetchApi({ baseImplementation: implementation }),
    });
    await client.getPipeline('shop');
    await client.getPipelineHealth('shop');
    await client.listAccountResources('shop', 'vpcs');
    await client.deployPipeline('shop');
    await client.upgradePipeline('shop');
    await client.retryPipeline('shop');
    await client.deletePipeline('shop');
    await client.getIngestion('shop', { recentEvents: 5 });
    await client.listApps('shop');
    await client.getMetrics('shop', 'web app', 'overview', {
      from: '2026-11-01',
      to: '2026-11-30',
      timezone: 'Asia/Tokyo',
      platform: undefined,
    });
    const calls = implementation.mock.calls.map(
      ([url, init]) => `${init?.method ?? 'GET'} ${String(url)}`,
    );
    const api = 'http://backend.test/api/clickstream';
    expect(calls).toEqual([
      `GET ${api}/projects/shop/pipeline`,
      `GET ${api}/projects/shop/pipeline/health`,
      `GET ${api}/projects/shop/pipeline/resources/vpcs`,
      `POST ${api}/projects/shop/pipeline/deploy`,
      `POST ${api}/projects/shop/pipeline/upgrade`,
      `POST ${api}/projects/shop/pipeline/retry`,
      `DELETE ${api}/projects/shop/pipeline`,
      `GET ${api}/projects/shop/ingestion?limit=5`,
      `GET ${api}/projects/shop/apps?limit=500`,
      `GET ${api}/projects/shop/apps/web%20app/metrics/overview?from=2026-11-01&to=2026-11-30&timezone=Asia%2FTokyo`,
    ]);
  });

  it('changes and deletes projects and apps, sending the version and taking 204 without a body', async () => {
    const implementation = jest.fn(async (_input: any, init?: any) =>
      init?.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : new Response(init?.body ?? '{}', {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          }),
    );
    const client = new ClickstreamClient({
      discoveryApi,
      fetchApi: new MockFetchApi({ baseImplementation: implementation }),
    });
    await expect(
      client.updateProject('shop', {
        owner: 'group:default/analytics-team',
        version: 4,
      }),
    ).resolves.toEqual({ owner: 'group:default/analytics-team', version: 4 });
    await expect(
      client.updateApp('shop', 'web app', { enabled: false, version: 2 }),
    ).resolves.toEqual({ enabled: false, version: 2 });
    await expect(client.deleteApp('shop', 'web app')).resolves.toBeUndefined();
    await expect(client.deleteProject('shop')).resolves.toBeUndefined();
    const calls = implementation.mock.calls.map(
      ([url, init]) => `${init?.method ?? 'GET'} ${String(url)}`,
    );
    const api = 'http://backend.test/api/clickstream';
    expect(calls).toEqual([
      `PUT ${api}/projects/shop`,
      `PUT ${api}/projects/shop/apps/web%20app`,
      `DELETE ${api}/projects/shop/apps/web%20app`,
      `DELETE ${api}/projects/shop`,
    ]);
  });
});
