import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { accessLogsBucket, privateBucket } from './buckets';

/** @public */
export interface DataLakeStackProps extends StackProps {
  projectId: string;
  /** Days processed events stay in the lake (default 365). */
  dataRetentionDays?: number;
}

/**
 * The S3 data lake the processor writes enriched events to and the warehouse loads from.
 * Private, encrypted, TLS-only, with server access logs in a bucket of their own.
 * @public
 */
export class DataLakeStack extends Stack {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataLakeStackProps) {
    super(scope, id, props);

    const retentionDays = props.dataRetentionDays ?? 365;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new RangeError(
        `dataRetentionDays must be a whole number of days, at least 1 (got ${retentionDays})`,
      );
    }

    const accessLogs = accessLogsBucket(this);

    this.bucket = privateBucket(this, 'DataLake', {
      versioned: false,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'data-lake/',
      lifecycleRules: [
        {
          id: 'expire-processed-events',
          expiration: Duration.days(retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
  }
}
