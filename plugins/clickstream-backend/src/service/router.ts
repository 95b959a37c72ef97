import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  clickstreamAnalyticsReadPermission,
  ClickstreamHealth,
  ingestionQuerySchema,
  createAppRequestSchema,
  createProjectRequestSchema,
  listAppsQuerySchema,
  listProjectsQuerySchema,
  metricsQuerySchema,
  pipelineConfigSchema,
  PipelineStatusReport,
  updateAppRequestSchema,
  updateProjectRequestSchema,
  ValidationIssue,
  validationMessages,
} from '@clickstream/backstage-plugin-clickstream-common';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import { PipelineService } from './PipelineService';
import { ProjectsService } from './ProjectsService';
import { principalOf } from './principal';
import { LocalIngestion } from '../ingestion/LocalIngestion';
import { LocalProcessing } from '../processing/LocalProcessing';
import { AnalyticsService } from './AnalyticsService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  projects: ProjectsService;
  pipelines: PipelineService;
  analytics: AnalyticsService;
  ingestion: LocalIngestion;
  processing: LocalProcessing;
}

/** Parses with a zod schema; a failure is a 400 naming each field and its rule. */
type Schema<T> = {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ValidationIssue[] } };
};

function parse<T>(schema: Schema<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issues = validationMessages(result.error);
    throw new InputError(`invalid ${what}: ${issues.join('; ')}`);
  }
  return result.data;
}

/** The version a write is conditional on: `If-Match: "3"` or `version` in the body. */
function expectedVersion(
  req: Request,
  bodyVersion?: number,
): number | undefined {
  const header = req.header('if-match');
  if (!header) return bodyVersion;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match) {
    throw new InputError('If-Match must be the ETag of the resource, like "3"');
  }
  return Number(match[1]);
}

