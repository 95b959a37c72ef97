import { NotImplementedError } from '@backstage/errors';
import { ProjectTargetType } from '@clickstream/backstage-plugin-clickstream-common';
import { PipelineDeployer } from '@clickstream/backstage-plugin-clickstream-node';

/** The deployers installed in this backend, one per target. */
export class DeployerRegistry {
  readonly #deployers = new Map<ProjectTargetType, PipelineDeployer>();

  add(deployer: PipelineDeployer) {
    if (this.#deployers.has(deployer.target)) {
      throw new Error(
        `a deployer for target '${deployer.target}' is already installed`,
      );
    }
    this.#deployers.set(deployer.target, deployer);
  }

  find(target: ProjectTargetType): PipelineDeployer | undefined {
    return this.#deployers.get(target);
  }

  get(target: ProjectTargetType): PipelineDeployer {
    const deployer = this.find(target);
    if (!deployer) {
      throw new NotImplementedError(
        `no deployer is installed for target '${target}'; install the backend module that deploys ${target} pipelines`,
      );
    }
    return deployer;
  }
}
