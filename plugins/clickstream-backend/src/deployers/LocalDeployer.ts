import {
  DeploymentRequest,
  DeploymentState,
  PipelineDeployer,
} from '@clickstream/backstage-plugin-clickstream-node';
import {
  HealthCheck,
  PIPELINE_MODULES,
} from '@clickstream/backstage-plugin-clickstream-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ControlPlaneStore } from '../database/ControlPlaneStore';
import { LocalIngestion } from '../ingestion/LocalIngestion';
import { LocalProcessing } from '../processing/LocalProcessing';
import { localHealthChecks } from './localHealth';
import { PipelineService } from '../service/PipelineService';

/**
 * Deploys `local` pipelines inside this backend. Each pipeline module it runs is reported as a
 * "stack", so status derivation is the same as on AWS: ingestion (a collector at
 * `/api/clickstream/collect/<projectId>`), buffer (its durable segment log), processing and
 * modeling (a worker loading the buffer into the project's DuckDB file) and reporting (the
 * analytics API).
 */
export class LocalDeployer implements PipelineDeployer {
  readonly target = 'local' as const;
  /** The stack status each running project reached last (CREATE_ or UPDATE_COMPLETE). */
  readonly #reached = new Map<string, string>();

  constructor(
    private readonly ingestion: LocalIngestion,
    private readonly processing: LocalProcessing,
    private readonly baseUrl: string,
  ) {}

  async #start(projectId: string) {
    await this.ingestion.start(projectId);
    await this.processing.start(projectId);
  }

  /** Starts a deployed pipeline again (after a restart of the backend). */
  async resume(projectId: string): Promise<void> {
    await this.#start(projectId);
  }

  async deploy(request: DeploymentRequest): Promise<DeploymentState> {
    await this.#start(request.project.id);
    this.#reached.set(request.project.id, 'CREATE_COMPLETE');
    return this.#state(request, 'CREATE_COMPLETE');
  }

  async update(request: DeploymentRequest): Promise<DeploymentState> {
    await this.#start(request.project.id);
    this.#reached.set(request.project.id, 'UPDATE_COMPLETE');
    return this.#state(request, 'UPDATE_COMPLETE');
  }

  async delete(request: DeploymentRequest): Promise<DeploymentState> {
    await this.processing.stop(request.project.id);
    await this.ingestion.stop(request.project.id, { removeData: true });
    this.#reached.delete(request.project.id);
    return {
      execution: 'SUCCEEDED',
      stacks: PIPELINE_MODULES.map(name => ({
        name,
        status: 'DELETE_COMPLETE',
      })),
      outputs: { dashboards: [] },
    };
  }

  async status(
    request: DeploymentRequest,
  ): Promise<DeploymentState | undefined> {
    // While part of it is not running as deployed, the pipeline keeps the Warning it was given.
    if (
      !this.ingestion.isRunning(request.project.id) ||
      !this.processing.isHealthy(request.project.id)
    ) {
      return undefined;
    }
    return this.#state(
      request,
      this.#reached.get(request.project.id) ?? 'CREATE_COMPLETE',
    );
  }

  async health(request: DeploymentRequest): Promise<HealthCheck[]> {
    const projectId = request.project.id;
    return localHealthChecks({
      ...(await this.ingestion.report(projectId, 0)),
      processing: await this.processing.report(projectId),
    });
  }

  async outputs(request: DeploymentRequest) {
    return {
      endpointUrl: this.endpointUrl(request.project.id),
      dashboards: [],
    };
  }

  endpointUrl(projectId: string) {
    return `${this.baseUrl}/api/clickstream/collect/${projectId}`;
  }

  #state(request: DeploymentRequest, status: string): DeploymentState {
    return {
      execution: 'SUCCEEDED',
      stacks: PIPELINE_MODULES.map(name => ({ name, status })),
      outputs: {
        endpointUrl: this.endpointUrl(request.project.id),
        dashboards: [],
      },
    };
  }
}

/**
 * Starts every deployed `local` pipeline again after a restart, each on its own: one that
 * cannot start (its warehouse file damaged, its disk unreadable) is marked Warning with the
 * reason, and the others run. Retrying the pipeline from the portal starts it again.
 */
export async function resumeLocalPipelines(options: {
  store: ControlPlaneStore;
  deployer: Pick<LocalDeployer, 'resume'>;
  pipelines: Pick<PipelineService, 'markWarning'>;
  logger: LoggerService;
}): Promise<void> {
  const { store, deployer, pipelines, logger } = options;
  for (const status of ['Active', 'Warning'] as const) {
    const deployed = await store.listProjects({
      target: 'local',
      status,
      limit: 10_000,
      offset: 0,
    });
    for (const project of deployed.items) {
      try {
        await deployer.resume(project.id);
      } catch (e) {
        logger.error('Could not resume a local pipeline', {
          projectId: project.id,
          error: String(e),
        });
        await pipelines.markWarning(
          project.id,
          `the embedded pipeline could not start: ${(e as Error).message}`,
        );
      }
    }
  }
}
