import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { decodeIngestRecord, IngestRecord } from '../../buffer/record';
import { KinesisSink } from './KinesisSink';

const kinesis = mockClient(KinesisClient);

const record = (n: number): IngestRecord => ({
  body: Buffer.from(`[{"event_id":"e${n}"}]`),
  ingestTime: 1_700_000_000_000 + n,
  sourceIp: '203.0.113.7',
  userAgent: 'ua',
  requestId: `r${n}`,
  query: { appId: 'shop' },
});

describe('KinesisSink', () => {
  beforeEach(() => kinesis.reset());

  it('batches concurrent writes into one PutRecords call, in the shared record format', async () => {
    kinesis.on(PutRecordsCommand).callsFake(input => ({
      FailedRecordCount: 0,
      Records: input.Records.map((_: unknown, i: number) => ({
        SequenceNumber: String(i),
        ShardId: 's',
      })),
    }));
    const sink = new KinesisSink({
      client: new KinesisClient({}),
      streamName: 'events',
    });
    await Promise.all([1, 2, 3].map(n => sink.write(record(n))));

    const calls = kinesis.commandCalls(PutRecordsCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input.StreamName).toBe('events');
    expect(input.Records!.map(r => r.PartitionKey)).toEqual(['r1', 'r2', 'r3']);
    expect(decodeIngestRecord(Buffer.from(input.Records![1].Data!))).toEqual(
      record(2),
    );
  });

  it('retries only the records the stream refused, and resolves them once taken', async () => {
    let call = 0;
    kinesis.on(PutRecordsCommand).callsFake(input => {
      call++;
      return {
        FailedRecordCount: call === 1 ? 1 : 0,
        Records: input.Records.map((_: unknown, i: number) =>
          call === 1 && i === 1
            ? {
                ErrorCode: 'ProvisionedThroughputExceededException',
                ErrorMessage: 'slow down',
              }
            : { SequenceNumber: `${call}-${i}`, ShardId: 's' },
        ),
      };
    });
    const sink = new KinesisSink({
      client: new KinesisClient({}),
      streamName: 'events',
    });
    await Promise.all([1, 2, 3].map(n => sink.write(record(n))));

    const calls = kinesis.commandCalls(PutRecordsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input.Records!.map(r => r.PartitionKey)).toEqual([
      'r2',
    ]);
  });

  it('fails a write after its attempts, so the collector answers 503 and the SDK retries', async () => {
    kinesis
      .on(PutRecordsCommand)
      .rejects(new Error('ResourceNotFoundException'));
    const sink = new KinesisSink({
      client: new KinesisClient({}),
      streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/events',
      maxAttempts: 2,
    });
    await expect(sink.write(record(1))).rejects.toThrow(
      'ResourceNotFoundException',
    );
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(2);
    expect(
      kinesis.commandCalls(PutRecordsCommand)[0].args[0].input.StreamARN,
    ).toBe('arn:aws:kinesis:eu-west-1:123456789012:stream/events');
  });

  it('splits more than 500 records into several calls', async () => {
    kinesis.on(PutRecordsCommand).callsFake(input => ({
      FailedRecordCount: 0,
      Records: input.Records.map(() => ({ SequenceNumber: '1', ShardId: 's' })),
    }));
    const sink = new KinesisSink({
      client: new KinesisClient({}),
      streamName: 'events',
    });
    await Promise.all(
      Array.from({ length: 1200 }, (_, n) => sink.write(record(n))),
    );
    const sizes = kinesis
      .commandCalls(PutRecordsCommand)
      .map(c => c.args[0].input.Records!.length);
    expect(sizes.every(s => s <= 500)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1200);
  });

  it('refuses a record over the Kinesis size limit without calling AWS', async () => {
    const sink = new KinesisSink({
      client: new KinesisClient({}),
      streamName: 'events',
    });
    const big = { ...record(1), body: Buffer.alloc(1024 * 1024) };
    await expect(sink.write(big)).rejects.toThrow(/exceeds the Kinesis limit/);
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(0);
  });
});
