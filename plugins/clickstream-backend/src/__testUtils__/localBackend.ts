import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { IngestRecord } from '@clickstream/backstage-plugin-clickstream-pipeline';
import { join } from 'node:path';
import { clickstreamPlugin } from '../plugin';

/**
 * A test backend with the plugin, its control plane in SQLite files under `dataDirectory` (so it
 * survives a restart on the same directory) and the embedded runtime's data beside it.
 */
export function startLocalBackend(
  dataDirectory: string,
  clickstream: Record<string, unknown> = {},
) {
  return startTestBackend({
    features: [
      clickstreamPlugin,
      databaseServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: {
              client: 'better-sqlite3',
              connection: { directory: join(dataDirectory, 'sqlite') },
            },
          },
          clickstream: { dataDirectory, ...clickstream },
        },
      }),
    ],
  });
}

/** A stored SDK request of page views of the app `web`, one per id, a minute before `now`. */
export function pageViewRequest(
  id: string,
  eventIds: string[],
  now: number,
): IngestRecord {
  return {
    body: Buffer.from(
      JSON.stringify(
        eventIds.map(eventId => ({
          event_id: eventId,
          event_type: '_page_view',
          app_id: 'web',
          unique_id: `user-${id}`,
          timestamp: now - 60_000,
          platform: 'Web',
        })),
      ),
    ),
    ingestTime: now,
    sourceIp: '203.0.113.9',
    userAgent: 'Mozilla/5.0',
    requestId: id,
    query: { appId: 'web', platform: 'Web' },
  };
}

/** Polls `probe` every 100 ms until it answers, for at most 30 s. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
