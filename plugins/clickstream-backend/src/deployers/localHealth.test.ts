import { IngestionReport } from '@clickstream/backstage-plugin-clickstream-common';
import { LOCAL_BUFFER_MAX_BYTES, localHealthChecks } from './localHealth';

const NOW = Date.parse('2026-12-07T12:00:00Z');

function report(overrides: {
  running?: boolean;
  bufferBytes?: number;
  processing?: Partial<IngestionReport['processing']>;
  totals?: Partial<IngestionReport['processing']['totals']>;
}): IngestionReport {
  return {
    running: overrides.running ?? true,
    accepted: 42,
    rejected: {},
    lastReceivedAt: null,
    bufferBytes: overrides.bufferBytes ?? 1024,
    recentEvents: [],
    processing: {
      running: true,
      lagBytes: 0,
      lastEventTime: null,
      lastBatchAt: NOW - 1_000,
      lastError: null,
      eventsPerMinute: 0,
      ...overrides.processing,
      totals: {
        records: 10,
        events: 1000,
        loaded: 1000,
        duplicates: 0,
        quarantined: 0,
        stale: 0,
        unknownApp: 0,
        bots: 0,
        corrupt: 0,
        ...overrides.totals,
      },
    },
  };
}

const states = (r: IngestionReport) =>
  Object.fromEntries(localHealthChecks(r, NOW).map(c => [c.name, c.state]));

describe('localHealthChecks', () => {
  it('says OK for a pipeline that keeps up', () => {
    expect(states(report({}))).toEqual({
      'Collector running': 'OK',
      'Processing failed': 'OK',
      'Processing behind': 'OK',
      'Records quarantined': 'OK',
      'Buffer disk use': 'OK',
    });
  });

  it('raises each alarm on what the AWS alarms would watch, saying why', () => {
    const checks = localHealthChecks(
      report({
        running: false,
        bufferBytes: LOCAL_BUFFER_MAX_BYTES * 0.9,
        processing: {
          lastError: 'Conversion Error: timestamp out of range',
          lagBytes: 5 * 1024 * 1024,
          lastBatchAt: NOW - 10 * 60_000,
        },
        totals: { quarantined: 30 },
      }),
      NOW,
    );
    expect(checks.every(c => c.state === 'ALARM')).toBe(true);
    expect(Object.fromEntries(checks.map(c => [c.name, c.reason]))).toEqual({
      'Collector running':
        'the collector is stopped: SDKs get 404 until it runs again',
      'Processing failed': 'Conversion Error: timestamp out of range',
      'Processing behind': '5.0 MB waiting, last batch 600 s ago',
      'Records quarantined':
        '30 quarantined and 0 damaged of 1000 events since the backend started',
      'Buffer disk use':
        '921.6 MB of 1024.0 MB (90%); past the cap the collector answers 503',
    });
  });

  it('lets a few bad records and a short lag pass, but not damaged buffer bytes', () => {
    expect(
      states(
        report({
          processing: { lagBytes: 2048, lastBatchAt: NOW - 60_000 },
          totals: { quarantined: 3 },
        }),
      ),
    ).toMatchObject({ 'Processing behind': 'OK', 'Records quarantined': 'OK' });
    expect(states(report({ totals: { corrupt: 1 } }))).toMatchObject({
      'Records quarantined': 'ALARM',
    });
  });
});
