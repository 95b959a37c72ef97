import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import express from 'express';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { createCollectRouter } from '../ingestion/collectRouter';
import { LocalProcessing } from '../processing/LocalProcessing';
import { LocalIngestion } from '../ingestion/LocalIngestion';
import { clickstreamPlugin } from '../plugin';
import { AnalyticsService } from '../service/AnalyticsService';
import { PipelineService } from '../service/PipelineService';
import { ProjectsService } from '../service/ProjectsService';
import { createRouter } from '../service/router';
import { deployerModule, FakeDeployer } from '../testing/FakeDeployer';

/**
 * Keeps openapi.yaml true: it must list exactly the routes the routers register, every response
 * the running plugin gives must match what it declares for that path, method and status, and its
 * request schemas must accept and refuse the bodies the server accepts and refuses.
 */

jest.setTimeout(60_000);

// --- the document ------------------------------------------------------------------------

const METHODS = ['get', 'post', 'put', 'delete', 'options'] as const;
type Method = (typeof METHODS)[number];

interface Schema {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  [keyword: string]: unknown;
}
interface Ref {
  $ref: string;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
interface Header {
  required?: boolean;
  schema: Schema;
}
interface Content {
  'application/json'?: { schema: Schema };
  'text/plain'?: { schema: Schema };
}
interface ResponseObject {
  description: string;
  headers?: Record<string, Header | Ref>;
  content?: Content;
}
interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: (Parameter | Ref)[];
  requestBody?: { required?: boolean; content: Content };
  responses: Record<string, ResponseObject | Ref>;
}
type PathItem = { parameters?: (Parameter | Ref)[] } & {
  [M in Method]?: Operation;
};
interface OpenApiDocument {
  openapi: string;
  servers: { url: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes: Record<string, { type: string; scheme?: string }>;
  };
}

const doc: OpenApiDocument = parseYaml(
  readFileSync(resolvePath(__dirname, 'openapi.yaml'), 'utf8'),
);

/** Follows a local `$ref` (`#/components/...`) to what it names. */
function deref<T extends object>(value: T | Ref): T {
  if (!('$ref' in value) || typeof value.$ref !== 'string') return value as T;
  const pointer = value.$ref;
  if (!pointer.startsWith('#/')) throw new Error(`non-local $ref ${pointer}`);
  let target: any = doc;
  for (const part of pointer.slice(2).split('/')) {
    target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (target === undefined) throw new Error(`unresolved $ref ${pointer}`);
  return deref(target);
}

/** The SDK endpoint: public, and outside the control plane's conventions. */
const isCollect = (path: string) => path.startsWith('/collect/');

const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  METHODS.filter(method => item[method]).map(method => ({
    method,
    path,
    operation: item[method]!,
    parameters: [
      ...(item.parameters ?? []),
      ...(item[method]!.parameters ?? []),
    ]
      .map(p => deref<Parameter>(p))
      .filter(p => p.in === 'path'),
  })),
);

/** The documented path template a concrete URL (without the server prefix) belongs to. */
function templateOf(url: string): string {
  const pathname = url.split('?')[0];
  const matches = Object.keys(doc.paths).filter(template =>
    new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname),
  );
  if (matches.length !== 1) {
    throw new Error(`${pathname} matches ${matches.length} documented paths`);
  }
  return matches[0];
}

// --- validation --------------------------------------------------------------------------

const SCHEMAS_ID = 'https://clickstream.invalid/openapi.yaml';

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addFormat(
  'date-time',
  value =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(
      value,
    ) && !Number.isNaN(Date.parse(value)),
);
ajv.addFormat('email', /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/);

/** Points `#/components/schemas/X` references at the copy of the components ajv knows. */
function forAjv(schema: Schema): Schema {
  return JSON.parse(
    JSON.stringify(schema).replace(
      /"#\/components\/schemas\//g,
      `"${SCHEMAS_ID}#/$defs/`,
    ),
  );
}
ajv.addSchema({ $id: SCHEMAS_ID, $defs: forAjv(doc.components.schemas) });

const validators = new Map<Schema, ValidateFunction>();
function validatorOf(schema: Schema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(forAjv(schema));
    validators.set(schema, validate);
  }
  return validate;
}

function violations(schema: Schema, value: unknown): string | undefined {
  const validate = validatorOf(schema);
  return validate(value)
    ? undefined
    : ajv.errorsText(validate.errors, { dataVar: 'body', separator: '\n' });
}

/**
 * Fields the data has but the schema does not declare. JSON Schema lets responses carry more
 * than they declare; this catches a field the code added and the document forgot.
 */
