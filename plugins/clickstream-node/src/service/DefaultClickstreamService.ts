import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  App,
  CLICKSTREAM_PLUGIN_ID,
  CreateAppRequest,
  CreateProjectRequest,
  Page,
  Pipeline,
  PipelineConfigInput,
  PipelineStatusReport,
  Project,
  ProjectSummary,
} from '@clickstream/backstage-plugin-clickstream-common';
import type {
  ClickstreamRequestOptions,
  ClickstreamService,
} from './ClickstreamService';

/** The most projects one list call asks for (the API's own limit). */
const PAGE_SIZE = 500;

const enc = encodeURIComponent;

/**
 * {@link ClickstreamService} over HTTP: the clickstream backend found through discovery,
 * called with a plugin request token on behalf of the caller's credentials.
 * @public
 */
export class DefaultClickstreamService implements ClickstreamService {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
  }

  async listProjects(
    options: ClickstreamRequestOptions,
  ): Promise<ProjectSummary[]> {
    const projects: ProjectSummary[] = [];
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await this.#request<Page<ProjectSummary>>(
        options,
        'GET',
        `/projects?limit=${PAGE_SIZE}&offset=${offset}`,
      );
      projects.push(...page.items);
      if (
        page.items.length === 0 ||
        offset + page.items.length >= page.totalCount
      ) {
        return projects;
      }
    }
  }

  createProject(
    request: CreateProjectRequest,
    options: ClickstreamRequestOptions,
  ) {
    return this.#request<Project>(options, 'POST', '/projects', request);
  }

  createApp(
    projectId: string,
    request: CreateAppRequest,
    options: ClickstreamRequestOptions,
  ) {
    return this.#request<App>(
      options,
      'POST',
      `/projects/${enc(projectId)}/apps`,
      request,
    );
  }

  updatePipelineConfig(
    projectId: string,
    config: PipelineConfigInput,
    options: ClickstreamRequestOptions,
  ) {
    return this.#request<Pipeline>(
      options,
      'PUT',
      `/projects/${enc(projectId)}/pipeline`,
      config,
    );
  }

  deployPipeline(projectId: string, options: ClickstreamRequestOptions) {
    return this.#request<Pipeline>(
      options,
      'POST',
      `/projects/${enc(projectId)}/pipeline/deploy`,
    );
  }

  upgradePipeline(projectId: string, options: ClickstreamRequestOptions) {
    return this.#request<Pipeline>(
      options,
      'POST',
      `/projects/${enc(projectId)}/pipeline/upgrade`,
    );
  }

  getPipelineStatus(projectId: string, options: ClickstreamRequestOptions) {
    return this.#request<PipelineStatusReport>(
      options,
      'GET',
      `/projects/${enc(projectId)}/pipeline/status`,
    );
  }

  async #request<T>(
    { credentials }: ClickstreamRequestOptions,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.#discovery.getBaseUrl(CLICKSTREAM_PLUGIN_ID);
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: CLICKSTREAM_PLUGIN_ID,
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw await toError(response);
    return (await response.json()) as T;
  }
}

/** The API's answer as the error class of its status, with the API's own message. */
async function toError(response: Response): Promise<Error> {
  const error = await ResponseError.fromResponse(response);
  const message = error.body?.error?.message ?? error.message;
  switch (response.status) {
    case 400:
      return new InputError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case 501:
      return new NotImplementedError(message);
    case 503:
      return new ServiceUnavailableError(message);
    default:
      return error;
  }
}
