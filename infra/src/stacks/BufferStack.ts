import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SinkConfig } from '@clickstream/backstage-plugin-clickstream-common';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { accessLogsBucket, privateBucket } from './buckets';
import { createAppRegistry, RegistryAppConfig } from './appRegistry';
import { bundleCustomResource } from './bundleCustomResource';

/** @public */
export interface BufferStackProps extends StackProps {
  projectId: string;
  /** An AWS sink of the pipeline configuration (not `local`). */
  sink: Exclude<SinkConfig, { type: 'local' }>;
  /** The pipeline's Lambda bundle, for the MSK cluster's lookup (the msk sink only). */
  code?: lambda.Code;
  /** The apps at deployment: the live app registry's first value (appRegistry.ts). */
  apps: RegistryAppConfig[];
}

/**
 * Where the collector writes what it accepts: a Kinesis data stream, an S3 bucket of raw
 * batches, or an existing MSK cluster's topic (whose IAM brokers and security group this stack
 * looks up, failing the deployment when the cluster has no IAM access control).
 * @public
 */
export class BufferStack extends Stack {
  readonly stream?: kinesis.Stream;
  readonly bucket?: s3.Bucket;
  /** For the S3 sink: a message per new raw object, for processing to pick up. */
  readonly objectQueue?: sqs.Queue;
  /** Where notifications of raw objects processing gave up on end. */
  readonly failedObjects?: sqs.Queue;
  /** The MSK cluster's bootstrap brokers for IAM access control, comma-separated. */
  readonly kafkaBrokers?: string;
  /** The MSK cluster's security group, which the collector is let into. */
  readonly kafkaSecurityGroupId?: string;

  constructor(scope: Construct, id: string, props: BufferStackProps) {
    super(scope, id, props);
    const { sink } = props;
    // Here because this stack deploys first and goes last: every reader finds it.
    createAppRegistry(this, props.projectId, props.apps);

    if (sink.type === 'kinesis') {
      const provisioned = sink.mode === 'PROVISIONED';
      this.stream = new kinesis.Stream(this, 'Stream', {
        streamMode: provisioned
          ? kinesis.StreamMode.PROVISIONED
          : kinesis.StreamMode.ON_DEMAND,
        shardCount: provisioned ? sink.shardCount : undefined,
        retentionPeriod: Duration.hours(sink.retentionHours),
        encryption: kinesis.StreamEncryption.MANAGED,
      });
      new CfnOutput(this, 'StreamName', { value: this.stream.streamName });
    } else if (sink.type === 's3') {
      const accessLogs = accessLogsBucket(this);
      this.bucket = privateBucket(this, 'RawEvents', {
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: 'raw-events/',
        // Processing reads each object within the hour; a week covers retries and outages.
        lifecycleRules: [
          {
            id: 'expire-raw-batches',
            expiration: Duration.days(7),
            abortIncompleteMultipartUploadAfter: Duration.days(1),
          },
        ],
      });
      // Here rather than in the processing stack: the bucket's notification would otherwise
      // make the two stacks depend on each other.
      const failed = (this.failedObjects = new sqs.Queue(
        this,
        'RawObjectsFailed',
        {
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        },
      ));
      this.objectQueue = new sqs.Queue(this, 'RawObjects', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // Longer than the processor's timeout, so a message is not handed out twice at once.
        visibilityTimeout: Duration.minutes(15),
        deadLetterQueue: { queue: failed, maxReceiveCount: 5 },
      });
      this.bucket.addEventNotification(
        s3.EventType.OBJECT_CREATED,
        new s3n.SqsDestination(this.objectQueue),
        { prefix: 'raw/' },
      );
      new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
      new CfnOutput(this, 'FailedObjectsQueueUrl', { value: failed.queueUrl });
      NagSuppressions.addStackSuppressions(this, [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "The bucket notification is set by the CDK's own handler; its role has the AWS-managed basic execution policy for its logs only.",
          appliesTo: [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          ],
        },
        {
          id: 'AwsSolutions-SQS3',
          reason:
            'RawObjectsFailed is itself the dead-letter queue of the raw object notifications.',
        },
      ]);
    } else {
      // The cluster exists already: the collector needs its brokers and security group.
      if (!props.code) {
        throw new Error('the msk sink needs the Lambda bundle (code)');
      }
      const cluster = bundleCustomResource(this, 'KafkaCluster', {
        code: props.code,
        handler: 'mskCluster.handler',
        resourceId: 'KafkaClusterLookup',
        properties: { ClusterArn: sink.clusterArn },
        grant: fn =>
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['kafka:DescribeClusterV2', 'kafka:GetBootstrapBrokers'],
              resources: [sink.clusterArn],
            }),
          ),
      });
      this.kafkaBrokers = cluster.getAttString('Brokers');
      this.kafkaSecurityGroupId = cluster.getAttString('SecurityGroupId');
      new CfnOutput(this, 'KafkaTopic', { value: sink.topic });
      NagSuppressions.addStackSuppressions(this, [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'The cluster lookup (a CDK custom resource) uses the AWS-managed basic execution role for its own logs only.',
          appliesTo: [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          ],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "The provider framework invokes the lookup function's versions and aliases (the CDK's grant).",
          appliesTo: [
            {
              regex: '/^Resource::<KafkaClusterFunction[A-Z0-9]+\\.Arn>:\\*$/',
            },
          ],
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            "The provider framework's Lambda runtime is chosen by the CDK and updated with aws-cdk-lib.",
        },
      ]);
    }
  }
}
