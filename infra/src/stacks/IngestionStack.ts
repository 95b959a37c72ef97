import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  StackProps,
} from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { PipelineConfig } from '@clickstream/backstage-plugin-clickstream-common';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { grantAppRegistryRead } from './appRegistry';
import { privateBucket } from './buckets';
import { kafkaResourceArn } from './kafkaArns';
import { shared, sharedBucket, sharedStream } from './shared';

/** An app the collector accepts, as the control plane registered it. @public */
export interface CollectorAppConfig {
  appId: string;
  corsOrigins?: string[];
  enabled?: boolean;
}

/** Where the collector writes: one of the buffer stack's resources. @public */
export type CollectorSink =
  | { type: 'kinesis'; stream: kinesis.IStream }
  | {
      type: 's3';
      bucket: s3.IBucket;
      /** The largest raw object the collector writes, in MiB (`sink.bufferSizeMb`). */
      maxObjectMb: number;
    }
  | {
      type: 'msk';
      clusterArn: string;
      topic: string;
      /** Its brokers for IAM access control (port 9098), comma-separated. */
      brokers: string;
      /** Its security group, which gets a rule letting the collector in. */
      securityGroupId: string;
    };

/** @public */
export interface IngestionStackProps extends StackProps {
  projectId: string;
  ingestion: PipelineConfig['ingestion'];
  sink: CollectorSink;
  apps: CollectorAppConfig[];
  /**
   * The collector's container image, or the URI of a prebuilt one (an ECR image of the account
   * is pulled with the task's execution role, which the stack then allows to).
   */
  image: ecs.ContainerImage | string;
}

const CONTAINER_PORT = 8080;

/**
 * The collector on ECS Fargate behind an internet-facing Application Load Balancer: HTTP, or
 * HTTPS with the configured certificate (and HTTP redirected), autoscaled on CPU, with access
 * logs, container logs and VPC flow logs kept.
 * @public
 */
export class IngestionStack extends Stack {
  /** The project's network: the collector's, and the warehouse's private subnets. */
  readonly vpc: ec2.IVpc;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly service: ecs.FargateService;
  /** The URL the SDKs send to. */
  readonly endpointUrl: string;