function undeclaredFields(
  schemaOrRef: Schema,
  data: unknown,
  at = 'body',
): string[] {
  const schema = deref<Schema>(schemaOrRef);
  const found: string[] = [];
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    if (data === null) return found;
    const candidates = alternatives
      .map(s => deref<Schema>(s))
      .filter(s => s.type !== 'null');
    const match =
      candidates.length === 1
        ? candidates[0]
        : candidates.find(
            s =>
              s.properties?.type?.const === (data as { type?: unknown }).type,
          );
    return match ? undeclaredFields(match, data, at) : found;
  }
  if (Array.isArray(data)) {
    if (schema.items) {
      data.forEach((item, i) =>
        found.push(...undeclaredFields(schema.items!, item, `${at}[${i}]`)),
      );
    }
    return found;
  }
  if (data === null || typeof data !== 'object') return found;
  const parts = [schema, ...(schema.allOf ?? []).map(s => deref<Schema>(s))];
  const properties: Record<string, Schema> = Object.assign(
    {},
    ...parts.map(p => p.properties ?? {}),
  );
  // Where additionalProperties is stated, ajv has applied it already.
  const open = parts.some(p => p.additionalProperties !== undefined);
  for (const [key, value] of Object.entries(data)) {
    if (properties[key]) {
      found.push(...undeclaredFields(properties[key], value, `${at}.${key}`));
    } else if (!open) {
      found.push(`${at}.${key}`);
    }
  }
  return found;
}

/** Every (method, path template, status) a response was checked for. */
const seen = new Set<string>();

/** Asserts that a response is one the document declares, with the body and headers it declares. */
function expectDocumented(method: Method, url: string, res: request.Response) {
  const path = templateOf(url);
  const operation = doc.paths[path][method];
  const where = `${method.toUpperCase()} ${path} ${res.status}`;
  if (!operation)
    throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  const declared = operation.responses[String(res.status)];
  if (!declared) {
    throw new Error(
      `${where} is not documented (declared: ${Object.keys(
        operation.responses,
      ).join(', ')}); body: ${res.text}`,
    );
  }
  const response = deref<ResponseObject>(declared);

  const json = response.content?.['application/json'];
  if (json) {
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const problems = violations(json.schema, res.body);
    if (problems) {
      throw new Error(
        `${where}: the body does not match the document:\n${problems}\n${res.text}`,
      );
    }
    expect({
      where,
      undeclared: undeclaredFields(json.schema, res.body),
    }).toEqual({
      where,
      undeclared: [],
    });
  } else {
    expect({ where, body: res.text ?? '' }).toEqual({ where, body: '' });
  }

  for (const [name, headerOrRef] of Object.entries(response.headers ?? {})) {
    const header = deref<Header>(headerOrRef);
    const value = res.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) throw new Error(`${where}: no ${name} header`);
      continue;
    }
    const problems = violations(header.schema, value);
    if (problems) throw new Error(`${where}: ${name} ${value}: ${problems}`);
  }
  seen.add(where);
}

