/*
 * The scheduled load on AWS: a Lambda function that copies the data lake's new objects into
 * the project's Redshift warehouse, one app schema at a time, then applies data retention.
 *
 * Environment:
 *   CLICKSTREAM_APPS                  JSON array of { appId }: the apps at deployment
 *   CLICKSTREAM_APPS_PARAMETER        the SSM parameter of the live app registry, which the
 *                                     control plane rewrites on app changes (read first)
 *   CLICKSTREAM_DATA_LAKE_BUCKET
 *   CLICKSTREAM_REDSHIFT_TARGET       JSON { workgroupName, database } or
 *                                     { clusterIdentifier, dbUser, database }
 *   CLICKSTREAM_COPY_ROLE             the role COPY reads the bucket with, or `default`
 *   CLICKSTREAM_DATA_FRESHNESS_HOURS
 *   CLICKSTREAM_DATA_RETENTION_DAYS
 */
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import {
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { parseRegistryApps } from '../lambda/appRegistry';
import { SsmAppRegistry } from '../lambda/ssmAppRegistry';
import { AppLoadResult, RedshiftLoader } from '../lambda/redshiftLoad';
import { ensureAppSchemas } from '../lambda/warehouseSchema';
import { RedshiftDataRunner } from '../warehouse/RedshiftDataRunner';

const s3 = new S3Client({});
const redshift = new RedshiftDataClient({});
const ssm = new SSMClient({});

export async function handler(): Promise<AppLoadResult[]> {
  const env = process.env;
  const bucket = env.CLICKSTREAM_DATA_LAKE_BUCKET!;
  // A load may run for most of the function's 15 minutes.
  const runner = new RedshiftDataRunner(
    redshift,
    JSON.parse(env.CLICKSTREAM_REDSHIFT_TARGET!),
    { pollMs: 1000, timeoutMs: 12 * 60_000 },
  );
  const loader = new RedshiftLoader({
    bucket,
    iamRole: env.CLICKSTREAM_COPY_ROLE ?? 'default',
    dataFreshnessHours: Number(env.CLICKSTREAM_DATA_FRESHNESS_HOURS ?? 72),
    dataRetentionDays: Number(env.CLICKSTREAM_DATA_RETENTION_DAYS ?? 365),
    runner,
    store: {
      async list(prefix) {
        const keys: string[] = [];
        let ContinuationToken: string | undefined;
        do {
          const page = await s3.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix,
              ContinuationToken,
            }),
          );
          keys.push(...(page.Contents ?? []).map(o => o.Key!));
          ContinuationToken = page.NextContinuationToken;
        } while (ContinuationToken);
        return keys;
      },
      async put(key, body) {
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }),
        );
      },
    },
  });

  const deployed = parseRegistryApps(
    env.CLICKSTREAM_APPS ?? '[]',
    'CLICKSTREAM_APPS',
  );
  const apps = env.CLICKSTREAM_APPS_PARAMETER
    ? await new SsmAppRegistry({
        client: ssm,
        parameterName: env.CLICKSTREAM_APPS_PARAMETER,
        initial: deployed,
      }).apps()
    : deployed;
  // An app registered since the deployment has no schema yet.
  const created = await ensureAppSchemas(
    runner,
    apps.map(app => app.appId),
  );
  if (created.length > 0) {
    console.log(JSON.stringify({ message: 'created schemas', apps: created }));
  }
  const results: AppLoadResult[] = [];
  const failures: string[] = [];
  // One app's failure does not hold back the others; the run still fails, so alarms see it.
  for (const { appId } of apps) {
    try {
      const result = await loader.loadApp(appId);
      results.push(result);
      console.log(JSON.stringify({ message: 'loaded', ...result }));
    } catch (error) {
      failures.push(`${appId}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) {
    throw new Error(`load failed for ${failures.join('; ')}`);
  }
  return results;
}
