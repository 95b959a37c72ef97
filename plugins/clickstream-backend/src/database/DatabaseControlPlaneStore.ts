import {
  DatabaseService,
  isDatabaseConflictError,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  App,
  Page,
  Pipeline,
  PipelineAction,
  PipelineConfig,
  PipelineEvent,
  PipelineStatus,
  Project,
  ProjectSummary,
} from '@clickstream/backstage-plugin-clickstream-common';
import { Knex } from 'knex';
import {
  AppPatch,
  ControlPlaneStore,
  PipelineStateUpdate,
  ProjectFilter,
  ProjectListOptions,
  ProjectPatch,
  TransitionEvent,
} from './ControlPlaneStore';

const migrationsDir = resolvePackagePath(
  '@clickstream/backstage-plugin-clickstream-backend',
  'migrations',
);

const now = () => new Date().toISOString();
const json = (value: unknown) => JSON.stringify(value);
const parse = <T>(text: string | null | undefined, fallback: T): T =>
  text ? (JSON.parse(text) as T) : fallback;

/** The control plane on Backstage's database service (SQLite or PostgreSQL). */
export class DatabaseControlPlaneStore implements ControlPlaneStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseControlPlaneStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseControlPlaneStore(client);
  }

  private constructor(private readonly db: Knex) {}

  // --- projects --------------------------------------------------------------

  async createProject(
    project: Omit<Project, 'createdAt' | 'updatedAt' | 'version'>,
    config: PipelineConfig,
  ): Promise<Project> {
    const at = now();
    try {
      await this.db.transaction(async tx => {
        await tx('projects').insert({
          id: project.id,
          name: project.name,
          description: project.description,
          owner: project.owner,
          environment: project.environment,
          target_type: project.target.type,
          target: json(project.target),
          notification_emails: json(project.notificationEmails),
          created_by: project.createdBy,
          created_at: at,
          updated_at: at,
          version: 1,
        });
        await tx('pipelines').insert({
          project_id: project.id,
          config: json(config),
          status: 'NotDeployed',
          stacks: json([]),
          outputs: json({ dashboards: [] }),
          created_at: at,
          updated_at: at,
          version: 1,
        });
      });
    } catch (e) {
      if (isDatabaseConflictError(e)) {
        throw new ConflictError(`project '${project.id}' already exists`);
      }
      throw e;
    }
    return (await this.getProject(project.id))!;
  }

  async getProject(id: string): Promise<Project | undefined> {
    const row = await this.db('projects').where({ id }).first();
    return row ? toProject(row) : undefined;
  }

  async getProjects(ids: string[]): Promise<Project[]> {
    const rows: any[] = [];
    // Bounded chunks keep us under the databases' bind-parameter limits.
    for (let i = 0; i < ids.length; i += 100) {
      rows.push(
        ...(await this.db('projects').whereIn('id', ids.slice(i, i + 100))),
      );
    }
    const byId = new Map(rows.map(r => [r.id, toProject(r)]));
    return ids.flatMap(id => (byId.has(id) ? [byId.get(id)!] : []));
  }

  async listProjects(
    options: ProjectListOptions,
  ): Promise<Page<ProjectSummary>> {
    const query = this.db('projects')
      .join('pipelines', 'pipelines.project_id', 'projects.id')
      .modify(q => {
        if (options.owner) q.where('projects.owner', options.owner);
        if (options.target) q.where('projects.target_type', options.target);
        if (options.status) q.where('pipelines.status', options.status);
        if (options.environment) {
          q.where('projects.environment', options.environment);
        }
        if (options.filter) applyFilter(q, options.filter);
      });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .select('projects.*', 'pipelines.status as status')
      .orderBy('projects.id')
      .limit(options.limit)
      .offset(options.offset);
    return {
      items: rows.map((r: any) => ({ ...toProject(r), status: r.status })),
      totalCount: Number(count),
      limit: options.limit,
      offset: options.offset,
    };
  }

  async updateProject(
    id: string,
    patch: ProjectPatch,
    expectedVersion?: number,
  ): Promise<Project> {
    const columns: Record<string, unknown> = {};
    if (patch.name !== undefined) columns.name = patch.name;
    if (patch.description !== undefined)
      columns.description = patch.description;
    if (patch.owner !== undefined) columns.owner = patch.owner;
    if (patch.environment !== undefined)
      columns.environment = patch.environment;
    if (patch.notificationEmails !== undefined) {
      columns.notification_emails = json(patch.notificationEmails);
    }
    await this.#conditionalUpdate(
      'projects',
      { id },
      columns,
      expectedVersion,
      `project '${id}'`,
    );
    return (await this.getProject(id))!;
  }

  async deleteProject(id: string): Promise<void> {
    await this.db.transaction(async tx => {
      // Claim the delete in one statement: only an undeployed, idle pipeline qualifies, so a
      // deploy starting at the same moment either wins (and we refuse) or sees no project.
      const claimed = await tx('pipelines')
        .where({ project_id: id })
        .whereIn('status', ['NotDeployed', 'Deleted'])
        .whereNull('operation')
        .delete();
      if (claimed === 0) {
        const pipeline = await tx('pipelines')
          .where({ project_id: id })
          .first();
        if (!pipeline) throw new NotFoundError(`project '${id}' not found`);
        throw new ConflictError(
          pipeline.operation
            ? `project '${id}' cannot be deleted while its pipeline is ${pipeline.status}`
            : `project '${id}' has a deployed pipeline (${pipeline.status}): delete the pipeline first`,
        );
      }
      await tx('pipeline_events').where({ project_id: id }).delete();
      await tx('apps').where({ project_id: id }).delete();
      await tx('projects').where({ id }).delete();
    });
  }

  // --- apps ------------------------------------------------------------------

  async createApp(
    app: Omit<App, 'createdAt' | 'updatedAt' | 'version'>,
  ): Promise<App> {
    const at = now();
    // Redshift folds schema names to lower case: two apps may not differ only in case.
    const clash = await this.db('apps')
      .where({ project_id: app.projectId })
      .whereRaw('lower(app_id) = ?', [app.appId.toLowerCase()])
      .first();
    if (clash && clash.app_id !== app.appId) {
      throw new ConflictError(
        `app '${app.appId}' differs only in case from app '${clash.app_id}' of project '${app.projectId}': the warehouse would give both one schema, so choose another id`,
      );
    }
    try {
      await this.db('apps').insert({
        project_id: app.projectId,
        app_id: app.appId,
        name: app.name,
        description: app.description,
        platforms: json(app.platforms),
        android_package: app.androidPackage,
        ios_bundle_id: app.iosBundleId,
        timezone: app.timezone,
        cors_origins: json(app.corsOrigins),
        enabled: app.enabled,
        created_at: at,
        updated_at: at,
        version: 1,
      });
    } catch (e) {
      if (isDatabaseConflictError(e)) {
        throw new ConflictError(
          `app '${app.appId}' already exists in project '${app.projectId}'`,
        );
      }
      throw e;
    }
    return (await this.getApp(app.projectId, app.appId))!;
  }

  async getApp(projectId: string, appId: string): Promise<App | undefined> {
    const row = await this.db('apps')
      .where({ project_id: projectId, app_id: appId })
      .first();
    return row ? toApp(row) : undefined;
  }

  async listApps(
    projectId: string,
    page: { limit: number; offset: number },
  ): Promise<Page<App>> {
    const query = this.db('apps').where({ project_id: projectId });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .select('*')
      .orderBy('app_id')
      .limit(page.limit)
      .offset(page.offset);
    return { items: rows.map(toApp), totalCount: Number(count), ...page };
  }

  async updateApp(
    projectId: string,
    appId: string,
    patch: AppPatch,
    expectedVersion?: number,
  ): Promise<App> {
    const columns: Record<string, unknown> = {};
    if (patch.name !== undefined) columns.name = patch.name;
    if (patch.description !== undefined)
      columns.description = patch.description;
    if (patch.platforms !== undefined)
      columns.platforms = json(patch.platforms);
    if (patch.androidPackage !== undefined)
      columns.android_package = patch.androidPackage;
    if (patch.iosBundleId !== undefined)
      columns.ios_bundle_id = patch.iosBundleId;
    if (patch.corsOrigins !== undefined)
      columns.cors_origins = json(patch.corsOrigins);
    if (patch.enabled !== undefined) columns.enabled = patch.enabled;
    const where: Record<string, unknown> = {
      project_id: projectId,
      app_id: appId,
    };
    if (patch.timezone !== undefined) {
      columns.timezone = patch.timezone;
    }
    await this.#conditionalUpdate(
      'apps',
      where,
      columns,
      expectedVersion,
      `app '${appId}' in project '${projectId}'`,
      // The time zone is written only while unset (or to the same value), in the same statement.
      patch.timezone !== undefined
        ? q =>
            q.where(b =>
              b.whereNull('timezone').orWhere('timezone', patch.timezone!),
            )
        : undefined,
      'its timezone is already set and cannot change',
    );
    return (await this.getApp(projectId, appId))!;
  }

  async deleteApp(projectId: string, appId: string): Promise<void> {
    const deleted = await this.db('apps')
      .where({ project_id: projectId, app_id: appId })
      .delete();
    if (deleted === 0) {
      throw new NotFoundError(
        `app '${appId}' not found in project '${projectId}'`,
      );
    }
  }

  // --- pipelines -------------------------------------------------------------

  async getPipeline(projectId: string): Promise<Pipeline | undefined> {
    const row = await this.db('pipelines')
      .where({ project_id: projectId })
      .first();
    return row ? toPipeline(row) : undefined;
  }

  async updatePipelineConfig(
    projectId: string,
    config: PipelineConfig,
    expectedVersion?: number,
  ): Promise<Pipeline> {
    await this.#conditionalUpdate(
      'pipelines',
      { project_id: projectId },
      { config: json(config) },
      expectedVersion,
      `pipeline of project '${projectId}'`,
      q => q.whereNull('operation'),
      'a lifecycle operation is running; change the configuration when it has finished',
    );
    return (await this.getPipeline(projectId))!;
  }

  async beginOperation(
    projectId: string,
    action: PipelineAction,
    allowedFrom: PipelineStatus[],
    update: PipelineStateUpdate,
    event: TransitionEvent,
  ): Promise<Pipeline> {
    return this.db.transaction(async tx => {
      const before = await pipelineRow(tx, projectId);
      const at = now();
      // The conditions make the claim atomic: of two concurrent requests, one updates the row
      // and the other sees zero rows changed.
      const claimed = await tx('pipelines')
        .where({ project_id: projectId })
        .whereNull('operation')
        .whereIn('status', allowedFrom)
        .update({
          ...stateColumns(update),
          operation: action,
          operation_started_at: at,
          operation_started_by: event.actor,
          operation_heartbeat_at: at,
          last_action: action,
          updated_at: at,
        });
      if (claimed === 0) {
        const current = await pipelineRow(tx, projectId);
        throw new ConflictError(
          current.operation
            ? `pipeline of project '${projectId}' is busy: ${current.operation} is running (${current.status})`
            : `cannot ${action.toLowerCase()} the pipeline of project '${projectId}' while it is ${
                current.status
              }`,
        );
      }
      await tx('pipeline_events').insert(
        eventRow(projectId, at, event, before.status, update.status),
      );
      return toPipeline(await pipelineRow(tx, projectId));
    });
  }

  async recordState(
    projectId: string,
    update: PipelineStateUpdate,
    event: TransitionEvent,
    options?: { finish?: boolean },
  ): Promise<Pipeline> {
    return this.db.transaction(async tx => {
      const before = await pipelineRow(tx, projectId);
      const at = now();
      await tx('pipelines')
        .where({ project_id: projectId })
        .update({
          ...stateColumns(update),
          ...(options?.finish
            ? {
                operation: null,
                operation_started_at: null,
                operation_started_by: null,
                operation_heartbeat_at: null,
              }
            : {}),
          updated_at: at,
        });
      if (before.status !== update.status || options?.finish) {
        await tx('pipeline_events').insert(
          eventRow(projectId, at, event, before.status, update.status),
        );
      }
      return toPipeline(await pipelineRow(tx, projectId));
    });
  }

  async listPipelineEvents(
    projectId: string,
    limit: number,
  ): Promise<PipelineEvent[]> {
    const rows = await this.db('pipeline_events')
      .where({ project_id: projectId })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(r => ({
      at: r.at,
      action: r.action ?? null,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      message: r.message,
      actor: r.actor,
    }));
  }

  async heartbeat(projectId: string): Promise<void> {
    await this.db('pipelines')
      .where({ project_id: projectId })
      .whereNotNull('operation')
      .update({ operation_heartbeat_at: now() });
  }

  async listInterruptedOperations(staleBefore: string): Promise<Pipeline[]> {
    const rows = await this.db('pipelines')
      .whereNotNull('operation')
      .where(q =>
        q
          .whereNull('operation_heartbeat_at')
          .orWhere('operation_heartbeat_at', '<', staleBefore),
      );
    return rows.map(toPipeline);
  }

  // ---------------------------------------------------------------------------

  /**
   * One UPDATE that also checks the expected version (and any extra condition); when no row
   * changes, finds out why and says so: 404, a stale version, or the failed condition.
   */
  async #conditionalUpdate(
    table: string,
    where: Record<string, unknown>,
    columns: Record<string, unknown>,
    expectedVersion: number | undefined,
    what: string,
    condition?: (q: Knex.QueryBuilder) => void,
    conditionMessage?: string,
  ): Promise<void> {
    const updated = await this.db(table)
      .where(where)
      .modify(q => {
        if (expectedVersion !== undefined) q.where('version', expectedVersion);
        if (condition) condition(q);
      })
      .update({
        ...columns,
        updated_at: now(),
        version: this.db.raw('version + 1'),
      });
    if (updated > 0) return;
    const current = await this.db(table).where(where).first();
    if (!current) throw new NotFoundError(`${what} not found`);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new ConflictError(
        `${what} has changed: you sent version ${expectedVersion}, the current version is ${current.version}; read it again and retry`,
      );
    }
    throw new ConflictError(`${what} cannot be updated: ${conditionMessage}`);
  }
}

