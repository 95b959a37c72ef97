import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { clickstreamRootHttpRouterConfigure } from '@clickstream/backstage-plugin-clickstream-backend';

const backend = createBackend();

// SDK traffic to the Clickstream collector skips Backstage's own CORS and request logging:
// the collector answers CORS per app (origins of the apps' sites, not this portal's).
backend.add(
  rootHttpRouterServiceFactory({
    configure: clickstreamRootHttpRouterConfigure,
  }),
);

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the guest provider is for development; add a real provider for production.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog, with the Software Template kind.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Every Clickstream project as a catalog entity, without a repository.
backend.add(
  import('@clickstream/backstage-plugin-catalog-backend-module-clickstream'),
);

// Permissions, decided by this suite's policy.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

// Software Templates and the Clickstream actions.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@clickstream/backstage-plugin-scaffolder-backend-module-clickstream'),
);

// Clickstream: control plane, embedded pipeline and analytics.
backend.add(import('@clickstream/backstage-plugin-clickstream-backend'));
// Deploys aws projects with the CDK, under the accounts of the `aws` configuration.
backend.add(
  import('@clickstream/backstage-plugin-clickstream-backend-module-aws'),
);
// The demo project of a first start (clickstream.demo in app-config.yaml).
backend.add(import('./modules/demo/module'));

backend.add(import('@backstage/plugin-techdocs-backend'));

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

backend.add(import('@backstage/plugin-user-settings-backend'));

backend.start();
