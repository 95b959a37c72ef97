import { Config } from '@backstage/config';
import { resolve as resolvePath } from 'node:path';

/**
 * Requests a second one client address, and one app, may send to the embedded collector. An
 * SDK sends one request every few seconds; a company's NAT gathers many users behind one address.
 */
const DEFAULT_RATE_LIMIT = { perIp: 100, perApp: 1_000 };

/** The plugin's configuration (`clickstream.*`, see config.d.ts), with its defaults. */
export interface ClickstreamConfig {
  /** Where local projects keep their buffers and warehouses (absolute). */
  dataDirectory: string;
  trustedProxies: string[];
  /** 0 turns a limit off. */
  rateLimit: { perIp: number; perApp: number };
  geoDatabase?: string;
  queryTimeoutMs: number;
  allowedAwsAccounts: string[];
  /** The backend's public address: the embedded collector's endpoint is under it. */
  baseUrl: string;
}

export function readClickstreamConfig(config: Config): ClickstreamConfig {
  const c = config.getOptionalConfig('clickstream');
  return {
    dataDirectory: resolvePath(
      c?.getOptionalString('dataDirectory') ?? '.data/clickstream',
    ),
    trustedProxies: c?.getOptionalStringArray('collector.trustedProxies') ?? [],
    // On by default: the endpoint is public, and shares the process with the portal.
    rateLimit: {
      perIp:
        c?.getOptionalNumber('collector.rateLimit.perIp') ??
        DEFAULT_RATE_LIMIT.perIp,
      perApp:
        c?.getOptionalNumber('collector.rateLimit.perApp') ??
        DEFAULT_RATE_LIMIT.perApp,
    },
    geoDatabase: c?.getOptionalString('processing.geoDatabase'),
    queryTimeoutMs:
      (c?.getOptionalNumber('analytics.queryTimeoutSeconds') ?? 30) * 1000,
    allowedAwsAccounts: c?.getOptionalStringArray('aws.allowedAccounts') ?? [],
    baseUrl:
      config.getOptionalString('backend.baseUrl') ?? 'http://localhost:7007',
  };
}
