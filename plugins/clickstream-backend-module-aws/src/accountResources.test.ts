import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { KafkaClient, ListClustersV2Command } from '@aws-sdk/client-kafka';
import { ListUsersCommand, QuickSightClient } from '@aws-sdk/client-quicksight';
import {
  DescribeClustersCommand,
  RedshiftClient,
} from '@aws-sdk/client-redshift';
import {
  ListWorkgroupsCommand,
  RedshiftServerlessClient,
} from '@aws-sdk/client-redshift-serverless';
import { mockServices } from '@backstage/backend-test-utils';
import { defaultPipelineConfig } from '@clickstream/backstage-plugin-clickstream-common';
import { mockClient } from 'aws-sdk-client-mock';
import {
  listAccountResources,
  MAX_RESOURCES,
  ResourceClients,
} from './accountResources';
import { AwsDeployer } from './AwsDeployer';

const clients = (): ResourceClients => ({
  ec2: new EC2Client({ region: 'eu-west-1' }),
  kafka: new KafkaClient({ region: 'eu-west-1' }),
  redshift: new RedshiftClient({ region: 'eu-west-1' }),
  redshiftServerless: new RedshiftServerlessClient({ region: 'eu-west-1' }),
  quickSight: new QuickSightClient({ region: 'eu-west-1' }),
});

const ec2 = mockClient(EC2Client);
const kafka = mockClient(KafkaClient);
const redshift = mockClient(RedshiftClient);
const redshiftServerless = mockClient(RedshiftServerlessClient);
const quickSight = mockClient(QuickSightClient);
const mocks = [ec2, kafka, redshift, redshiftServerless, quickSight];
afterEach(() => mocks.forEach(m => m.reset()));
afterAll(() => mocks.forEach(m => m.restore()));

describe('listAccountResources', () => {
  it('lists VPCs page by page, named by their Name tag, sorted by label', async () => {
    ec2
      .on(DescribeVpcsCommand, { NextToken: undefined })
      .resolves({
        Vpcs: [
          {
            VpcId: 'vpc-0b',
            CidrBlock: '10.1.0.0/16',
            Tags: [{ Key: 'Name', Value: 'shop' }],
          },
        ],
        NextToken: 'next',
      })
      .on(DescribeVpcsCommand, { NextToken: 'next' })
      .resolves({
        Vpcs: [
          { VpcId: 'vpc-0a', CidrBlock: '172.31.0.0/16', IsDefault: true },
        ],
      });
    expect(
      await listAccountResources('vpcs', clients(), '123456789012'),
    ).toEqual([
      { value: 'vpc-0b', label: 'shop (vpc-0b)', description: '10.1.0.0/16' },
      {
        value: 'vpc-0a',
        label: 'vpc-0a',
        description: '172.31.0.0/16, default VPC',
      },
    ]);
  });

  it('lists MSK clusters, Redshift workgroups and clusters, and active QuickSight users', async () => {
    kafka.on(ListClustersV2Command).resolves({
      ClusterInfoList: [
        {
          ClusterArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/events/a-1',
          ClusterName: 'events',
          ClusterType: 'PROVISIONED',
          State: 'ACTIVE',
        },
      ],
    });
    redshiftServerless.on(ListWorkgroupsCommand).resolves({
      workgroups: [
        {
          workgroupName: 'analytics',
          namespaceName: 'main',
          baseCapacity: 32,
          status: 'AVAILABLE',
        },
      ],
    });
    redshift.on(DescribeClustersCommand).resolves({
      Clusters: [
        {
          ClusterIdentifier: 'warehouse',
          NodeType: 'ra3.xlplus',
          NumberOfNodes: 2,
          ClusterStatus: 'available',
        },
      ],
    });
    quickSight.on(ListUsersCommand).resolves({
      UserList: [
        {
          Arn: 'arn:aws:quicksight:us-east-1:123456789012:user/default/ada',
          UserName: 'ada',
          Email: 'ada@example.com',
          Role: 'ADMIN',
          Active: true,
        },
        {
          Arn: 'arn:aws:quicksight:us-east-1:123456789012:user/default/gone',
          UserName: 'gone',
          Active: false,
        },
      ],
    });
    const c = clients();
    expect(
      await listAccountResources('mskClusters', c, '123456789012'),
    ).toEqual([
      {
        value: 'arn:aws:kafka:eu-west-1:123456789012:cluster/events/a-1',
        label: 'events',
        description: 'provisioned, active',
      },
    ]);
    expect(
      await listAccountResources('redshiftWorkgroups', c, '123456789012'),
    ).toEqual([
      {
        value: 'analytics',
        label: 'analytics',
        description: 'namespace main, 32 RPUs, available',
      },
    ]);
    expect(
      await listAccountResources('redshiftClusters', c, '123456789012'),
    ).toEqual([
      {
        value: 'warehouse',
        label: 'warehouse',
        description: '2 × ra3.xlplus, available',
      },
    ]);
    expect(
      await listAccountResources('quickSightUsers', c, '123456789012'),
    ).toEqual([
      {
        value: 'arn:aws:quicksight:us-east-1:123456789012:user/default/ada',
        label: 'ada',
        description: 'ada@example.com, admin',
      },
    ]);
    expect(
      quickSight.commandCalls(ListUsersCommand)[0].args[0].input,
    ).toMatchObject({ AwsAccountId: '123456789012', Namespace: 'default' });
  });

  it(`stops reading at ${MAX_RESOURCES}, however many pages the account has`, async () => {
    let page = 0;
    ec2.on(DescribeVpcsCommand).callsFake(async () => {
      page++;
      return {
        Vpcs: Array.from({ length: 100 }, (_, i) => ({
          VpcId: `vpc-${page}-${i}`,
        })),
        NextToken: 'always-more',
      };
    });
    const listed = await listAccountResources('vpcs', clients(), '1');
    expect(listed).toHaveLength(MAX_RESOURCES);
    expect(page).toBe(MAX_RESOURCES / 100);
  });
});

describe('AwsDeployer.resources', () => {
  it("reads in the project's region with its account's credentials", async () => {
    kafka.on(ListClustersV2Command).resolves({ ClusterInfoList: [] });
    const getCredentialProvider = jest.fn(async () => ({
      sdkCredentialProvider: async () => ({
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'secret',
      }),
    }));
    const deployer = new AwsDeployer({
      credentials: { getCredentialProvider },
      logger: mockServices.logger.mock(),
    });
    const project = {
      id: 'shop',
      target: {
        type: 'aws' as const,
        accountId: '123456789012',
        region: 'eu-west-1',
      },
    };
    expect(
      await deployer.resources(
        {
          project: project as any,
          apps: [],
          config: defaultPipelineConfig('aws'),
          logger: mockServices.logger.mock(),
          progress: async () => {},
        },
        'mskClusters',
      ),
    ).toEqual([]);
    expect(getCredentialProvider).toHaveBeenCalledWith({
      accountId: '123456789012',
    });
    const [call] = kafka.commandCalls(ListClustersV2Command);
    expect(await call.thisValue.config.region()).toBe('eu-west-1');
    // Only the client it reads with was made.
    expect(ec2.commandCalls(DescribeVpcsCommand)).toHaveLength(0);
  });
});
