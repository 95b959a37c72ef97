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
import {
  clickstreamProjectCreatePermission,
  RESOURCE_TYPE_CLICKSTREAM_PROJECT,
} from '@clickstream/backstage-plugin-clickstream-common';
import {
  clickstreamProjectConditions,
  createClickstreamProjectConditionalDecision,
} from '@clickstream/backstage-plugin-clickstream-backend';

/**
 * This instance's permission policy.
 *
 * Clickstream projects: any signed-in user may create one; its owner (the user, or a group the
 * user belongs to) may read, change, deploy and delete it; members of `clickstream.adminGroups`
 * may act on every project. Everything else in this instance is allowed to signed-in users.
 */
export class ClickstreamPermissionPolicy implements PermissionPolicy {
  constructor(private readonly adminGroups: string[]) {}

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
    if (claims.some(ref => this.adminGroups.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    return createClickstreamProjectConditionalDecision(
      permission,
      clickstreamProjectConditions.isProjectOwner({ claims }),
    );
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'clickstream-policy',
  register({ registerInit }) {
    registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const adminGroups = (
          config.getOptionalStringArray('clickstream.adminGroups') ?? []
        ).map(ref => ref.toLocaleLowerCase('en-US'));
        policy.setPolicy(new ClickstreamPermissionPolicy(adminGroups));
      },
    });
  },
});
