import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import permissionPolicyModule from './permissionPolicy';

describe('permissionPolicy module', () => {
  it('installs into the permission backend and decides its requests', async () => {
    const { server } = await startTestBackend({
      features: [
        permissionPlugin,
        permissionPolicyModule,
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true } },
        }),
      ],
    });

    const response = await request(server)
      .post('/api/permission/authorize')
      .send({
        items: [
          {
            id: 'q1',
            permission: {
              type: 'basic',
              name: 'catalog.entity.create',
              attributes: { action: 'create' },
            },
          },
        ],
      });

    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([
      { id: 'q1', result: AuthorizeResult.ALLOW },
    ]);
  });
});
