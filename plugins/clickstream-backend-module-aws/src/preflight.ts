import {
  DescribeAvailabilityZonesCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { KafkaClient } from '@aws-sdk/client-kafka';
import {
  DescribeAccountSettingsCommand,
  QuickSightClient,
} from '@aws-sdk/client-quicksight';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { PipelineConfig } from '@clickstream/backstage-plugin-clickstream-common';
import {
  describeMskCluster,
  RedshiftDataRunner,
} from '@clickstream/backstage-plugin-clickstream-pipeline';
import { warehouseTarget } from '@clickstream/infra';
import { execFile } from 'node:child_process';

/** The AWS clients the checks use, in the project's account and region. */
export interface PreflightClients {
  ec2: EC2Client;
  kafka: KafkaClient;
  ssm: SSMClient;
  quickSight: QuickSightClient;
  redshiftData: RedshiftDataClient;
}

/** What the checks look at. */
export interface PreflightRequest {
  projectId: string;
  accountId: string;
  region: string;
  config: PipelineConfig;
  /** Whether the collector's image is built on this host (no prebuilt image, no CodeBuild). */
  buildsImageWithDocker: boolean;
}

/** Whether Docker answers on this host; the default asks the `docker` command. */
export type DockerProbe = () => Promise<string | undefined>;

const defaultDockerProbe: DockerProbe = () =>
  new Promise(resolve =>
    execFile(
      'docker',
      ['version', '--format', '{{.Server.Version}}'],
      { timeout: 15_000 },
      (error, _stdout, stderr) =>
        resolve(
          error
            ? String(stderr || error.message)
                .trim()
                .split('\n')[0]
            : undefined,
        ),
    ),
  );

/**
 * The checks `docs/aws-deployment.md` lists, run before a deployment: each problem found, in
 * words that say what to do, so a deployment that would fail half an hour in fails at once.
 * An empty list means go.
 */
export async function preflightProblems(
  request: PreflightRequest,
  clients: PreflightClients,
  dockerProbe: DockerProbe = defaultDockerProbe,
): Promise<string[]> {
  const { accountId, region, config } = request;
  const where = `account ${accountId} in ${region}`;
  const checks: Array<Promise<string | undefined>> = [];

  checks.push(
    clients.ssm
      .send(
        new GetParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version' }),
      )
      .then(
        () => undefined,
        error =>
          (error as Error).name === 'ParameterNotFound'
            ? `${where} is not bootstrapped for the CDK: run \`npx cdk bootstrap aws://${accountId}/${region}\``
            : `could not read the CDK bootstrap version of ${where}: ${error}`,
      ),
  );

  const { warehouse } = config.modeling;
  const newNetwork = !config.ingestion.vpc;
  if (newNetwork || warehouse.type === 'redshift-serverless') {
    checks.push(
      clients.ec2
        .send(
          new DescribeAvailabilityZonesCommand({
            Filters: [
              { Name: 'state', Values: ['available'] },
              { Name: 'zone-type', Values: ['availability-zone'] },
            ],
          }),
        )
        .then(
          ({ AvailabilityZones = [] }) =>
            AvailabilityZones.length >= 3
              ? undefined
              : `${region} has ${AvailabilityZones.length} availability zones available to ${accountId}; the pipeline's network and Redshift Serverless need three: choose another region`,
          error =>
            `could not list the availability zones of ${where}: ${error}`,
        ),
    );
  }

  const { sink } = config.ingestion;
  const vpcId = config.ingestion.vpc?.vpcId;
  if (sink.type === 'msk') {
    checks.push(
      describeMskCluster(clients.kafka, sink.clusterArn)
        .then(async ({ subnetIds }) => {
          const { Subnets = [] } = await clients.ec2.send(
            new DescribeSubnetsCommand({ SubnetIds: subnetIds.slice(0, 1) }),
          );
          const clusterVpc = Subnets[0]?.VpcId;
          return clusterVpc && clusterVpc !== vpcId
            ? `the MSK cluster is in ${clusterVpc}, the collector in ${
                vpcId ?? 'a new VPC'
              }: set ingestion.vpc.vpcId to ${clusterVpc} so that it reaches the brokers`
            : undefined;
        })
        .catch(error => (error as Error).message),
    );
  }

  if (config.reporting.type === 'quicksight') {
    checks.push(
      clients.quickSight
        .send(new DescribeAccountSettingsCommand({ AwsAccountId: accountId }))
        .then(
          ({ AccountSettings }) =>
            AccountSettings?.Edition?.startsWith('ENTERPRISE')
              ? undefined
              : `QuickSight in account ${accountId} is the ${
                  AccountSettings?.Edition ?? 'unknown'
                } edition; the dashboards need Enterprise (or set reporting.type to none)`,
          error =>
            (error as Error).name === 'ResourceNotFoundException'
              ? `account ${accountId} has no QuickSight subscription; subscribe to QuickSight Enterprise, or set reporting.type to none`
              : `could not read the QuickSight subscription of account ${accountId}: ${error}`,
        ),
    );
  }

  if (warehouse.type !== 'redshift-serverless' && warehouse.type !== 'duckdb') {
    const runner = new RedshiftDataRunner(
      clients.redshiftData,
      warehouseTarget(request.projectId, warehouse),
      { pollMs: 1000, timeoutMs: 60_000 },
    );
    const name =
      warehouse.type === 'redshift-provisioned'
        ? `cluster ${warehouse.clusterIdentifier}`
        : `workgroup ${warehouse.workgroupName}`;
    checks.push(
      runner.query('SELECT 1').then(
        () => undefined,
        error =>
          `the existing Redshift ${name} did not answer a query on database clickstream: ${
            (error as Error).message
          }`,
      ),
    );
  }

  if (request.buildsImageWithDocker) {
    checks.push(
      dockerProbe().then(problem =>
        problem
          ? `Docker is not available on this host (${problem}); the collector's image is built at deployment: install Docker, set clickstream.aws.collectorImageBuild to codebuild to build it in the account, or set clickstream.aws.collectorImage to an image the account can pull`
          : undefined,
      ),
    );
  }

  return (await Promise.all(checks)).filter((p): p is string => !!p);
}
