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

/** A client that has not sent its request headers by then is disconnected (ms). */
const HEADERS_TIMEOUT_MS = 20_000;

/**
 * A `configure` for the root HTTP router that hands SDK traffic to the plugin routes before
 * Backstage's own CORS, logging and compression middleware: the collector answers CORS per
 * app itself, and logging every event request would cost more than accepting it. It also
 * gives the server a deadline for request headers (20 s, Node's default is 60), so that clients
 * trickling headers cannot hold the public endpoint's connections for long.
 * Use it as `rootHttpRouterServiceFactory({ configure: clickstreamRootHttpRouterConfigure })`.
 * @public
 */
export function clickstreamRootHttpRouterConfigure(context: {
  app: { use(handler: express.RequestHandler): unknown };
  routes: express.RequestHandler;
  applyDefaults(): void;
  server?: { headersTimeout: number };
}) {
  if (context.server) {
    context.server.headersTimeout = Math.min(
      context.server.headersTimeout || HEADERS_TIMEOUT_MS,
      HEADERS_TIMEOUT_MS,
    );
  }
  context.app.use((req, res, next) => {
    if (req.path.startsWith('/api/clickstream/collect/')) {
      context.routes(req, res, next);
    } else {
      next();
    }
  });
  context.applyDefaults();
}
