import {
  DescribeClusterV2Command,
  GetBootstrapBrokersCommand,
  KafkaClient,
} from '@aws-sdk/client-kafka';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../bin/mskClusterLambda';
import { describeMskCluster } from './mskCluster';

const kafka = mockClient(KafkaClient);
const clusterArn =
  'arn:aws:kafka:eu-west-1:123456789012:cluster/shop/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-2';
const iamBrokers =
  'b-1.shop.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.shop.abc123.c2.kafka.eu-west-1.amazonaws.com:9098';

// Shapes as DescribeClusterV2 documents them, trimmed to what the lookup reads.
const provisioned = (iam: boolean) => ({
  ClusterInfo: {
    ClusterArn: clusterArn,
    ClusterName: 'shop',
    ClusterType: 'PROVISIONED' as const,
    State: 'ACTIVE' as const,
    Provisioned: {
      BrokerNodeGroupInfo: {
        InstanceType: 'kafka.m5.large',
        ClientSubnets: ['subnet-0aaa', 'subnet-0bbb', 'subnet-0ccc'],
        SecurityGroups: ['sg-0cluster', 'sg-0other'],
      },
      ClientAuthentication: {
        Sasl: { Iam: { Enabled: iam }, Scram: { Enabled: false } },
        Unauthenticated: { Enabled: !iam },
      },
      NumberOfBrokerNodes: 3,
    },
  },
});
const serverless = {
  ClusterInfo: {
    ClusterArn: clusterArn,
    ClusterType: 'SERVERLESS' as const,
    State: 'ACTIVE' as const,
    Serverless: {
      VpcConfigs: [
        { SubnetIds: ['subnet-0ddd'], SecurityGroupIds: ['sg-0serverless'] },
      ],
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
    },
  },
};

describe('describeMskCluster', () => {
  beforeEach(() => kafka.reset());

  it("gives a provisioned cluster's IAM brokers, security groups and subnets", async () => {
    kafka.on(DescribeClusterV2Command).resolves(provisioned(true));
    kafka.on(GetBootstrapBrokersCommand).resolves({
      BootstrapBrokerStringTls: iamBrokers.replace(/9098/g, '9094'),
      BootstrapBrokerStringSaslIam: iamBrokers,
    });
    await expect(
      describeMskCluster(new KafkaClient({}), clusterArn),
    ).resolves.toEqual({
      brokers: iamBrokers,
      securityGroupIds: ['sg-0cluster', 'sg-0other'],
      subnetIds: ['subnet-0aaa', 'subnet-0bbb', 'subnet-0ccc'],
    });
  });

  it('reads a serverless cluster from its VPC configuration', async () => {
    kafka.on(DescribeClusterV2Command).resolves(serverless);
    kafka.on(GetBootstrapBrokersCommand).resolves({
      BootstrapBrokerStringSaslIam:
        'boot-abc.c1.kafka-serverless.eu-west-1.amazonaws.com:9098',
    });
    const facts = await describeMskCluster(new KafkaClient({}), clusterArn);
    expect(facts.securityGroupIds).toEqual(['sg-0serverless']);
    expect(facts.subnetIds).toEqual(['subnet-0ddd']);
  });

  it('refuses a cluster without IAM access control, saying what to turn on', async () => {
    kafka.on(DescribeClusterV2Command).resolves(provisioned(false));
    kafka.on(GetBootstrapBrokersCommand).resolves({
      BootstrapBrokerStringTls: iamBrokers.replace(/9098/g, '9094'),
    });
    await expect(
      describeMskCluster(new KafkaClient({}), clusterArn),
    ).rejects.toThrow(/does not have IAM access control on/);
  });

  it('refuses a cluster that is not active, and names a missing one', async () => {
    kafka.on(DescribeClusterV2Command).resolvesOnce({
      ClusterInfo: { ...provisioned(true).ClusterInfo, State: 'CREATING' },
    });
    await expect(
      describeMskCluster(new KafkaClient({}), clusterArn),
    ).rejects.toThrow(/is CREATING: wait until it is ACTIVE/);
    const missing = Object.assign(new Error('Cluster not found'), {
      name: 'NotFoundException',
    });
    kafka.on(DescribeClusterV2Command).rejects(missing);
    await expect(
      describeMskCluster(new KafkaClient({}), clusterArn),
    ).rejects.toThrow(/does not exist/);
  });
});

describe('the MSK cluster custom resource', () => {
  beforeEach(() => kafka.reset());

  it('answers the brokers and the security group the collector is let into', async () => {
    kafka.on(DescribeClusterV2Command).resolves(provisioned(true));
    kafka
      .on(GetBootstrapBrokersCommand)
      .resolves({ BootstrapBrokerStringSaslIam: iamBrokers });
    const result = await handler({
      RequestType: 'Create',
      ResourceProperties: { ClusterArn: clusterArn },
    });
    expect(result).toEqual({
      PhysicalResourceId: clusterArn,
      Data: { Brokers: iamBrokers, SecurityGroupId: 'sg-0cluster' },
    });
  });

  it('fails the deployment with the reason, and leaves the cluster alone on delete', async () => {
    kafka.on(DescribeClusterV2Command).resolves(provisioned(false));
    await expect(
      handler({
        RequestType: 'Update',
        PhysicalResourceId: clusterArn,
        ResourceProperties: { ClusterArn: clusterArn },
      }),
    ).rejects.toThrow(/IAM access control/);
    kafka.reset();
    await expect(
      handler({
        RequestType: 'Delete',
        PhysicalResourceId: clusterArn,
        ResourceProperties: { ClusterArn: clusterArn },
      }),
    ).resolves.toEqual({ PhysicalResourceId: clusterArn });
    expect(kafka.calls()).toHaveLength(0);
  });
});
