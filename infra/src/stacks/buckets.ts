import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * A bucket as every stack here wants one: private, encrypted (SSE-S3, which load balancer logs
 * also accept), TLS only, and kept when its stack is deleted: users' data outlives the stack
 * unless they delete it on purpose.
 */
export function privateBucket(
  scope: Construct,
  id: string,
  props: s3.BucketProps = {},
): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
    ...props,
  });
}

/** The bucket of another bucket's server access logs, kept 90 days. */
export function accessLogsBucket(scope: Construct): s3.Bucket {
  return privateBucket(scope, 'AccessLogs', {
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ expiration: Duration.days(90) }],
  });
}
