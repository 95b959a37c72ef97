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
  },
}));

describe('clickstreamModuleAwsDeployer', () => {
  it('serves aws projects in a running backend, with the AWS configuration', async () => {
    const { server } = await startTestBackend({
      features: [
        clickstreamPlugin,
        clickstreamModuleAwsDeployer,
        mockServices.rootConfig.factory({
          data: {
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
  });
});
