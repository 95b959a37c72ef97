import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the tests run against the real clickstream backend
import clickstreamPlugin from '@clickstream/backstage-plugin-clickstream-backend';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultClickstreamService } from '@clickstream/backstage-plugin-clickstream-node';
import { ClickstreamProjectEntityProvider } from './ClickstreamProjectEntityProvider';

jest.setTimeout(60_000);

describe('ClickstreamProjectEntityProvider', () => {
  it('mirrors created, changed, deployed and deleted projects of the real control plane', async () => {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'clickstream-catalog-'));
    const backend = await startTestBackend({
      features: [
        clickstreamPlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            clickstream: { dataDirectory },
          },
        }),
      ],
    });
    const baseUrl = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api/clickstream`;
    const call = (method: string, path: string, body?: object) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: mockCredentials.user.header(),
          'Content-Type': 'application/json',
        },
        body: body && JSON.stringify(body),
      });
    let entities: Entity[] = [];
    const connection: EntityProviderConnection = {
      applyMutation: async mutation => {
        if (mutation.type !== 'full')
          throw new Error('expected a full mutation');
        entities = mutation.entities.map(e => e.entity);
      },
      refresh: async () => {},
    };
    const provider = new ClickstreamProjectEntityProvider({
      clickstream: new DefaultClickstreamService({
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => baseUrl,
        }),
        auth: mockServices.auth(),
      }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    await provider.connect(connection);
    try {
      await provider.refresh();
      expect(entities).toEqual([]);

      expect(
        (
          await call('POST', '/projects', {
            id: 'shop',
            name: 'Shop',
            description: 'The web shop',
            owner: 'group:default/web',
          })
        ).status,
      ).toBe(201);
      await provider.refresh();
      expect(entities).toEqual([
        expect.objectContaining({
          kind: 'Resource',
          metadata: expect.objectContaining({
            name: 'shop',
            title: 'Shop',
            description: 'The web shop',
            annotations: expect.objectContaining({
              'clickstream/project-id': 'shop',
            }),
            links: [],
          }),
          spec: {
            type: 'clickstream-project',
            owner: 'group:default/web',
            lifecycle: 'experimental',
          },
        }),
      ]);

      await call('PUT', '/projects/shop', { name: 'Shop (EU)' });
      await call('POST', '/projects/shop/pipeline/deploy');
      for (let i = 0; i < 100; i++) {
        const status = await (
          await call('GET', '/projects/shop/pipeline/status')
        ).json();
        if (status.status === 'Active' && !status.operation) break;
        await new Promise(r => setTimeout(r, 50));
      }
      await provider.refresh();
      expect(entities[0].metadata.title).toBe('Shop (EU)');
      expect(entities[0].metadata.labels).toEqual({
        'clickstream/status': 'active',
      });
      expect(entities[0].metadata.links).toEqual([
        {
          url: 'http://localhost:7007/api/clickstream/collect/shop',
          title: 'Collect endpoint',
          icon: 'dashboard',
        },
      ]);

      await call('DELETE', '/projects/shop/pipeline');
      for (let i = 0; i < 100; i++) {
        if ((await call('DELETE', '/projects/shop')).status === 204) break;
        await new Promise(r => setTimeout(r, 50));
      }
      await provider.refresh();
      expect(entities).toEqual([]);
    } finally {
      await backend.stop();
      rmSync(dataDirectory, { recursive: true, force: true });
    }
  });
});
