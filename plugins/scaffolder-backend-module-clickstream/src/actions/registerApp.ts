import { InputError } from '@backstage/errors';
import {
  createAppRequestSchema,
  sdkConfiguration,
} from '@clickstream/backstage-plugin-clickstream-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ClickstreamService } from '@clickstream/backstage-plugin-clickstream-node';
import { withoutBlanks } from './blanks';
import { registerAppExamples } from './examples';

/** Registers an app with a project; outputs its SDK configuration once the endpoint is known. */
export function registerAppAction(api: ClickstreamService) {
  return createTemplateAction({
    id: 'clickstream:app:register',
    description:
      'Registers an app (the appId its SDK sends) with a Clickstream project',
    examples: registerAppExamples,
    supportsDryRun: true,
    schema: {
      input: {
        projectId: z => z.string({ description: 'The project' }),
        appId: z =>
          z.string({
            description:
              'App id: letters, digits and underscores, starting with a letter',
          }),
        name: z => z.string(),
        description: z => z.string().optional(),
        platforms: z =>
          z
            .array(z.string(), {
              description:
                'Web, Android, iOS, Flutter, ReactNative or WeChatMP',
            })
            .optional(),
        androidPackage: z => z.string().optional(),
        iosBundleId: z => z.string().optional(),
        timezone: z =>
          z.string({ description: 'IANA time zone of the reports' }).optional(),
        corsOrigins: z =>
          z
            .array(z.string(), {
              description: 'Web origins allowed to send events',
            })
            .optional(),
      },
      output: {
        appId: z => z.string(),
        endpoint: z =>
          z
            .string({
              description:
                'The collect endpoint (empty until the pipeline is deployed)',
            })
            .optional(),
        sdkConfiguration: z =>
          z.record(z.unknown(), {
            description:
              'Snippets by platform and the mobile configuration file',
          }),
      },
    },
    async handler(ctx) {
      const { projectId, ...fields } = ctx.input;
      const app = withoutBlanks(fields);
      const parsed = createAppRequestSchema.safeParse(app);
      if (!parsed.success) {
        throw new InputError(
          `invalid app: ${parsed.error.issues.map(i => i.message).join('; ')}`,
        );
      }
      if (ctx.isDryRun) {
        ctx.logger.info(`Would register app ${app.appId} in ${projectId}`);
        ctx.output('appId', app.appId);
        ctx.output('sdkConfiguration', {
          ...sdkConfiguration(app.appId, '<endpoint>'),
        });
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      await ctx.checkpoint({
        key: `clickstream.app.register.${projectId}.${app.appId}`,
        fn: async () => {
          const created = await api.createApp(projectId, parsed.data, {
            credentials,
          });
          ctx.logger.info(`Registered app ${created.appId} in ${projectId}`);
        },
      });
      const status = await api.getPipelineStatus(projectId, { credentials });
      const endpoint = status.outputs?.endpointUrl;
      ctx.output('appId', app.appId);
      if (endpoint) ctx.output('endpoint', endpoint);
      ctx.output('sdkConfiguration', {
        ...sdkConfiguration(
          app.appId,
          endpoint ?? '<endpoint after deployment>',
        ),
      });
    },
  });
}
