import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  App,
  CreateAppRequest,
  CreateProjectRequest,
  Pipeline,
  PipelineConfigInput,
  PipelineStatusReport,
  Project,
  ProjectSummary,
} from '@clickstream/backstage-plugin-clickstream-common';
import { DefaultClickstreamService } from './DefaultClickstreamService';

/** Whose permissions a call runs with: a user's (through a template) or a plugin's own. @public */
export interface ClickstreamRequestOptions {
  credentials: BackstageCredentials;
}

/**
 * The clickstream backend's API, for other backend plugins and modules (the scaffolder
 * actions, the catalog provider). Each call carries the caller's credentials, so the
 * clickstream plugin's permission policy decides as it does for the user. Failures are the
 * `@backstage/errors` class of the API's status, with the API's message.
 * @public
 */
export interface ClickstreamService {
  /** Every project the credentials may see, all pages read. */
  listProjects(options: ClickstreamRequestOptions): Promise<ProjectSummary[]>;
  createProject(
    request: CreateProjectRequest,
    options: ClickstreamRequestOptions,
  ): Promise<Project>;
  createApp(
    projectId: string,
    request: CreateAppRequest,
    options: ClickstreamRequestOptions,
  ): Promise<App>;
  updatePipelineConfig(
    projectId: string,
    config: PipelineConfigInput,
    options: ClickstreamRequestOptions,
  ): Promise<Pipeline>;
  /** Starts a deployment; the answer is the pipeline as it was accepted (202). */
  deployPipeline(
    projectId: string,
    options: ClickstreamRequestOptions,
  ): Promise<Pipeline>;
  /**
   * Starts moving a deployed pipeline's stacks to the version this portal deploys (the
   * pipeline's `upgradeTo`); the answer is the pipeline as it was accepted (202).
   */
  upgradePipeline(
    projectId: string,
    options: ClickstreamRequestOptions,
  ): Promise<Pipeline>;
  /** The pipeline's status, refreshed from its target. */
  getPipelineStatus(
    projectId: string,
    options: ClickstreamRequestOptions,
  ): Promise<PipelineStatusReport>;
}

/**
 * The clickstream API client as a service: by default it finds the clickstream backend
 * through discovery and calls it with plugin request tokens.
 * @public
 */
export const clickstreamServiceRef = createServiceRef<ClickstreamService>({
  id: 'clickstream.client',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      factory: ({ discovery, auth }) =>
        new DefaultClickstreamService({ discovery, auth }),
    }),
});
