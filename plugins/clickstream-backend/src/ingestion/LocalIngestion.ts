import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Collector,
  CollectorApp,
  decodeEventPayload,
  EventSink,
  IngestRecord,
  SegmentLog,
  SegmentLogSink,
} from '@clickstream/backstage-plugin-clickstream-pipeline';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  IngestionReport,
  RecentEvent,
} from '@clickstream/backstage-plugin-clickstream-common';
import { ControlPlaneStore } from '../database/ControlPlaneStore';

/** What the collector reports; the router adds the processing worker's part. */
export type CollectorReport = Omit<IngestionReport, 'processing'>;

/** How long the collector trusts its copy of a project's apps (changes apply within this). */
const APPS_TTL_MS = 2_000;

/** How many of the latest accepted requests each project keeps in memory for inspection. */
const RECENT_REQUESTS = 50;
const RECENT_MAX_BODY = 256 * 1024;

interface RunningIngestion {
  log: SegmentLog;
  collector: Collector;
  recent: IngestRecord[];
  /** Ingest time of the latest acknowledged request (ms). */
  lastReceivedAt: number | null;
}

/**
 * The embedded target's ingestion: per deployed `local` project, a collector writing to a
 * durable segment log under `<dataDirectory>/<projectId>/buffer`. The apps it accepts and
 * their CORS origins come from the control plane and are re-read every few seconds.
 */
export class LocalIngestion {
  readonly #running = new Map<string, Promise<RunningIngestion>>();
  readonly #apps = new Map<
    string,
    { at: number; apps: Promise<Map<string, CollectorApp>> }
  >();

  constructor(
    private readonly options: {
      store: ControlPlaneStore;
      dataDirectory: string;
      trustedProxies: string[];
      rateLimit?: { perIp?: number; perApp?: number };
      logger: LoggerService;
    },
  ) {}

  get dataDirectory(): string {
    return this.options.dataDirectory;
  }

  bufferDirectory(projectId: string): string {
    return join(this.options.dataDirectory, projectId, 'buffer');
  }

  /** The collector of a running project, or undefined when its ingestion is not deployed. */
  async collector(projectId: string): Promise<Collector | undefined> {
    return (await this.#running.get(projectId))?.collector;
  }

  async log(projectId: string): Promise<SegmentLog | undefined> {
    return (await this.#running.get(projectId))?.log;
  }

  /** The events of the latest accepted requests, newest first (since this backend started). */
  async recentEvents(projectId: string, limit: number): Promise<RecentEvent[]> {
    const running = await this.#running.get(projectId);
    if (!running) return [];
    const events: RecentEvent[] = [];
    for (
      let i = running.recent.length - 1;
      i >= 0 && events.length < limit;
      i--
    ) {
      const record = running.recent[i];
      const decoded = decodeEventPayload(record.body) as Record<string, any>[];
      for (let j = decoded.length - 1; j >= 0 && events.length < limit; j--) {
        const event = decoded[j];
        events.push({
          receivedAt: new Date(record.ingestTime).toISOString(),
          appId: record.query.appId,
          platform: record.query.platform ?? null,
          eventId: typeof event.event_id === 'string' ? event.event_id : null,
          eventType:
            typeof event.event_type === 'string' ? event.event_type : null,
          timestamp:
            typeof event.timestamp === 'number' ? event.timestamp : null,
        });
      }
    }
    return events;
  }

  /** What a project's ingestion has done since this backend started. */
  async report(projectId: string, limit: number): Promise<CollectorReport> {
    const running = await this.#running.get(projectId);
    if (!running) {
      return {
        running: false,
        accepted: 0,
        rejected: {},
        lastReceivedAt: null,
        bufferBytes: 0,
        recentEvents: [],
      };
    }
    const stats = running.collector.stats;
    return {
      running: true,
      accepted: stats.accepted,
      rejected: stats.rejected,
      lastReceivedAt:
        running.lastReceivedAt === null
          ? null
          : new Date(running.lastReceivedAt).toISOString(),
      bufferBytes: running.log.sizeBytes,
      recentEvents: await this.recentEvents(projectId, limit),
    };
  }

  isRunning(projectId: string): boolean {
    return this.#running.has(projectId);
  }

  /** Starts accepting events for a project (idempotent). */
  async start(projectId: string): Promise<void> {
    if (this.#running.has(projectId)) {
      await this.#running.get(projectId);
      return;
    }
    const starting = (async () => {
      const log = await SegmentLog.open({
        directory: this.bufferDirectory(projectId),
      });
      const recent: IngestRecord[] = [];
      const running = { lastReceivedAt: null as number | null };
      const durable = new SegmentLogSink(log);
      // Keeps the latest acknowledged requests for "see events arrive"; bodies stay raw
      // until someone looks, so the hot path pays no extra decoding.
      const sink: EventSink = {
        async write(record) {
          await durable.write(record);
          running.lastReceivedAt = record.ingestTime;
          if (record.body.length <= RECENT_MAX_BODY) {
            recent.push(record);
            if (recent.length > RECENT_REQUESTS) recent.shift();
          }
        },
      };
      const collector = new Collector({
        findApp: appId => this.#findApp(projectId, appId),
        sink,
        trustedProxies: this.options.trustedProxies,
        rateLimit: this.options.rateLimit,
      });
      return Object.assign(running, { log, collector, recent });
    })();
    this.#running.set(projectId, starting);
    try {
      await starting;
      this.options.logger.info('Started local ingestion', { projectId });
    } catch (e) {
      this.#running.delete(projectId);
      throw e;
    }
  }

  /** Stops accepting events; with `removeData`, deletes what the buffer held. */
  async stop(
    projectId: string,
    options: { removeData?: boolean } = {},
  ): Promise<void> {
    const running = this.#running.get(projectId);
    this.#running.delete(projectId);
    if (running) await (await running).log.close();
    if (options.removeData) {
      await fs.rm(join(this.options.dataDirectory, projectId), {
        recursive: true,
        force: true,
      });
    }
    this.options.logger.info('Stopped local ingestion', {
      projectId,
      removeData: !!options.removeData,
    });
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.keys()].map(id => this.stop(id)));
  }

  async #findApp(
    projectId: string,
    appId: string,
  ): Promise<CollectorApp | undefined> {
    let cached = this.#apps.get(projectId);
    if (!cached || Date.now() - cached.at > APPS_TTL_MS) {
      cached = { at: Date.now(), apps: this.#loadApps(projectId) };
      this.#apps.set(projectId, cached);
      cached.apps.catch(() => this.#apps.delete(projectId));
    }
    return (await cached.apps).get(appId);
  }

  async #loadApps(projectId: string): Promise<Map<string, CollectorApp>> {
    const [page, pipeline] = await Promise.all([
      this.options.store.listApps(projectId, { limit: 10_000, offset: 0 }),
      this.options.store.getPipeline(projectId),
    ]);
    // Origins allowed for the whole project count for every app.
    const projectOrigins = pipeline?.config.ingestion?.corsOrigins ?? [];
    return new Map(
      page.items.map(app => [
        app.appId,
        {
          appId: app.appId,
          enabled: app.enabled,
          corsOrigins: [...app.corsOrigins, ...projectOrigins],
        },
      ]),
    );
  }
}