function withETag<T extends { version: number }>(
  res: Response,
  resource: T,
): T {
  res.setHeader('ETag', `"${resource.version}"`);
  return resource;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, projects, pipelines, analytics, ingestion, processing } =
    options;
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  // A write whose body is not JSON would otherwise read as empty, and an empty pipeline
  // configuration is a valid one (all defaults): refuse it instead of resetting anything.
  router.use((req, _res, next) => {
    if (
      (req.method === 'POST' || req.method === 'PUT') &&
      req.headers['content-length'] !== '0' &&
      (req.headers['content-length'] || req.headers['transfer-encoding']) &&
      !req.is('application/json')
    ) {
      next(
        new InputError(
          'send the request body as JSON (Content-Type: application/json)',
        ),
      );
      return;
    }
    next();
  });

  // Live state (statuses, counters): a browser must not keep a copy and revalidate it.
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const credentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  // Requires Backstage credentials, so a frontend that shows "ok" has proven its token works.
  router.get('/health', async (req, res) => {
    const body: ClickstreamHealth = {
      status: 'ok',
      principal: principalOf(await credentials(req)),
    };
    res.json(body);
  });

  // --- projects --------------------------------------------------------------

  router.get('/projects', async (req, res) => {
    const query = parse(listProjectsQuerySchema, req.query, 'query');
    res.json(await projects.listProjects(query, await credentials(req)));
  });

  router.post('/projects', async (req, res) => {
    const input = parse(createProjectRequestSchema, req.body, 'project');
    const project = await projects.createProject(input, await credentials(req));
    res
      .status(201)
      .location(`${req.baseUrl}/projects/${project.id}`)
      .json(withETag(res, project));
  });

  router.get('/projects/:projectId', async (req, res) => {
    const project = await projects.getProject(
      req.params.projectId,
      await credentials(req),
    );
    res.json(withETag(res, project));
  });

  router.put('/projects/:projectId', async (req, res) => {
    const input = parse(updateProjectRequestSchema, req.body, 'project');
    const project = await projects.updateProject(
      req.params.projectId,
      { ...input, version: expectedVersion(req, input.version) },
      await credentials(req),
    );
    res.json(withETag(res, project));
  });

  router.delete('/projects/:projectId', async (req, res) => {
    await projects.deleteProject(req.params.projectId, await credentials(req));
    res.status(204).end();
  });

  // --- apps ------------------------------------------------------------------

  router.get('/projects/:projectId/apps', async (req, res) => {
    const query = parse(listAppsQuerySchema, req.query, 'query');
    res.json(
      await projects.listApps(
        req.params.projectId,
        query,
        await credentials(req),
      ),
    );
  });

  router.post('/projects/:projectId/apps', async (req, res) => {
    const input = parse(createAppRequestSchema, req.body, 'app');
    const app = await projects.createApp(
      req.params.projectId,
      input,
      await credentials(req),
    );
    res
      .status(201)
      .location(`${req.baseUrl}/projects/${app.projectId}/apps/${app.appId}`)
      .json(withETag(res, app));
  });

  router.get('/projects/:projectId/apps/:appId', async (req, res) => {
    const { projectId, appId } = req.params;
    res.json(
      withETag(
        res,
        await projects.getApp(projectId, appId, await credentials(req)),
      ),
    );
  });

  router.put('/projects/:projectId/apps/:appId', async (req, res) => {
    const { projectId, appId } = req.params;
    const input = parse(updateAppRequestSchema, req.body, 'app');
    const app = await projects.updateApp(
      projectId,
      appId,
      { ...input, version: expectedVersion(req, input.version) },
      await credentials(req),
    );
    res.json(withETag(res, app));
  });

  router.delete('/projects/:projectId/apps/:appId', async (req, res) => {
    const { projectId, appId } = req.params;
    await projects.deleteApp(projectId, appId, await credentials(req));
    res.status(204).end();
  });

  // --- pipeline --------------------------------------------------------------

  router.get('/projects/:projectId/pipeline', async (req, res) => {
    const pipeline = await pipelines.getPipeline(
      req.params.projectId,
      await credentials(req),
    );
    // Its ETag is the configuration's version, which a deployment does not move while the
    // status it returns changes: never answer 304 on it, or a poller would keep a stale status.
    delete req.headers['if-none-match'];
    res.json(withETag(res, pipeline));
  });

  router.put('/projects/:projectId/pipeline', async (req, res) => {
    const { version, ...body } = (req.body ?? {}) as Record<string, unknown>;
    if (
      version !== undefined &&
      (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    ) {
      throw new InputError(
        'invalid pipeline configuration: version must be a positive integer',
      );
    }
    const config = parse(pipelineConfigSchema, body, 'pipeline configuration');
    const pipeline = await pipelines.updateConfig(
      req.params.projectId,
      config,
      expectedVersion(req, version as number | undefined),
      await credentials(req),
    );
    res.json(withETag(res, pipeline));
  });

  router.post('/projects/:projectId/pipeline/deploy', async (req, res) => {
    res
      .status(202)
      .json(
        await pipelines.deploy(req.params.projectId, await credentials(req)),
      );
  });

  router.post('/projects/:projectId/pipeline/retry', async (req, res) => {
    res
      .status(202)
      .json(
        await pipelines.retry(req.params.projectId, await credentials(req)),
      );
  });

  router.post('/projects/:projectId/pipeline/upgrade', async (req, res) => {
    res
      .status(202)
      .json(
        await pipelines.upgrade(req.params.projectId, await credentials(req)),
      );
  });

  router.delete('/projects/:projectId/pipeline', async (req, res) => {
    res
      .status(202)
      .json(
        await pipelines.delete(req.params.projectId, await credentials(req)),
      );
  });

  router.get('/projects/:projectId/pipeline/status', async (req, res) => {
    const pipeline = await pipelines.status(
      req.params.projectId,
      await credentials(req),
    );
    res.json({
      projectId: pipeline.projectId,
      status: pipeline.status,
      lastAction: pipeline.lastAction,
      execution: pipeline.execution,
      operation: pipeline.operation,
      stacks: pipeline.stacks,
      outputs: pipeline.outputs,
      lastError: pipeline.lastError,
      updatedAt: pipeline.updatedAt,
      templateVersion: pipeline.templateVersion,
      upgradeTo: pipeline.upgradeTo ?? null,
    } satisfies PipelineStatusReport);
  });

  router.get('/projects/:projectId/pipeline/health', async (req, res) => {
    res.json(
      await pipelines.health(req.params.projectId, await credentials(req)),
    );
  });

  router.get(
    '/projects/:projectId/pipeline/resources/:kind',
    async (req, res) => {
      res.json({
        items: await pipelines.resources(
          req.params.projectId,
          req.params.kind,
          await credentials(req),
        ),
      });
    },
  );

  router.get('/projects/:projectId/pipeline/events', async (req, res) => {
    res.json({
      items: await pipelines.events(
        req.params.projectId,
        await credentials(req),
      ),
    });
  });

  // --- ingestion (local projects) ---------------------------------------------

  router.get('/projects/:projectId/ingestion', async (req, res) => {
    const { limit } = parse(ingestionQuerySchema, req.query, 'query');
    const project = await projects.getProject(
      req.params.projectId,
      await credentials(req),
      clickstreamAnalyticsReadPermission,
    );
    res.json({
      ...(await ingestion.report(project.id, limit)),
      processing: await processing.report(project.id),
    });
  });

  // --- analytics ---------------------------------------------------------------

  router.get(
    '/projects/:projectId/apps/:appId/metrics/:sheet',
    async (req, res) => {
      const query = parse(metricsQuerySchema, req.query, 'query');
      res.json(
        await analytics.sheet(
          req.params.projectId,
          req.params.appId,
          req.params.sheet,
          query,
          await credentials(req),
        ),
      );
    },
  );

  return router;
}
