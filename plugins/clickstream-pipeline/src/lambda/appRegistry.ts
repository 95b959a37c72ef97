// No AWS SDK here: the package's index exports these, and the embedded runtime's processing
// process (which loads that index under a tight heap limit) has no use for the SSM client.

/** An app as the AWS pipeline's collector, processor and loader need it. @public */
export interface RegistryApp {
  appId: string;
  enabled: boolean;
  corsOrigins: string[];
  /** Where the app's days start (UTC when unset). */
  timezone: string | null;
}

/**
 * The apps of a project as JSON text holds them (an SSM parameter's value, or an environment
 * variable baked in at deployment): a list of `{ appId, enabled?, corsOrigins?, timezone? }`.
 * Throws on anything else, naming `source`.
 * @public
 */
export function parseRegistryApps(text: string, source: string): RegistryApp[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(list)) {
    throw new Error(`${source} must be a JSON array of apps`);
  }
  return list.map((item: Record<string, unknown>) => {
    if (typeof item?.appId !== 'string') {
      throw new Error(`${source}: every app needs an appId`);
    }
    return {
      appId: item.appId,
      enabled: item.enabled !== false,
      corsOrigins: Array.isArray(item.corsOrigins)
        ? item.corsOrigins.map(String)
        : [],
      timezone: typeof item.timezone === 'string' ? item.timezone : null,
    };
  });
}

/** The SSM parameter of a project's live app registry on AWS. @public */
export function appRegistryParameterName(projectId: string): string {
  return `/clickstream/${projectId}/apps`;
}

/** The registry's value for these apps: what `parseRegistryApps` reads back. @public */
export function formatRegistryApps(
  apps: ReadonlyArray<{
    appId: string;
    enabled?: boolean;
    corsOrigins?: string[];
    timezone?: string | null;
  }>,
): string {
  return JSON.stringify(
    apps.map(app => ({
      appId: app.appId,
      enabled: app.enabled !== false,
      corsOrigins: app.corsOrigins ?? [],
      timezone: app.timezone ?? null,
    })),
  );
}
