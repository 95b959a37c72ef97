import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AccountResource,
  AccountResourceKind,
  HealthCheck,
} from '@clickstream/backstage-plugin-clickstream-common';
import {
  clickstreamDeployersExtensionPoint,
  DeploymentRequest,
  DeploymentState,
  PipelineDeployer,
} from '@clickstream/backstage-plugin-clickstream-node';

type Step = 'deploy' | 'update' | 'delete';

/**
 * A deployer for tests: each operation reports a stack in progress, then waits until the
 * test lets it finish (`complete`) or fail (`fail`), so tests can act while it runs.
 */
export class FakeDeployer implements PipelineDeployer {
  readonly calls: { step: Step; projectId: string; appIds: string[] }[] = [];
  #pending?: { resolve: (state: DeploymentState) => void; step: Step };
  #waiters: (() => void)[] = [];

  /** The version it deploys (none: a target without versions); completed stacks carry it. */
  templateVersion?: string;
  /** What `status` reads from the target; undefined reads nothing. */
  currentState?: DeploymentState;

  constructor(readonly target: 'local' | 'aws' = 'local') {}

  deploy(request: DeploymentRequest) {
    return this.#run('deploy', request, 'CREATE');
  }
  update(request: DeploymentRequest) {
    return this.#run('update', request, 'UPDATE');
  }
  delete(request: DeploymentRequest) {
    return this.#run('delete', request, 'DELETE');
  }
  async status(): Promise<DeploymentState | undefined> {
    return this.currentState;
  }
  async outputs() {
    return { dashboards: [] };
  }

  /** What `health` answers, or why it fails. */
  healthChecks: HealthCheck[] = [];
  healthError?: string;

  async health(): Promise<HealthCheck[]> {
    if (this.healthError) throw new Error(this.healthError);
    return this.healthChecks;
  }

  /** What `resources` answers for each kind; a kind left out fails as the account would. */
  accountResources: Partial<Record<AccountResourceKind, AccountResource[]>> =
    {};

  async resources(
    _request: DeploymentRequest,
    kind: AccountResourceKind,
  ): Promise<AccountResource[]> {
    const listed = this.accountResources[kind];
    if (!listed)
      throw new Error(`AccessDenied: not authorized to list ${kind}`);
    return listed;
  }

  /** The app ids of each `appsChanged` call; `appsChangedError` makes the next ones fail. */
  readonly appsHandedOver: string[][] = [];
  appsChangedError?: string;

  async appsChanged(request: DeploymentRequest): Promise<void> {
    if (this.appsChangedError) throw new Error(this.appsChangedError);
    this.appsHandedOver.push(request.apps.map(a => a.appId));
  }

  /** Resolves once an operation is waiting to be completed. */
  async started(): Promise<void> {
    if (this.#pending) return;
    await new Promise<void>(resolve => this.#waiters.push(resolve));
  }

  complete() {
    const { resolve, step } = this.#take();
    const version = this.templateVersion;
    resolve({
      execution: 'SUCCEEDED',
      stacks: [
        {
          name: 'ingestion',
          status:
            step === 'delete'
              ? 'DELETE_COMPLETE'
              : `${step === 'deploy' ? 'CREATE' : 'UPDATE'}_COMPLETE`,
          ...(version && step !== 'delete' ? { templateVersion: version } : {}),
        },
      ],
      ...(version && step !== 'delete' ? { templateVersion: version } : {}),
      outputs:
        step === 'delete'
          ? { dashboards: [] }
          : {
              endpointUrl: 'http://localhost:7007/api/clickstream/collect/shop',
              dashboards: [],
            },
    });
  }

  fail(error: string) {
    const { resolve, step } = this.#take();
    resolve({
      execution: 'FAILED',
      stacks: [
        {
          name: 'ingestion',
          status: `${step === 'deploy' ? 'CREATE' : step.toUpperCase()}_FAILED`,
        },
      ],
      outputs: { dashboards: [] },
      error,
    });
  }

  #take() {
    const pending = this.#pending;
    if (!pending) throw new Error('no operation is running');
    this.#pending = undefined;
    return pending;
  }

  async #run(step: Step, request: DeploymentRequest, verb: string) {
    this.calls.push({
      step,
      projectId: request.project.id,
      appIds: request.apps.map(a => a.appId),
    });
    await request.progress({
      stacks: [{ name: 'ingestion', status: `${verb}_IN_PROGRESS` }],
    });
    return new Promise<DeploymentState>(resolve => {
      this.#pending = { resolve, step };
      this.#waiters.splice(0).forEach(w => w());
    });
  }
}

/** Installs a deployer into the clickstream plugin of a test backend. */
export function deployerModule(deployer: PipelineDeployer) {
  return createBackendModule({
    pluginId: 'clickstream',
    moduleId: `test-deployer-${deployer.target}`,
    register(env) {
      env.registerInit({
        deps: { deployers: clickstreamDeployersExtensionPoint },
        async init({ deployers }) {
          deployers.addDeployer(deployer);
        },
      });
    },
  });
}
