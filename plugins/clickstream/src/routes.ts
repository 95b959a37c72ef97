import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'clickstream' });

/** Where "Create a project" leads: bind it to the scaffolder (or a template) in the app. */
export const createProjectRouteRef = createExternalRouteRef({
  id: 'clickstream-create-project',
  optional: true,
});

/** The Dashboards tab of a project's entity page. */
export const entityDashboardsRouteRef = createRouteRef({
  id: 'clickstream-entity-dashboards',
});