/** A project's pipeline row, or a 404 when the project does not exist. */
async function pipelineRow(db: Knex, projectId: string): Promise<any> {
  const row = await db('pipelines').where({ project_id: projectId }).first();
  if (!row) throw new NotFoundError(`project '${projectId}' not found`);
  return row;
}

function applyFilter(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<ProjectFilter>,
) {
  if (isAndCriteria(criteria)) {
    query.where(q =>
      criteria.allOf.forEach(c => q.andWhere(s => applyFilter(s, c))),
    );
  } else if (isOrCriteria(criteria)) {
    query.where(q =>
      criteria.anyOf.forEach(c => q.orWhere(s => applyFilter(s, c))),
    );
  } else if (isNotCriteria(criteria)) {
    query.whereNot(q => applyFilter(q, criteria.not));
  } else {
    query.whereIn(`projects.${criteria.property}`, criteria.values);
  }
}

function stateColumns(update: PipelineStateUpdate): Record<string, unknown> {
  const columns: Record<string, unknown> = { status: update.status };
  if (update.execution !== undefined) columns.execution = update.execution;
  if (update.stacks !== undefined) columns.stacks = json(update.stacks);
  if (update.outputs !== undefined) columns.outputs = json(update.outputs);
  if (update.templateVersion !== undefined)
    columns.template_version = update.templateVersion;
  if (update.lastError !== undefined) columns.last_error = update.lastError;
  return columns;
}

