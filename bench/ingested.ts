// Shared by the processing benchmarks: command-line numbers, and generated requests as the
// collector would have stored them.
import { simulate } from '@clickstream/loadgen';
import { IngestRecord } from '@clickstream/backstage-plugin-clickstream-pipeline';

/** `--name value` from the command line, as a number. */
export const numberArg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

export const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[
    Math.min(xs.length - 1, Math.floor(q * xs.length))
  ];

/** The generator's requests (seed 42) as ingest records, received half a second after sending. */
export function ingestedRecords(options: {
  users: number;
  days: number;
  startDate: string;
}): IngestRecord[] {
  const { requests } = simulate({ seed: 42, appId: 'web', ...options });
  return requests.map((r, i) => ({
    body: r.body,
    ingestTime: r.sendAt + 500,
    sourceIp: r.headers['x-forwarded-for'] ?? '127.0.0.1',
    userAgent: r.headers['user-agent'] ?? '',
    requestId: `r${i}`,
    query: { ...r.query, upload_timestamp: String(r.sendAt) },
  }));
}