function requestBodyProblems(method: Method, url: string, body: unknown) {
  const operation = doc.paths[templateOf(url)][method]!;
  const schema = operation.requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${url} documents no request body`);
  return violations(schema, body);
}

// --- talking to the plugin ---------------------------------------------------------------

type Server = Parameters<typeof request>[0];

function client(server: () => Server) {
  return async (
    method: Method,
    url: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    let req = request(server())[method](`${doc.servers[0].url}${url}`);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      req = req.set(name, value);
    }
    const res =
      options.body === undefined
        ? await req
        : await req.send(options.body as object);
    expectDocumented(method, url, res);
    return res;
  };
}

type Call = ReturnType<typeof client>;

/**
 * Follows a pipeline until it has a status and no operation runs. A local deployment starts a
 * processing process and opens its warehouse: seconds on a busy machine, so up to 15.
 */
async function waitForPipeline(call: Call, projectId: string, status: string) {
  for (let i = 0; i < 750; i++) {
    const res = await call('get', `/projects/${projectId}/pipeline/status`);
    if (res.body.status === status && res.body.operation === null) {
      return res.body;
    }
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error(`the pipeline of ${projectId} did not reach ${status}`);
}

// --- the tests ---------------------------------------------------------------------------

describe('openapi.yaml', () => {
  it('is an OpenAPI 3.1 document served under /api/clickstream with bearer auth for every route but the SDK endpoint', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/api/clickstream' }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    // The plugin's auth policy lets everything under /collect in without credentials.
    for (const { method, path, operation } of operations) {
      const route = `${method} ${path}`;
      expect({
        route,
        security: operation.security,
        has401: '401' in operation.responses,
      }).toEqual(
        isCollect(path)
          ? { route, security: [], has401: false }
          : { route, security: undefined, has401: true },
      );
    }
  });

  it('declares each path parameter of every template, and nothing else in the path', () => {
    for (const { method, path, parameters } of operations) {
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map(m => m[1]);
      expect({
        route: `${method} ${path}`,
        params: parameters.map(p => p.name),
      }).toEqual({
        route: `${method} ${path}`,
        params: inTemplate,
      });
      expect(parameters.every(p => p.required)).toBe(true);
    }
  });

  it('has unique operation ids and schemas that compile, every $ref resolving', () => {
    const ids = operations.map(o => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const name of Object.keys(doc.components.schemas)) {
      expect(() =>
        validatorOf({ $ref: `#/components/schemas/${name}` }),
      ).not.toThrow();
    }
    for (const { operation } of operations) {
      const contents = [
        operation.requestBody?.content,
        ...Object.values(operation.responses).map(
          r => deref<ResponseObject>(r).content,
        ),
      ];
      for (const content of contents) {
        for (const { schema } of Object.values(content ?? {})) {
          expect(() => validatorOf(schema)).not.toThrow();
        }
      }
      for (const response of Object.values(operation.responses)) {
        for (const header of Object.values(
          deref<ResponseObject>(response).headers ?? {},
        )) {
          expect(() => validatorOf(deref<Header>(header).schema)).not.toThrow();
        }
      }
    }
  });

  it('closes every control-plane request body, as the strict zod schemas do', () => {
    // The SDK endpoint keeps events as the SDKs send them: its body is open on purpose.
    const open = operations
      .filter(({ path }) => !isCollect(path))
      .map(({ method, path, operation }) => ({
        route: `${method.toUpperCase()} ${path}`,
        schema: operation.requestBody?.content['application/json']?.schema,
      }))
      .filter(({ schema }) => schema !== undefined)
      .filter(
        ({ schema }) => deref<Schema>(schema!).additionalProperties !== false,
      )
      .map(({ route }) => route);
    expect(open).toEqual([]);
  });

  describe('lists exactly the routes that the plugin registers', () => {
    const mockOf = <T>() =>
      new Proxy({} as Record<string | symbol, jest.Mock>, {
        get: (target, key) => (target[key] ??= jest.fn()),
      }) as unknown as T;

    /** `METHOD /path/{param}` of every route of a router. */
    function routesOf(router: express.Router): string[] {
      // A nested router would hide its routes from this walk; say so rather than miss them.
      const nested = router.stack.filter(layer => layer.name === 'router');
      expect(nested).toEqual([]);

      const registered = new Set<string>();
      for (const { route } of router.stack) {
        if (!route) continue; // middleware
        const path = String(route.path).replace(/:(\w+)/g, '{$1}');
        for (const { method } of route.stack as { method?: string }[]) {
          // `router.all` (no method): the collector serves POST and its CORS preflight, and
          // answers any other method with a 405.
          for (const m of method ? [method] : ['post', 'options']) {
            registered.add(`${m.toUpperCase()} ${path}`);
          }
        }
      }
      return [...registered].sort();
    }

    const documented = (collect: boolean) =>
      operations
        .filter(({ path }) => isCollect(path) === collect)
        .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
        .sort();

    it('createRouter: the control plane', async () => {
      const router = await createRouter({
        httpAuth: mockServices.httpAuth.mock(),
        projects: mockOf<ProjectsService>(),
        pipelines: mockOf<PipelineService>(),
        analytics: mockOf<AnalyticsService>(),
        ingestion: mockOf<LocalIngestion>(),
        processing: mockOf<LocalProcessing>(),
      });
      expect(routesOf(router)).toEqual(documented(false));
    });

    it('createCollectRouter: the SDK endpoint under /collect', () => {
      const router = createCollectRouter(mockOf<LocalIngestion>());
      expect(routesOf(router)).toEqual(documented(true));
    });
  });
});

