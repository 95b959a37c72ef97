import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CLICKSTREAM_PLUGIN_ID,
  ClickstreamHealth,
  Page,
} from '@clickstream/backstage-plugin-clickstream-common';
import { ClickstreamApi, ProjectSummary } from './ClickstreamApi';

/** Calls the clickstream backend with the signed-in user's token. @public */
export class ClickstreamClient implements ClickstreamApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<ClickstreamHealth> {
    return this.#get<ClickstreamHealth>('/health');
  }

  async listProjects(
    options: { limit?: number; offset?: number } = {},
  ): Promise<Page<ProjectSummary>> {
    const query = new URLSearchParams({
      limit: String(options.limit ?? 100),
      offset: String(options.offset ?? 0),
    });
    return this.#get<Page<ProjectSummary>>(`/projects?${query}`);
  }

  async #get<T>(path: string): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(CLICKSTREAM_PLUGIN_ID);
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
