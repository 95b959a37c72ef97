import {
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { gunzipSync, gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeIngestRecord, toNdjsonLine } from '../buffer/record';
import { Processor } from '../processor/Processor';
import { ingestRecord, sdkEvent } from '../testing/sdkEvents';
import { processToDataLake } from './dataLake';
import { recordsOf } from './bufferEvents';

const NOW = Date.parse('2026-11-20T12:00:00Z');

const record = (eventId: string, at: string, appId = 'shop') =>
  ingestRecord(
    [
      sdkEvent({
        name: '_page_view',
        at,
        user: 'u1',
        session: 's1',
        eventId,
        appId,
        pageUrl: 'https://shop.example.com/',
      }),
    ],
    { appId },
  );

/** An S3 event notification as S3 sends it (AWS's documented example, one record). */
const s3Notification = (key: string) => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2026-11-20T01:00:05.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
      requestParameters: { sourceIPAddress: '10.0.0.1' },
      responseElements: {
        'x-amz-request-id': 'C3D13FE58DE4C810',
        'x-amz-id-2':
          'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'raw-objects',
        bucket: {
          name: 'raw',
          ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
          arn: 'arn:aws:s3:::raw',
        },
        object: {
          key,
          size: 1024,
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
          sequencer: '0055AED6DCD90281E5',
        },
      },
    },
  ],
});

/** An SQS message as the Lambda event source delivers it (AWS's documented example). */
const sqsMessage = (messageId: string, body: unknown) => ({
  messageId,
  receiptHandle: 'MessageReceiptHandle',
  body: JSON.stringify(body),
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1523232000000',
    SenderId: '123456789012',
    ApproximateFirstReceiveTimestamp: '1523232000001',
  },
  messageAttributes: {},
  md5OfBody: '7b270e59b47ff90a553787216d55d91d',
  eventSource: 'aws:sqs' as const,
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:RawObjects',
  awsRegion: 'eu-west-1',
});

const rowsOf = (body: Buffer) =>
  gunzipSync(body)
    .toString('utf8')
    .trim()
    .split('\n')
    .map(line => JSON.parse(line));

