import {
  createExternalRouteRef,
  createRouteRef,
  createSubRouteRef,
} from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'clickstream' });

/** A project's page under the Clickstream page. */
export const projectRouteRef = createSubRouteRef({
  id: 'clickstream-project',
  parent: rootRouteRef,
  path: '/projects/:projectId',
});

/**
 * Where "Create a project" leads: bind it to the scaffolder (or a template) in the app. The new
 * frontend system binds it to the Create page unless the app says otherwise.
 */
export const createProjectRouteRef = createExternalRouteRef({
  id: 'clickstream-create-project',
  optional: true,
  defaultTarget: 'scaffolder.root',
});

/** The Dashboards tab of a project's entity page. */
export const entityDashboardsRouteRef = createRouteRef({
  id: 'clickstream-entity-dashboards',
});
