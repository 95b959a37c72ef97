import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { parseRegistryApps, RegistryApp } from './appRegistry';

/**
 * The running AWS pipeline's view of its apps: an SSM parameter the control plane rewrites on
 * every app change, so a registered, disabled or deleted app takes effect within `ttlMs`
 * without a redeployment. Until the parameter is first read, and whenever it cannot be read,
 * the last known list serves (at first, the one baked in at deployment).
 * @public
 */
export class SsmAppRegistry {
  readonly #client: SSMClient;
  readonly #parameterName: string;
  readonly #ttlMs: number;
  readonly #onError: (error: Error) => void;
  #apps: RegistryApp[];
  #readAt = -Infinity;
  #reading?: Promise<RegistryApp[]>;
  #byId?: { list: RegistryApp[]; map: Map<string, RegistryApp> };

  constructor(options: {
    client: SSMClient;
    parameterName: string;
    /** The apps known at deployment, served until the parameter is read. */
    initial: RegistryApp[];
    /** How long a read serves (default 30 s). */
    ttlMs?: number;
    onError?: (error: Error) => void;
  }) {
    this.#client = options.client;
    this.#parameterName = options.parameterName;
    this.#apps = options.initial;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#onError =
      options.onError ??
      (e => console.error(`keeping the previous apps: ${e.message}`));
  }

  /**
   * One app by id, without waiting on SSM: the collector's request path answers from the last
   * known list and a stale one is read again in the background, so a slow or hanging SSM call
   * never holds SDK requests.
   */
  find(appId: string): RegistryApp | undefined {
    if (Date.now() - this.#readAt >= this.#ttlMs) void this.apps();
    const apps = this.#apps;
    if (this.#byId?.list !== apps) {
      this.#byId = { list: apps, map: new Map(apps.map(a => [a.appId, a])) };
    }
    return this.#byId.map.get(appId);
  }

  /** The apps, read again from SSM when the last read is older than the TTL. */
  async apps(): Promise<RegistryApp[]> {
    if (Date.now() - this.#readAt < this.#ttlMs) return this.#apps;
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<RegistryApp[]> {
    try {
      const { Parameter } = await this.#client.send(
        new GetParameterCommand({ Name: this.#parameterName }),
      );
      this.#apps = parseRegistryApps(
        Parameter?.Value ?? '[]',
        `SSM parameter ${this.#parameterName}`,
      );
    } catch (e) {
      this.#onError(e as Error);
    }
    // A failed read is not retried at once either: SSM's throttling would only get worse.
    this.#readAt = Date.now();
    return this.#apps;
  }
}
