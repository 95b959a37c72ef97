import {
  DescribeAvailabilityZonesCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterV2Command,
  GetBootstrapBrokersCommand,
  KafkaClient,
} from '@aws-sdk/client-kafka';
import {
  DescribeAccountSettingsCommand,
  QuickSightClient,
} from '@aws-sdk/client-quicksight';
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { defaultPipelineConfig } from '@clickstream/backstage-plugin-clickstream-common';
import { mockClient } from 'aws-sdk-client-mock';
import { preflightProblems, PreflightRequest } from './preflight';

const region = 'eu-west-1';
const clients = () => ({
  ec2: new EC2Client({ region }),
  kafka: new KafkaClient({ region }),
  ssm: new SSMClient({ region }),
  quickSight: new QuickSightClient({ region }),
  redshiftData: new RedshiftDataClient({ region }),
});
const ec2 = mockClient(EC2Client);
const kafka = mockClient(KafkaClient);
const ssm = mockClient(SSMClient);
const quickSight = mockClient(QuickSightClient);
const redshiftData = mockClient(RedshiftDataClient);

const zones = (n: number) => ({
  AvailabilityZones: Array.from({ length: n }, (_, i) => ({
    ZoneName: `${region}${'abc'[i]}`,
    State: 'available' as const,
    ZoneType: 'availability-zone',
  })),
});

function request(
  overrides: Partial<PreflightRequest> = {},
  config: Partial<PreflightRequest['config']> = {},
): PreflightRequest {
  const defaults = defaultPipelineConfig('aws');
  return {
    projectId: 'shop',
    accountId: '123456789012',
    region,
    buildsImageWithDocker: true,
    ...overrides,
    config: {
      ...defaults,
      reporting: {
        type: 'quicksight',
        principalArn:
          'arn:aws:quicksight:us-east-1:123456789012:group/default/analysts',
      },
      ...config,
    },
  };
}

