import http from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import { SimulatedRequest } from './protocol';

/** @public */
export interface SendOptions {
  /** The collect URL, e.g. `http://localhost:7007/api/clickstream/collect/<projectId>`. */
  endpoint: string;
  /** Requests in flight at once (also the keep-alive socket pool size). */
  concurrency: number;
  /** Further attempts after a retryable answer (503, 429, 408, other 5xx, network error). Default 3. */
  retries?: number;
  /**
   * Allow an endpoint that is not a loopback address. Off by default: on these machines the
   * generator may only load the local host.
   */
  allowRemote?: boolean;
  /** Per attempt, from connect to the end of the response. Default 15 s (the SDKs' timeout). */
  timeoutMs?: number;
  /** Longest wait honoured from a `Retry-After` header. Default 30 s. */
  maxRetryAfterMs?: number;
  /**
   * `upload_timestamp` as simulated (the default: the SDK's clock when it sent), or rewritten
   * to the real send time, which keeps a collector that corrects client clock skew from
   * shifting back-dated events.
   */
  uploadTimestamp?: 'simulated' | 'now';
}

/** @public */
export interface SendResult {
  requests: number;
  events: number;
  bytes: number;
  /** Requests answered 200 (the only answer the SDKs count as success). */
  accepted: number;
  acceptedEvents: number;
  /** Requests that were still not accepted after their last attempt. */
  failed: number;
  failedEvents: number;
  /** Attempts beyond the first. */
  retries: number;
  /** Every attempt's answer by HTTP status, `error` for a network failure or timeout. */
  byStatus: Record<string, number>;
  /** Per attempt, request start to end of response. */
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  durationMs: number;
  requestsPerSecond: number;
  eventsPerSecond: number;
  /** The first few failure messages, for the summary. */
  errors: string[];
}

/** Raised for an endpoint the generator refuses to use. @public */
export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

/** True for `localhost`, 127.0.0.0/8 and ::1 (also in IPv4-mapped form). @public */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIPv4(host)) return host.split('.')[0] === '127';
  if (isIPv6(host)) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^(?:0:0:0:0:0:|::)ffff:(.+)$/.exec(host)?.[1];
    if (!mapped) return false;
    if (isIPv4(mapped)) return mapped.startsWith('127.');
    // WHATWG URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1
    return /^7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(mapped);
  }
  return false;
}

/** Parses and checks the endpoint. @public */
export function checkEndpoint(endpoint: string, allowRemote = false): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new EndpointError(`endpoint '${endpoint}' is not a URL`);
  }
  if (url.protocol !== 'http:') {
    throw new EndpointError(
      `endpoint must be an http:// URL (got ${url.protocol})`,
    );
  }
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new EndpointError(
      `refusing to send to ${url.hostname}: only loopback endpoints (localhost, 127.0.0.0/8, ::1) are allowed without allowRemote`,
    );
  }
  return url;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return Math.round(sorted[rank] * 10) / 10;
}

/** Seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

interface Attempt {
  status?: number;
  retryAfter?: string;
  error?: string;
  ms: number;
}

function post(
  agent: http.Agent,
  url: URL,
  request: SimulatedRequest,
  timeoutMs: number,
  uploadTimestamp: 'simulated' | 'now',
): Promise<Attempt> {
  const target = new URL(url);
  for (const [key, value] of Object.entries(request.query)) {
    target.searchParams.set(
      key,
      key === 'upload_timestamp' && uploadTimestamp === 'now'
        ? String(Date.now())
        : value,
    );
  }
  const started = performance.now();
  return new Promise(resolve => {
    let settled = false;
    const done = (attempt: Omit<Attempt, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...attempt, ms: performance.now() - started });
    };
    const req = http.request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          ...request.headers,
          'content-length': String(request.body.length),
        },
        timeout: timeoutMs,
      },
      res => {
        res.on('data', () => {});
        res.on('end', () =>
          done({
            status: res.statusCode,
            retryAfter: res.headers['retry-after'],
          }),
        );
        res.on('error', e => done({ error: e.message }));
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    req.on('error', e => done({ error: e.message }));
    req.end(request.body);
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Sends simulated requests to a collector, in order, `concurrency` at a time over keep-alive
 * connections, retrying what the collector asks to retry. Only ever contacts `endpoint`.
 * @public
 */
export async function send(
  requests: readonly SimulatedRequest[],
  options: SendOptions,
): Promise<SendResult> {
  const url = checkEndpoint(options.endpoint, options.allowRemote);
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const retries = Math.max(0, Math.floor(options.retries ?? 3));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const uploadTimestamp = options.uploadTimestamp ?? 'simulated';
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

  const result: SendResult = {
    requests: requests.length,
    events: 0,
    bytes: 0,
    accepted: 0,
    acceptedEvents: 0,
    failed: 0,
    failedEvents: 0,
    retries: 0,
    byStatus: {},
    latencyMs: { p50: 0, p95: 0, p99: 0, max: 0 },
    durationMs: 0,
    requestsPerSecond: 0,
    eventsPerSecond: 0,
    errors: [],
  };
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;

  const sendOne = async (request: SimulatedRequest) => {
    result.events += request.events;
    result.bytes += request.body.length;
    for (let attempt = 0; ; attempt++) {
      const answer = await post(
        agent,
        url,
        request,
        timeoutMs,
        uploadTimestamp,
      );
      latencies.push(answer.ms);
      const key = answer.status === undefined ? 'error' : String(answer.status);
      result.byStatus[key] = (result.byStatus[key] ?? 0) + 1;
      if (answer.status === 200) {
        result.accepted++;
        result.acceptedEvents += request.events;
        return;
      }
      const status = answer.status;
      const retryable =
        status === undefined ||
        status === 408 ||
        status === 429 ||
        status >= 500;
      if (!retryable || attempt >= retries) {
        result.failed++;
        result.failedEvents += request.events;
        if (result.errors.length < 5) {
          result.errors.push(
            answer.error ?? `HTTP ${status} after ${attempt + 1} attempt(s)`,
          );
        }
        return;
      }
      result.retries++;
      const asked = retryAfterMs(answer.retryAfter);
      await sleep(
        Math.min(maxRetryAfterMs, asked ?? 100 * 2 ** Math.min(attempt, 6)),
      );
    }
  };

  const worker = async () => {
    while (next < requests.length) {
      await sendOne(requests[next++]);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, requests.length) }, worker),
    );
  } finally {
    agent.destroy();
  }

  latencies.sort((a, b) => a - b);
  result.durationMs = Math.round(performance.now() - started);
  const seconds = Math.max(result.durationMs, 1) / 1000;
  result.latencyMs = {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
  };
  result.requestsPerSecond = Math.round(result.accepted / seconds);
  result.eventsPerSecond = Math.round(result.acceptedEvents / seconds);
  return result;
}
