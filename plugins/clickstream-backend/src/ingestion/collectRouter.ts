import express from 'express';
import { LocalIngestion } from './LocalIngestion';

/**
 * The SDK endpoint of `local` projects: `POST /collect/:projectId` (and its CORS preflight)
 * and `GET /collect/:projectId/ping`. Unauthenticated by design, like any collector: guarded
 * by the project's app allow-list, CORS origins and size limits. It reads the raw body itself,
 * so it is mounted before any body-parsing middleware.
 */
export function createCollectRouter(ingestion: LocalIngestion): express.Router {
  const router = express.Router();

  const notDeployed = (res: express.Response, projectId: string) => {
    const body = JSON.stringify({
      error: `project '${projectId}' has no running ingestion: deploy its pipeline first`,
    });
    res.status(404).type('application/json').send(body);
  };

  router.get('/collect/:projectId/ping', async (req, res) => {
    const collector = await ingestion.collector(req.params.projectId);
    if (!collector) return notDeployed(res, req.params.projectId);
    return collector.ping(req, res);
  });

  router.all('/collect/:projectId', async (req, res) => {
    const collector = await ingestion.collector(req.params.projectId);
    if (!collector) return notDeployed(res, req.params.projectId);
    return collector.collect(req, res);
  });

  return router;
}

/**
 * A `configure` for the root HTTP router that hands SDK traffic to the plugin routes before
 * Backstage's own CORS, logging and compression middleware: the collector answers CORS per
 * app itself, and logging every event request would cost more than accepting it.
 * Use it as `rootHttpRouterServiceFactory({ configure: clickstreamRootHttpRouterConfigure })`.
 * @public
 */
export function clickstreamRootHttpRouterConfigure(context: {
  app: { use(handler: express.RequestHandler): unknown };
  routes: express.RequestHandler;
  applyDefaults(): void;
}) {
  context.app.use((req, res, next) => {
    if (req.path.startsWith('/api/clickstream/collect/')) {
      context.routes(req, res, next);
    } else {
      next();
    }
  });
  context.applyDefaults();
}
