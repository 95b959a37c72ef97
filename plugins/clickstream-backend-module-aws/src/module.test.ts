import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
// The test starts the plugin this module extends, as an app's backend would.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import clickstreamPlugin from '@clickstream/backstage-plugin-clickstream-backend';
import request from 'supertest';
import { clickstreamModuleAwsDeployer } from './module';

// The deployer class is replaced at its boundary (the toolkit and CloudFormation are covered in
// AwsDeployer.test.ts): this test proves the module plugs it into a running backend.
const constructed: any[] = [];
const queries: string[] = [];
jest.mock('./AwsDeployer', () => ({
  AwsDeployer: class {
    readonly target = 'aws';
    #stacks: Array<{ name: string; status: string }> = [];
    constructor(options: unknown) {
      constructed.push(options);
    }
    async deploy() {
      this.#stacks = [
        { name: 'clickstream-shop-ingestion', status: 'CREATE_COMPLETE' },
      ];
      return {
        execution: 'SUCCEEDED',
        stacks: this.#stacks,
        outputs: {
          endpointUrl: 'https://collect.shop.example.com/collect',
          dashboards: [],
        },
      };
    }
    async status() {
      return {
        execution: 'SUCCEEDED',
        stacks: this.#stacks,
        outputs: { dashboards: [] },
      };
    }
    // Redshift, as the Data API would answer the geography sheet's queries.
    async warehouse() {
      return {
        dialect: 'redshift',
        query: async (sql: string) => {
          queries.push(sql);
          return [{ value: 'GB', users: 7, country: 'GB' }];
        },
      };
    }
  },
}));

describe('clickstreamModuleAwsDeployer', () => {
  it('serves aws projects in a running backend: deployments with the AWS configuration, and metrics from Redshift', async () => {
    const { server } = await startTestBackend({
      features: [
        clickstreamPlugin,
        clickstreamModuleAwsDeployer,
        mockServices.rootConfig.factory({
          data: {
            clickstream: { aws: { allowedAccounts: ['123456789012'] } },
            aws: {
              accounts: [
                {
                  accountId: '123456789012',
                  roleName: 'clickstream-deployer',
                },
              ],
            },
          },
        }),
      ],
    });
    expect(constructed).toHaveLength(1);
    expect(constructed[0].credentials).toBeInstanceOf(
      DefaultAwsCredentialsManager,
    );
    // Without Docker configuration, images are built on the host.
    expect(constructed[0].artifacts).toEqual({
      collectorImageUri: undefined,
      collectorImageBuild: 'docker',
    });

    const api = request(server);
    await api
      .post('/api/clickstream/projects')
      .send({
        id: 'shop',
        name: 'Shop',
        owner: 'group:analytics-team',
        target: { type: 'aws', accountId: '123456789012', region: 'eu-west-1' },
      })
      .expect(201);
    await api
      .post('/api/clickstream/projects/shop/apps')
      .send({ appId: 'web', name: 'Web' })
      .expect(201);
    const metrics = '/api/clickstream/projects/shop/apps/web/metrics/geography';
    const range = { from: '2026-11-01', to: '2026-11-28' };
    const early = await api.get(metrics).query(range).expect(409);
    expect(early.body.error.message).toBe(
      "the pipeline of project 'shop' is NotDeployed; metrics are read once it is deployed",
    );

    await api
      .post('/api/clickstream/projects/shop/pipeline/deploy')
      .expect(202);
    let pipeline: any;
    for (let i = 0; i < 100; i++) {
      pipeline = (await api.get('/api/clickstream/projects/shop/pipeline'))
        .body;
      if (pipeline.status === 'Active') break;
      await new Promise(r => setTimeout(r, 50));
    }
    expect(pipeline).toMatchObject({
      status: 'Active',
      stacks: [
        { name: 'clickstream-shop-ingestion', status: 'CREATE_COMPLETE' },
      ],
      outputs: { endpointUrl: 'https://collect.shop.example.com/collect' },
    });

    // Deployed: the analytics API reads the project's Redshift, in Redshift's dialect.
    const sheet = await api.get(metrics).query(range).expect(200);
    expect(sheet.body.data).toEqual({
      countries: [{ value: 'GB', users: 7 }],
      cities: [{ country: 'GB', value: 'GB', users: 7 }],
    });
    expect(queries.every(q => q.includes('FROM web.event_v2'))).toBe(true);
  });

  it('builds the collector image in the account when configured, and refuses an unknown way', async () => {
    constructed.length = 0;
    await startTestBackend({
      features: [
        clickstreamPlugin,
        clickstreamModuleAwsDeployer,
        mockServices.rootConfig.factory({
          data: { clickstream: { aws: { collectorImageBuild: 'codebuild' } } },
        }),
      ],
    });
    expect(constructed[0].artifacts.collectorImageBuild).toBe('codebuild');

    await expect(
      startTestBackend({
        features: [
          clickstreamPlugin,
          clickstreamModuleAwsDeployer,
          mockServices.rootConfig.factory({
            data: { clickstream: { aws: { collectorImageBuild: 'kaniko' } } },
          }),
        ],
      }),
    ).rejects.toThrow(
      "clickstream.aws.collectorImageBuild must be 'docker' or 'codebuild', not 'kaniko'",
    );
  });
});
