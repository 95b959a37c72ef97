import type { Producer } from 'kafkajs';
import { decodeIngestRecord, IngestRecord } from '../../buffer/record';
import { MskSink } from './MskSink';

const record = (n: number): IngestRecord => ({
  body: Buffer.from(`[{"event_id":"e${n}"}]`),
  ingestTime: 1_700_000_000_000 + n,
  sourceIp: '203.0.113.7',
  userAgent: 'ua',
  requestId: `r${n}`,
  query: { appId: 'shop' },
});

function producerMock(send: jest.Mock) {
  return { send } as unknown as Producer;
}

describe('MskSink', () => {
  it('sends concurrent records in one batch with acks from all replicas', async () => {
    const send = jest.fn().mockResolvedValue([]);
    const sink = new MskSink({
      producer: producerMock(send),
      topic: 'clickstream',
    });
    await Promise.all([1, 2, 3].map(n => sink.write(record(n))));
    expect(send).toHaveBeenCalledTimes(1);
    const { topic, acks, messages } = send.mock.calls[0][0];
    expect({ topic, acks }).toEqual({ topic: 'clickstream', acks: -1 });
    expect(messages.map((m: any) => m.key)).toEqual(['r1', 'r2', 'r3']);
    expect(decodeIngestRecord(messages[2].value)).toEqual(record(3));
  });

  it('retries a failed send, then fails the write so the collector answers 503', async () => {
    const send = jest
      .fn()
      .mockRejectedValueOnce(new Error('NOT_ENOUGH_REPLICAS'))
      .mockResolvedValue([]);
    const sink = new MskSink({ producer: producerMock(send), topic: 't' });
    await sink.write(record(1));
    expect(send).toHaveBeenCalledTimes(2);

    const down = jest
      .fn()
      .mockRejectedValue(new Error('KafkaJSConnectionError'));
    const failing = new MskSink({
      producer: producerMock(down),
      topic: 't',
      maxAttempts: 3,
    });
    await expect(failing.write(record(2))).rejects.toThrow(
      'KafkaJSConnectionError',
    );
    expect(down).toHaveBeenCalledTimes(3);
  });
});
