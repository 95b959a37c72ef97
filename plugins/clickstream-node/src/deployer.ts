import {
  createExtensionPoint,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  AccountResource,
  AccountResourceKind,
  App,
  ExecutionState,
  HealthCheck,
  PipelineConfig,
  PipelineOutputs,
  Project,
  ProjectTargetType,
  StackState,
} from '@clickstream/backstage-plugin-clickstream-common';
import { QueryRunner } from './QueryRunner';

/** What a deployer is given for one project. @public */
export interface DeploymentRequest {
  project: Project;
  apps: App[];
  config: PipelineConfig;
  logger: LoggerService;
  /** Reports intermediate state (stacks in progress); the control plane records each report. */
  progress(state: Partial<DeploymentState>): Promise<void>;
}

/**
 * The state of a deployment as its target sees it: for AWS, the CloudFormation stacks;
 * for the embedded runtime, its components.
 * @public
 */
export interface DeploymentState {
  execution: ExecutionState;
  stacks: StackState[];
  outputs: PipelineOutputs;
  /** The version the stacks run (the lowest, when an upgrade left them on several). */
  templateVersion?: string;
  /** Why the execution failed, in words a user can act on. */
  error?: string;
}

/**
 * Deploys pipelines for one target. Every method reports state; failures that the user should
 * see are returned as `execution: 'FAILED'` with an `error`, not thrown.
 * @public
 */
export interface PipelineDeployer {
  readonly target: ProjectTargetType;
  /**
   * The version of what this deployer deploys now, for a target whose running pipeline stays
   * on the version that deployed it (the AWS stacks) until it is upgraded. A pipeline whose
   * stacks carry another version shows Warning with an upgrade available.
   */
  readonly templateVersion?: string;
  deploy(request: DeploymentRequest): Promise<DeploymentState>;
  update(request: DeploymentRequest): Promise<DeploymentState>;
  delete(request: DeploymentRequest): Promise<DeploymentState>;
  /** The current state, read from the target (undefined when nothing is deployed). */
  status(request: DeploymentRequest): Promise<DeploymentState | undefined>;
  outputs(request: DeploymentRequest): Promise<PipelineOutputs>;
  /**
   * Where the analytics API reads a deployed project's metrics, for a target whose warehouse
   * lives outside the backend (Redshift on AWS).
   */
  warehouse?(request: DeploymentRequest): Promise<QueryRunner>;
  /**
   * Hands a running pipeline its project's apps after one was registered, changed or deleted,
   * for a target whose runtime reads them from somewhere the control plane writes (the SSM
   * parameter of the AWS target's app registry), so apps go live without a redeployment.
   */
  appsChanged?(request: DeploymentRequest): Promise<void>;
  /** What watches a running pipeline and what it says now (its alarms, on AWS). */
  health?(request: DeploymentRequest): Promise<HealthCheck[]>;
  /**
   * Lists what a pipeline option can point at in the project's account (its VPCs, say), read
   * with the backend's credentials for that account, for the guided form's pickers.
   */
  resources?(
    request: DeploymentRequest,
    kind: AccountResourceKind,
  ): Promise<AccountResource[]>;
}

/** Lets backend modules add deployers to the clickstream plugin. @public */
export interface ClickstreamDeployersExtensionPoint {
  addDeployer(deployer: PipelineDeployer): void;
}

/** @public */
export const clickstreamDeployersExtensionPoint =
  createExtensionPoint<ClickstreamDeployersExtensionPoint>({
    id: 'clickstream.deployers',
  });
