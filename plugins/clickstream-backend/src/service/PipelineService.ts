import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AccountResource,
  ACCOUNT_RESOURCE_KINDS,
  clickstreamPipelineDeployPermission,
  clickstreamProjectUpdatePermission,
  derivePipelineStatus,
  isPipelineReadable,
  isPipelineRunning,
  Pipeline,
  PipelineAction,
  PipelineConfig,
  pipelineConfigIssues,
  PipelineEvent,
  PipelineHealth,
  PipelineStatus,
  Project,
  isAccountResourceKind,
} from '@clickstream/backstage-plugin-clickstream-common';
import {
  DeploymentRequest,
  DeploymentState,
  PipelineDeployer,
  QueryRunner,
} from '@clickstream/backstage-plugin-clickstream-node';
import { ControlPlaneStore } from '../database/ControlPlaneStore';
import { DeployerRegistry } from '../deployers/DeployerRegistry';
import { ProjectsService } from './ProjectsService';
import { principalOf } from './principal';

/** Which statuses each lifecycle action may start from. */
const STARTS_FROM: Record<'Create' | 'Update' | 'Delete', PipelineStatus[]> = {
  Create: ['NotDeployed', 'Deleted'],
  Update: ['Active', 'Warning'],
  Delete: ['Active', 'Warning', 'Failed'],
};
/** How long an account listing for the form's pickers is reused. */
const RESOURCES_TTL_MS = 30_000;
/** How often a running operation says it is alive, and when silence means its instance is gone. */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 60_000;

const IN_PROGRESS: Record<PipelineAction, PipelineStatus> = {
  Create: 'Creating',
  Update: 'Updating',
  Upgrade: 'Updating',
  Delete: 'Deleting',
};

/**
 * A project's pipeline: its configuration, and the lifecycle operations that the installed
 * deployer carries out in the background, one at a time, each transition recorded.
 */
export class PipelineService {
  readonly #running = new Set<Promise<void>>();
  /** Account listings by project and kind, for RESOURCES_TTL_MS. */
  readonly #resources = new Map<
    string,
    { at: number; items: Promise<AccountResource[]> }
  >();

