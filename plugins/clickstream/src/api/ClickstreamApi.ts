import { createApiRef } from '@backstage/core-plugin-api';
import {
  AccountResource,
  AccountResourceKind,
  App,
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

/** The frontend's view of the clickstream backend API. @public */
export interface ClickstreamApi {
  /** Checks that the backend is up and accepts this user's credentials. */
  getHealth(): Promise<ClickstreamHealth>;
  /** The projects the signed-in user may read, a page at a time. */
  listProjects(options?: {
    limit?: number;
    offset?: number;
  }): Promise<Page<ProjectSummary>>;
  getProject(projectId: string): Promise<Project>;
  /**
   * Changes a project's name, description, environment, notification e-mails or owner. With
   * `version` in the request, only if nobody changed the project since that version (409).
   */
  updateProject(
    projectId: string,
    request: UpdateProjectRequest,
  ): Promise<Project>;
  /** Deletes a project and its apps; its pipeline must be deleted first (409 otherwise). */
  deleteProject(projectId: string): Promise<void>;
  listApps(projectId: string): Promise<Page<App>>;
  /** Registers an app; its appId is what the SDKs send. */
  createApp(projectId: string, app: CreateAppRequest): Promise<App>;
  /** Changes an app (its origins, platforms, enabled flag, ...); `version` as for projects. */
  updateApp(
    projectId: string,
    appId: string,
    request: UpdateAppRequest,
  ): Promise<App>;
  /** Deletes an app: the collector refuses its appId from then on. */
  deleteApp(projectId: string, appId: string): Promise<void>;
  /** The pipeline's configuration, status, stacks and outputs. */
  getPipeline(projectId: string): Promise<Pipeline>;
  /** What watches the running pipeline (its alarms) and what it says now. */
  getPipelineHealth(projectId: string): Promise<PipelineHealth>;
  /**
   * What a pipeline option can point at in an `aws` project's account (its VPCs, MSK clusters,
   * Redshift workgroups and clusters, QuickSight users), for those who may change the project.
   */
  listAccountResources(
    projectId: string,
    kind: AccountResourceKind,
  ): Promise<AccountResource[]>;
  /** What a `local` project's collector and processing worker have done lately. */
  getIngestion(
    projectId: string,
    options?: { recentEvents?: number },
  ): Promise<IngestionReport>;
  /**
   * Replaces the pipeline's configuration, if nobody changed it since `version`. A deployed
   * pipeline applies it on its next deployment.
   */
  updatePipelineConfig(
    projectId: string,
    config: PipelineConfigInput,
    version: number,
  ): Promise<Pipeline>;
  /** Starts deploying (or updating) the pipeline; it runs in the background. */
  deployPipeline(projectId: string): Promise<Pipeline>;
  /** Starts moving the pipeline's stacks to the version this portal deploys (its `upgradeTo`). */
  upgradePipeline(projectId: string): Promise<Pipeline>;
  /** Runs the last failed operation again. */
  retryPipeline(projectId: string): Promise<Pipeline>;
  /** Tears the pipeline down and removes its data. */
  deletePipeline(projectId: string): Promise<Pipeline>;
  /** One dashboard sheet of an app. */
  getMetrics<S extends MetricSheet>(
    projectId: string,
    appId: string,
    sheet: S,
    query: MetricsQueryInput,
  ): Promise<MetricsResponse<S>>;
}

/** @public */
export const clickstreamApiRef = createApiRef<ClickstreamApi>({
  id: 'plugin.clickstream.service',
});
