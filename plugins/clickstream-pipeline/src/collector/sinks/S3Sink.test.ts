import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { gunzipSync } from 'node:zlib';
import { IngestRecord } from '../../buffer/record';
import { fromNdjsonLine } from '../../buffer/record';
import { S3Sink } from './S3Sink';

const s3 = mockClient(S3Client);

const record = (n: number, ingestTime: number): IngestRecord => ({
  body: Buffer.from(`[{"event_id":"e${n}","name":"café"}]`),
  ingestTime,
  sourceIp: '203.0.113.7',
  userAgent: 'ua',
  requestId: `r${n}`,
  query: { appId: 'shop', platform: 'Web' },
});

describe('S3Sink', () => {
  beforeEach(() => s3.reset());

  it('writes gzipped NDJSON objects under hour partitions and acknowledges after the upload', async () => {
    s3.on(PutObjectCommand).resolves({});
    const sink = new S3Sink({
      client: new S3Client({}),
      bucket: 'lake',
      prefix: 'raw/',
      lingerMs: 5,
    });
    const at10 = Date.UTC(2026, 10, 28, 10, 59, 59);
    const at11 = Date.UTC(2026, 10, 28, 11, 0, 1);
    await Promise.all([
      sink.write(record(1, at10)),
      sink.write(record(2, at10)),
      sink.write(record(3, at11)),
    ]);

    const puts = s3.commandCalls(PutObjectCommand).map(c => c.args[0].input);
    expect(puts).toHaveLength(2);
    expect(puts.map(p => p.Key!.replace(/[0-9a-f-]{36}/, 'ID')).sort()).toEqual(
      [
        'raw/year=2026/month=11/day=28/hour=10/ID.ndjson.gz',
        'raw/year=2026/month=11/day=28/hour=11/ID.ndjson.gz',
      ],
    );
    const first = puts.find(p => p.Key!.includes('hour=10'))!;
    expect(first).toMatchObject({ Bucket: 'lake', ContentEncoding: 'gzip' });
    const lines = gunzipSync(first.Body as Buffer)
      .toString('utf8')
      .trim()
      .split('\n');
    expect(lines.map(fromNdjsonLine)).toEqual([
      record(1, at10),
      record(2, at10),
    ]);
  });

  it('closes an object at the configured size (s3.bufferSizeMb) rather than waiting out its linger', async () => {
    s3.on(PutObjectCommand).resolves({});
    const one = record(1, Date.UTC(2026, 10, 28, 10)).body.length;
    const sink = new S3Sink({
      client: new S3Client({}),
      bucket: 'lake',
      // Room for about two records' lines: a third starts the next object.
      maxBytes: 2 * (one + 150),
      lingerMs: 60_000,
    });
    const at = Date.UTC(2026, 10, 28, 10);
    // Full objects go at once: were the minute of linger waited, the test would time out.
    await Promise.all([1, 2, 3, 4].map(n => sink.write(record(n, at))));
    const puts = s3.commandCalls(PutObjectCommand);
    expect(puts.length).toBeGreaterThanOrEqual(2);
    const lines = puts.flatMap(c =>
      gunzipSync(c.args[0].input.Body as Buffer)
        .toString('utf8')
        .trim()
        .split('\n'),
    );
    expect(lines).toHaveLength(4);
  });

  it('retries a failed upload and fails the write after its attempts', async () => {
    s3.on(PutObjectCommand).rejectsOnce(new Error('SlowDown')).resolves({});
    const sink = new S3Sink({
      client: new S3Client({}),
      bucket: 'lake',
      lingerMs: 5,
    });
    await sink.write(record(1, Date.now()));
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(2);

    s3.reset();
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    const failing = new S3Sink({
      client: new S3Client({}),
      bucket: 'lake',
      lingerMs: 5,
      maxAttempts: 2,
    });
    await expect(failing.write(record(2, Date.now()))).rejects.toThrow(
      'AccessDenied',
    );
  });
});