  constructor(
    private readonly store: ControlPlaneStore,
    private readonly projects: ProjectsService,
    private readonly deployers: DeployerRegistry,
    private readonly logger: LoggerService,
  ) {
    projects.onAppsChanged(projectId =>
      this.#publishApps(projectId).catch(e =>
        this.logger.error('Could not hand the apps to the pipeline', {
          projectId,
          error: String(e),
        }),
      ),
    );
  }

  /**
   * Hands a running pipeline its apps after a change, where its target reads them at run time
   * (the AWS app registry). The change is saved either way: when the pipeline cannot take it
   * now, it turns Warning saying so, and the next update carries it.
   */
  async #publishApps(projectId: string): Promise<void> {
    const project = await this.store.getProject(projectId);
    const pipeline = await this.store.getPipeline(projectId);
    if (!project || !pipeline) return;
    const deployer = this.deployers.find(project.target.type);
    // Only while it runs: before its stacks exist, the deployment writes the apps itself.
    if (!deployer?.appsChanged || !isPipelineRunning(pipeline.status)) return;
    try {
      const apps = (
        await this.store.listApps(projectId, { limit: 10_000, offset: 0 })
      ).items;
      await deployer.appsChanged(this.#request(project, pipeline, apps));
    } catch (e) {
      // Warning with why: an update (or a retry) deploys the apps with the stacks.
      await this.markWarning(
        projectId,
        `the running pipeline did not get the latest app change (${
          e instanceof Error ? e.message : String(e)
        }); update the pipeline to apply it`,
      );
    }
  }

  async getPipeline(projectId: string, credentials: BackstageCredentials) {
    const project = await this.projects.getProject(projectId, credentials);
    return this.#withUpgrade(
      project,
      (await this.store.getPipeline(projectId))!,
    );
  }

  /** The pipeline, saying which version an upgrade would bring when there is one. */
  #withUpgrade(project: Project, pipeline: Pipeline): Pipeline {
    return {
      ...pipeline,
      upgradeTo: upgradeTarget(
        pipeline,
        this.deployers.find(project.target.type),
      ),
    };
  }

  async updateConfig(
    projectId: string,
    config: PipelineConfig,
    expectedVersion: number | undefined,
    credentials: BackstageCredentials,
  ): Promise<Pipeline> {
    const project = await this.projects.getProject(
      projectId,
      credentials,
      clickstreamProjectUpdatePermission,
    );
    assertFits(config, project);
    return this.store.updatePipelineConfig(projectId, config, expectedVersion);
  }

  /** Creates the pipeline, or applies its configuration when it is deployed already. */
  async deploy(projectId: string, credentials: BackstageCredentials) {
    const { project, pipeline, deployer } = await this.#prepare(
      projectId,
      credentials,
    );
    assertFits(pipeline.config, project);
    if (pipeline.status === 'Failed' && !pipeline.operation) {
      throw new ConflictError(
        `the last ${
          pipeline.lastAction ?? 'operation'
        } of project '${projectId}' failed: retry it (POST .../pipeline/retry) or delete the pipeline`,
      );
    }
    const action: PipelineAction = STARTS_FROM.Create.includes(pipeline.status)
      ? 'Create'
      : 'Update';
    const upgradeTo = upgradeTarget(pipeline, deployer);
    if (action === 'Update' && upgradeTo) {
      // An update deploys this portal's templates, so it would upgrade as a side effect.
      throw new ConflictError(
        `the pipeline of project '${projectId}' runs version ${pipeline.templateVersion} and this portal deploys ${upgradeTo}: upgrade it first (POST .../pipeline/upgrade), then update`,
      );
    }
    return this.#start(
      project,
      deployer,
      action,
      STARTS_FROM[action],
      credentials,
    );
  }

  /** Runs the last action again after it failed. */
  async retry(projectId: string, credentials: BackstageCredentials) {
    const { project, pipeline, deployer } = await this.#prepare(
      projectId,
      credentials,
    );
    if (
      !pipeline.lastAction ||
      !['Failed', 'Warning'].includes(pipeline.status)
    ) {
      throw new ConflictError(
        `nothing to retry: the pipeline of project '${projectId}' is ${pipeline.status}`,
      );
    }
    return this.#start(
      project,
      deployer,
      pipeline.lastAction,
      ['Failed', 'Warning'],
      credentials,
    );
  }

  /**
   * Moves a deployed pipeline's stacks to the version this portal deploys, with the current
   * configuration. A failed upgrade leaves it Warning (the old stacks keep serving) and a
   * retry runs the upgrade again.
   */
  async upgrade(projectId: string, credentials: BackstageCredentials) {
    const { project, pipeline, deployer } = await this.#prepare(
      projectId,
      credentials,
    );
    assertFits(pipeline.config, project);
    if (!upgradeTarget(pipeline, deployer)) {
      throw new ConflictError(
        deployer.templateVersion && pipeline.templateVersion
          ? `the pipeline of project '${projectId}' already runs version ${pipeline.templateVersion}`
          : `nothing to upgrade: the pipeline of project '${projectId}' is ${
              pipeline.status
            }${
              deployer.templateVersion
                ? ''
                : ` and '${project.target.type}' pipelines run the installed version`
            }`,
      );
    }
    return this.#start(
      project,
      deployer,
      'Upgrade',
      STARTS_FROM.Update,
      credentials,
    );
  }

  /** Tears the deployed pipeline down; the project and its configuration stay. */
  async delete(projectId: string, credentials: BackstageCredentials) {
    const { project, deployer } = await this.#prepare(projectId, credentials);
    return this.#start(
      project,
      deployer,
      'Delete',
      STARTS_FROM.Delete,
      credentials,
    );
  }

  /**
   * Marks a deployed pipeline Warning with why: a part of it stopped or could not start. It
   * never throws; when even that cannot be recorded, the failure is logged.
   */
  async markWarning(projectId: string, lastError: string): Promise<void> {
    await this.store
      .recordState(
        projectId,
        { status: 'Warning', lastError },
        { action: null, message: lastError, actor: 'clickstream' },
      )
      .catch(e =>
        this.logger.error('Could not record a pipeline warning', {
          projectId,
          lastError,
          error: String(e),
        }),
      );
  }

  /** The pipeline's status, refreshed from its target when nothing is in flight. */
  async status(projectId: string, credentials: BackstageCredentials) {
    const project = await this.projects.getProject(projectId, credentials);
    let pipeline = (await this.store.getPipeline(projectId))!;
    const deployer = this.deployers.find(project.target.type);
    if (deployer && !pipeline.operation && pipeline.status !== 'NotDeployed') {
      const state = await deployer.status(this.#request(project, pipeline, []));
      if (state) {
        const status = derive(
          pipeline.lastAction,
          state,
          deployer.templateVersion,
        );
        if (
          status !== pipeline.status ||
          JSON.stringify(state.stacks) !== JSON.stringify(pipeline.stacks)
        ) {
          pipeline = await this.store.recordState(
            projectId,
            stateUpdate(status, state),
            {
              action: pipeline.lastAction,
              message: `status refreshed: ${status}`,
              actor: 'clickstream',
            },
          );
        }
      }
    }
    return this.#withUpgrade(project, pipeline);
  }

  /**
   * The warehouse a deployed project's metrics are read from, when its target keeps one
   * outside the backend; a ConflictError says why there is none to read yet.
   */
  async warehouse(
    project: Project,
    credentials: BackstageCredentials,
  ): Promise<QueryRunner> {
    const deployer = this.deployers.find(project.target.type);
    if (!deployer?.warehouse) {
      throw new ConflictError(
        `metrics of '${project.target.type}' projects are read from their warehouse, and no installed deployer serves that target`,
      );
    }
    const pipeline = await this.status(project.id, credentials);
    if (!isPipelineReadable(pipeline.status)) {
      throw new ConflictError(
        `the pipeline of project '${project.id}' is ${pipeline.status}; metrics are read once it is deployed`,
      );
    }
    return deployer.warehouse(this.#request(project, pipeline, []));
  }

  /**
   * What watches the running pipeline and what it says now: nothing before it runs, and a 503
   * that says why when the target cannot be asked (the account's alarms unreadable, say).
   */
  async health(
    projectId: string,
    credentials: BackstageCredentials,
  ): Promise<PipelineHealth> {
    const project = await this.projects.getProject(projectId, credentials);
    const pipeline = (await this.store.getPipeline(projectId))!;
    const deployer = this.deployers.find(project.target.type);
    if (!deployer?.health || !isPipelineRunning(pipeline.status)) {
      return { checks: [] };
    }
    try {
      const apps: DeploymentRequest['apps'] = [];
      return {
        checks: await deployer.health(this.#request(project, pipeline, apps)),
      };
    } catch (e) {
      throw new ServiceUnavailableError(
        `the health of the pipeline of '${projectId}' cannot be read now: ${
          e instanceof Error ? e.message : String(e)
        }`,
      );
    }
  }

  /**
   * What a pipeline option can point at in the project's account, for the guided form: only
   * for those who may change the project, since it reads the account with the backend's
   * credentials. A 503 says why when the account cannot be read.
   */
  async resources(
    projectId: string,
    kind: string,
    credentials: BackstageCredentials,
  ): Promise<AccountResource[]> {
    if (!isAccountResourceKind(kind)) {
      throw new InputError(
        `'${kind}' is not a kind of account resource; one of ${ACCOUNT_RESOURCE_KINDS.join(
          ', ',
        )}`,
      );
    }
    const project = await this.projects.getProject(
      projectId,
      credentials,
      clickstreamProjectUpdatePermission,
    );
    const deployer = this.deployers.find(project.target.type);
    if (!deployer?.resources) {
      throw new ConflictError(
        `project '${projectId}' runs on the '${project.target.type}' target, which has no cloud account to list`,
      );
    }
    // One listing per project and kind at a time, reused for a while: opening forms, or a
    // client calling in a loop, cannot spend the account's API rate the deployments need.
    const key = `${projectId}\u0000${kind}`;
    const cached = this.#resources.get(key);
    if (cached && Date.now() - cached.at < RESOURCES_TTL_MS)
      return cached.items;
    const pipeline = (await this.store.getPipeline(projectId))!;
    const items = deployer
      .resources(this.#request(project, pipeline, []), kind)
      .catch(e => {
        this.#resources.delete(key);
        throw new ServiceUnavailableError(
          `the ${kind} of the account of '${projectId}' cannot be read now: ${
            e instanceof Error ? e.message : String(e)
          }`,
        );
      });
    this.#resources.set(key, { at: Date.now(), items });
    return items;
  }

  async events(
    projectId: string,
    credentials: BackstageCredentials,
  ): Promise<PipelineEvent[]> {
    await this.projects.getProject(projectId, credentials);
    return this.store.listPipelineEvents(projectId, 100);
  }

  /**
   * Marks operations left behind by a stopped backend instance as aborted, so they can be
   * retried. An instance running an operation renews its heartbeat every HEARTBEAT_MS;
   * one silent for STALE_AFTER_MS is gone. Safe with several instances sharing a database.
   */
  async recoverInterrupted(): Promise<void> {
    const staleBefore = new Date(Date.now() - STALE_AFTER_MS).toISOString();
    for (const pipeline of await this.store.listInterruptedOperations(
      staleBefore,
    )) {
      const action = pipeline.operation!.action;
      const error = `the backend instance running ${action} stopped; retry it`;
      await this.store.recordState(
        pipeline.projectId,
        {
          status: derive(action, {
            execution: 'ABORTED',
            stacks: pipeline.stacks,
          }),
          execution: 'ABORTED',
          lastError: error,
        },
        { action, message: error, actor: 'clickstream' },
        { finish: true },
      );
      this.logger.warn('Marked an interrupted pipeline operation as aborted', {
        projectId: pipeline.projectId,
        action,
      });
    }
  }

  /**
   * Resolves when every operation started so far has finished, or after `timeoutMs`
   * (an operation still running then is recovered later through its heartbeat).
   */
  async idle(timeoutMs = Infinity): Promise<void> {
    const all = (async () => {
      while (this.#running.size > 0) await Promise.all(this.#running);
    })();
    if (timeoutMs === Infinity) {
      await all;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      all,
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  async #prepare(projectId: string, credentials: BackstageCredentials) {
    const project = await this.projects.getProject(
      projectId,
      credentials,
      clickstreamPipelineDeployPermission,
    );
    const deployer = this.deployers.get(project.target.type);
    const pipeline = (await this.store.getPipeline(projectId))!;
    return { project, pipeline, deployer };
  }

  async #start(
    project: Project,
    deployer: PipelineDeployer,
    action: PipelineAction,
    allowedFrom: PipelineStatus[],
    credentials: BackstageCredentials,
  ): Promise<Pipeline> {
    const actor = principalOf(credentials);
    const claimed = await this.store.beginOperation(
      project.id,
      action,
      allowedFrom,
      { status: IN_PROGRESS[action], execution: 'RUNNING', lastError: null },
      { action, message: `${action} started`, actor },
    );
    this.logger.info('Started pipeline operation', {
      projectId: project.id,
      action,
      actor,
    });
    const run = this.#run(project, claimed, deployer, action, actor).finally(
      () => this.#running.delete(run),
    );
    this.#running.add(run);
    return claimed;
  }

  async #run(
    project: Project,
    pipeline: Pipeline,
    deployer: PipelineDeployer,
    action: PipelineAction,
    actor: string,
  ): Promise<void> {
    let state: DeploymentState;
    const heartbeat = setInterval(() => {
      this.store.heartbeat(project.id).catch(e =>
        this.logger.warn('Could not renew an operation heartbeat', {
          projectId: project.id,
          error: String(e),
        }),
      );
    }, HEARTBEAT_MS);
    try {
      const apps = (
        await this.store.listApps(project.id, { limit: 10_000, offset: 0 })
      ).items;
      const request = this.#request(project, pipeline, apps, action);
      if (action === 'Create') state = await deployer.deploy(request);
      else if (action === 'Delete') state = await deployer.delete(request);
      else state = await deployer.update(request);
    } catch (e) {
      // A deployer that throws has failed the run; the reason is kept for the user.
      state = {
        execution: 'FAILED',
        stacks: pipeline.stacks,
        outputs: pipeline.outputs,
        error: e instanceof Error ? e.message : String(e),
      };
    } finally {
      clearInterval(heartbeat);
    }
    const status = derive(action, state, deployer.templateVersion);
    try {
      await this.store.recordState(
        project.id,
        stateUpdate(status, state),
        {
          action,
          message: state.error ?? `${action} finished: ${status}`,
          actor,
        },
        { finish: true },
      );
      this.logger.info('Finished pipeline operation', {
        projectId: project.id,
        action,
        status,
      });
    } catch (e) {
      this.logger.error('Could not record the end of a pipeline operation', {
        projectId: project.id,
        action,
        error: String(e),
      });
    }
    // An app changed while the stacks deployed is not in what they were built with.
    if (action !== 'Delete') {
      await this.#publishApps(project.id).catch(e =>
        this.logger.error('Could not hand the apps to the pipeline', {
          projectId: project.id,
          error: String(e),
        }),
      );
    }
  }

  #request(
    project: Project,
    pipeline: Pipeline,
    apps: DeploymentRequest['apps'],
    action?: PipelineAction,
  ): DeploymentRequest {
    const logger = this.logger.child({ projectId: project.id });
    return {
      project,
      apps,
      config: pipeline.config,
      logger,
      progress: async partial => {
        if (!action) return;
        const state: DeploymentState = {
          execution: 'RUNNING',
          stacks: pipeline.stacks,
          outputs: pipeline.outputs,
          ...partial,
        };
        await this.store.recordState(
          project.id,
          stateUpdate(derive(action, state), state),
          { action, message: 'progress', actor: 'clickstream' },
        );
      },
    };
  }
}

