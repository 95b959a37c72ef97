import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  StackProps,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { shared, sharedFunction, sharedQueue, sharedStream } from './shared';

/** @public */
export interface MetricsStackProps extends StackProps {
  projectId: string;
  /** Who hears about alarms: the project's notification emails. */
  notificationEmails: string[];
  loadBalancer: elbv2.IApplicationLoadBalancer;
  service: ecs.FargateService;
  processor: lambda.IFunction;
  /** The scheduled load into Redshift. */
  loader: lambda.IFunction;
  failedBatches: sqs.IQueue;
  /** The Kinesis buffer, when that is the sink. */
  stream?: kinesis.IStream;
}

/**
 * The pipeline's CloudWatch dashboard and the reference's alarms (collector CPU and pending
 * tasks, processing failures, no data processed for a day, batches given up on, failed loads
 * into Redshift), sent to the
 * project's emails through an encrypted SNS topic.
 * @public
 */
export class MetricsStack extends Stack {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MetricsStackProps) {
    super(scope, id, props);
    // The other stacks' resources, read from their parameters rather than exports (shared.ts).
    const loadBalancer = sharedLoadBalancer(this, props.loadBalancer);
    const processor = sharedFunction(this, 'Processor', props.processor);
    const loader = sharedFunction(this, 'Loader', props.loader);
    const failedBatches = sharedQueue(
      this,
      'FailedBatches',
      props.failedBatches,
    );
    const stream =
      props.stream && sharedStream(this, 'BufferStream', props.stream);
    const service = {
      clusterName: shared(
        this,
        'CollectorClusterName',
        props.service.cluster.clusterName,
      ),
      serviceName: shared(
        this,
        'CollectorServiceName',
        props.service.serviceName,
      ),
    };
    const alarmName = (what: string) =>
      `Clickstream|${props.projectId} ${what}`;

    // A key of our own: the AWS-managed SNS key's policy does not let CloudWatch use it, so
    // alarms on a topic encrypted with it are never delivered.
    const topicKey = new kms.Key(this, 'AlarmsKey', {
      description: `Encrypts the alarm topic of Clickstream ${props.projectId}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new sns.Topic(this, 'Alarms', {
      displayName: `Clickstream ${props.projectId} alarms`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    for (const email of props.notificationEmails) {
      topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    const alarm = (
      alarmId: string,
      what: string,
      metric: cloudwatch.Metric,
      threshold: number,
      comparison: cloudwatch.ComparisonOperator,
      evaluationPeriods = 1,
      treatMissingData = cloudwatch.TreatMissingData.NOT_BREACHING,
    ) => {
      const created = metric.createAlarm(this, alarmId, {
        alarmName: alarmName(what),
        threshold,
        comparisonOperator: comparison,
        evaluationPeriods,
        treatMissingData,
      });
      created.addAlarmAction(new actions.SnsAction(topic));
      this.alarms.push(created);
      return created;
    };
    const GE = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;

    const cpu = new cloudwatch.Metric({
      namespace: 'AWS/ECS',
      metricName: 'CPUUtilization',
      dimensionsMap: {
        ClusterName: service.clusterName,
        ServiceName: service.serviceName,
      },
      statistic: 'Average',
      period: Duration.minutes(5),
    });
    alarm(
      'CollectorCpu',
      'Collector CPU above 85%',
      cpu,
      85,
      cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      3,
    );
    const pending = new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'PendingTaskCount',
      dimensionsMap: {
        ClusterName: service.clusterName,
        ServiceName: service.serviceName,
      },
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
    alarm(
      'CollectorPendingTasks',
      'Collector tasks pending',
      pending,
      1,
      GE,
      3,
    );
    const errors = processor.metricErrors({ period: Duration.minutes(5) });
    alarm('ProcessingErrors', 'Processing failed', errors, 1, GE);
    const invocations = processor.metricInvocations({
      period: Duration.hours(24),
    });
    alarm(
      'NoDataProcessed',
      'No data processed in 24 hours',
      invocations,
      0,
      cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      1,
      cloudwatch.TreatMissingData.BREACHING,
    );
    const givenUp = failedBatches.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
    });
    alarm('FailedBatches', 'Batches given up by processing', givenUp, 1, GE);
    const loadErrors = loader.metricErrors({ period: Duration.hours(1) });
    alarm('LoadErrors', 'Loading into Redshift failed', loadErrors, 1, GE);

    const requests = loadBalancer.metrics.requestCount({
      period: Duration.minutes(1),
    });
    const errors5xx = loadBalancer.metrics.httpCodeTarget(
      elbv2.HttpCodeTarget.TARGET_5XX_COUNT,
      { period: Duration.minutes(1) },
    );
    const errors4xx = loadBalancer.metrics.httpCodeTarget(
      elbv2.HttpCodeTarget.TARGET_4XX_COUNT,
      { period: Duration.minutes(1) },
    );
    const latency = loadBalancer.metrics.targetResponseTime({
      period: Duration.minutes(1),
      statistic: 'p99',
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `Clickstream-${props.projectId.replace(/_/g, '-')}`,
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Collector requests',
        left: [requests],
      }),
      new cloudwatch.GraphWidget({
        title: 'Collector errors',
        left: [errors4xx, errors5xx],
      }),
      new cloudwatch.GraphWidget({
        title: 'Collector response time (p99)',
        left: [latency],
      }),
      new cloudwatch.GraphWidget({
        title: 'Collector CPU and tasks',
        left: [cpu],
        right: [pending],
      }),
    );
    const processingWidgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: 'Processing',
        left: [processor.metricInvocations(), errors],
        right: [processor.metricDuration({ statistic: 'p99' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Batches given up',
        left: [givenUp],
      }),
      new cloudwatch.GraphWidget({
        title: 'Loads into Redshift',
        left: [loader.metricInvocations(), loadErrors],
        right: [loader.metricDuration({ statistic: 'Maximum' })],
      }),
    ];
    if (stream) {
      processingWidgets.push(
        new cloudwatch.GraphWidget({
          title: 'Buffer (Kinesis)',
          left: [stream.metricIncomingRecords()],
          right: [
            stream.metricGetRecordsIteratorAgeMilliseconds({
              statistic: 'Maximum',
            }),
          ],
        }),
      );
    }
    this.dashboard.addWidgets(...processingWidgets);
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: this.alarms,
        width: 24,
      }),
    );

    new CfnOutput(this, 'DashboardName', {
      value: this.dashboard.dashboardName,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: topic.topicArn });
  }
}

/** The collector's load balancer as the metrics stack sees it (shared.ts). */
function sharedLoadBalancer(
  stack: Stack,
  loadBalancer: elbv2.IApplicationLoadBalancer,
): elbv2.IApplicationLoadBalancer {
  if (loadBalancer.stack === stack) return loadBalancer;
  return elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(
    stack,
    'ImportedLoadBalancer',
    {
      loadBalancerArn: shared(
        stack,
        'LoadBalancerArn',
        loadBalancer.loadBalancerArn,
      ),
      securityGroupId: shared(
        stack,
        'LoadBalancerSecurityGroupId',
        loadBalancer.connections.securityGroups[0].securityGroupId,
      ),
    },
  );
}
