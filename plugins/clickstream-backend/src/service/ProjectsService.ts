import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  App,
  clickstreamProjectCreatePermission,
  clickstreamProjectDeletePermission,
  clickstreamProjectReadPermission,
  clickstreamProjectUpdatePermission,
  createAppRequestSchema,
  createProjectRequestSchema,
  defaultPipelineConfig,
  listAppsQuerySchema,
  listProjectsQuerySchema,
  Page,
  Project,
  ProjectSummary,
  updateAppRequestSchema,
  updateProjectRequestSchema,
} from '@clickstream/backstage-plugin-clickstream-common';
import { ControlPlaneStore } from '../database/ControlPlaneStore';
import { ProjectAuthorizer } from './ProjectAuthorizer';
import { principalOf } from './principal';

/** What a schema from -common yields once it has parsed a request. */
type Parsed<S> = S extends { parse(value: unknown): infer T } ? T : never;

/** Projects and their apps, with permissions applied to every call. */
export class ProjectsService {
  readonly #appsChanged: Array<(projectId: string) => Promise<void>> = [];

  constructor(
    private readonly store: ControlPlaneStore,
    private readonly authorizer: ProjectAuthorizer,
    private readonly logger: LoggerService,
    /** AWS accounts `aws` projects may deploy to (`clickstream.aws.allowedAccounts`). */
    private readonly allowedAwsAccounts: readonly string[] = [],
  ) {}

  /**
   * Calls `listener` after each change to a project's apps (awaited: the listener handles its
   * own errors, since the change itself is saved).
   */
  onAppsChanged(listener: (projectId: string) => Promise<void>): void {
    this.#appsChanged.push(listener);
  }

  async #notifyAppsChanged(projectId: string): Promise<void> {
    for (const listener of this.#appsChanged) await listener(projectId);
  }

  async listProjects(
    query: Parsed<typeof listProjectsQuerySchema>,
    credentials: BackstageCredentials,
  ): Promise<Page<ProjectSummary>> {
    const filter = await this.authorizer.listFilter(
      clickstreamProjectReadPermission,
      credentials,
    );
    if (filter === null) {
      return {
        items: [],
        totalCount: 0,
        limit: query.limit,
        offset: query.offset,
      };
    }
    return this.store.listProjects({ ...query, filter });
  }

  async createProject(
    input: Parsed<typeof createProjectRequestSchema>,
    credentials: BackstageCredentials,
  ): Promise<Project> {
    await this.authorizer.authorizeBasic(
      clickstreamProjectCreatePermission,
      credentials,
    );
    if (
      input.target.type === 'aws' &&
      !this.allowedAwsAccounts.includes(input.target.accountId)
    ) {
      throw new NotAllowedError(
        `AWS account ${input.target.accountId} is not one this portal deploys to: ` +
          'an administrator adds it to clickstream.aws.allowedAccounts',
      );
    }
    const candidate = { ...input, createdBy: principalOf(credentials) };
    // Refuse to create what the caller could not manage afterwards (a project owned by a
    // group they are not in), rather than leave an orphan only admins can see.
    await this.authorizer.authorize(
      clickstreamProjectUpdatePermission,
      { ...candidate, createdAt: '', updatedAt: '', version: 0 },
      credentials,
      `you cannot create a project owned by ${input.owner}: choose yourself or a group you belong to`,
    );
    const project = await this.store.createProject(
      candidate,
      defaultPipelineConfig(input.target.type),
    );
    this.logger.info('Created clickstream project', {
      projectId: project.id,
      owner: project.owner,
      target: project.target.type,
      createdBy: project.createdBy,
    });
    return project;
  }

  /** Loads a project the caller may read (or act on with `permission`). */
  async getProject(
    projectId: string,
    credentials: BackstageCredentials,
    permission = clickstreamProjectReadPermission,
  ): Promise<Project> {
    const project = await this.store.getProject(projectId);
    if (!project) throw new NotFoundError(`project '${projectId}' not found`);
    await this.authorizer.authorize(permission, project, credentials);
    return project;
  }

  async updateProject(
    projectId: string,
    input: Parsed<typeof updateProjectRequestSchema>,
    credentials: BackstageCredentials,
  ): Promise<Project> {
    const project = await this.getProject(
      projectId,
      credentials,
      clickstreamProjectUpdatePermission,
    );
    const { version, ...patch } = input;
    if (patch.owner && patch.owner !== project.owner) {
      // Handing a project to an owner the caller is not part of would lock them out of it.
      await this.authorizer.authorize(
        clickstreamProjectUpdatePermission,
        { ...project, owner: patch.owner },
        credentials,
        `you cannot hand project '${projectId}' to ${patch.owner}: choose yourself or a group you belong to`,
      );
    }
    return this.store.updateProject(projectId, patch, version);
  }

  async deleteProject(projectId: string, credentials: BackstageCredentials) {
    await this.getProject(
      projectId,
      credentials,
      clickstreamProjectDeletePermission,
    );
    await this.store.deleteProject(projectId);
    this.logger.info('Deleted clickstream project', {
      projectId,
      deletedBy: principalOf(credentials),
    });
  }

  async listApps(
    projectId: string,
    query: Parsed<typeof listAppsQuerySchema>,
    credentials: BackstageCredentials,
  ): Promise<Page<App>> {
    await this.getProject(projectId, credentials);
    return this.store.listApps(projectId, query);
  }

  async createApp(
    projectId: string,
    input: Parsed<typeof createAppRequestSchema>,
    credentials: BackstageCredentials,
  ): Promise<App> {
    await this.getProject(
      projectId,
      credentials,
      clickstreamProjectUpdatePermission,
    );
    const app = await this.store.createApp({ ...input, projectId });
    this.logger.info('Registered clickstream app', {
      projectId,
      appId: app.appId,
    });
    await this.#notifyAppsChanged(projectId);
    return app;
  }

  async getApp(
    projectId: string,
    appId: string,
    credentials: BackstageCredentials,
  ): Promise<App> {
    await this.getProject(projectId, credentials);
    const app = await this.store.getApp(projectId, appId);
    if (!app) {
      throw new NotFoundError(
        `app '${appId}' not found in project '${projectId}'`,
      );
    }
    return app;
  }

  async updateApp(
    projectId: string,
    appId: string,
    input: Parsed<typeof updateAppRequestSchema>,
    credentials: BackstageCredentials,
  ): Promise<App> {
    await this.getProject(
      projectId,
      credentials,
      clickstreamProjectUpdatePermission,
    );
    const { version, ...patch } = input;
    const app = await this.store.updateApp(projectId, appId, patch, version);
    await this.#notifyAppsChanged(projectId);
    return app;
  }

  async deleteApp(
    projectId: string,
    appId: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    await this.getProject(
      projectId,
      credentials,
      clickstreamProjectDeletePermission,
    );
    await this.store.deleteApp(projectId, appId);
    await this.#notifyAppsChanged(projectId);
  }
}
