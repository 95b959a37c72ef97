import {
  DescribeClusterV2Command,
  GetBootstrapBrokersCommand,
  KafkaClient,
} from '@aws-sdk/client-kafka';

/** What the pipeline needs of an existing MSK cluster. @public */
export interface MskClusterFacts {
  /** The brokers for IAM access control (TLS, port 9098), comma-separated. */
  brokers: string;
  /** The cluster's security groups: the first gets an ingress rule for the collector. */
  securityGroupIds: string[];
  /** The subnets its brokers are in (they name its VPC). */
  subnetIds: string[];
}

/**
 * Looks up an existing MSK cluster (provisioned or serverless) for a project's buffer, or
 * fails with what to fix: the collector and the processor authenticate with IAM, so the
 * cluster must be active with IAM access control on. Used by the buffer stack's custom
 * resource and by the deployer's pre-flight checks, so both say the same.
 * @public
 */
export async function describeMskCluster(
  kafka: KafkaClient,
  clusterArn: string,
): Promise<MskClusterFacts> {
  const info = await kafka
    .send(new DescribeClusterV2Command({ ClusterArn: clusterArn }))
    .then(
      res => res.ClusterInfo,
      error => {
        throw new Error(
          (error as Error).name === 'NotFoundException'
            ? `the MSK cluster ${clusterArn} does not exist (or is in another account or region)`
            : `could not describe the MSK cluster ${clusterArn}: ${
                (error as Error).message
              }`,
        );
      },
    );
  if (!info) throw new Error(`the MSK cluster ${clusterArn} was not found`);
  if (info.State !== 'ACTIVE') {
    throw new Error(
      `the MSK cluster ${clusterArn} is ${info.State}: wait until it is ACTIVE`,
    );
  }
  const provisioned = info.Provisioned;
  const serverless = info.Serverless;
  const iam = provisioned
    ? provisioned.ClientAuthentication?.Sasl?.Iam?.Enabled
    : serverless?.ClientAuthentication?.Sasl?.Iam?.Enabled ?? true;
  if (!iam) {
    throw new Error(
      `the MSK cluster ${clusterArn} does not have IAM access control on: the collector and the processor sign in with IAM (turn it on in the cluster's security settings)`,
    );
  }
  const vpc = provisioned
    ? {
        securityGroupIds: provisioned.BrokerNodeGroupInfo?.SecurityGroups,
        subnetIds: provisioned.BrokerNodeGroupInfo?.ClientSubnets,
      }
    : {
        securityGroupIds: serverless?.VpcConfigs?.[0]?.SecurityGroupIds,
        subnetIds: serverless?.VpcConfigs?.[0]?.SubnetIds,
      };
  const { BootstrapBrokerStringSaslIam: brokers } = await kafka.send(
    new GetBootstrapBrokersCommand({ ClusterArn: clusterArn }),
  );
  if (!brokers) {
    throw new Error(
      `the MSK cluster ${clusterArn} has no brokers for IAM access control inside its VPC`,
    );
  }
  return {
    brokers,
    securityGroupIds: vpc.securityGroupIds ?? [],
    subnetIds: vpc.subnetIds ?? [],
  };
}
