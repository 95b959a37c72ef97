import { Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';

/**
 * Hands a value of one of the pipeline's stacks to another through an SSM parameter that the
 * producer writes, instead of a CloudFormation export. An export can neither change nor go
 * while another stack imports it, so a new sink, VPC or warehouse would fail the producer's
 * update (and a removed stack would block deletes). A parameter is read again each time the
 * consumer deploys, and the CDK deploys every stack with SSM parameters each time, so the
 * consumer always follows the producer. A value without another stack's token comes back as
 * it is.
 *
 * `key` names the parameter `/<producer stack>/<key>`.
 */
export function shared(consumer: Stack, key: string, value: string): string {
  const producer = producerOf(consumer, value);
  if (!producer) return value;
  const parameterName = `/${producer.stackName}/${key}`;
  const id = `Shared${key}`;
  if (!producer.node.tryFindChild(id)) {
    new ssm.StringParameter(producer, id, {
      parameterName,
      stringValue: value,
      description: `${key} of ${producer.stackName}, as the pipeline's other stacks read it`,
    });
  }
  consumer.addStackDependency(producer);
  return ssm.StringParameter.valueForStringParameter(consumer, parameterName);
}

/** The one other stack whose resources a value refers to, if any. */
function producerOf(consumer: Stack, value: string): Stack | undefined {
  if (!Token.isUnresolved(value)) return undefined;
  const producers = new Set<Stack>();
  for (const token of Tokenization.reverseString(value).tokens) {
    if (token instanceof Reference) {
      const stack = Stack.of(token.target);
      if (stack !== consumer) producers.add(stack);
    }
  }
  if (producers.size > 1) {
    throw new Error(
      `a value shared with ${consumer.stackName} refers to several stacks: share each part`,
    );
  }
  return [...producers][0];
}

/** True when the consumer owns the construct, so it needs no sharing. */
function isLocal(consumer: Stack, construct: { stack: Stack }): boolean {
  return construct.stack === consumer;
}

/** A bucket of another stack, as the consumer sees it (by name and ARN). */
export function sharedBucket(
  consumer: Stack,
  key: string,
  bucket: s3.IBucket,
): s3.IBucket {
  if (isLocal(consumer, bucket)) return bucket;
  return s3.Bucket.fromBucketAttributes(consumer, `Imported${key}`, {
    bucketArn: shared(consumer, `${key}Arn`, bucket.bucketArn),
    bucketName: shared(consumer, `${key}Name`, bucket.bucketName),
  });
}

/** A Kinesis stream of another stack (encrypted with the AWS-managed key, so no key here). */
export function sharedStream(
  consumer: Stack,
  key: string,
  stream: kinesis.IStream,
): kinesis.IStream {
  if (isLocal(consumer, stream)) return stream;
  return kinesis.Stream.fromStreamArn(
    consumer,
    `Imported${key}`,
    shared(consumer, `${key}Arn`, stream.streamArn),
  );
}

/** A queue of another stack. */
export function sharedQueue(
  consumer: Stack,
  key: string,
  queue: sqs.IQueue,
): sqs.IQueue {
  if (isLocal(consumer, queue)) return queue;
  return sqs.Queue.fromQueueArn(
    consumer,
    `Imported${key}`,
    shared(consumer, `${key}Arn`, queue.queueArn),
  );
}

/** A function of another stack. */
export function sharedFunction(
  consumer: Stack,
  key: string,
  fn: lambda.IFunction,
): lambda.IFunction {
  if (isLocal(consumer, fn)) return fn;
  return lambda.Function.fromFunctionArn(
    consumer,
    `Imported${key}`,
    shared(consumer, `${key}Arn`, fn.functionArn),
  );
}

/**
 * The VPC of the ingestion stack: a VPC it creates comes by id and private subnets; an existing
 * one (looked up at synthesis, so without tokens) as it is.
 */
export function sharedVpc(
  consumer: Stack,
  key: string,
  vpc: ec2.IVpc,
): ec2.IVpc {
  if (isLocal(consumer, vpc) || !Token.isUnresolved(vpc.vpcId)) return vpc;
  return ec2.Vpc.fromVpcAttributes(consumer, `Imported${key}`, {
    vpcId: shared(consumer, `${key}Id`, vpc.vpcId),
    availabilityZones: vpc.availabilityZones,
    privateSubnetIds: vpc.privateSubnets.map((subnet, i) =>
      shared(consumer, `${key}PrivateSubnet${i + 1}`, subnet.subnetId),
    ),
  });
}
