import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { BufferFullError } from '../buffer/record';
import {
  decodeEventPayload,
  PAYLOAD_LIMITS,
  PayloadLimits,
  PayloadTooLargeError,
} from '../payload';
import { clientIp } from './clientIp';
import { isOriginAllowed } from './cors';
import { RateLimiter } from './RateLimiter';
import { EventSink } from './EventSink';

/** What the collector needs to know about an app. @public */
export interface CollectorApp {
  appId: string;
  enabled: boolean;
  corsOrigins: string[];
}

/** @public */
export interface CollectorOptions {
  /** Looks an app up by the `appId` the SDK sends (undefined: unknown app). */
  findApp(
    appId: string,
  ): CollectorApp | undefined | Promise<CollectorApp | undefined>;
  sink: EventSink;
  /** Largest accepted body (default 1 MiB, as the reference's collector). */
  maxBodyBytes?: number;
  /** Addresses of proxies whose X-Forwarded-For is believed (a load balancer). */
  trustedProxies?: string[];
  /** Body bytes received or being written at once before requests get 503 (default 64 MiB). */
  maxInflightBytes?: number;
  /**
   * The share of `maxInflightBytes` one client address may hold (default an eighth), so that a
   * few slow clients cannot take the budget from everyone else.
   */
  maxInflightBytesPerClient?: number;
  /** What one request may carry once decoded (default {@link PAYLOAD_LIMITS}); more gets 413. */
  payloadLimits?: PayloadLimits;
  /** A request whose body has not started by then gets 408 (default 5 s). */
  firstByteTimeoutMs?: number;
  /** A request that has not sent its whole body by then gets 408 (default 10 s). */
  requestTimeoutMs?: number;
  /**
   * Requests a second allowed per client address and per app (token buckets with bursts of
   * twice the rate); beyond them, 429 with Retry-After. Unset: no limit.
   */
  rateLimit?: { perIp?: number; perApp?: number };
}

/** Counters since start, by outcome. @public */
export interface CollectorStats {
  accepted: number;
  acceptedBytes: number;
  rejected: Record<number, number>;
}

/** Query parameters kept with each record. */
const KEPT_PARAMS = [
  'appId',
  'platform',
  'compression',
  'event_bundle_sequence_id',
  'upload_timestamp',
  'hashCode',
];

// What browsers may send as a JSON body without a preflight (sendBeacon uses text/plain).
const ACCEPTED_TYPES = /^(application\/json|text\/plain)\s*(;|$)/i;

class Rejection extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The collect endpoint of the Clickstream SDK protocol on plain `node:http` objects, so the
 * same code serves the Backstage backend (embedded target) and the standalone server (AWS).
 *
 * Success is `200` with an empty body, sent only after the sink holds the request durably:
 * the SDKs retry anything else. Bad input gets a 4xx that says what is wrong; overload and
 * a full buffer get `503` with `Retry-After`.
 * @public
 */
