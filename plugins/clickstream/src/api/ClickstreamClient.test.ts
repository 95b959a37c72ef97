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
});
