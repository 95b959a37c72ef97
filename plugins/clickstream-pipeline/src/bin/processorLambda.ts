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
 *   CLICKSTREAM_DATA_LAKE_BUCKET
 *   CLICKSTREAM_GEO_DATABASE  comma-separated .mmdb files (the bundle ships DB-IP's)
 */
import {
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { processToDataLake } from '../lambda/dataLake';
import { BufferEvent, recordsOf } from '../lambda/bufferEvents';
import { openGeoLocator } from '../processor/enrich/geo';
import { Processor, ProcessorApp } from '../processor/Processor';

const s3 = new S3Client({});

async function createProcessor(env: NodeJS.ProcessEnv): Promise<Processor> {
  const file = env.CLICKSTREAM_CONFIG_FILE;
  if (!file) throw new Error('CLICKSTREAM_CONFIG_FILE is not set');
  const { apps = [], processing = {} } = JSON.parse(
    await readFile(file, 'utf8'),
  ) as {
    apps?: Array<{ appId: string; timezone?: string | null }>;
    processing?: Record<string, any>;
  };
  const geoFiles = env.CLICKSTREAM_GEO_DATABASE?.split(',').filter(Boolean);
  return new Processor({
    projectId: env.CLICKSTREAM_PROJECT_ID ?? '',
    apps: new Map<string, ProcessorApp>(
      apps.map(app => [
        app.appId,
        { appId: app.appId, timezone: app.timezone ?? 'UTC' },
      ]),
    ),
    dataFreshnessHours: processing.dataFreshnessHours ?? 72,
    enrichments: processing.enrichments,
    trafficSourceRules: processing.trafficSourceRules,
    geo: await openGeoLocator(geoFiles?.length ? geoFiles : undefined),
  });
}

// Built once per Lambda environment, reused by its invocations.
let processor: Promise<Processor> | undefined;

export async function handler(event: BufferEvent) {
  processor ??= createProcessor(process.env);
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
  const result = await processToDataLake(records, await processor, {
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
