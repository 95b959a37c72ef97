/*
 * The standalone Clickstream collector (the AWS container's entry point).
 *
 * Environment:
 *   PORT (8080), HOST (0.0.0.0), CLICKSTREAM_COLLECT_PATH (/collect)
 *   CLICKSTREAM_APPS       JSON array of { appId, corsOrigins?, enabled? }, or
 *   CLICKSTREAM_APPS_FILE  a file holding that array, re-read every 5 s (changes apply live)
 *   CLICKSTREAM_APPS_PARAMETER an SSM parameter holding that array, which the control plane
 *                          rewrites on app changes: read every 30 s, CLICKSTREAM_APPS until then
 *   CLICKSTREAM_SINK       local (default: the durable buffer), kinesis, msk or s3
 *   CLICKSTREAM_BUFFER_DIR where the local buffer lives (./buffer)
 *   CLICKSTREAM_BUFFER_MAX_BYTES the local buffer's cap; past it requests get 503 (1 GiB)
 *   CLICKSTREAM_KINESIS_STREAM  the stream's name or ARN (region from AWS_REGION)
 *   CLICKSTREAM_KAFKA_BROKERS, CLICKSTREAM_KAFKA_TOPIC  comma-separated brokers and topic of an
 *                          MSK cluster with IAM access control (TLS, SASL signed with the task's
 *                          credentials; region from AWS_REGION or the broker names)
 *   CLICKSTREAM_S3_BUCKET, CLICKSTREAM_S3_PREFIX        bucket and key prefix of raw objects
 *   CLICKSTREAM_S3_MAX_OBJECT_MB the largest raw object, 1 to 50 MiB (8)
 *   CLICKSTREAM_TRUSTED_PROXIES comma-separated proxy addresses whose X-Forwarded-For is believed
 *   CLICKSTREAM_RATE_PER_IP, CLICKSTREAM_RATE_PER_APP requests a second; beyond them 429 (no limit)
 */
import { readFile } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { SegmentLog } from '../buffer/SegmentLog';
import { Collector, CollectorApp } from '../collector/Collector';
import { EventSink, SegmentLogSink } from '../collector/EventSink';
import { KinesisSink } from '../collector/sinks/KinesisSink';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SSMClient } from '@aws-sdk/client-ssm';
import { parseRegistryApps } from '../lambda/appRegistry';
import { SsmAppRegistry } from '../lambda/ssmAppRegistry';
import { S3Client } from '@aws-sdk/client-s3';
import { Kafka } from 'kafkajs';
import { MskSink } from '../collector/sinks/MskSink';
import { mskIamKafkaConfig, mskRegionOf } from '../collector/sinks/mskIamAuth';
import { S3Sink } from '../collector/sinks/S3Sink';
import { createCollectorServer } from '../collector/server';

