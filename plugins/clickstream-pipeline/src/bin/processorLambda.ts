/*
 * The processor on AWS: a Lambda function on the buffer (a Kinesis stream, an MSK topic, or
 * the SQS queue the raw bucket notifies) that writes processed rows to the data lake bucket.
 * For the queue it answers with the messages it could not read (`batchItemFailures`), so SQS
 * retries those alone.
 *
 * Environment:
 *   CLICKSTREAM_PROJECT_ID
 *   CLICKSTREAM_CONFIG_FILE a JSON file (from a layer, /opt/...) of { apps, processing }: the
 *                           apps as { appId, timezone? } (UTC when unset) and the pipeline
 *                           configuration's `processing` section
 *   CLICKSTREAM_APPS_PARAMETER the SSM parameter of the live app registry, which the control
 *                           plane rewrites on app changes: read every minute, so an app
 *                           registered since the deployment is processed (the file's apps
 *                           until the first read)
 *   CLICKSTREAM_DATA_LAKE_BUCKET
 *   CLICKSTREAM_GEO_DATABASE  comma-separated .mmdb files (the bundle ships DB-IP's)
 */
import {
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { SSMClient } from '@aws-sdk/client-ssm';
import { parseRegistryApps } from '../lambda/appRegistry';
import { SsmAppRegistry } from '../lambda/ssmAppRegistry';
import { processToDataLake } from '../lambda/dataLake';
import { BufferEvent, recordsOf } from '../lambda/bufferEvents';
import { openGeoLocator } from '../processor/enrich/geo';
import { Processor, ProcessorApp } from '../processor/Processor';

const s3 = new S3Client({});

/** The processor and the apps it knows, which `refreshApps` brings up to date. */
async function createProcessor(env: NodeJS.ProcessEnv) {
  const file = env.CLICKSTREAM_CONFIG_FILE;
  if (!file) throw new Error('CLICKSTREAM_CONFIG_FILE is not set');
  const { apps = [], processing = {} } = JSON.parse(
    await readFile(file, 'utf8'),
  ) as {
    apps?: unknown[];
    processing?: Record<string, any>;
  };
  const deployed = parseRegistryApps(JSON.stringify(apps), file);
  const registry = env.CLICKSTREAM_APPS_PARAMETER
    ? new SsmAppRegistry({
        client: new SSMClient({}),
        parameterName: env.CLICKSTREAM_APPS_PARAMETER,
        initial: deployed,
        ttlMs: 60_000,
      })
    : undefined;
  // The processor reads this map for every event; refreshing it in place keeps the processor.
  const known = new Map<string, ProcessorApp>();
  const refreshApps = async () => {
    const list = registry ? await registry.apps() : deployed;
    known.clear();
    for (const app of list) {
      known.set(app.appId, {
        appId: app.appId,
        timezone: app.timezone ?? 'UTC',
      });
    }
  };
  await refreshApps();
  const geoFiles = env.CLICKSTREAM_GEO_DATABASE?.split(',').filter(Boolean);
  const processor = new Processor({
    projectId: env.CLICKSTREAM_PROJECT_ID ?? '',
    apps: known,
    dataFreshnessHours: processing.dataFreshnessHours ?? 72,
    enrichments: processing.enrichments,
    trafficSourceRules: processing.trafficSourceRules,
    geo: await openGeoLocator(geoFiles?.length ? geoFiles : undefined),
  });
  return { processor, refreshApps };
}

// Built once per Lambda environment, reused by its invocations.
let created: ReturnType<typeof createProcessor> | undefined;

export async function handler(event: BufferEvent) {
  created ??= createProcessor(process.env);
  const { processor, refreshApps } = await created;
  await refreshApps();
  const bucket = process.env.CLICKSTREAM_DATA_LAKE_BUCKET!;
  const { records, failedMessageIds } = await recordsOf(
    event,
    async (b, key) => {
      const object = await s3.send(
        new GetObjectCommand({ Bucket: b, Key: key }),
      );
      return Buffer.from(await object.Body!.transformToByteArray());
    },
  );
  const result = await processToDataLake(records, processor, {
    put: async (key, body) => {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: 'application/x-ndjson',
          ContentEncoding: 'gzip',
        }),
      );
    },
  });
  console.log(
    JSON.stringify({
      objects: result.keys.length,
      ...result.stats,
      failedMessages: failedMessageIds.length,
    }),
  );
  return {
    ...result.stats,
    batchItemFailures: failedMessageIds.map(id => ({ itemIdentifier: id })),
  };
}