describe('the processor on AWS', () => {
  it('writes each table partitioned by app and date, as gzipped NDJSON', async () => {
    const processor = new Processor({
      projectId: 'demo',
      apps: new Map([['shop', { appId: 'shop', timezone: 'Asia/Tokyo' }]]),
      dataFreshnessHours: 72,
      now: () => NOW,
    });
    const objects = new Map<string, Buffer>();
    const result = await processToDataLake(
      [
        // 23:30 UTC is the next day in Tokyo.
        record('e1', '2026-11-19T23:30:00Z'),
        record('e2', '2026-11-20T01:00:00Z'),
        record('e3', '2026-11-20T02:00:00Z', 'other'),
        ingestRecord('not json'),
      ],
      processor,
      { put: async (key, body) => void objects.set(key, body) },
      NOW,
    );

    expect(result.stats).toMatchObject({
      accepted: 2,
      unknownApp: 1,
      quarantined: 1,
    });
    const batchId = /\/([^/]+)\.ndjson\.gz$/.exec(result.keys[0])![1];
    expect(result.keys).toEqual(
      [
        'event_v2/app_id=shop/event_date=2026-11-20',
        'quarantine/app_id=shop/load_date=2026-11-20',
        'session/app_id=shop/load_date=2026-11-20',
        'user_v2/app_id=shop/load_date=2026-11-20',
      ].map(prefix => `${prefix}/${batchId}.ndjson.gz`),
    );
    const events = rowsOf(objects.get(result.keys[0])!);
    expect(events.map(e => [e.event_id, e.event_date])).toEqual([
      ['e1', '2026-11-20'],
      ['e2', '2026-11-20'],
    ]);
    expect(rowsOf(objects.get(result.keys[1])!)[0].reason).toBeTruthy();
  });

  it('reads the records of Kinesis and MSK events', async () => {
    const a = record('a', '2026-11-20T01:00:00Z');
    const b = record('b', '2026-11-20T01:00:01Z');
    const data = (r: typeof a) => encodeIngestRecord(r).toString('base64');

    const { records: kinesis } = await recordsOf(
      {
        Records: [
          { kinesis: { data: data(a) } },
          { kinesis: { data: data(b) } },
        ],
      },
      async () => Buffer.alloc(0),
    );
    expect(kinesis.map(r => r.requestId)).toEqual([a.requestId, b.requestId]);
    expect(kinesis[0].body.equals(a.body)).toBe(true);

    const { records: msk } = await recordsOf(
      {
        eventSource: 'aws:kafka',
        records: {
          'clickstream-0': [{ value: data(a) }],
          'clickstream-1': [{ value: data(b) }],
        },
      },
      async () => Buffer.alloc(0),
    );
    expect(msk.map(r => r.requestId)).toEqual([a.requestId, b.requestId]);
  });

  it('reads the objects named by SQS messages of S3 notifications, and reports the messages it could not read', async () => {
    const a = record('a', '2026-11-20T01:00:00Z');
    const b = record('b', '2026-11-20T01:00:01Z');
    const objects = new Map([
      ['raw/year=2026/hour 1.ndjson.gz', gzipSync(`${toNdjsonLine(a)}\n`)],
      ['raw/year=2026/hour 2.ndjson.gz', gzipSync(`${toNdjsonLine(b)}\n`)],
      ['raw/corrupt.ndjson.gz', Buffer.from('not gzip')],
    ]);
    const read = jest.fn(async (bucket: string, key: string) => {
      const object = objects.get(key);
      if (bucket !== 'raw' || !object) throw new Error(`NoSuchKey: ${key}`);
      return object;
    });
    const event = {
      Records: [
        sqsMessage('m1', s3Notification('raw/year%3D2026/hour+1.ndjson.gz')),
        // What S3 sends once when the notification is set up.
        sqsMessage('m2', {
          Service: 'Amazon S3',
          Event: 's3:TestEvent',
          Time: '2026-11-20T01:00:00.000Z',
          Bucket: 'raw',
          RequestId: '5582815E1AEA5ADF',
          HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR',
        }),
        sqsMessage('m3', s3Notification('raw/corrupt.ndjson.gz')),
        sqsMessage('m4', s3Notification('raw/gone.ndjson.gz')),
        sqsMessage('m5', s3Notification('raw/year%3D2026/hour+2.ndjson.gz')),
      ],
    };
    const { records, failedMessageIds } = await recordsOf(event, read);
    expect(read).toHaveBeenCalledWith('raw', 'raw/year=2026/hour 1.ndjson.gz');
    expect(records.map(r => r.requestId)).toEqual([a.requestId, b.requestId]);
    expect(records[1].body.equals(b.body)).toBe(true);
    expect(failedMessageIds).toEqual(['m3', 'm4']);
  });

  it('the Lambda entry reads a raw object and writes the data lake', async () => {
    const s3 = mockClient(S3Client);
    const raw = gzipSync(
      `${toNdjsonLine(
        record('x1', new Date(Date.now() - 60_000).toISOString()),
      )}\n`,
    );
    s3.on(GetObjectCommand).resolves({
      // What the handler reads of the SDK's stream.
      Body: { transformToByteArray: async () => new Uint8Array(raw) } as any,
    });
    s3.on(PutObjectCommand).resolves({});
    // The configuration file the processing stack's layer puts at /opt.
    const configDir = mkdtempSync(join(tmpdir(), 'processor-config-'));
    writeFileSync(
      join(configDir, 'processor.json'),
      JSON.stringify({
        apps: [{ appId: 'shop', timezone: 'UTC' }],
        processing: { dataFreshnessHours: 24 },
      }),
    );
    Object.assign(process.env, {
      CLICKSTREAM_PROJECT_ID: 'demo',
      CLICKSTREAM_CONFIG_FILE: join(configDir, 'processor.json'),
      CLICKSTREAM_DATA_LAKE_BUCKET: 'lake',
    });
    // Loaded after the environment is set, as the Lambda runtime does.
    const { handler } =
      require('../bin/processorLambda') as typeof import('../bin/processorLambda');
    const result = await handler({
      Records: [sqsMessage('m1', s3Notification('raw/a.ndjson.gz'))],
    });
    expect(result).toMatchObject({
      records: 1,
      accepted: 1,
      batchItemFailures: [],
    });
    const puts = s3.commandCalls(PutObjectCommand).map(c => c.args[0].input);
    expect(puts.every(p => p.Bucket === 'lake')).toBe(true);
    const event = puts.find(p => p.Key!.startsWith('event_v2/app_id=shop/'))!;
    expect(rowsOf(Buffer.from(event.Body as Uint8Array))[0].event_id).toBe(
      'x1',
    );
    s3.restore();
  });

  it('the Lambda entry processes an app registered after the deployment, read from the live registry', async () => {
    // A new Lambda environment: the entry and the SDK clients it uses, loaded afresh.
    let entry!: typeof import('../bin/processorLambda');
    let s3sdk!: typeof import('@aws-sdk/client-s3');
    let ssmSdk!: typeof import('@aws-sdk/client-ssm');
    jest.isolateModules(() => {
      s3sdk = require('@aws-sdk/client-s3');
      ssmSdk = require('@aws-sdk/client-ssm');
      entry = require('../bin/processorLambda');
    });
    const s3 = mockClient(s3sdk.S3Client);
    const ssm = mockClient(ssmSdk.SSMClient);
    // The raw object holds one event of an app the deployment did not know.
    const raw = gzipSync(
      `${toNdjsonLine(
        record('n1', new Date(Date.now() - 60_000).toISOString(), 'new_app'),
      )}\n`,
    );
    s3.on(s3sdk.GetObjectCommand).resolves({
      Body: { transformToByteArray: async () => new Uint8Array(raw) } as any,
    });
    s3.on(s3sdk.PutObjectCommand).resolves({});
    ssm
      .on(ssmSdk.GetParameterCommand, { Name: '/clickstream/demo/apps' })
      .resolves({
        Parameter: {
          Value: JSON.stringify([
            { appId: 'shop', timezone: 'UTC' },
            { appId: 'new_app', timezone: 'Europe/Paris' },
          ]),
        },
      });
    const configDir = mkdtempSync(join(tmpdir(), 'processor-config-'));
    writeFileSync(
      join(configDir, 'processor.json'),
      JSON.stringify({ apps: [{ appId: 'shop', timezone: 'UTC' }] }),
    );
    Object.assign(process.env, {
      CLICKSTREAM_PROJECT_ID: 'demo',
      CLICKSTREAM_CONFIG_FILE: join(configDir, 'processor.json'),
      CLICKSTREAM_DATA_LAKE_BUCKET: 'lake',
      CLICKSTREAM_APPS_PARAMETER: '/clickstream/demo/apps',
    });
    try {
      const result = await entry.handler({
        Records: [sqsMessage('m1', s3Notification('raw/b.ndjson.gz'))],
      });
      expect(result).toMatchObject({ accepted: 1, unknownApp: 0 });
      const keys = s3
        .commandCalls(s3sdk.PutObjectCommand)
        .map(c => c.args[0].input.Key!);
      expect(keys.some(key => key.startsWith('event_v2/app_id=new_app/'))).toBe(
        true,
      );
      expect(ssm.commandCalls(ssmSdk.GetParameterCommand)).toHaveLength(1);
    } finally {
      delete process.env.CLICKSTREAM_APPS_PARAMETER;
      s3.restore();
      ssm.restore();
    }
  });
});