function eventRow(
  projectId: string,
  at: string,
  event: TransitionEvent,
  fromStatus: PipelineStatus,
  toStatus: PipelineStatus,
) {
  return {
    project_id: projectId,
    at,
    action: event.action,
    from_status: fromStatus,
    to_status: toStatus,
    message: event.message,
    actor: event.actor,
  };
}

function toProject(row: any): Project {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    owner: row.owner,
    environment: row.environment,
    target: parse(row.target, { type: 'local' as const }),
    notificationEmails: parse(row.notification_emails, []),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

function toApp(row: any): App {
  return {
    projectId: row.project_id,
    appId: row.app_id,
    name: row.name,
    description: row.description,
    platforms: parse(row.platforms, []),
    androidPackage: row.android_package ?? null,
    iosBundleId: row.ios_bundle_id ?? null,
    timezone: row.timezone ?? null,
    corsOrigins: parse(row.cors_origins, []),
    enabled: Boolean(row.enabled),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

function toPipeline(row: any): Pipeline {
  return {
    projectId: row.project_id,
    config: parse(row.config, {} as PipelineConfig),
    status: row.status,
    lastAction: row.last_action ?? null,
    execution: row.execution ?? null,
    operation: row.operation
      ? {
          action: row.operation,
          startedAt: row.operation_started_at,
          startedBy: row.operation_started_by,
        }
      : null,
    stacks: parse(row.stacks, []),
    outputs: parse(row.outputs, { dashboards: [] }),
    templateVersion: row.template_version ?? null,
    lastError: row.last_error ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}