  constructor(scope: Construct, id: string, props: IngestionStackProps) {
    super(scope, id, props);
    const { ingestion } = props;
    const sink = sharedSink(this, props.sink);

    // An existing VPC is looked up at synthesis (the toolkit asks EC2 for its subnets); a new
    // one spans three zones, as Redshift Serverless wants subnets in three.
    const vpc = ingestion.vpc
      ? ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: ingestion.vpc.vpcId })
      : new ec2.Vpc(this, 'Vpc', {
          maxAzs: 3,
          natGateways: 1,
          // Free, and keeps S3 traffic (the buffer, the data lake, COPY) off the NAT gateway,
          // which is charged by the gigabyte.
          gatewayEndpoints: {
            S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
          },
          flowLogs: {
            all: {
              destination: ec2.FlowLogDestination.toCloudWatchLogs(
                new logs.LogGroup(this, 'FlowLogs', {
                  retention: logs.RetentionDays.ONE_MONTH,
                  removalPolicy: RemovalPolicy.DESTROY,
                }),
              ),
              trafficType: ec2.FlowLogTrafficType.REJECT,
            },
          },
        });
    this.vpc = vpc;
    if (ingestion.sink.type === 'kinesis' && ingestion.sink.vpcEndpoint) {
      // The collector's records reach Kinesis inside the VPC, not through the NAT gateway.
      vpc.addInterfaceEndpoint('KinesisEndpoint', {
        service: ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        privateDnsEnabled: true,
      });
    }

    // Load balancer access logs support SSE-S3 only, which privateBucket uses.
    const accessLogs = privateBucket(this, 'AccessLogs', {
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(
      this,
      'LoadBalancer',
      {
        vpc,
        internetFacing: true,
        dropInvalidHeaderFields: true,
      },
    );
    this.loadBalancer.logAccessLogs(accessLogs, 'alb');
    if (ingestion.waf)
      this.#addFirewall(ingestion.waf.requestsPer5MinutesPerIp);

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const task = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: 512,
      memoryLimitMiB: 1024,
      // The platform the image is built for (app.ts), stated rather than left to defaults.
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    task.addContainer('Collector', {
      image:
        typeof props.image === 'string'
          ? this.#imageFromUri(props.image)
          : props.image,
      portMappings: [{ containerPort: CONTAINER_PORT }],
      environment: {
        PORT: String(CONTAINER_PORT),
        CLICKSTREAM_COLLECT_PATH: ingestion.endpointPath,
        CLICKSTREAM_APPS: JSON.stringify(
          props.apps.map(app => ({
            appId: app.appId,
            enabled: app.enabled ?? true,
            corsOrigins: [...(app.corsOrigins ?? []), ...ingestion.corsOrigins],
          })),
        ),
        // The live registry, read every 30 s: apps registered later are accepted too.
        CLICKSTREAM_APPS_PARAMETER: grantAppRegistryRead(
          task.taskRole,
          this,
          props.projectId,
        ),
        // The load balancer is the only proxy in front; its X-Forwarded-For is believed.
        CLICKSTREAM_TRUSTED_PROXIES: vpc.vpcCidrBlock,
        ...this.#sinkEnvironment(sink, task.taskRole),
      },
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'collector',
        logGroup: new logs.LogGroup(this, 'CollectorLogs', {
          retention: logs.RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
      }),
    });

    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: ingestion.size.min,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
    if (sink.type === 'msk') {
      // The cluster's brokers take IAM-authenticated clients on 9098; its security group must
      // let the collector's in (the cluster lives in this VPC: the configuration says so).
      new ec2.CfnSecurityGroupIngress(this, 'KafkaFromCollector', {
        groupId: sink.securityGroupId,
        sourceSecurityGroupId:
          this.service.connections.securityGroups[0].securityGroupId,
        ipProtocol: 'tcp',
        fromPort: 9098,
        toPort: 9098,
        description: `Clickstream ${props.projectId}: the collector to the brokers (IAM)`,
      });
    }

    const https = ingestion.protocol === 'HTTPS' && ingestion.domain;
    const listener = https
      ? this.loadBalancer.addListener('Https', {
          port: 443,
          protocol: elbv2.ApplicationProtocol.HTTPS,
          certificates: [
            elbv2.ListenerCertificate.fromArn(ingestion.domain!.certificateArn),
          ],
          sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        })
      : this.loadBalancer.addListener('Http', { port: 80 });
    if (https) {
      this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    }
    listener.addTargets('Collector', {
      port: CONTAINER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service],
      healthCheck: {
        path: '/health',
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
      },
      deregistrationDelay: Duration.seconds(30),
    });

    this.service
      .autoScaleTaskCount({
        minCapacity: ingestion.size.min,
        maxCapacity: ingestion.size.max,
      })
      .scaleOnCpuUtilization('Cpu', {
        targetUtilizationPercent: ingestion.size.cpuTarget,
        scaleOutCooldown: Duration.seconds(60),
        scaleInCooldown: Duration.seconds(300),
      });

    if (ingestion.domain?.hostedZoneId) {
      // The domain's alias to the load balancer, in the zone that holds it. The name ends with
      // a dot: it is whole, and the zone's own name need not be known.
      new route53.ARecord(this, 'DomainRecord', {
        zone: route53.HostedZone.fromHostedZoneId(
          this,
          'DomainZone',
          ingestion.domain.hostedZoneId,
        ),
        recordName: `${ingestion.domain.name}.`,
        target: route53.RecordTarget.fromAlias(
          new route53Targets.LoadBalancerTarget(this.loadBalancer),
        ),
      });
    }

    const host = https
      ? ingestion.domain!.name
      : this.loadBalancer.loadBalancerDnsName;
    this.endpointUrl = `${https ? 'https' : 'http'}://${host}${
      ingestion.endpointPath
    }`;
    new CfnOutput(this, 'EndpointUrl', {
      value: this.endpointUrl,
      description: 'The URL the Clickstream SDKs send events to',
    });
    new CfnOutput(this, 'LoadBalancerDnsName', {
      value: this.loadBalancer.loadBalancerDnsName,
    });

    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-EC23',
        reason:
          "The collector is a public endpoint: apps' SDKs send from anywhere on the internet.",
      },
      {
        id: 'AwsSolutions-S1',
        reason:
          'This bucket holds the load balancer access logs; logging it would log the logs.',
      },
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'The environment carries configuration only (sink names, app ids), no secrets.',
      },
    ]);
  }

  /** A web ACL on the load balancer: each client IP is limited, the rest allowed. */
  #addFirewall(requestsPer5MinutesPerIp: number) {
    const metric = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${this.stackName}-${name}`,
    });
    const acl = new wafv2.CfnWebACL(this, 'Firewall', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: metric('firewall'),
      rules: [
        {
          name: 'rate-per-ip',
          priority: 0,
          // Over the limit a client gets 429, which the SDKs retry later.
          action: {
            block: { customResponse: { responseCode: 429 } },
          },
          statement: {
            rateBasedStatement: {
              limit: requestsPer5MinutesPerIp,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: metric('rate-per-ip'),
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'FirewallAssociation', {
      resourceArn: this.loadBalancer.loadBalancerArn,
      webAclArn: acl.attrArn,
    });
  }

  /** The collector's sink settings, and the permission to write there. */
  #sinkEnvironment(
    sink: CollectorSink,
    role: iam.IRole,
  ): Record<string, string> {
    switch (sink.type) {
      case 'kinesis':
        sink.stream.grantWrite(role);
        return {
          CLICKSTREAM_SINK: 'kinesis',
          CLICKSTREAM_KINESIS_STREAM: sink.stream.streamName,
        };
      case 's3':
        sink.bucket.grantPut(role, 'raw/*');
        NagSuppressions.addResourceSuppressions(
          role,
          [
            {
              id: 'AwsSolutions-IAM5',
              reason:
                'The collector puts new objects (and aborts failed multipart uploads) under raw/ of its own bucket: the keys are not known in advance.',
              appliesTo: [
                'Action::s3:Abort*',
                { regex: '/^Resource::.*\\/raw\\/\\*$/' },
              ],
            },
          ],
          true,
        );
        return {
          CLICKSTREAM_SINK: 's3',
          CLICKSTREAM_S3_BUCKET: sink.bucket.bucketName,
          CLICKSTREAM_S3_PREFIX: 'raw/',
          CLICKSTREAM_S3_MAX_OBJECT_MB: String(sink.maxObjectMb),
        };
      default: {
        // kafka-cluster permissions, scoped to this cluster and topic.
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster'],
            resources: [sink.clusterArn],
          }),
        );
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
            resources: [kafkaResourceArn(sink.clusterArn, 'topic', sink.topic)],
          }),
        );
        return {
          CLICKSTREAM_SINK: 'msk',
          CLICKSTREAM_KAFKA_BROKERS: sink.brokers,
          CLICKSTREAM_KAFKA_TOPIC: sink.topic,
        };
      }
    }
  }

  /** A prebuilt image: from the account's ECR with a pull grant, otherwise from its registry. */
  #imageFromUri(uri: string): ecs.ContainerImage {
    const ecrImage =
      /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?(?:@(.+))?$/.exec(
        uri,
      );
    if (!ecrImage) return ecs.ContainerImage.fromRegistry(uri);
    const [, account, region, repositoryName, tag, digest] = ecrImage;
    const repository = ecr.Repository.fromRepositoryAttributes(
      this,
      'CollectorRepository',
      {
        repositoryName,
        repositoryArn: this.formatArn({
          service: 'ecr',
          account,
          region,
          resource: 'repository',
          resourceName: repositoryName,
        }),
      },
    );
    return ecs.ContainerImage.fromEcrRepository(
      repository,
      digest ?? tag ?? 'latest',
    );
  }
}

/** The buffer stack's sink, read from its parameters rather than its exports (shared.ts). */
function sharedSink(stack: Stack, sink: CollectorSink): CollectorSink {
  switch (sink.type) {
    case 'kinesis':
      return {
        ...sink,
        stream: sharedStream(stack, 'BufferStream', sink.stream),
      };
    case 's3':
      return {
        ...sink,
        bucket: sharedBucket(stack, 'BufferBucket', sink.bucket),
      };
    default:
      return {
        ...sink,
        brokers: shared(stack, 'KafkaBrokers', sink.brokers),
        securityGroupId: shared(
          stack,
          'KafkaSecurityGroupId',
          sink.securityGroupId,
        ),
      };
  }
}
