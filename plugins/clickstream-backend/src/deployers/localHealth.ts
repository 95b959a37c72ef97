import {
  HealthCheck,
  IngestionReport,
} from '@clickstream/backstage-plugin-clickstream-common';

/** The embedded buffer's cap: past it the collector answers 503 (SegmentLog's default). */
export const LOCAL_BUFFER_MAX_BYTES = 1024 * 1024 * 1024;

/** Processing may be behind this long before its check says so. */
const LAG_ALARM_MS = 5 * 60_000;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * An embedded pipeline's health, as the AWS target's alarms would watch it: the collector, the
 * processing worker's errors and lag, quarantined records, and the buffer's disk use.
 */
export function localHealthChecks(
  report: IngestionReport,
  now = Date.now(),
): HealthCheck[] {
  const { processing } = report;
  const check = (
    name: string,
    alarm: boolean,
    reason: string,
  ): HealthCheck => ({
    name,
    state: alarm ? 'ALARM' : 'OK',
    reason,
    url: null,
    since: null,
  });

  const behindSince = processing.lastBatchAt ?? null;
  const stalled =
    processing.lagBytes > 0 &&
    (behindSince === null || now - behindSince > LAG_ALARM_MS);
  const { events, quarantined, corrupt } = processing.totals;
  // One bad record among many is the public endpoint's weather; a share of them is a problem.
  const quarantineAlarm =
    corrupt > 0 || quarantined > Math.max(1, events / 100);
  const used = report.bufferBytes / LOCAL_BUFFER_MAX_BYTES;

  return [
    check(
      'Collector running',
      !report.running,
      report.running
        ? `${report.accepted} requests accepted since the backend started`
        : 'the collector is stopped: SDKs get 404 until it runs again',
    ),
    check(
      'Processing failed',
      !processing.running || processing.lastError !== null,
      processing.lastError ??
        (processing.running
          ? 'no error'
          : 'the processing worker is stopped: events wait in the buffer'),
    ),
    check(
      'Processing behind',
      stalled,
      processing.lagBytes === 0
        ? 'up to date'
        : `${mb(processing.lagBytes)} waiting${
            behindSince
              ? `, last batch ${Math.round((now - behindSince) / 1000)} s ago`
              : ''
          }`,
    ),
    check(
      'Records quarantined',
      quarantineAlarm,
      `${quarantined} quarantined and ${corrupt} damaged of ${events} events since the backend started`,
    ),
    check(
      'Buffer disk use',
      used > 0.8,
      `${mb(report.bufferBytes)} of ${mb(LOCAL_BUFFER_MAX_BYTES)} (${Math.round(
        used * 100,
      )}%); past the cap the collector answers 503`,
    ),
  ];
}
