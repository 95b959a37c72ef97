import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { clickstreamPlugin } from './plugin';
import { deployerModule, FakeDeployer } from './testing/FakeDeployer';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** The one AWS account these tests create aws projects for. */
const ALLOWED_AWS_ACCOUNT = {
  clickstream: { aws: { allowedAccounts: ['123456789012'] } },
};

describe.each(databases.eachSupportedId())(
  'clickstream API on %s',
  databaseId => {
    let server: Parameters<typeof request>[0];
    let deployer: FakeDeployer;
    let knex: Awaited<ReturnType<typeof databases.init>>;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      deployer = new FakeDeployer('local');
      ({ server } = await startTestBackend({
        features: [
          clickstreamPlugin,
          deployerModule(deployer),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({ data: ALLOWED_AWS_ACCOUNT }),
        ],
      }));
    });

    const api = () => request(server);
    const base = '/api/clickstream';

    async function createShop() {
      const res = await api()
        .post(`${base}/projects`)
        .send({ id: 'shop', name: 'Shop', owner: 'group:analytics-team' });
      expect(res.status).toBe(201);
      return res.body;
    }

    async function waitForStatus(
      projectId: string,
      done: (s: string) => boolean,
    ) {
      for (let i = 0; i < 100; i++) {
        const res = await api().get(
          `${base}/projects/${projectId}/pipeline/status`,
        );
        if (done(res.body.status) && res.body.operation === null)
          return res.body;
        await new Promise(r => setTimeout(r, 20));
      }
      throw new Error(`pipeline of ${projectId} did not settle`);
    }

    it('answers /health only with credentials', async () => {
      await api().get(`${base}/health`).expect(200, {
        status: 'ok',
        principal: mockCredentials.user().principal.userEntityRef,
      });
      const res = await api()
        .get(`${base}/health`)
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });

    it('creates a project with defaults, a normalised owner and a default pipeline', async () => {
      const project = await createShop();
      expect(project).toMatchObject({
        id: 'shop',
        name: 'Shop',
        description: '',
        owner: 'group:default/analytics-team',
        environment: 'Dev',
        target: { type: 'local' },
        notificationEmails: [],
        createdBy: mockCredentials.user().principal.userEntityRef,
        version: 1,
      });

      const pipeline = await api()
        .get(`${base}/projects/shop/pipeline`)
        .expect(200);
      expect(pipeline.headers.etag).toBe('"1"');
      expect(pipeline.body).toMatchObject({
        status: 'NotDeployed',
        operation: null,
        config: {
          ingestion: { endpointPath: '/collect', sink: { type: 'local' } },
          modeling: { warehouse: { type: 'duckdb' }, dataRetentionDays: 365 },
          reporting: { type: 'none' },
        },
      });

      const duplicate = await api()
        .post(`${base}/projects`)
        .send({ id: 'shop', name: 'Again', owner: 'group:analytics-team' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.message).toBe(
        "project 'shop' already exists",
      );
    });

    it('creates aws projects only for the accounts config allows', async () => {
      const refused = await api()
        .post(`${base}/projects`)
        .send({
          id: 'elsewhere',
          name: 'Elsewhere',
          owner: 'user:default/ada',
          target: {
            type: 'aws',
            accountId: '210987654321',
            region: 'eu-west-1',
          },
        });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        'AWS account 210987654321 is not one this portal deploys to: ' +
          'an administrator adds it to clickstream.aws.allowedAccounts',
      );
      await api().get(`${base}/projects/elsewhere`).expect(404);
    });

    it('gives an aws project a Kinesis and Redshift default', async () => {
      await api()
        .post(`${base}/projects`)
        .send({
          id: 'web',
          name: 'Web',
          owner: 'user:default/ada',
          target: {
            type: 'aws',
            accountId: '123456789012',
            region: 'eu-west-1',
          },
        })
        .expect(201);
      const res = await api().get(`${base}/projects/web/pipeline`).expect(200);
      expect(res.body.config.ingestion.sink).toEqual({
        type: 'kinesis',
        mode: 'ON_DEMAND',
        shardCount: 2,
        retentionHours: 24,
        vpcEndpoint: false,
      });
      expect(res.body.config.modeling.warehouse).toEqual({
        type: 'redshift-serverless',
        baseRpu: 8,
      });
    });

    it.each([
      [{ name: 'x', owner: 'group:a' }, /id: project id is required/],
      [
        { id: 'Shop', name: 'x', owner: 'group:a' },
        /project id must start with a lower-case letter/,
      ],
      [{ id: 'shop', owner: 'group:a' }, /name is required/],
      [
        { id: 'shop', name: 'x', owner: 'component:a' },
        /owner must be a user or group entity reference/,
      ],
      [
        { id: 'shop', name: 'x', owner: 'group:a', environment: 'Staging' },
        /environment must be 'Dev', 'Test' or 'Prod'/,
      ],
      [
        { id: 'shop', name: 'x', owner: 'group:a', target: { type: 'gcp' } },
        /target.type must be 'local'/,
      ],
      [
        {
          id: 'shop',
          name: 'x',
          owner: 'group:a',
          target: { type: 'aws', accountId: '12', region: 'eu-west-1' },
        },
        /target.accountId: accountId must be the 12 digits/,
      ],
      [
        { id: 'shop', name: 'x', owner: 'group:a', colour: 'red' },
        /unknown field colour/,
      ],
    ])(
      'refuses %j with a 400 that names the field and the rule',
      async (body, message) => {
        const res = await api().post(`${base}/projects`).send(body);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(message);
      },
    );

    it('lists projects with pagination and filters', async () => {
      for (const [id, owner] of [
        ['alpha', 'group:team-a'],
        ['beta', 'group:team-b'],
        ['gamma', 'group:team-a'],
      ]) {
        await api()
          .post(`${base}/projects`)
          .send({ id, name: id, owner })
          .expect(201);
      }
      await api()
        .post(`${base}/projects`)
        .send({
          id: 'delta',
          name: 'delta',
          owner: 'group:team-b',
          target: {
            type: 'aws',
            accountId: '123456789012',
            region: 'us-east-1',
          },
        })
        .expect(201);

      const page = await api()
        .get(`${base}/projects?limit=2&offset=1`)
        .expect(200);
      expect(page.body.totalCount).toBe(4);
      expect(page.body.items.map((p: any) => p.id)).toEqual(['beta', 'delta']);
      expect(page.body.items[0].status).toBe('NotDeployed');

      const owned = await api()
        .get(`${base}/projects?owner=group:team-a`)
        .expect(200);
      expect(owned.body.items.map((p: any) => p.id)).toEqual([
        'alpha',
        'gamma',
      ]);

      const aws = await api().get(`${base}/projects?target=aws`).expect(200);
      expect(aws.body.items.map((p: any) => p.id)).toEqual(['delta']);

      const byStatus = await api()
        .get(`${base}/projects?status=Active`)
        .expect(200);
      expect(byStatus.body.totalCount).toBe(0);

      const bad = await api().get(`${base}/projects?limit=0`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/limit must be between 1 and 500/);
    });

    it('updates a project conditionally on its version', async () => {
      await createShop();
      const first = await api()
        .put(`${base}/projects/shop`)
        .set('If-Match', '"1"')
        .send({ description: 'Our shop' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ description: 'Our shop', version: 2 });
      expect(first.headers.etag).toBe('"2"');

      const stale = await api()
        .put(`${base}/projects/shop`)
        .send({ description: 'Lost update', version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(
        /you sent version 1, the current version is 2/,
      );

      const target = await api()
        .put(`${base}/projects/shop`)
        .send({ target: { type: 'aws' } });
      expect(target.status).toBe(400);
      expect(target.body.error.message).toMatch(/unknown field target/);

      await api().get(`${base}/projects/nope`).expect(404);
    });

    it('manages apps: unique ids, validation, a time zone set once', async () => {
      await createShop();
      const created = await api()
        .post(`${base}/projects/shop/apps`)
        .send({
          appId: 'shopWeb',
          name: 'Shop web',
          corsOrigins: ['https://shop.example.com'],
        });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        projectId: 'shop',
        appId: 'shopWeb',
        platforms: ['Web'],
        timezone: null,
        enabled: true,
        corsOrigins: ['https://shop.example.com'],
      });

      const duplicate = await api()
        .post(`${base}/projects/shop/apps`)
        .send({ appId: 'shopWeb', name: 'Again' });
      expect(duplicate.status).toBe(409);
      // Redshift folds schema names to lower case: one schema for both, so refused.
      const caseOnly = await api()
        .post(`${base}/projects/shop/apps`)
        .send({ appId: 'SHOPWEB', name: 'Shouting' });
      expect(caseOnly.status).toBe(409);
      expect(caseOnly.body.error.message).toBe(
        "app 'SHOPWEB' differs only in case from app 'shopWeb' of project 'shop': the warehouse would give both one schema, so choose another id",
      );
      const reserved = await api()
        .post(`${base}/projects/shop/apps`)
        .send({ appId: 'user', name: 'Users' });
      expect(reserved.status).toBe(400);
      expect(reserved.body.error.message).toMatch(
        /app id 'user' is a reserved word of Redshift/,
      );

      const badOrigin = await api()
        .post(`${base}/projects/shop/apps`)
        .send({
          appId: 'other',
          name: 'x',
          corsOrigins: ['https://x.com/path'],
        });
      expect(badOrigin.status).toBe(400);
      expect(badOrigin.body.error.message).toMatch(
        /corsOrigins.0: corsOrigins must be origins/,
      );

      const badZone = await api()
        .put(`${base}/projects/shop/apps/shopWeb`)
        .send({ timezone: 'Mars/Olympus' });
      expect(badZone.status).toBe(400);
      expect(badZone.body.error.message).toMatch(
        /timezone must be an IANA time zone/,
      );

      await api()
        .put(`${base}/projects/shop/apps/shopWeb`)
        .send({ timezone: 'Europe/Paris' })
        .expect(200);
      const moved = await api()
        .put(`${base}/projects/shop/apps/shopWeb`)
        .send({ timezone: 'Asia/Tokyo' });
      expect(moved.status).toBe(409);
      expect(moved.body.error.message).toMatch(/timezone is already set/);

      const list = await api().get(`${base}/projects/shop/apps`).expect(200);
      expect(list.body).toMatchObject({
        totalCount: 1,
        items: [{ timezone: 'Europe/Paris', version: 2 }],
      });

      await api().delete(`${base}/projects/shop/apps/shopWeb`).expect(204);
      await api().get(`${base}/projects/shop/apps/shopWeb`).expect(404);
      await api().get(`${base}/projects/nope/apps`).expect(404);
    });

    it('checks a pipeline configuration against the project target', async () => {
      await createShop();
      const kinesis = await api()
        .put(`${base}/projects/shop/pipeline`)
        .send({ ingestion: { sink: { type: 'kinesis' } } });
      expect(kinesis.status).toBe(400);
      expect(kinesis.body.error.message).toMatch(
        /ingestion.sink.type must be 'local' for a local project/,
      );

      const size = await api()
        .put(`${base}/projects/shop/pipeline`)
        .send({ ingestion: { size: { min: 5, max: 2 } } });
      expect(size.status).toBe(400);
      expect(size.body.error.message).toMatch(
        /ingestion.size.min must not exceed ingestion.size.max/,
      );

      const ok = await api()
        .put(`${base}/projects/shop/pipeline`)
        .set('If-Match', '"1"')
        .send({
          processing: { dataFreshnessHours: 24 },
          modeling: { dataRetentionDays: 30 },
        });
      expect(ok.status).toBe(200);
      expect(ok.body.config.processing).toMatchObject({
        dataFreshnessHours: 24,
        enrichments: {
          userAgent: true,
          ipGeo: true,
          trafficSource: true,
          botFlag: true,
        },
      });
      expect(ok.body.config.modeling.dataRetentionDays).toBe(30);

      const stale = await api()
        .put(`${base}/projects/shop/pipeline`)
        .set('If-Match', '"1"')
        .send({});
      expect(stale.status).toBe(409);

      // A body that is not JSON never reads as an empty (all-defaults) configuration.
      const text = await api()
        .put(`${base}/projects/shop/pipeline`)
        .set('Content-Type', 'text/plain')
        .send('{"processing":{}}');
      expect(text.status).toBe(400);
      expect(text.body.error.message).toMatch(
        /Content-Type: application\/json/,
      );
      const after = await api().get(`${base}/projects/shop/pipeline`);
      expect(after.body.config.modeling.dataRetentionDays).toBe(30);
    });

    it('deploys through the installed deployer, one operation at a time, recording each transition', async () => {
      await createShop();
      await api()
        .post(`${base}/projects/shop/apps`)
        .send({ appId: 'web', name: 'Web' })
        .expect(201);

      const started = await api().post(`${base}/projects/shop/pipeline/deploy`);
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({
        status: 'Creating',
        lastAction: 'Create',
        operation: { action: 'Create', startedBy: 'user:default/mock' },
      });
      await deployer.started();
      expect(deployer.calls).toEqual([
        { step: 'deploy', projectId: 'shop', appIds: ['web'] },
      ]);

      // While it runs: no second operation, no config change, no project deletion.
      const again = await api().post(`${base}/projects/shop/pipeline/deploy`);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/is busy: Create is running/);
      expect(
        (await api().delete(`${base}/projects/shop/pipeline`)).status,
      ).toBe(409);
      expect(
        (await api().put(`${base}/projects/shop/pipeline`).send({})).status,
      ).toBe(409);
      expect((await api().delete(`${base}/projects/shop`)).status).toBe(409);

      const running = await api()
        .get(`${base}/projects/shop/pipeline/status`)
        .expect(200);
      expect(running.body).toMatchObject({
        status: 'Creating',
        stacks: [{ name: 'ingestion', status: 'CREATE_IN_PROGRESS' }],
      });

      deployer.complete();
      const active = await waitForStatus('shop', s => s === 'Active');
      // Deployments do not move the configuration's version, so the pipeline is never a 304:
      // a browser revalidating its copy would keep showing Creating.
      const afterDeploy = await api()
        .get(`${base}/projects/shop/pipeline`)
        .set('If-None-Match', '"1"');
      expect(afterDeploy.status).toBe(200);
      expect(afterDeploy.body.status).toBe('Active');
      expect(afterDeploy.headers.etag).toBe('"1"');
      expect(afterDeploy.headers['cache-control']).toBe('no-store');
      expect(active.outputs.endpointUrl).toBe(
        'http://localhost:7007/api/clickstream/collect/shop',
      );

      const listed = await api()
        .get(`${base}/projects?status=Active`)
        .expect(200);
      expect(listed.body.items.map((p: any) => p.id)).toEqual(['shop']);

      // Deploying an active pipeline applies its configuration as an update.
      await api().post(`${base}/projects/shop/pipeline/deploy`).expect(202);
      await deployer.started();
      deployer.fail('the ALB quota is exhausted');
      const warning = await waitForStatus('shop', s => s === 'Warning');
      expect(warning).toMatchObject({
        lastAction: 'Update',
        lastError: 'the ALB quota is exhausted',
      });

      await api().post(`${base}/projects/shop/pipeline/retry`).expect(202);
      await deployer.started();
      expect(deployer.calls.map(c => c.step)).toEqual([
        'deploy',
        'update',
        'update',
      ]);
      deployer.complete();
      await waitForStatus('shop', s => s === 'Active');

      // A deployed pipeline keeps its project: tear the pipeline down first.
      const blocked = await api().delete(`${base}/projects/shop`);
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.message).toMatch(/delete the pipeline first/);

      await api().delete(`${base}/projects/shop/pipeline`).expect(202);
      await deployer.started();
      deployer.complete();
      await waitForStatus('shop', s => s === 'Deleted');

      const events = await api()
        .get(`${base}/projects/shop/pipeline/events`)
        .expect(200);
      expect(
        events.body.items
          .map((e: any) => `${e.action}:${e.fromStatus}->${e.toStatus}`)
          .reverse(),
      ).toEqual([
        'Create:NotDeployed->Creating',
        'Create:Creating->Active',
        'Update:Active->Updating',
        'Update:Updating->Warning',
        'Update:Warning->Updating',
        'Update:Updating->Active',
        'Delete:Active->Deleting',
        'Delete:Deleting->Deleted',
      ]);

      await api().delete(`${base}/projects/shop`).expect(204);
      await api().get(`${base}/projects/shop`).expect(404);
    });

    it('upgrades a pipeline its stacks left on an older version: Warning, update refused, a failed upgrade retried', async () => {
      await createShop();
      const shop = `${base}/projects/shop/pipeline`;
      // A target without versions has nothing to upgrade.
      await api().post(`${shop}/deploy`).expect(202);
      await deployer.started();
      deployer.complete();
      await waitForStatus('shop', s => s === 'Active');
      const unversioned = await api().post(`${shop}/upgrade`);
      expect(unversioned.status).toBe(409);
      expect(unversioned.body.error.message).toMatch(
        /run the installed version/,
      );

      // Deployed by version 1.0.0.
      deployer.templateVersion = '1.0.0';
      await api().post(`${shop}/deploy`).expect(202);
      await deployer.started();
      deployer.complete();
      await waitForStatus('shop', s => s === 'Active');
      expect((await api().get(shop).expect(200)).body).toMatchObject({
        templateVersion: '1.0.0',
        upgradeTo: null,
      });
      const current = await api().post(`${shop}/upgrade`);
      expect(current.status).toBe(409);
      expect(current.body.error.message).toBe(
        "the pipeline of project 'shop' already runs version 1.0.0",
      );

      // The portal now deploys 1.1.0; the stacks still run 1.0.0.
      deployer.templateVersion = '1.1.0';
      const oldStacks = {
        execution: 'SUCCEEDED' as const,
        stacks: [
          {
            name: 'ingestion',
            status: 'UPDATE_COMPLETE',
            templateVersion: '1.0.0',
          },
        ],
        outputs: { dashboards: [] },
        templateVersion: '1.0.0',
      };
      deployer.currentState = oldStacks;
      const pending = await api().get(`${shop}/status`).expect(200);
      expect(pending.body).toMatchObject({
        status: 'Warning',
        templateVersion: '1.0.0',
        upgradeTo: '1.1.0',
      });
      const update = await api().post(`${shop}/deploy`);
      expect(update.status).toBe(409);
      expect(update.body.error.message).toMatch(
        /runs version 1\.0\.0 and this portal deploys 1\.1\.0: upgrade it first/,
      );

      // The upgrade fails: the old stacks keep serving, so Warning, not Failed.
      deployer.currentState = undefined;
      const upgrading = await api().post(`${shop}/upgrade`).expect(202);
      expect(upgrading.body).toMatchObject({
        status: 'Updating',
        operation: { action: 'Upgrade' },
      });
      await deployer.started();
      deployer.fail('UPDATE_ROLLBACK_COMPLETE: the new task definition failed');
      const failed = await waitForStatus('shop', s => s === 'Warning');
      expect(failed).toMatchObject({
        lastAction: 'Upgrade',
        lastError: 'UPDATE_ROLLBACK_COMPLETE: the new task definition failed',
      });

      // A retry upgrades again, rather than updating on the old version.
      const retried = await api().post(`${shop}/retry`).expect(202);
      expect(retried.body.operation).toMatchObject({ action: 'Upgrade' });
      await deployer.started();
      deployer.complete();
      const done = await waitForStatus('shop', s => s === 'Active');
      expect(done).toMatchObject({
        lastAction: 'Upgrade',
        templateVersion: '1.1.0',
        upgradeTo: null,
      });
      expect(deployer.calls.map(c => c.step)).toEqual([
        'deploy',
        'update',
        'update',
        'update',
      ]);
      const events = await api().get(`${shop}/events`).expect(200);
      expect(
        events.body.items
          .slice(0, 4)
          .map((e: any) => `${e.action}:${e.fromStatus}->${e.toStatus}`)
          .reverse(),
      ).toEqual([
        'Upgrade:Warning->Updating',
        'Upgrade:Updating->Warning',
        'Upgrade:Warning->Updating',
        'Upgrade:Updating->Active',
      ]);
    });

    it('hands a running pipeline its apps after each app change, and turns it Warning when that fails', async () => {
      await createShop();
      const app = (appId: string) =>
        api()
          .post(`${base}/projects/shop/apps`)
          .send({ appId, name: appId })
          .expect(201);
      // Not deployed yet: the deployment will carry the apps.
      await app('web');
      expect(deployer.appsHandedOver).toEqual([]);

      await api().post(`${base}/projects/shop/pipeline/deploy`).expect(202);
      await deployer.started();
      deployer.complete();
      await waitForStatus('shop', s => s === 'Active');
      // Once deployed, what changed meanwhile is handed over too (right after the status).
      for (let i = 0; i < 100 && deployer.appsHandedOver.length === 0; i++) {
        await new Promise(r => setTimeout(r, 20));
      }
      expect(deployer.appsHandedOver).toEqual([['web']]);

      await app('ios');
      await api()
        .put(`${base}/projects/shop/apps/web`)
        .send({ enabled: false })
        .expect(200);
      await api().delete(`${base}/projects/shop/apps/ios`).expect(204);
      expect(deployer.appsHandedOver).toEqual([
        ['web'],
        ['ios', 'web'],
        ['ios', 'web'],
        ['web'],
      ]);

      // The app is saved all the same; the pipeline says the change is not live.
      deployer.appsChangedError = 'AccessDeniedException: ssm:PutParameter';
      await app('android');
      const status = await api()
        .get(`${base}/projects/shop/pipeline/status`)
        .expect(200);
      expect(status.body.status).toBe('Warning');
      expect(status.body.lastError).toMatch(
        /did not get the latest app change \(AccessDeniedException: ssm:PutParameter\); update the pipeline/,
      );
      const apps = await api().get(`${base}/projects/shop/apps`).expect(200);
      expect(apps.body.items.map((a: any) => a.appId)).toContain('android');
    });

    it("answers the running pipeline's health checks, and a 503 that says why when they cannot be read", async () => {
      await createShop();
      const health = () => api().get(`${base}/projects/shop/pipeline/health`);
      // Nothing watches a pipeline that does not run.
      expect((await health().expect(200)).body).toEqual({ checks: [] });

      await api().post(`${base}/projects/shop/pipeline/deploy`).expect(202);
      await deployer.started();
      deployer.complete();
      await waitForStatus('shop', s => s === 'Active');
      deployer.healthChecks = [
        {
          name: 'Processing failed',
          state: 'ALARM',
          reason: 'Threshold Crossed',
          url: 'https://console.example/alarm',
          since: '2026-12-01T10:00:00.000Z',
        },
      ];
      expect((await health().expect(200)).body).toEqual({
        checks: deployer.healthChecks,
      });

      deployer.healthError = 'AccessDenied: cloudwatch:DescribeAlarms';
      const refused = await health();
      expect(refused.status).toBe(503);
      expect(refused.body.error.message).toBe(
        "the health of the pipeline of 'shop' cannot be read now: AccessDenied: cloudwatch:DescribeAlarms",
      );
    });

    it('lets exactly one of many concurrent deploys start', async () => {
      await createShop();
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          api().post(`${base}/projects/shop/pipeline/deploy`),
        ),
      );
      const statuses = results.map(r => r.status).sort();
      expect(statuses).toEqual([202, 409, 409, 409, 409, 409, 409, 409]);
      await deployer.started();
      expect(deployer.calls).toHaveLength(1);
      deployer.complete();
      await waitForStatus('shop', s => s === 'Active');
    });

    it('says when no deployer serves the target and when there is nothing to retry', async () => {
      await api()
        .post(`${base}/projects`)
        .send({
          id: 'cloud',
          name: 'Cloud',
          owner: 'group:a',
          target: {
            type: 'aws',
            accountId: '123456789012',
            region: 'eu-west-1',
          },
        })
        .expect(201);
      const res = await api().post(`${base}/projects/cloud/pipeline/deploy`);
      expect(res.status).toBe(501);
      expect(res.body.error.message).toMatch(
        /no deployer is installed for target 'aws'/,
      );

      await createShop();
      const retry = await api().post(`${base}/projects/shop/pipeline/retry`);
      expect(retry.status).toBe(409);
      expect(retry.body.error.message).toMatch(/nothing to retry/);
    });

    it('marks an operation whose backend instance stopped as aborted, ready to retry', async () => {
      await createShop();
      // What a crashed instance leaves behind: a Create in flight, silent for two minutes.
      const silentSince = new Date(Date.now() - 120_000).toISOString();
      await knex('pipelines').where({ project_id: 'shop' }).update({
        status: 'Creating',
        execution: 'RUNNING',
        last_action: 'Create',
        operation: 'Create',
        operation_started_at: silentSince,
        operation_started_by: 'user:default/mock',
        operation_heartbeat_at: silentSince,
      });

      // Another instance starts on the same database.
      const restarted = new FakeDeployer('local');
      const { server: other } = await startTestBackend({
        features: [
          clickstreamPlugin,
          deployerModule(restarted),
          mockServices.database.factory({ knex }),
        ],
      });
      const status = await request(other)
        .get(`${base}/projects/shop/pipeline/status`)
        .expect(200);
      expect(status.body).toMatchObject({
        status: 'Failed',
        execution: 'ABORTED',
        operation: null,
        lastError: 'the backend instance running Create stopped; retry it',
      });

      await request(other)
        .post(`${base}/projects/shop/pipeline/retry`)
        .expect(202);
      await restarted.started();
      expect(restarted.calls.map(c => c.step)).toEqual(['deploy']);
      restarted.complete();
    });

    it('leaves an operation alone while its instance keeps its heartbeat', async () => {
      await createShop();
      await api().post(`${base}/projects/shop/pipeline/deploy`).expect(202);
      await deployer.started();
      const { server: other } = await startTestBackend({
        features: [
          clickstreamPlugin,
          deployerModule(new FakeDeployer('local')),
          mockServices.database.factory({ knex }),
        ],
      });
      const status = await request(other).get(
        `${base}/projects/shop/pipeline/status`,
      );
      expect(status.body).toMatchObject({
        status: 'Creating',
        operation: { action: 'Create' },
      });
      deployer.complete();
      await waitForStatus('shop', s => s === 'Active');
    });
  },
);