async function main() {
  const env = process.env;
  const byId = (list: CollectorApp[]) => new Map(list.map(a => [a.appId, a]));
  let apps = new Map<string, CollectorApp>();
  let findApp = async (appId: string) => apps.get(appId);
  if (env.CLICKSTREAM_APPS_PARAMETER) {
    const registry = new SsmAppRegistry({
      client: new SSMClient({}),
      parameterName: env.CLICKSTREAM_APPS_PARAMETER,
      initial: parseRegistryApps(
        env.CLICKSTREAM_APPS ?? '[]',
        'CLICKSTREAM_APPS',
      ),
    });
    apps = byId(await registry.apps());
    findApp = async appId => registry.find(appId);
  } else if (env.CLICKSTREAM_APPS_FILE) {
    const file = env.CLICKSTREAM_APPS_FILE;
    const load = async () => {
      apps = byId(parseRegistryApps(await readFile(file, 'utf8'), file));
    };
    await load();
    setInterval(
      () =>
        load().catch(e =>
          console.error(`keeping the previous apps: ${e.message}`),
        ),
      5_000,
    ).unref();
  } else {
    apps = byId(
      parseRegistryApps(env.CLICKSTREAM_APPS ?? '[]', 'CLICKSTREAM_APPS'),
    );
  }

  let log: SegmentLog | undefined;
  let sink: EventSink;
  let maxBodyBytes: number | undefined;
  const sinkType = env.CLICKSTREAM_SINK ?? 'local';
  if (sinkType === 'kinesis') {
    const stream = env.CLICKSTREAM_KINESIS_STREAM;
    if (!stream) {
      throw new Error(
        'CLICKSTREAM_KINESIS_STREAM is required with CLICKSTREAM_SINK=kinesis',
      );
    }
    sink = new KinesisSink({
      client: new KinesisClient({}),
      ...(stream.startsWith('arn:')
        ? { streamArn: stream }
        : { streamName: stream }),
    });
    // A Kinesis record holds at most 1 MiB with its metadata: refuse larger bodies with 413.
    maxBodyBytes = 1_000_000;
  } else if (sinkType === 'msk') {
    const brokers = (env.CLICKSTREAM_KAFKA_BROKERS ?? '')
      .split(',')
      .filter(Boolean);
    const topic = env.CLICKSTREAM_KAFKA_TOPIC;
    if (brokers.length === 0 || !topic) {
      throw new Error(
        'CLICKSTREAM_KAFKA_BROKERS and CLICKSTREAM_KAFKA_TOPIC are required with CLICKSTREAM_SINK=msk',
      );
    }
    const region =
      env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? mskRegionOf(brokers);
    if (!region) {
      throw new Error(
        'AWS_REGION is required with CLICKSTREAM_SINK=msk: it signs the IAM authentication',
      );
    }
    const producer = new Kafka(
      mskIamKafkaConfig({ brokers, region, clientId: 'clickstream-collector' }),
    ).producer({ idempotent: true });
    await producer.connect();
    sink = new MskSink({ producer, topic });
    maxBodyBytes = 1_000_000; // Kafka's default largest message, with room for the metadata
  } else if (sinkType === 's3') {
    const bucket = env.CLICKSTREAM_S3_BUCKET;
    if (!bucket)
      throw new Error(
        'CLICKSTREAM_S3_BUCKET is required with CLICKSTREAM_SINK=s3',
      );
    const maxObjectMb = Number(env.CLICKSTREAM_S3_MAX_OBJECT_MB ?? 8);
    if (!Number.isInteger(maxObjectMb) || maxObjectMb < 1 || maxObjectMb > 50) {
      throw new Error(
        `CLICKSTREAM_S3_MAX_OBJECT_MB must be a whole number of MiB from 1 to 50 (got '${env.CLICKSTREAM_S3_MAX_OBJECT_MB}')`,
      );
    }
    sink = new S3Sink({
      client: new S3Client({}),
      bucket,
      prefix: env.CLICKSTREAM_S3_PREFIX,
      maxBytes: maxObjectMb * 1024 * 1024,
    });
  } else if (sinkType === 'local') {
    log = await SegmentLog.open({
      directory: env.CLICKSTREAM_BUFFER_DIR ?? 'buffer',
      maxBytes: env.CLICKSTREAM_BUFFER_MAX_BYTES
        ? Number(env.CLICKSTREAM_BUFFER_MAX_BYTES)
        : undefined,
    });
    sink = new SegmentLogSink(log);
  } else {
    throw new Error(
      `CLICKSTREAM_SINK must be local, kinesis, msk or s3 (got '${sinkType}')`,
    );
  }
  const collector = new Collector({
    findApp,
    sink,
    maxBodyBytes,
    rateLimit: {
      perIp: env.CLICKSTREAM_RATE_PER_IP
        ? Number(env.CLICKSTREAM_RATE_PER_IP)
        : undefined,
      perApp: env.CLICKSTREAM_RATE_PER_APP
        ? Number(env.CLICKSTREAM_RATE_PER_APP)
        : undefined,
    },
    trustedProxies: (env.CLICKSTREAM_TRUSTED_PROXIES ?? '')
      .split(',')
      .filter(Boolean),
  });
  const server = createCollectorServer({
    collector,
    path: env.CLICKSTREAM_COLLECT_PATH,
  });
  server.listen(Number(env.PORT ?? 8080), env.HOST ?? '0.0.0.0', () => {
    const { port } = server.address() as AddressInfo;
    console.log(
      JSON.stringify({ message: 'collector listening', port, apps: apps.size }),
    );
  });

  const stop = () => {
    console.log(
      JSON.stringify({ message: 'collector stopping', ...collector.stats }),
    );
    // Finish the requests in flight (their events are being synced), then close the buffer.
    server.close(() =>
      (log ? log.close() : Promise.resolve()).then(() => process.exit(0)),
    );
    server.closeIdleConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(e => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
