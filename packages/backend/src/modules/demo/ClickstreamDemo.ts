import { LoggerService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  decodeBody,
  encodeBody,
  hashCode,
  SdkEvent,
  send,
  simulate,
  SimulatedRequest,
} from '@clickstream/loadgen';

/** Calls the Clickstream API (already authenticated) and answers the parsed JSON body. */
export type ApiCall = (
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
) => Promise<any>;

export interface DemoOptions {
  projectId: string;
  appId: string;
  /** Days of history generated when the demo project is created. */
  historyDays: number;
  historyUsers: number;
  /** New simulated people a minute in the live feed (0: no live feed). */
  usersPerMinute: number;
}

const DAY_MS = 86_400_000;
/** Requests waiting to be due at most; beyond it nobody new arrives (bounded memory). */
const MAX_PENDING = 5_000;

/** Every time field of the SDKs' events: event times, session starts, attribute set times. */
const TIME_FIELD = /timestamp$/;

function shiftTimes(value: unknown, delta: number, isTime = false): unknown {
  if (typeof value === 'number') return isTime ? value + delta : value;
  if (Array.isArray(value)) return value.map(v => shiftTimes(v, delta));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        key,
        // `_user_first_touch_timestamp` keeps its time in `value`.
        shiftTimes(
          v,
          delta,
          TIME_FIELD.test(key) || (isTime && key === 'value'),
        ),
      ]),
    );
  }
  return value;
}

/** The same request, happening `delta` ms later: its events' times move with it. */
function shiftRequest(
  request: SimulatedRequest,
  delta: number,
): SimulatedRequest {
  const events = shiftTimes(decodeBody(request.body), delta) as SdkEvent[];
  const body = encodeBody(events, request.query.compression === 'gzip');
  return {
    ...request,
    body,
    query: { ...request.query, hashCode: hashCode(body) },
    sendAt: request.sendAt + delta,
  };
}
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The demo project of a first start: a local project with one app, deployed, loaded with a
 * few weeks of simulated history and then fed a few simulated people a minute, all through the
 * public API and the collect protocol, as a real user and real SDKs would.
 */
export class ClickstreamDemo {
  #pending: SimulatedRequest[] = [];
  #lastArrival = 0;
  #arrivals = 0;

  constructor(
    private readonly options: DemoOptions,
    private readonly api: ApiCall,
    private readonly logger: LoggerService,
  ) {}

  /** Creates, registers and deploys what is missing; answers the collect endpoint and whether the project is new. */
  async setUp(): Promise<{ endpoint: string; created: boolean }> {
    const { projectId, appId, historyDays } = this.options;
    const created = !(await this.#exists(`/projects/${projectId}`));
    if (created) {
      await this.api('POST', '/projects', {
        id: projectId,
        name: 'Demo shop',
        description:
          'Simulated shoppers on web, Android and iOS: the demo of a first start (clickstream.demo in app-config.yaml).',
        owner: 'group:default/analytics-team',
        environment: 'Dev',
        target: { type: 'local' },
      });
      // The history goes back further than the default 72-hour freshness window.
      const { config } = await this.api(
        'GET',
        `/projects/${projectId}/pipeline`,
      );
      config.processing.dataFreshnessHours = (historyDays + 1) * 24;
      await this.api('PUT', `/projects/${projectId}/pipeline`, config);
    }
    if (!(await this.#exists(`/projects/${projectId}/apps/${appId}`))) {
      await this.api('POST', `/projects/${projectId}/apps`, {
        appId,
        name: 'Demo shop',
        platforms: ['Web', 'Android', 'iOS'],
        timezone: 'UTC',
      });
    }
    let pipeline = await this.api('GET', `/projects/${projectId}/pipeline`);
    if (pipeline.status !== 'Active') {
      await this.api('POST', `/projects/${projectId}/pipeline/deploy`);
      for (let i = 0; i < 60 && pipeline.status !== 'Active'; i++) {
        await new Promise(r => setTimeout(r, 500));
        pipeline = await this.api('GET', `/projects/${projectId}/pipeline`);
      }
    }
    if (!pipeline.outputs?.endpointUrl) {
      throw new Error(`the demo pipeline is ${pipeline.status}, not Active`);
    }
    return { endpoint: pipeline.outputs.endpointUrl, created };
  }

  /** Sends the history: `historyUsers` people over the last `historyDays` days, up to now. */
  async sendHistory(endpoint: string, now = Date.now()): Promise<number> {
    const { appId, historyDays, historyUsers } = this.options;
    const { requests, truth } = simulate({
      seed: 2026,
      users: historyUsers,
      days: historyDays,
      startDate: utcDay(now - (historyDays - 1) * DAY_MS),
      appId,
    });
    const sent = await this.#send(
      requests.filter(r => r.sendAt <= now),
      endpoint,
    );
    this.logger.info(
      `Clickstream demo: sent ${sent} events of ${truth.users} simulated people over ${historyDays} days`,
    );
    return sent;
  }

  /**
   * One step of the live feed (call it every few seconds): once a minute `usersPerMinute` new
   * people arrive, each starting their first visit now; then whatever of the arrived people's
   * visits is due by now is sent. Their later sessions follow in real time.
   */
  async tick(endpoint: string, now = Date.now()): Promise<number> {
    const { appId, usersPerMinute } = this.options;
    if (
      now - this.#lastArrival >= 60_000 &&
      this.#pending.length < MAX_PENDING
    ) {
      this.#lastArrival = now;
      for (let i = 0; i < usersPerMinute; i++) {
        const { requests } = simulate({
          seed: (this.#arrivals += 1),
          users: 1,
          days: 1,
          startDate: utcDay(now),
          appId,
        });
        if (requests.length === 0) continue;
        const delta = now - requests[0].sendAt;
        this.#pending.push(...requests.map(r => shiftRequest(r, delta)));
      }
      this.#pending.sort((a, b) => a.sendAt - b.sendAt);
    }
    const due = this.#pending.filter(r => r.sendAt <= now);
    this.#pending = this.#pending.slice(due.length);
    return this.#send(due, endpoint);
  }

  /** Requests of arrived people not due yet. */
  get pendingRequests(): number {
    return this.#pending.length;
  }

  async #send(requests: SimulatedRequest[], endpoint: string) {
    if (requests.length === 0) return 0;
    const result = await send(requests, {
      endpoint,
      concurrency: 4,
      uploadTimestamp: 'now',
    });
    if (result.failed > 0) {
      this.logger.warn(
        `Clickstream demo: ${
          result.failed
        } requests were not accepted: ${result.errors.join('; ')}`,
      );
    }
    return result.acceptedEvents;
  }

  async #exists(path: string): Promise<boolean> {
    try {
      await this.api('GET', path);
      return true;
    } catch (e) {
      if (e instanceof ResponseError && e.statusCode === 404) return false;
      throw e;
    }
  }
}
