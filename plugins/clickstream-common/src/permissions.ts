import { createPermission } from '@backstage/plugin-permission-common';

/** The permission resource type of a Clickstream project (its resource ref is the project id). @public */
export const RESOURCE_TYPE_CLICKSTREAM_PROJECT = 'clickstream-project';

/** Create a project. Not tied to a resource: the project does not exist yet. @public */
export const clickstreamProjectCreatePermission = createPermission({
  name: 'clickstream.project.create',
  attributes: { action: 'create' },
});

/** Read a project, its apps, its pipeline configuration and status. @public */
export const clickstreamProjectReadPermission = createPermission({
  name: 'clickstream.project.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLICKSTREAM_PROJECT,
});

/** Change a project, its apps and its pipeline configuration. @public */
export const clickstreamProjectUpdatePermission = createPermission({
  name: 'clickstream.project.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLICKSTREAM_PROJECT,
});

/** Delete a project or one of its apps. @public */
export const clickstreamProjectDeletePermission = createPermission({
  name: 'clickstream.project.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CLICKSTREAM_PROJECT,
});

/** Deploy, retry or tear down a project's pipeline: it creates or removes infrastructure. @public */
export const clickstreamPipelineDeployPermission = createPermission({
  name: 'clickstream.pipeline.deploy',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLICKSTREAM_PROJECT,
});

/** Read a project's analytics (dashboards, explorations). @public */
export const clickstreamAnalyticsReadPermission = createPermission({
  name: 'clickstream.analytics.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLICKSTREAM_PROJECT,
});

/** Every Clickstream permission. @public */
export const clickstreamPermissions = [
  clickstreamProjectCreatePermission,
  clickstreamProjectReadPermission,
  clickstreamProjectUpdatePermission,
  clickstreamProjectDeletePermission,
  clickstreamPipelineDeployPermission,
  clickstreamAnalyticsReadPermission,
];