describe('responses of the running plugin', () => {
  let server: Server;
  let deployer: FakeDeployer;
  const call = client(() => server);

  beforeAll(async () => {
    deployer = new FakeDeployer('local');
    ({ server } = await startTestBackend({
      features: [
        clickstreamPlugin,
        deployerModule(deployer),
        mockServices.rootConfig.factory({
          data: { clickstream: { aws: { allowedAccounts: ['123456789012'] } } },
        }),
      ],
    }));
  });

  const waitForStatus = (projectId: string, status: string) =>
    waitForPipeline(call, projectId, status);

  it('health', async () => {
    expect((await call('get', '/health')).status).toBe(200);
    const denied = await call('get', '/health', {
      headers: { Authorization: mockCredentials.none.header() },
    });
    expect(denied.status).toBe(401);
  });

  it('projects', async () => {
    const created = await call('post', '/projects', {
      body: { id: 'shop', name: 'Shop', owner: 'Group:Analytics-Team' },
    });
    expect(created.status).toBe(201);
    expect(created.headers).toMatchObject({
      etag: '"1"',
      location: '/api/clickstream/projects/shop',
    });
    expect(created.body.owner).toBe('group:default/analytics-team');

    expect(
      (
        await call('post', '/projects', {
          body: { id: 'shop', name: 'Again', owner: 'group:a' },
        })
      ).status,
    ).toBe(409);
    expect(
      (await call('post', '/projects', { body: { name: 'No id' } })).status,
    ).toBe(400);

    expect((await call('get', '/projects/shop')).status).toBe(200);
    expect((await call('get', '/projects/nope')).status).toBe(404);

    const updated = await call('put', '/projects/shop', {
      headers: { 'If-Match': '"1"' },
      body: { description: 'Our shop', notificationEmails: ['a@example.com'] },
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.etag).toBe('"2"');
    const stale = await call('put', '/projects/shop', {
      body: { name: 'Lost', version: 1 },
    });
    expect(stale.status).toBe(409);
    const badIfMatch = await call('put', '/projects/shop', {
      headers: { 'If-Match': 'yesterday' },
      body: {},
    });
    expect(badIfMatch.status).toBe(400);

    const page = await call(
      'get',
      '/projects?limit=1&offset=0&owner=group:default/analytics-team&target=local&environment=Dev&status=NotDeployed',
    );
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ totalCount: 1, limit: 1, offset: 0 });
    expect((await call('get', '/projects?colour=red')).status).toBe(400);

    const tooLarge = await call('post', '/projects', {
      body: {
        id: 'big',
        name: 'Big',
        owner: 'group:a',
        description: 'x'.repeat(300_000),
      },
    });
    expect(tooLarge.status).toBe(413);
  });

  it('apps', async () => {
    await call('post', '/projects', {
      body: { id: 'appshop', name: 'App shop', owner: 'group:a' },
    });
    const created = await call('post', '/projects/appshop/apps', {
      body: { appId: 'web', name: 'Web', timezone: 'Europe/Paris' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(
      '/api/clickstream/projects/appshop/apps/web',
    );
    expect(
      (
        await call('post', '/projects/appshop/apps', {
          body: { appId: 'web', name: 'W' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call('post', '/projects/nope/apps', {
          body: { appId: 'web', name: 'W' },
        })
      ).status,
    ).toBe(404);

    expect((await call('get', '/projects/appshop/apps/web')).status).toBe(200);
    expect((await call('get', '/projects/appshop/apps/nope')).status).toBe(404);
    const updated = await call('put', '/projects/appshop/apps/web', {
      headers: { 'If-Match': '"1"' },
      body: {
        enabled: false,
        platforms: ['Web', 'iOS'],
        iosBundleId: 'com.example.shop',
      },
    });
    expect(updated.status).toBe(200);
    const moved = await call('put', '/projects/appshop/apps/web', {
      body: { timezone: 'Asia/Tokyo' },
    });
    expect(moved.status).toBe(409);

    const page = await call('get', '/projects/appshop/apps?limit=10');
    expect(page.body).toMatchObject({ totalCount: 1, limit: 10, offset: 0 });
    expect((await call('get', '/projects/appshop/apps?limit=0')).status).toBe(
      400,
    );

    expect((await call('delete', '/projects/appshop/apps/web')).status).toBe(
      204,
    );
    expect((await call('delete', '/projects/appshop/apps/web')).status).toBe(
      404,
    );
    expect((await call('delete', '/projects/appshop')).status).toBe(204);
    expect((await call('delete', '/projects/appshop')).status).toBe(404);
  });

  it('pipeline configuration and lifecycle', async () => {
    await call('post', '/projects', {
      body: { id: 'live', name: 'Live', owner: 'group:a' },
    });
    await call('post', '/projects/live/apps', {
      body: { appId: 'web', name: 'Web' },
    });

    const pipeline = await call('get', '/projects/live/pipeline');
    expect(pipeline.status).toBe(200);
    const configured = await call('put', '/projects/live/pipeline', {
      headers: { 'If-Match': pipeline.headers.etag },
      body: { processing: { dataFreshnessHours: 24 } },
    });
    expect(configured.status).toBe(200);
    const stale = await call('put', '/projects/live/pipeline', {
      body: { version: 1 },
    });
    expect(stale.status).toBe(409);
    const unfit = await call('put', '/projects/live/pipeline', {
      body: { ingestion: { sink: { type: 'kinesis' } } },
    });
    expect(unfit.status).toBe(400);
    expect((await call('post', '/projects/live/pipeline/retry')).status).toBe(
      409,
    );
    expect((await call('delete', '/projects/live/pipeline')).status).toBe(409);

    deployer.templateVersion = '1.0.0';
    const started = await call('post', '/projects/live/pipeline/deploy');
    expect(started.status).toBe(202);
    await deployer.started();
    const running = await call('get', '/projects/live/pipeline/status');
    expect(running.body.operation).toMatchObject({ action: 'Create' });
    expect((await call('post', '/projects/live/pipeline/deploy')).status).toBe(
      409,
    );
    deployer.complete();
    const active = await waitForStatus('live', 'Active');
    expect(active.outputs.endpointUrl).toEqual(expect.any(String));
    const listed = await call('get', '/projects?status=Active');
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([
      'live',
    ]);

    // The fake replaced the built-in local deployer, so nothing ingests for this project.
    const ingestion = await call('get', '/projects/live/ingestion?limit=0');
    expect(ingestion.status).toBe(200);
    expect(ingestion.body).toMatchObject({
      running: false,
      accepted: 0,
      rejected: {},
      bufferBytes: 0,
      recentEvents: [],
      processing: { running: false, lagBytes: 0 },
    });
    expect(
      (await call('get', '/projects/live/ingestion?limit=501')).status,
    ).toBe(400);
    expect((await call('get', '/projects/live/ingestion?since=1')).status).toBe(
      400,
    );
    expect((await call('get', '/projects/nope/ingestion')).status).toBe(404);
    const notRunning = await call('post', '/collect/live?appId=web', {
      headers: {
        Authorization: mockCredentials.none.header(),
        'Content-Type': 'application/json',
      },
      body: '[{"event_id":"e0"}]',
    });
    expect(notRunning.status).toBe(404);

    expect((await call('post', '/projects/live/pipeline/deploy')).status).toBe(
      202,
    );
    await deployer.started();
    deployer.fail('the ALB quota is exhausted');
    const warning = await waitForStatus('live', 'Warning');
    expect(warning.lastError).toBe('the ALB quota is exhausted');
    expect((await call('post', '/projects/live/pipeline/retry')).status).toBe(
      202,
    );
    await deployer.started();
    deployer.complete();
    await waitForStatus('live', 'Active');
    deployer.healthChecks = [
      {
        name: 'Processing failed',
        state: 'ALARM',
        reason: 'Threshold Crossed',
        url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home',
        since: '2026-12-01T10:00:00.000Z',
      },
    ];
    const health = await call('get', '/projects/live/pipeline/health');
    expect(health.status).toBe(200);
    expect(health.body.checks).toHaveLength(1);
    deployer.healthError = 'AccessDenied';
    expect((await call('get', '/projects/live/pipeline/health')).status).toBe(
      503,
    );
    deployer.accountResources = {
      vpcs: [
        { value: 'vpc-0123456789abcdef0', label: 'main', description: 'x' },
      ],
    };
    // This portal deploys a newer version than the stacks run.
    deployer.templateVersion = '1.1.0';
    const pending = await call('get', '/projects/live/pipeline');
    expect(pending.body).toMatchObject({
      templateVersion: '1.0.0',
      upgradeTo: '1.1.0',
    });
    expect((await call('post', '/projects/live/pipeline/deploy')).status).toBe(
      409,
    );
    expect((await call('post', '/projects/live/pipeline/upgrade')).status).toBe(
      202,
    );
    await deployer.started();
    deployer.complete();
    await waitForStatus('live', 'Active');
    expect((await call('post', '/projects/live/pipeline/upgrade')).status).toBe(
      409,
    );
    const vpcs = await call('get', '/projects/live/pipeline/resources/vpcs');
    expect(vpcs.status).toBe(200);
    expect(vpcs.body.items).toEqual(deployer.accountResources.vpcs);
    // Read again at once, the listing is reused rather than asked of the account again.
    const firstVpcs = deployer.accountResources.vpcs;
    deployer.accountResources = {};
    const again = await call('get', '/projects/live/pipeline/resources/vpcs');
    expect(again.body.items).toEqual(firstVpcs);
    expect(
      (await call('get', '/projects/live/pipeline/resources/subnets')).status,
    ).toBe(400);
    expect(
      (await call('get', '/projects/nope/pipeline/resources/vpcs')).status,
    ).toBe(404);
    const unreadable = await call(
      'get',
      '/projects/live/pipeline/resources/mskClusters',
    );
    expect(unreadable.status).toBe(503);
    expect(unreadable.body.error.message).toContain(
      'AccessDenied: not authorized to list mskClusters',
    );
    expect((await call('delete', '/projects/live')).status).toBe(409);

    expect((await call('delete', '/projects/live/pipeline')).status).toBe(202);
    await deployer.started();
    deployer.complete();
    await waitForStatus('live', 'Deleted');

    const events = await call('get', '/projects/live/pipeline/events');
    expect(events.status).toBe(200);
    expect(events.body.items.length).toBeGreaterThanOrEqual(8);
    expect((await call('get', '/projects/nope/pipeline/events')).status).toBe(
      404,
    );
    expect((await call('get', '/projects/nope/pipeline/status')).status).toBe(
      404,
    );
    expect((await call('get', '/projects/nope/pipeline')).status).toBe(404);
    expect((await call('delete', '/projects/live')).status).toBe(204);
  });

  it('a target without a deployer', async () => {
    const aws = await call('post', '/projects', {
      body: {
        id: 'cloud',
        name: 'Cloud',
        owner: 'user:default/ada',
        environment: 'Prod',
        target: { type: 'aws', accountId: '123456789012', region: 'eu-west-1' },
      },
    });
    expect(aws.status).toBe(201);
    const pipeline = await call('get', '/projects/cloud/pipeline');
    expect(pipeline.body.config.ingestion.sink.type).toBe('kinesis');
    expect((await call('post', '/projects/cloud/pipeline/deploy')).status).toBe(
      501,
    );
    expect((await call('post', '/projects/cloud/pipeline/retry')).status).toBe(
      501,
    );
    expect((await call('delete', '/projects/cloud/pipeline')).status).toBe(501);
    const status = await call('get', '/projects/cloud/pipeline/status');
    expect(status.body.status).toBe('NotDeployed');
    expect(
      (await call('get', '/projects/cloud/pipeline/resources/vpcs')).status,
    ).toBe(409);
  });
});

describe('the SDK endpoint and ingestion of a deployed local project', () => {
  let server: Server;
  let dataDirectory: string;
  const call = client(() => server);
  // The SDKs send no Backstage credentials; the test backend would otherwise act as a user.
  const anonymous = { Authorization: mockCredentials.none.header() };
  const origin = 'https://shop.example.com';

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'clickstream-openapi-'));
    // No fake deployer: the built-in local deployer runs the project's ingestion.
    ({ server } = await startTestBackend({
      features: [
        clickstreamPlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            clickstream: { dataDirectory },
          },
        }),
      ],
    }));
    await call('post', '/projects', {
      body: { id: 'shop', name: 'Shop', owner: 'group:a' },
    });
    await call('post', '/projects/shop/apps', {
      body: { appId: 'web', name: 'Web', corsOrigins: [origin] },
    });
  });

  afterAll(() => rmSync(dataDirectory, { recursive: true, force: true }));

  const collect = (
    body: string,
    query = 'appId=web&platform=Web',
    contentType = 'application/json',
  ) =>
    call('post', `/collect/shop?${query}`, {
      headers: { ...anonymous, 'Content-Type': contentType, Origin: origin },
      body,
    });

  it('collects events once the pipeline is deployed, and reports them', async () => {
    const before = await collect('[{"event_id":"e0"}]');
    expect(before.status).toBe(404);
    expect(
      (await call('get', '/collect/shop/ping', { headers: anonymous })).status,
    ).toBe(404);
    expect((await call('get', '/projects/shop/ingestion')).body).toMatchObject({
      running: false,
    });

    expect((await call('post', '/projects/shop/pipeline/deploy')).status).toBe(
      202,
    );
    await waitForPipeline(call, 'shop', 'Active');

    const preflight = await call('options', '/collect/shop?appId=web', {
      headers: {
        ...anonymous,
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);

    const events = [
      {
        event_id: 'e1',
        event_type: '_page_view',
        timestamp: 1_700_000_000_000,
      },
      { event_id: 'e2' },
    ];
    expect(
      requestBodyProblems('post', '/collect/shop', events),
    ).toBeUndefined();
    const ok = await collect(JSON.stringify(events));
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    expect(ok.headers['access-control-allow-origin']).toBe(origin);

    const unknownApp = await collect('[{"event_id":"e3"}]', 'appId=other');
    expect(unknownApp.status).toBe(403);
    const notAnArray = { not: 'an array' };
    expect(
      requestBodyProblems('post', '/collect/shop', notAnArray),
    ).toBeDefined();
    expect((await collect(JSON.stringify(notAnArray))).status).toBe(400);
    expect(
      (await collect('[{"event_id":"e4"}]', 'appId=web', 'application/xml'))
        .status,
    ).toBe(415);

    // Other methods are not operations of the document; its description promises a 405.
    const wrongMethod = await request(server)
      .put(`${doc.servers[0].url}/collect/shop?appId=web`)
      .set(anonymous);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST, OPTIONS');
    expect(
      violations(
        { $ref: '#/components/schemas/CollectError' },
        wrongMethod.body,
      ),
    ).toBeUndefined();

    const ping = await call('get', '/collect/shop/ping', {
      headers: anonymous,
    });
    expect(ping.status).toBe(200);
    expect(ping.body.timestamp).toBeGreaterThanOrEqual(Date.now() - 60_000);

    const report = await call('get', '/projects/shop/ingestion');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      running: true,
      accepted: 1,
      rejected: { 400: 1, 403: 1, 415: 1 },
    });
    expect(report.body.bufferBytes).toBeGreaterThan(0);
    expect(report.body.recentEvents).toEqual([
      expect.objectContaining({
        appId: 'web',
        platform: 'Web',
        eventId: 'e2',
        eventType: null,
        timestamp: null,
      }),
      expect.objectContaining({
        eventId: 'e1',
        eventType: '_page_view',
        timestamp: 1_700_000_000_000,
      }),
    ]);

    const metrics = await call(
      'get',
      '/projects/shop/apps/web/metrics/overview?from=2026-11-01&to=2026-11-02&timezone=Europe/Paris',
    );
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatchObject({
      sheet: 'overview',
      timezone: 'Europe/Paris',
      data: { kpis: { events: 0 } },
    });
    expect(
      (await call('get', '/projects/shop/apps/web/metrics/overview?from=x'))
        .status,
    ).toBe(400);
    const latest = await call('get', '/projects/shop/ingestion?limit=1');
    expect(
      latest.body.recentEvents.map((e: { eventId: string }) => e.eventId),
    ).toEqual(['e2']);
  });
});

