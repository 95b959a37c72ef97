import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import clickstreamPlugin from '@clickstream/backstage-plugin-clickstream-backend';
import request from 'supertest';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionPolicyModule, {
  ClickstreamPermissionPolicy,
} from './permissionPolicy';

const asUser = (ref: string) => ({
  header: () => mockCredentials.user.header(ref),
});
const alice = asUser('user:default/alice');
const bob = asUser('user:default/bob');
const admin = asUser('user:default/root');
const olga = asUser('user:default/olga'); // an operator
const ana = asUser('user:default/ana'); // an analyst
const scaffolder = { header: () => mockCredentials.service.header() };

// Group memberships as the catalog would report them.
const memberships: Record<string, string[]> = {
  'user:default/alice': ['group:default/shop-team'],
  'user:default/root': ['group:default/platform'],
  'user:default/olga': ['group:default/shop-team', 'group:default/operators'],
  'user:default/ana': ['group:default/analysts'],
};

/**
 * The permissions service as the permission backend provides it, in process: service calls
 * are allowed, user calls go to the policy with the user's ownership claims. (The mock auth
 * of test backends cannot mint the on-behalf-of tokens the permission backend expects; the
 * end-to-end tests cover that hop against the running app.)
 */
function permissionsThroughPolicy(
  policy: ClickstreamPermissionPolicy,
): PermissionsService {
  const decide = async (
    requests: { permission: any }[],
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<PolicyDecision[]> => {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    if (principal.type !== 'user') {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    }
    const ref = principal.userEntityRef!;
    const user = {
      identity: {
        type: 'user' as const,
        userEntityRef: ref,
        ownershipEntityRefs: [],
      },
      info: {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
      },
      token: 'test',
      credentials,
    };
    return Promise.all(
      requests.map(r =>
        policy.handle({ permission: r.permission }, user as any),
      ),
    );
  };
  return {
    authorize: decide,
    authorizeConditional: decide,
  } as unknown as PermissionsService;
}

describe('the clickstream permission policy', () => {
  let server: Parameters<typeof request>[0];

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        clickstreamPlugin,
        createServiceFactory({
          service: coreServices.permissions,
          deps: {},
          factory: () =>
            permissionsThroughPolicy(
              new ClickstreamPermissionPolicy({
                admin: ['group:default/platform'],
                operator: ['group:default/operators'],
                analyst: ['group:default/analysts'],
                reader: [],
              }),
            ),
        }),
        mockServices.rootConfig.factory({
          data: { clickstream: { aws: { allowedAccounts: ['123456789012'] } } },
        }),
      ],
    }));

    // Alice owns one project herself and two through her team (one of them on AWS).
    for (const [id, owner, target] of [
      ['alice_shop', 'user:default/alice', { type: 'local' }],
      ['team_shop', 'group:default/shop-team', { type: 'local' }],
      [
        'team_cloud',
        'group:default/shop-team',
        { type: 'aws', accountId: '123456789012', region: 'eu-west-1' },
      ],
    ] as const) {
      const res = await request(server)
        .post('/api/clickstream/projects')
        .set('Authorization', alice.header())
        .send({ id, name: id, owner, target });
      if (res.status !== 201) {
        throw new Error(
          `setup failed: ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
    }
  });

  const get = (path: string, as: { header(): string }) =>
    request(server)
      .get(`/api/clickstream${path}`)
      .set('Authorization', as.header());

  it('refuses calls without credentials', async () => {
    const res = await request(server)
      .get('/api/clickstream/projects')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('lets owners, directly or through a group, read and change their projects', async () => {
    await get('/projects/alice_shop', alice).expect(200);
    await get('/projects/team_shop', alice).expect(200);
    await request(server)
      .put('/api/clickstream/projects/team_shop')
      .set('Authorization', alice.header())
      .send({ description: 'ours' })
      .expect(200);
    const list = await get('/projects', alice).expect(200);
    expect(list.body.items.map((p: any) => p.id)).toEqual([
      'alice_shop',
      'team_cloud',
      'team_shop',
    ]);
  });

  it('lets only operators among the owners deploy to a cloud account', async () => {
    const deploy = (as: { header(): string }) =>
      request(server)
        .post('/api/clickstream/projects/team_cloud/pipeline/deploy')
        .set('Authorization', as.header());
    const refused = await deploy(alice);
    expect(refused.status).toBe(403);
    expect(refused.body.error.name).toBe('NotAllowedError');
    // Past the policy: this test backend has no aws deployer installed.
    expect((await deploy(olga)).status).toBe(501);
  });

  it('lets analysts read every project and its dashboards, and change none', async () => {
    await get('/projects/alice_shop', ana).expect(200);
    const list = await get('/projects', ana).expect(200);
    expect(list.body.totalCount).toBe(3);
    // Past the policy: the project just has no app 'web'.
    await get(
      '/projects/alice_shop/apps/web/metrics/overview?from=2026-12-01&to=2026-12-02',
      ana,
    ).expect(404);
    await request(server)
      .put('/api/clickstream/projects/alice_shop')
      .set('Authorization', ana.header())
      .send({ description: 'mine now' })
      .expect(403);
  });

  it('answers 403 to a user who does not own the project, and hides it from their list', async () => {
    const res = await get('/projects/alice_shop', bob);
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    await request(server)
      .delete('/api/clickstream/projects/alice_shop')
      .set('Authorization', bob.header())
      .expect(403);
    await request(server)
      .post('/api/clickstream/projects/alice_shop/pipeline/deploy')
      .set('Authorization', bob.header())
      .expect(403);
    const list = await get('/projects', bob).expect(200);
    expect(list.body).toMatchObject({ items: [], totalCount: 0 });
  });

  it('refuses to hand a project to an owner the caller is not part of', async () => {
    const res = await request(server)
      .put('/api/clickstream/projects/team_shop')
      .set('Authorization', alice.header())
      .send({ owner: 'group:default/other-team' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/cannot hand project 'team_shop'/);
  });

  it('refuses to create a project the caller could not manage', async () => {
    const res = await request(server)
      .post('/api/clickstream/projects')
      .set('Authorization', bob.header())
      .send({ id: 'not_mine', name: 'x', owner: 'group:default/shop-team' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /cannot create a project owned by group:default\/shop-team/,
    );
  });

  it('lets members of an admin group act on every project', async () => {
    await get('/projects/alice_shop', admin).expect(200);
    const list = await get('/projects', admin).expect(200);
    expect(list.body.totalCount).toBe(3);
  });

  it('serves a backend service such as the scaffolder', async () => {
    await get('/projects/alice_shop', scaffolder).expect(200);
    await request(server)
      .post('/api/clickstream/projects')
      .set('Authorization', scaffolder.header())
      .send({
        id: 'from_template',
        name: 'x',
        owner: 'group:default/shop-team',
      })
      .expect(201);
  });
});

describe('the permission policy module', () => {
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
    const res = await request(server)
      .post('/api/permission/authorize')
      .send({
        items: [
          {
            id: 'create',
            permission: {
              type: 'basic',
              name: 'clickstream.project.create',
              attributes: { action: 'create' },
            },
          },
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toEqual({
      id: 'create',
      result: AuthorizeResult.ALLOW,
    });
  });
});