/**
 * The status of a deployment's state. Stacks on another version than `expectedVersion` (what
 * the deployer deploys now) make a healthy pipeline Warning, as the reference solution does.
 */
function derive(
  lastAction: PipelineAction | null,
  state: Pick<DeploymentState, 'execution' | 'stacks'>,
  expectedVersion?: string,
): PipelineStatus {
  return derivePipelineStatus({
    lastAction: lastAction ?? undefined,
    execution: state.execution,
    stacks: state.stacks,
    templateVersion: expectedVersion,
  });
}

/**
 * The version an upgrade would bring: the deployer's, when the deployed pipeline's stacks run
 * another one; null for a target without versions, or stacks without one.
 */
function upgradeTarget(
  pipeline: Pipeline,
  deployer: PipelineDeployer | undefined,
): string | null {
  const deployed = !['NotDeployed', 'Deleted', 'Creating'].includes(
    pipeline.status,
  );
  return deployed &&
    deployer?.templateVersion &&
    pipeline.templateVersion &&
    pipeline.templateVersion !== deployer.templateVersion
    ? deployer.templateVersion
    : null;
}

function stateUpdate(status: PipelineStatus, state: DeploymentState) {
  return {
    status,
    execution: state.execution,
    stacks: state.stacks,
    outputs: state.outputs,
    templateVersion: state.templateVersion ?? null,
    lastError: state.error ?? null,
  };
}

function assertFits(config: PipelineConfig, project: Project) {
  const issues = pipelineConfigIssues(config, project.target.type);
  if (issues.length > 0) {
    throw new InputError(
      `invalid pipeline configuration: ${issues.join('; ')}`,
    );
  }
}
