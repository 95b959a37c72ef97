import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PolicyDecision,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  Project,
  RESOURCE_TYPE_CLICKSTREAM_PROJECT,
} from '@clickstream/backstage-plugin-clickstream-common';
import { ProjectFilter } from '../database/ControlPlaneStore';

type ProjectPermission = ResourcePermission<
  typeof RESOURCE_TYPE_CLICKSTREAM_PROJECT
>;

/**
 * Asks the permission framework about projects and applies conditional decisions here,
 * against the project already loaded (single checks) or as a query filter (lists).
 */
export class ProjectAuthorizer {
  readonly #permissions: PermissionsService;
  readonly #authorizeConditions: (
    decision: PolicyDecision,
    project: Project,
  ) => boolean;
  readonly #toFilter: ReturnType<
    typeof createConditionTransformer<ProjectFilter>
  >;

  constructor(
    permissions: PermissionsService,
    ruleset: PermissionRuleset<Project, ProjectFilter>,
  ) {
    this.#permissions = permissions;
    this.#authorizeConditions = createConditionAuthorizer(ruleset);
    this.#toFilter = createConditionTransformer(ruleset);
  }

  async authorizeBasic(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const [decision] = await this.#permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`you are not allowed to ${permission.name}`);
    }
  }

  async authorize(
    permission: ProjectPermission,
    project: Project,
    credentials: BackstageCredentials,
    deniedMessage?: string,
  ): Promise<void> {
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    const allowed =
      decision.result === AuthorizeResult.ALLOW ||
      (decision.result === AuthorizeResult.CONDITIONAL &&
        this.#authorizeConditions(decision, project));
    if (!allowed) {
      throw new NotAllowedError(
        deniedMessage ??
          `you are not allowed to ${permission.name} on project '${project.id}'`,
      );
    }
  }

  /** The filter lists must apply; undefined means every project; null means none. */
  async listFilter(
    permission: ProjectPermission,
    credentials: BackstageCredentials,
  ): Promise<PermissionCriteria<ProjectFilter> | undefined | null> {
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return undefined;
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      return this.#toFilter(decision.conditions);
    }
    return null;
  }
}
