import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { Config } from '@backstage/config';
import {
  clickstreamAnalyticsReadPermission,
  clickstreamPipelineDeployPermission,
  clickstreamProjectCreatePermission,
  clickstreamProjectReadPermission,
  RESOURCE_TYPE_CLICKSTREAM_PROJECT,
} from '@clickstream/backstage-plugin-clickstream-common';
import {
  clickstreamProjectConditions,
  createClickstreamProjectConditionalDecision,
} from '@clickstream/backstage-plugin-clickstream-backend';

/** Groups (entity refs) in each role, from `clickstream.roles`. */
export interface ClickstreamRoles {
  /** Every action on every project. */
  admin: string[];
  /** Owners who may also deploy to a cloud account (`aws` targets): it spends money. */
  operator: string[];
  /** Read every project and its dashboards. */
  analyst: string[];
  /** Read every project's dashboards. */
  reader: string[];
}

/**
 * This instance's permission policy, with the reference solution's roles as groups.
 *
 * Clickstream projects: any signed-in user may create one; its owner (the user, or a group the
 * user belongs to) may read, change and delete it, and deploy it when it runs embedded
 * (`local`). Deploying an `aws` project also takes the operator role. Analysts and readers
 * read every project and its dashboards; admins act on every project. Everything else in this
 * instance is allowed to signed-in users.
 */
export class ClickstreamPermissionPolicy implements PermissionPolicy {
  constructor(private readonly roles: ClickstreamRoles) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!isResourcePermission(permission, RESOURCE_TYPE_CLICKSTREAM_PROJECT)) {
      if (isPermission(permission, clickstreamProjectCreatePermission)) {
        return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
      }
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user?.info.ownershipEntityRefs ?? [];
    const has = (role: keyof ClickstreamRoles) =>
      claims.some(ref => this.roles[role].includes(ref));
    if (has('admin')) return { result: AuthorizeResult.ALLOW };
    const reads =
      isPermission(permission, clickstreamProjectReadPermission) ||
      isPermission(permission, clickstreamAnalyticsReadPermission);
    if (reads && (has('analyst') || has('reader'))) {
      return { result: AuthorizeResult.ALLOW };
    }
    const owner = clickstreamProjectConditions.isProjectOwner({ claims });
    if (
      isPermission(permission, clickstreamPipelineDeployPermission) &&
      !has('operator')
    ) {
      return createClickstreamProjectConditionalDecision(permission, {
        allOf: [
          owner,
          clickstreamProjectConditions.isProjectTarget({ targets: ['local'] }),
        ],
      });
    }
    return createClickstreamProjectConditionalDecision(permission, owner);
  }
}

/** The roles from config: `clickstream.roles`, and `clickstream.adminGroups` as admins. */
export function readClickstreamRoles(config: Config): ClickstreamRoles {
  const groups = (key: string) =>
    (config.getOptionalStringArray(key) ?? []).map(ref =>
      ref.toLocaleLowerCase('en-US'),
    );
  return {
    admin: [
      ...groups('clickstream.adminGroups'),
      ...groups('clickstream.roles.admin'),
    ],
    operator: groups('clickstream.roles.operator'),
    analyst: groups('clickstream.roles.analyst'),
    reader: groups('clickstream.roles.reader'),
  };
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'clickstream-policy',
  register({ registerInit }) {
    registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new ClickstreamPermissionPolicy(readClickstreamRoles(config)),
        );
      },
    });
  },
});