describe('request bodies: the document accepts what the server accepts', () => {
  let server: Server;
  const call = client(() => server);

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        clickstreamPlugin,
        mockServices.rootConfig.factory({
          data: { clickstream: { aws: { allowedAccounts: ['123456789012'] } } },
        }),
      ],
    }));
    await call('post', '/projects', {
      body: { id: 'shop', name: 'Shop', owner: 'group:a' },
    });
    await call('post', '/projects/shop/apps', {
      body: { appId: 'web', name: 'Web' },
    });
  });

  const domain = {
    name: 'collect.example.com',
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
  };
  const base = { name: 'x', owner: 'group:a' };

  /**
   * Bodies per route: those the server accepts, those it refuses for a rule the document states,
   * and those it refuses for a rule JSON Schema cannot state (the document only describes it).
   */
  const routes: {
    method: Method;
    url: string;
    success: number;
    accepted: object[];
    refused: object[];
    refusedBeyondSchema?: object[];
  }[] = [
    {
      method: 'post',
      url: '/projects',
      success: 201,
      accepted: [
        { id: 'p1', name: 'P', owner: 'group:a' },
        {
          id: 'p2',
          name: ' Cloud ',
          description: 'd',
          owner: ' user:Default/Ada ',
          environment: 'Test',
          target: {
            type: 'aws',
            accountId: '123456789012',
            region: 'us-gov-west-1',
          },
          notificationEmails: ['ops@example.com'],
        },
      ],
      refused: [
        { name: 'x', owner: 'group:a' },
        { ...base, id: 'Shop' },
        { id: 'p3', owner: 'group:a' },
        { ...base, id: 'p3', name: '   ' },
        { ...base, id: 'p3', owner: 'component:a' },
        { ...base, id: 'p3', environment: 'Staging' },
        { ...base, id: 'p3', target: { type: 'gcp' } },
        {
          ...base,
          id: 'p3',
          target: { type: 'aws', accountId: '12', region: 'eu-west-1' },
        },
        { ...base, id: 'p3', target: { type: 'local', region: 'x' } },
        { ...base, id: 'p3', notificationEmails: ['nobody'] },
        { ...base, id: 'p3', colour: 'red' },
      ],
    },
    {
      method: 'put',
      url: '/projects/shop',
      success: 200,
      accepted: [{ name: 'Shop!', environment: 'Prod' }],
      refused: [
        { target: { type: 'aws' } },
        { version: 0 },
        { description: 42 },
      ],
    },
    {
      method: 'post',
      url: '/projects/shop/apps',
      success: 201,
      accepted: [
        { appId: 'a1', name: 'A' },
        {
          appId: 'a2',
          name: 'Mobile',
          description: 'd',
          platforms: ['Android', 'iOS', 'Flutter'],
          androidPackage: 'com.example.shop',
          iosBundleId: 'com.example.shop',
          timezone: 'UTC',
          corsOrigins: ['https://*.example.com', 'http://localhost:3000'],
          enabled: false,
        },
      ],
      refused: [
        { appId: '1a', name: 'A' },
        { appId: 'a3', name: 'A', platforms: [] },
        { appId: 'a3', name: 'A', platforms: ['Windows'] },
        { appId: 'a3', name: 'A', androidPackage: 'shop' },
        { appId: 'a3', name: 'A', corsOrigins: ['https://x.com/path'] },
        { appId: 'a3', name: 'A', enabled: 'yes' },
      ],
      refusedBeyondSchema: [
        { appId: 'a4', name: 'A', timezone: 'Mars/Olympus' },
      ],
    },
    {
      method: 'put',
      url: '/projects/shop/apps/web',
      success: 200,
      accepted: [{ enabled: false, androidPackage: null }],
      refused: [{ appId: 'other' }],
    },
    {
      method: 'put',
      url: '/projects/shop/pipeline',
      success: 200,
      accepted: [
        {},
        {
          ingestion: {
            corsOrigins: ['https://shop.example.com'],
            sink: { type: 'local' },
          },
          processing: {
            dataFreshnessHours: 24,
            enrichments: { ipGeo: false },
          },
          modeling: { warehouse: { type: 'duckdb' }, dataRetentionDays: 30 },
          reporting: { type: 'none' },
        },
      ],
      refused: [
        { version: 'x' },
        { colour: 'red' },
        { ingestion: { endpointPath: 'collect' } },
        { ingestion: { protocol: 'HTTPS' } },
        { ingestion: { size: { min: 0 } } },
        { ingestion: { sink: { type: 'kafka' } } },
        { processing: { scheduleExpression: 'hourly' } },
        { processing: { enrichments: { ipGeo: 'no' } } },
        { modeling: { dataRetentionDays: 0 } },
        {
          modeling: { warehouse: { type: 'redshift-serverless', baseRpu: 12 } },
        },
        { reporting: { type: 'quicksight' } },
      ],
      refusedBeyondSchema: [
        { ingestion: { size: { min: 5, max: 2 } } },
        // Valid on its own, but not for a local project.
        { ingestion: { sink: { type: 'kinesis' } } },
        // What only the AWS stacks read: refused for a local project rather than ignored.
        {
          ingestion: {
            endpointPath: '/events/v1',
            size: { min: 2, max: 8, cpuTarget: 60 },
            protocol: 'HTTPS',
            domain,
          },
          processing: { scheduleExpression: 'cron(0 * * * ? *)' },
        },
      ],
    },
  ];
  const cases = routes.flatMap(r => [
    ...r.accepted.map(
      body => [r.method, r.url, body, r.success, true] as const,
    ),
    ...r.refused.map(body => [r.method, r.url, body, 400, false] as const),
    ...(r.refusedBeyondSchema ?? []).map(
      body => [r.method, r.url, body, 400, true] as const,
    ),
  ]);

  it.each(cases)(
    '%s %s %j: %i',
    async (method, url, body, status, schemaAccepts) => {
      const res = await call(method, url, { body });
      expect(res.status).toBe(status);
      expect(typeof res.body?.error?.message).toBe(
        status >= 400 ? 'string' : 'undefined',
      );
      const problems = requestBodyProblems(method, url, body);
      expect({ accepted: !problems, problems }).toMatchObject({
        accepted: schemaAccepts,
      });
    },
  );
});

