import {
  App,
  Page,
  Pipeline,
  PipelineAction,
  PipelineConfig,
  PipelineEvent,
  PipelineOutputs,
  PipelineStatus,
  Project,
  ProjectEnvironment,
  ProjectSummary,
  ProjectTargetType,
  StackState,
  ExecutionState,
} from '@clickstream/backstage-plugin-clickstream-common';
import { PermissionCriteria } from '@backstage/plugin-permission-common';

/** A permission filter on projects, produced by the owner and target rules. @public */
export type ProjectFilter = {
  property: 'owner' | 'target_type';
  values: string[];
};

export interface ProjectListOptions {
  limit: number;
  offset: number;
  owner?: string;
  target?: ProjectTargetType;
  status?: PipelineStatus;
  environment?: ProjectEnvironment;
  /** Only projects this criteria lets through (from a conditional permission decision). */
  filter?: PermissionCriteria<ProjectFilter>;
}

export type ProjectPatch = Partial<
  Pick<
    Project,
    'name' | 'description' | 'owner' | 'environment' | 'notificationEmails'
  >
>;

export type AppPatch = Partial<
  Pick<
    App,
    | 'name'
    | 'description'
    | 'platforms'
    | 'androidPackage'
    | 'iosBundleId'
    | 'timezone'
    | 'corsOrigins'
    | 'enabled'
  >
>;

/** What a transition writes to a pipeline besides its status. */
export interface PipelineStateUpdate {
  status: PipelineStatus;
  execution?: ExecutionState | null;
  stacks?: StackState[];
  outputs?: PipelineOutputs;
  templateVersion?: string | null;
  lastError?: string | null;
}

export interface TransitionEvent {
  action: PipelineAction | null;
  message: string;
  actor: string;
}

/**
 * Persistence of the control plane. Every write that the API promises to be atomic
 * (version checks, claiming a lifecycle operation) is a single conditional statement here.
 */
export interface ControlPlaneStore {
  createProject(
    project: Omit<Project, 'createdAt' | 'updatedAt' | 'version'>,
    config: PipelineConfig,
  ): Promise<Project>;
  getProject(id: string): Promise<Project | undefined>;
  getProjects(ids: string[]): Promise<Project[]>;
  listProjects(options: ProjectListOptions): Promise<Page<ProjectSummary>>;
  updateProject(
    id: string,
    patch: ProjectPatch,
    expectedVersion?: number,
  ): Promise<Project>;
  /** Deletes a project whose pipeline is not deployed and not busy. */
  deleteProject(id: string): Promise<void>;

  createApp(
    app: Omit<App, 'createdAt' | 'updatedAt' | 'version'>,
  ): Promise<App>;
  getApp(projectId: string, appId: string): Promise<App | undefined>;
  listApps(
    projectId: string,
    page: { limit: number; offset: number },
  ): Promise<Page<App>>;
  updateApp(
    projectId: string,
    appId: string,
    patch: AppPatch,
    expectedVersion?: number,
  ): Promise<App>;
  deleteApp(projectId: string, appId: string): Promise<void>;

  getPipeline(projectId: string): Promise<Pipeline | undefined>;
  updatePipelineConfig(
    projectId: string,
    config: PipelineConfig,
    expectedVersion?: number,
  ): Promise<Pipeline>;
  /**
   * Claims the pipeline for one lifecycle operation. Fails with a ConflictError when another
   * operation is in flight or the pipeline's status does not allow this one.
   */
  beginOperation(
    projectId: string,
    action: PipelineAction,
    allowedFrom: PipelineStatus[],
    update: PipelineStateUpdate,
    event: TransitionEvent,
  ): Promise<Pipeline>;
  /** Records a state change of the pipeline, ending the operation in flight when `finish` is set. */
  recordState(
    projectId: string,
    update: PipelineStateUpdate,
    event: TransitionEvent,
    options?: { finish?: boolean },
  ): Promise<Pipeline>;
  listPipelineEvents(
    projectId: string,
    limit: number,
  ): Promise<PipelineEvent[]>;
  /** Tells other instances that the operation on this pipeline is still being worked on. */
  heartbeat(projectId: string): Promise<void>;
  /** Operations in flight whose last heartbeat is older than `staleBefore` (ISO 8601). */
  listInterruptedOperations(staleBefore: string): Promise<Pipeline[]>;
}
