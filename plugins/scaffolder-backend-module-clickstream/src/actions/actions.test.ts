import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the tests run against the real clickstream backend
import clickstreamPlugin from '@clickstream/backstage-plugin-clickstream-backend';
import { mkdtempSync, rmSync } from 'node:fs';
import yaml from 'yaml';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClickstreamService,
  DefaultClickstreamService,
} from '@clickstream/backstage-plugin-clickstream-node';
import { createClickstreamActions } from '.';
import { waitForPipelineAction } from './pipeline';

jest.setTimeout(60_000);

/** The real clickstream backend on a real port; the actions reach it through discovery. */
async function clickstream(options: { deny?: boolean } = {}) {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'clickstream-actions-'));
  const backend = await startTestBackend({
    features: [
      clickstreamPlugin,
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          clickstream: {
            dataDirectory,
            aws: { allowedAccounts: ['123456789012'] },
          },
        },
      }),
      ...(options.deny
        ? [mockServices.permissions.factory({ result: AuthorizeResult.DENY })]
        : []),
    ],
  });
  const port = (backend.server.address() as AddressInfo).port;
  const actions = createClickstreamActions({
    clickstream: new DefaultClickstreamService({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => `http://127.0.0.1:${port}/api/clickstream`,
      }),
      auth: mockServices.auth(),
    }),
    minPollIntervalMs: 50,
  });
  const action = (id: string) => actions.find(a => a.id === id)!;
  return {
    run: async (id: string, input: object, extra: object = {}) => {
      const ctx = createMockActionContext({
        input: input as any,
        getInitiatorCredentials: async () =>
          mockCredentials.user('user:default/alice'),
      });
      // The mock context keeps its own dry-run flag and checkpoint: replace them.
      Object.assign(ctx, extra);
      await action(id).handler(ctx as any);
      return Object.fromEntries(
        (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
      );
    },
    get: async (path: string) =>
      fetch(`http://127.0.0.1:${port}/api/clickstream${path}`, {
        headers: { Authorization: mockCredentials.user.header() },
      }),
    stop: async () => {
      await backend.stop();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

describe('the Clickstream scaffolder actions', () => {
  it('create a project, register an app, deploy, and wait until Active', async () => {
    const cs = await clickstream();
    try {
      expect(
        await cs.run('clickstream:project:create', {
          id: 'shop',
          name: 'Shop',
          owner: 'group:default/web',
          target: { type: 'local' },
          pipeline: { processing: { dataFreshnessHours: 24 } },
        }),
      ).toEqual({ projectId: 'shop', entityRef: 'resource:default/shop' });
      const pipeline = await (await cs.get('/projects/shop/pipeline')).json();
      expect(pipeline.config.processing.dataFreshnessHours).toBe(24);

      const before = await cs.run('clickstream:app:register', {
        projectId: 'shop',
        appId: 'web',
        name: 'Web',
        corsOrigins: ['https://shop.example.com'],
      });
      expect(before.appId).toBe('web');
      expect(before.endpoint).toBeUndefined();

      expect(
        await cs.run('clickstream:pipeline:deploy', { projectId: 'shop' }),
      ).toEqual({ status: 'Creating' });
      const waited = await cs.run('clickstream:pipeline:wait', {
        projectId: 'shop',
        intervalSeconds: 0,
      });
      expect(waited).toMatchObject({
        status: 'Active',
        endpointUrl: 'http://localhost:7007/api/clickstream/collect/shop',
      });

      const after = await cs.run('clickstream:app:register', {
        projectId: 'shop',
        appId: 'android',
        name: 'Android',
        platforms: ['Android'],
      });
      expect(after.endpoint).toBe(waited.endpointUrl);
      expect(after.sdkConfiguration.snippets.web).toContain(
        `endpoint: '${waited.endpointUrl}'`,
      );
      expect(JSON.parse(after.sdkConfiguration.mobileConfigFile)).toEqual({
        analytics: {
          plugins: {
            awsClickstreamPlugin: expect.objectContaining({
              appId: 'android',
              endpoint: waited.endpointUrl,
            }),
          },
        },
      });

      // An embedded pipeline runs the installed version: the upgrade step says so and fails.
      expect(
        await cs.run(
          'clickstream:pipeline:upgrade',
          { projectId: 'shop' },
          { isDryRun: true },
        ),
      ).toEqual({ status: 'Updating' });
      await expect(
        cs.run('clickstream:pipeline:upgrade', { projectId: 'shop' }),
      ).rejects.toThrow(
        "nothing to upgrade: the pipeline of project 'shop' is Active and 'local' pipelines run the installed version",
      );
    } finally {
      await cs.stop();
    }
  });

  it('maps what the form chose over the defaults of the target', async () => {
    const cs = await clickstream();
    try {
      // What the template sends for an aws project: blanks where the form left fields empty.
      await cs.run('clickstream:project:create', {
        id: 'cloud',
        name: 'Cloud',
        description: '',
        owner: 'group:default/web',
        target: {
          type: 'aws',
          accountId: '123456789012',
          region: 'eu-west-1',
          sink: 's3',
        },
        pipeline: {
          ingestion: { sink: { type: 's3' } },
          processing: { dataFreshnessHours: 48 },
          modeling: { warehouse: { type: 'redshift-serverless', baseRpu: 16 } },
          reporting: { type: 'none', principalArn: '' },
        },
      });
      const cloud = await (await cs.get('/projects/cloud/pipeline')).json();
      expect(cloud.config.ingestion.sink).toEqual({
        type: 's3',
        bufferSizeMb: 10,
        bufferIntervalSeconds: 300,
      });
      expect(cloud.config.modeling.warehouse).toEqual({
        type: 'redshift-serverless',
        baseRpu: 16,
      });
      expect(cloud.config.reporting).toEqual({ type: 'none' });
      const project = await (await cs.get('/projects/cloud')).json();
      expect(project.target).toEqual({
        type: 'aws',
        accountId: '123456789012',
        region: 'eu-west-1',
      });

      // And for a local one, the aws fields of the form are ignored.
      await cs.run('clickstream:project:create', {
        id: 'home',
        name: 'Home',
        owner: 'group:default/web',
        target: { type: 'local', accountId: '', region: '' },
        pipeline: {
          ingestion: { sink: { type: 'local' } },
          modeling: { warehouse: { type: 'duckdb', baseRpu: '' } },
          reporting: { type: 'none', principalArn: '' },
        },
      });
      const home = await (await cs.get('/projects/home/pipeline')).json();
      expect(home.config.modeling.warehouse).toEqual({ type: 'duckdb' });
    } finally {
      await cs.stop();
    }
  });

  it('refuses bad input with the API rules, creating nothing', async () => {
    const cs = await clickstream();
    try {
      await expect(
        cs.run('clickstream:project:create', {
          id: 'Bad-Id',
          name: 'x',
          owner: 'group:default/web',
        }),
      ).rejects.toThrow(/invalid project: .*project id/i);
      await expect(
        cs.run('clickstream:project:create', {
          id: 'ok',
          name: 'x',
          owner: 'group:default/web',
          pipeline: { processing: { dataFreshnessHours: 0 } },
        }),
      ).rejects.toThrow(/invalid pipeline configuration/);
      expect((await cs.get('/projects/ok')).status).toBe(404);
      // What only the server knows comes back with the server's message.
      await expect(
        cs.run('clickstream:app:register', {
          projectId: 'nope',
          appId: 'web',
          name: 'Web',
        }),
      ).rejects.toThrow("project 'nope' not found");
    } finally {
      await cs.stop();
    }
  });

  it('dry runs validate and create nothing', async () => {
    const cs = await clickstream();
    try {
      const out = await cs.run(
        'clickstream:project:create',
        { id: 'dry', name: 'Dry', owner: 'group:default/web' },
        { isDryRun: true },
      );
      expect(out).toEqual({
        projectId: 'dry',
        entityRef: 'resource:default/dry',
      });
      expect((await cs.get('/projects/dry')).status).toBe(404);
    } finally {
      await cs.stop();
    }
  });

  it('acts as the initiator, so the permission policy applies', async () => {
    const cs = await clickstream({ deny: true });
    try {
      await expect(
        cs.run('clickstream:project:create', {
          id: 'shop',
          name: 'Shop',
          owner: 'group:default/web',
        }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
    } finally {
      await cs.stop();
    }
  });

  it('does not deploy twice when a task is retried after its checkpoint', async () => {
    const cs = await clickstream();
    const saved = new Map<string, unknown>();
    const checkpoint = async ({ key, fn }: { key: string; fn: () => any }) => {
      if (!saved.has(key)) saved.set(key, await fn());
      return saved.get(key);
    };
    try {
      await cs.run(
        'clickstream:project:create',
        {
          id: 'shop',
          name: 'Shop',
          owner: 'group:default/web',
        },
        { checkpoint },
      );
      // The retried task runs the create step again: the checkpoint skips the 409.
      await cs.run(
        'clickstream:project:create',
        {
          id: 'shop',
          name: 'Shop',
          owner: 'group:default/web',
        },
        { checkpoint },
      );
      await cs.run(
        'clickstream:pipeline:deploy',
        { projectId: 'shop' },
        { checkpoint },
      );
      await cs.run('clickstream:pipeline:wait', {
        projectId: 'shop',
        intervalSeconds: 0,
      });
      await cs.run(
        'clickstream:pipeline:deploy',
        { projectId: 'shop' },
        { checkpoint },
      );
      const status = await (
        await cs.get('/projects/shop/pipeline/status')
      ).json();
      // One deployment only: a second one would be an Update.
      expect(status).toMatchObject({ status: 'Active', lastAction: 'Create' });
    } finally {
      await cs.stop();
    }
  });
});

describe('the action examples', () => {
  // Dry runs call no backend: a client with nothing behind it.
  const actions = createClickstreamActions({
    clickstream: {} as ClickstreamService,
  });
  it.each(actions.map(a => [a.id, a] as const))(
    'of %s use the action with an input it accepts',
    async (id, action) => {
      expect(action.examples?.length).toBeGreaterThan(0);
      for (const example of action.examples ?? []) {
        const { steps } = yaml.parse(example.example);
        expect(steps.map((s: { action: string }) => s.action)).toEqual([id]);
        // A dry run validates the input as a real run would, and calls no backend.
        const ctx = createMockActionContext({ input: steps[0].input });
        Object.assign(ctx, { isDryRun: true });
        await expect(action.handler(ctx as any)).resolves.toBeUndefined();
        expect(ctx.output).toHaveBeenCalled();
      }
    },
  );
});

describe('clickstream:pipeline:wait', () => {
  const statuses = (...answers: object[]) => {
    let i = 0;
    return {
      getPipelineStatus: jest.fn(
        async () => answers[Math.min(i++, answers.length - 1)],
      ),
    } as unknown as ClickstreamService;
  };
  const run = async (api: ClickstreamService, input: object) => {
    const ctx = createMockActionContext({ input: input as any });
    await waitForPipelineAction(api, { minIntervalMs: 1 }).handler(ctx as any);
    return ctx;
  };

  it('logs each change and fails the step with the reason on Failed', async () => {
    const api = statuses(
      {
        status: 'Creating',
        operation: {},
        stacks: [{ name: 'ingestion', status: 'CREATE_IN_PROGRESS' }],
      },
      {
        status: 'Creating',
        operation: {},
        stacks: [{ name: 'ingestion', status: 'CREATE_IN_PROGRESS' }],
      },
      {
        status: 'Failed',
        stacks: [{ name: 'ingestion', status: 'CREATE_FAILED' }],
        lastError: 'the ALB quota is exhausted',
      },
    );
    const ctx = createMockActionContext({
      input: { projectId: 'shop', intervalSeconds: 0 } as any,
    });
    const info = jest.spyOn(ctx.logger, 'info');
    await expect(
      waitForPipelineAction(api, { minIntervalMs: 1 }).handler(ctx as any),
    ).rejects.toThrow(
      'the pipeline of shop is Failed: the ALB quota is exhausted',
    );
    expect(info.mock.calls.map(c => c[0])).toEqual([
      'Pipeline of shop: Creating (ingestion CREATE_IN_PROGRESS)',
      'Pipeline of shop: Failed (ingestion CREATE_FAILED)',
    ]);
  });

  it('gives up after its timeout', async () => {
    const api = statuses({ status: 'Creating', operation: {} });
    await expect(
      run(api, { projectId: 'shop', timeoutSeconds: 0.05, intervalSeconds: 0 }),
    ).rejects.toThrow(
      /gave up waiting after 0 s: the pipeline of shop is still Creating/,
    );
  });
});