describe('responses when permissions deny everything', () => {
  let server: Server;
  const call = client(() => server);

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        clickstreamPlugin,
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    }));
  });

  it('lists nothing and refuses to create', async () => {
    const page = await call('get', '/projects');
    expect(page.body).toEqual({
      items: [],
      totalCount: 0,
      limit: 50,
      offset: 0,
    });
    const created = await call('post', '/projects', {
      body: { id: 'shop', name: 'Shop', owner: 'group:a' },
    });
    expect(created.status).toBe(403);
  });
});

describe('responses when permissions allow reading but not changing', () => {
  let server: Server;
  let denyUpdate = false;
  const call = client(() => server);

  beforeAll(async () => {
    const deployer = new FakeDeployer('local');
    deployer.accountResources = { vpcs: [] };
    const permissions = mockServices.permissions.mock();
    // Creating a project asks for the update permission too: denied once the project is made.
    const decide = (requests: { permission: { name: string } }[]) =>
      requests.map(({ permission }) => ({
        result:
          denyUpdate && permission.name === 'clickstream.project.update'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }));
    permissions.authorize.mockImplementation(async r => decide(r) as any);
    permissions.authorizeConditional.mockImplementation(
      async r => decide(r) as any,
    );
    ({ server } = await startTestBackend({
      features: [
        clickstreamPlugin,
        deployerModule(deployer),
        permissions.factory,
      ],
    }));
  });

  it("refuses to list the account's resources to whoever may not change the project", async () => {
    const created = await call('post', '/projects', {
      body: { id: 'shop', name: 'Shop', owner: 'user:default/mock' },
    });
    expect(created.status).toBe(201);
    denyUpdate = true;
    expect((await call('get', '/projects/shop/pipeline')).status).toBe(200);
    const denied = await call('get', '/projects/shop/pipeline/resources/vpcs');
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      "you are not allowed to clickstream.project.update on project 'shop'",
    );
  });
});

describe('coverage', () => {
  it('checked a successful response of every documented operation', () => {
    const unchecked = operations
      .map(({ method, path, operation }) => ({
        route: `${method.toUpperCase()} ${path}`,
        success: Object.keys(operation.responses).filter(s =>
          s.startsWith('2'),
        ),
      }))
      .filter(
        ({ route, success }) => !success.some(s => seen.has(`${route} ${s}`)),
      )
      .map(({ route }) => route);
    expect(unchecked).toEqual([]);
  });
});