describe('the pre-flight checks', () => {
  beforeEach(() => {
    for (const mock of [ec2, kafka, ssm, quickSight, redshiftData]) {
      mock.reset();
    }
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '30' } });
    ec2.on(DescribeAvailabilityZonesCommand).resolves(zones(3));
    quickSight
      .on(DescribeAccountSettingsCommand)
      .resolves({ AccountSettings: { Edition: 'ENTERPRISE' } });
  });

  it('find nothing in a ready account', async () => {
    await expect(
      preflightProblems(request(), clients(), async () => undefined),
    ).resolves.toEqual([]);
    expect(ssm.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({
      Name: '/cdk-bootstrap/hnb659fds/version',
    });
    expect(
      quickSight.commandCalls(DescribeAccountSettingsCommand)[0].args[0].input,
    ).toEqual({ AwsAccountId: '123456789012' });
  });

  it('name each problem and what to do about it', async () => {
    const notFound = (name: string) => Object.assign(new Error(name), { name });
    ssm.on(GetParameterCommand).rejects(notFound('ParameterNotFound'));
    ec2.on(DescribeAvailabilityZonesCommand).resolves(zones(2));
    quickSight
      .on(DescribeAccountSettingsCommand)
      .resolves({ AccountSettings: { Edition: 'STANDARD' } });
    const problems = await preflightProblems(
      request(),
      clients(),
      async () => 'Cannot connect to the Docker daemon',
    );
    expect(problems).toEqual([
      'account 123456789012 in eu-west-1 is not bootstrapped for the CDK: run `npx cdk bootstrap aws://123456789012/eu-west-1`',
      "eu-west-1 has 2 availability zones available to 123456789012; the pipeline's network and Redshift Serverless need three: choose another region",
      'QuickSight in account 123456789012 is the STANDARD edition; the dashboards need Enterprise (or set reporting.type to none)',
      "Docker is not available on this host (Cannot connect to the Docker daemon); the collector's image is built at deployment: install Docker, set clickstream.aws.collectorImageBuild to codebuild to build it in the account, or set clickstream.aws.collectorImage to an image the account can pull",
    ]);
  });

  it('reach an existing warehouse with a query, and skip what the configuration does not use', async () => {
    redshiftData.on(ExecuteStatementCommand).resolves({ Id: 'q' });
    redshiftData.on(DescribeStatementCommand).resolves({
      Status: 'FAILED',
      Error: 'database "clickstream" does not exist',
    });
    redshiftData.on(GetStatementResultCommand).resolves({ Records: [] });
    const docker = jest.fn(async () => undefined);
    const problems = await preflightProblems(
      request(
        { buildsImageWithDocker: false },
        {
          ingestion: {
            ...defaultPipelineConfig('aws').ingestion,
            vpc: { vpcId: 'vpc-0123456789abcdef0' },
          },
          modeling: {
            ...defaultPipelineConfig('aws').modeling,
            warehouse: {
              type: 'redshift-provisioned',
              clusterIdentifier: 'analytics',
              dbUser: 'clickstream',
            },
          },
          reporting: { type: 'none' },
        },
      ),
      clients(),
      docker,
    );
    expect(problems).toEqual([
      'the existing Redshift cluster analytics did not answer a query on database clickstream: Redshift query failed: database "clickstream" does not exist',
    ]);
    // An existing VPC and cluster need no zones; no reporting, no QuickSight; a prebuilt image, no Docker.
    expect(ec2.calls()).toHaveLength(0);
    expect(quickSight.calls()).toHaveLength(0);
    expect(docker).not.toHaveBeenCalled();
    expect(
      redshiftData.commandCalls(ExecuteStatementCommand)[0].args[0].input,
    ).toMatchObject({ ClusterIdentifier: 'analytics', Sql: 'SELECT 1' });
  });

  describe('with an existing MSK cluster as the buffer', () => {
    const clusterArn =
      'arn:aws:kafka:eu-west-1:123456789012:cluster/events/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0-1';
    const mskRequest = (vpcId: string) =>
      request(
        { buildsImageWithDocker: false },
        {
          ingestion: {
            ...defaultPipelineConfig('aws').ingestion,
            sink: { type: 'msk', clusterArn, topic: 'clickstream' },
            vpc: { vpcId },
          },
          reporting: { type: 'none' },
        },
      );
    const cluster = (iam: boolean) => ({
      ClusterInfo: {
        ClusterArn: clusterArn,
        ClusterType: 'PROVISIONED' as const,
        State: 'ACTIVE' as const,
        Provisioned: {
          BrokerNodeGroupInfo: {
            InstanceType: 'kafka.m5.large',
            ClientSubnets: ['subnet-0aaa', 'subnet-0bbb'],
            SecurityGroups: ['sg-0cluster'],
          },
          ClientAuthentication: { Sasl: { Iam: { Enabled: iam } } },
          NumberOfBrokerNodes: 2,
        },
      },
    });
    beforeEach(() => {
      kafka.on(GetBootstrapBrokersCommand).resolves({
        BootstrapBrokerStringSaslIam:
          'b-1.events.abc.c2.kafka.eu-west-1.amazonaws.com:9098',
      });
      ec2.on(DescribeSubnetsCommand).resolves({
        Subnets: [{ SubnetId: 'subnet-0aaa', VpcId: 'vpc-0cluster0000000' }],
      });
    });

    it("pass when the collector's VPC is the cluster's, with IAM access control on", async () => {
      kafka.on(DescribeClusterV2Command).resolves(cluster(true));
      await expect(
        preflightProblems(mskRequest('vpc-0cluster0000000'), clients()),
      ).resolves.toEqual([]);
      expect(ec2.commandCalls(DescribeSubnetsCommand)[0].args[0].input).toEqual(
        { SubnetIds: ['subnet-0aaa'] },
      );
    });

    it("name the cluster's VPC, or the access control to turn on", async () => {
      kafka.on(DescribeClusterV2Command).resolves(cluster(true));
      await expect(
        preflightProblems(mskRequest('vpc-0elsewhere000000'), clients()),
      ).resolves.toEqual([
        'the MSK cluster is in vpc-0cluster0000000, the collector in vpc-0elsewhere000000: set ingestion.vpc.vpcId to vpc-0cluster0000000 so that it reaches the brokers',
      ]);
      kafka.on(DescribeClusterV2Command).resolves(cluster(false));
      const [problem] = await preflightProblems(
        mskRequest('vpc-0cluster0000000'),
        clients(),
      );
      expect(problem).toMatch(
        /^the MSK cluster arn:aws:kafka:.* does not have IAM access control on/,
      );
    });
  });
});
