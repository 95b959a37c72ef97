import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccountResource,
  AccountResourceKind,
  App,
  CLICKSTREAM_PLUGIN_ID,
  ClickstreamHealth,
  CreateAppRequest,
  IngestionReport,
  MetricSheet,
  MetricsQueryInput,
  MetricsResponse,
  Page,
  Pipeline,
  PipelineConfigInput,
  PipelineHealth,
  Project,
  ProjectSummary,
  UpdateAppRequest,
  UpdateProjectRequest,
} from '@clickstream/backstage-plugin-clickstream-common';
import { ClickstreamApi } from './ClickstreamApi';

/** Path segments are ids, but encoded all the same. */
const enc = encodeURIComponent;

/** Calls the clickstream backend with the signed-in user's token. @public */
export class ClickstreamClient implements ClickstreamApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<ClickstreamHealth> {
    return this.#request<ClickstreamHealth>('GET', '/health');
  }

  async listProjects(
    options: { limit?: number; offset?: number } = {},
  ): Promise<Page<ProjectSummary>> {
    const query = new URLSearchParams({
      limit: String(options.limit ?? 100),
      offset: String(options.offset ?? 0),
    });
    return this.#request('GET', `/projects?${query}`);
  }

  async getProject(projectId: string): Promise<Project> {
    return this.#request('GET', `/projects/${enc(projectId)}`);
  }

  async updateProject(
    projectId: string,
    request: UpdateProjectRequest,
  ): Promise<Project> {
    return this.#request('PUT', `/projects/${enc(projectId)}`, request);
  }

  async deleteProject(projectId: string): Promise<void> {
    await this.#request('DELETE', `/projects/${enc(projectId)}`);
  }

  async listApps(projectId: string): Promise<Page<App>> {
    return this.#request('GET', `/projects/${enc(projectId)}/apps?limit=500`);
  }

  async createApp(projectId: string, app: CreateAppRequest): Promise<App> {
    return this.#request('POST', `/projects/${enc(projectId)}/apps`, app);
  }

  async updateApp(
    projectId: string,
    appId: string,
    request: UpdateAppRequest,
  ): Promise<App> {
    return this.#request(
      'PUT',
      `/projects/${enc(projectId)}/apps/${enc(appId)}`,
      request,
    );
  }

  async deleteApp(projectId: string, appId: string): Promise<void> {
    await this.#request(
      'DELETE',
      `/projects/${enc(projectId)}/apps/${enc(appId)}`,
    );
  }

  async updatePipelineConfig(
    projectId: string,
    config: PipelineConfigInput,
    version: number,
  ): Promise<Pipeline> {
    return this.#request('PUT', `/projects/${enc(projectId)}/pipeline`, {
      ...config,
      version,
    });
  }

  async getPipeline(projectId: string): Promise<Pipeline> {
    return this.#request('GET', `/projects/${enc(projectId)}/pipeline`);
  }

  async getPipelineHealth(projectId: string): Promise<PipelineHealth> {
    return this.#request('GET', `/projects/${enc(projectId)}/pipeline/health`);
  }

  async listAccountResources(
    projectId: string,
    kind: AccountResourceKind,
  ): Promise<AccountResource[]> {
    const { items } = await this.#request<{ items: AccountResource[] }>(
      'GET',
      `/projects/${enc(projectId)}/pipeline/resources/${enc(kind)}`,
    );
    return items;
  }

  async getIngestion(
    projectId: string,
    options: { recentEvents?: number } = {},
  ): Promise<IngestionReport> {
    const limit = options.recentEvents ?? 0;
    return this.#request(
      'GET',
      `/projects/${enc(projectId)}/ingestion?limit=${limit}`,
    );
  }

  async deployPipeline(projectId: string): Promise<Pipeline> {
    return this.#request('POST', `/projects/${enc(projectId)}/pipeline/deploy`);
  }
  async upgradePipeline(projectId: string): Promise<Pipeline> {
    return this.#request(
      'POST',
      `/projects/${enc(projectId)}/pipeline/upgrade`,
    );
  }

  async retryPipeline(projectId: string): Promise<Pipeline> {
    return this.#request('POST', `/projects/${enc(projectId)}/pipeline/retry`);
  }

  async deletePipeline(projectId: string): Promise<Pipeline> {
    return this.#request('DELETE', `/projects/${enc(projectId)}/pipeline`);
  }

  async getMetrics<S extends MetricSheet>(
    projectId: string,
    appId: string,
    sheet: S,
    query: MetricsQueryInput,
  ): Promise<MetricsResponse<S>> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    return this.#request(
      'GET',
      `/projects/${enc(projectId)}/apps/${enc(appId)}/metrics/${enc(
        sheet,
      )}?${params}`,
    );
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(CLICKSTREAM_PLUGIN_ID);
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    // Deletes answer 204 with no body.
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}
