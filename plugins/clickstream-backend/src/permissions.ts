import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  CLICKSTREAM_PLUGIN_ID,
  Project,
  RESOURCE_TYPE_CLICKSTREAM_PROJECT,
} from '@clickstream/backstage-plugin-clickstream-common';
import { z } from 'zod';
import { ProjectFilter } from './database/ControlPlaneStore';

/** The Clickstream project as a permission resource; its resource ref is the project id. @public */
export const clickstreamProjectResourceRef = createPermissionResourceRef<
  Project,
  ProjectFilter
>().with({
  pluginId: CLICKSTREAM_PLUGIN_ID,
  resourceType: RESOURCE_TYPE_CLICKSTREAM_PROJECT,
});

/** Lets through projects owned by one of the given user or group refs. @public */
export const isProjectOwner = createPermissionRule({
  name: 'IS_PROJECT_OWNER',
  description: 'Allow projects owned by one of the given users or groups',
  resourceRef: clickstreamProjectResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the user and the groups they belong to'),
  }),
  apply: (project, { claims }) => claims.includes(project.owner),
  toQuery: ({ claims }) => ({ property: 'owner', values: claims }),
});

/**
 * Lets through projects deployed to one of the given targets: a policy can keep deploying to
 * a cloud account (it spends money) to some roles, and let everyone run `local` projects.
 * @public
 */
export const isProjectTarget = createPermissionRule({
  name: 'IS_PROJECT_TARGET',
  description: 'Allow projects deployed to one of the given targets',
  resourceRef: clickstreamProjectResourceRef,
  paramsSchema: z.object({
    targets: z
      .array(z.enum(['local', 'aws']))
      .describe('Deployment targets, like local or aws'),
  }),
  apply: (project, { targets }) =>
    (targets as string[]).includes(project.target.type),
  toQuery: ({ targets }) => ({ property: 'target_type', values: targets }),
});

/** The rules of the project resource, for the permission integration. @public */
export const clickstreamProjectPermissionRules = {
  isProjectOwner,
  isProjectTarget,
};

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: clickstreamProjectResourceRef,
  rules: clickstreamProjectPermissionRules,
});

/** Condition factories for permission policies, e.g. `clickstreamProjectConditions.isProjectOwner({ claims })`. @public */
export const clickstreamProjectConditions = conditions;

/** Wraps Clickstream project conditions into a policy decision. @public */
export const createClickstreamProjectConditionalDecision =
  createConditionalDecision;