export class Collector {
  readonly #options: Required<
    Omit<CollectorOptions, 'trustedProxies' | 'rateLimit'>
  >;
  /** Body bytes held per client address (only addresses holding some). */
  readonly #inflightByClient = new Map<string, number>();
  readonly #trustedProxies: ReadonlySet<string>;
  readonly #perIp?: RateLimiter;
  readonly #perApp?: RateLimiter;
  #inflightBytes = 0;
  readonly #stats: CollectorStats = {
    accepted: 0,
    acceptedBytes: 0,
    rejected: {},
  };

  constructor(options: CollectorOptions) {
    this.#options = {
      ...options,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      maxInflightBytes: options.maxInflightBytes ?? 64 * 1024 * 1024,
      maxInflightBytesPerClient:
        options.maxInflightBytesPerClient ??
        Math.ceil((options.maxInflightBytes ?? 64 * 1024 * 1024) / 8),
      payloadLimits: options.payloadLimits ?? PAYLOAD_LIMITS,
      firstByteTimeoutMs: options.firstByteTimeoutMs ?? 5_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    };
    this.#trustedProxies = new Set(options.trustedProxies ?? []);
    if (options.rateLimit?.perIp)
      this.#perIp = new RateLimiter(options.rateLimit.perIp);
    if (options.rateLimit?.perApp)
      this.#perApp = new RateLimiter(options.rateLimit.perApp);
  }

  get stats(): CollectorStats {
    return { ...this.#stats, rejected: { ...this.#stats.rejected } };
  }

  /** `GET .../ping`: the time, for the SDKs' and load balancers' checks. */
  ping(_req: IncomingMessage, res: ServerResponse) {
    const body = JSON.stringify({ timestamp: Date.now() });
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    });
    res.end(body);
  }

  /** `POST` (and its CORS preflight `OPTIONS`) of the collect endpoint. */
  async collect(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = header(req, 'origin');
    let cors: Record<string, string> = {};
    try {
      const query = new URL(req.url ?? '/', 'http://collector').searchParams;
      const appId = query.get('appId');
      if (req.method !== 'POST' && req.method !== 'OPTIONS') {
        throw new Rejection(405, 'use POST', { Allow: 'POST, OPTIONS' });
      }
      if (!appId)
        throw new Rejection(400, 'the appId query parameter is required');
      const app = await this.#options.findApp(appId);
      if (!app || !app.enabled) {
        throw new Rejection(
          403,
          app ? `app '${appId}' is disabled` : `unknown app '${appId}'`,
        );
      }
      if (origin && isOriginAllowed(origin, app.corsOrigins)) {
        cors = {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Credentials': 'true',
          Vary: 'Origin',
        };
      }
      if (req.method === 'OPTIONS') {
        // No grant for an origin the app does not allow: the browser then blocks the POST.
        res.writeHead(204, {
          ...cors,
          ...(cors['Access-Control-Allow-Origin']
            ? {
                'Access-Control-Allow-Methods': 'POST, OPTIONS',
                'Access-Control-Allow-Headers':
                  header(req, 'access-control-request-headers') ??
                  'content-type',
                'Access-Control-Max-Age': '600',
              }
            : {}),
        });
        res.end();
        return;
      }
      const ip = clientIp(
        req.socket.remoteAddress,
        req.headers['x-forwarded-for'],
        this.#trustedProxies,
      );
      this.#limit(ip, app.appId);
      await this.#accept(req, res, query, cors, ip);
    } catch (e) {
      this.#reject(req, res, e, cors);
    }
  }

  async #accept(
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
    cors: Record<string, string>,
    sourceIp: string,
  ) {
    const type = header(req, 'content-type');
    if (type && !ACCEPTED_TYPES.test(type)) {
      throw new Rejection(
        415,
        `content type ${type} is not accepted; send application/json`,
      );
    }
    const declared = Number(header(req, 'content-length') ?? NaN);
    if (declared > this.#options.maxBodyBytes) {
      throw new Rejection(
        413,
        `the body is ${declared} bytes; the limit is ${
          this.#options.maxBodyBytes
        }`,
      );
    }
    // Only bytes that have arrived count against the budgets: a client that declares a large
    // body and then trickles it holds what it sent, not what it promised.
    if (
      Number.isFinite(declared) &&
      this.#inflightBytes + declared > this.#options.maxInflightBytes
    ) {
      throw new Rejection(503, 'the collector is busy; retry shortly', {
        'Retry-After': '1',
      });
    }
    const held = { bytes: 0 };
    try {
      const body = await this.#readBody(req, sourceIp, held);
      if (!isUtf8(body))
        throw new Rejection(400, 'the body is not valid UTF-8');
      // Android and Swift send an empty `compression=` when they do not compress.
      const compression = query.get('compression') || null;
      if (compression !== null && compression !== 'gzip') {
        throw new Rejection(
          400,
          `compression must be gzip or absent (got '${compression}')`,
        );
      }
      let events: unknown[];
      try {
        events = decodeEventPayload(body, this.#options.payloadLimits);
      } catch (e) {
        throw new Rejection(
          e instanceof PayloadTooLargeError ? 413 : 400,
          (e as Error).message,
        );
      }
      if (events.length === 0)
        throw new Rejection(400, 'the body is an empty array of events');
      const notObject = events.findIndex(
        ev => typeof ev !== 'object' || ev === null || Array.isArray(ev),
      );
      if (notObject >= 0)
        throw new Rejection(400, `event ${notObject} is not a JSON object`);

      const kept: Record<string, string> = {};
      for (const name of KEPT_PARAMS) {
        const value = query.get(name);
        if (value !== null) kept[name] = value.slice(0, 256);
      }
      await this.#options.sink.write({
        body,
        ingestTime: Date.now(),
        sourceIp,
        userAgent: (header(req, 'user-agent') ?? '').slice(0, 1024),
        requestId: randomUUID(),
        query: kept,
      });
      this.#stats.accepted++;
      this.#stats.acceptedBytes += body.length;
      // The SDKs accept exactly 200 (not 204): an empty 200.
      res.writeHead(200, { ...cors, 'Content-Length': '0' });
      res.end();
    } finally {
      this.#release(sourceIp, held.bytes);
    }
  }

  /** Counts bytes against the whole budget and the client's share; false when over either. */
  #hold(ip: string, bytes: number): boolean {
    const client = this.#inflightByClient.get(ip) ?? 0;
    if (
      this.#inflightBytes + bytes > this.#options.maxInflightBytes ||
      client + bytes > this.#options.maxInflightBytesPerClient
    ) {
      return false;
    }
    this.#inflightBytes += bytes;
    this.#inflightByClient.set(ip, client + bytes);
    return true;
  }

  #release(ip: string, bytes: number) {
    if (bytes === 0) return;
    this.#inflightBytes -= bytes;
    const left = (this.#inflightByClient.get(ip) ?? 0) - bytes;
    if (left > 0) this.#inflightByClient.set(ip, left);
    else this.#inflightByClient.delete(ip);
  }

  /** Per-address and per-app request rates; 429 with Retry-After beyond them. */
  #limit(ip: string, appId: string) {
    const wait = Math.max(
      this.#perIp?.take(ip) ?? 0,
      this.#perApp?.take(appId) ?? 0,
    );
    if (wait > 0) {
      throw new Rejection(429, 'too many requests; retry later', {
        'Retry-After': String(wait),
      });
    }
  }

  #readBody(
    req: IncomingMessage,
    ip: string,
    held: { bytes: number },
  ): Promise<Buffer> {
    const limit = this.#options.maxBodyBytes;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const timers: NodeJS.Timeout[] = [];
      const fail = (rejection: Rejection) => {
        timers.forEach(clearTimeout);
        req.removeAllListeners('data');
        reject(rejection);
      };
      const tooSlow = (what: string) =>
        fail(
          new Rejection(408, `the body did not ${what} in time`, {
            Connection: 'close',
          }),
        );
      const firstByte = setTimeout(
        () => tooSlow('start'),
        this.#options.firstByteTimeoutMs,
      );
      timers.push(
        firstByte,
        setTimeout(() => tooSlow('arrive'), this.#options.requestTimeoutMs),
      );
      req.on('data', (chunk: Buffer) => {
        clearTimeout(firstByte);
        size += chunk.length;
        if (size > limit) {
          fail(
            new Rejection(413, `the body is larger than ${limit} bytes`, {
              Connection: 'close',
            }),
          );
          return;
        }
        if (!this.#hold(ip, chunk.length)) {
          fail(
            new Rejection(503, 'the collector is busy; retry shortly', {
              'Retry-After': '1',
              Connection: 'close',
            }),
          );
          return;
        }
        held.bytes += chunk.length;
        chunks.push(chunk);
      });
      req.on('end', () => {
        timers.forEach(clearTimeout);
        resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
      });
      req.on('error', e => {
        fail(new Rejection(400, `the request failed: ${e.message}`));
      });
    });
  }

  #reject(
    req: IncomingMessage,
    res: ServerResponse,
    e: unknown,
    cors: Record<string, string>,
  ) {
    let rejection: Rejection;
    if (e instanceof Rejection) rejection = e;
    else if (e instanceof BufferFullError) {
      rejection = new Rejection(503, e.message, { 'Retry-After': '5' });
    } else {
      // The sink failed for another reason: still nothing malformed on the client's side,
      // so a retryable 503 rather than a 500.
      rejection = new Rejection(
        503,
        'the collector cannot take this request now; retry shortly',
        {
          'Retry-After': '5',
        },
      );
    }
    this.#stats.rejected[rejection.status] =
      (this.#stats.rejected[rejection.status] ?? 0) + 1;
    if (res.headersSent || res.destroyed) return;
    const body = JSON.stringify({ error: rejection.message });
    res.writeHead(rejection.status, {
      ...cors,
      ...rejection.headers,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
    if (rejection.headers.Connection === 'close') {
      // Stop reading an oversized or stalled body once the answer is out.
      res.on('finish', () => req.destroy());
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
