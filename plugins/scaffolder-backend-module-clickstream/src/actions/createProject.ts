import { InputError } from '@backstage/errors';
import {
  clickstreamProjectEntityRef,
  createProjectRequestSchema,
  pipelineConfigSchema,
  Project,
} from '@clickstream/backstage-plugin-clickstream-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ClickstreamApi } from '../api/ClickstreamApi';
import { createProjectExamples } from './examples';

/** Creates a project and, when given, its pipeline configuration. */
export function createProjectAction(api: ClickstreamApi) {
  return createTemplateAction({
    id: 'clickstream:project:create',
    description:
      'Creates a Clickstream project (and its pipeline configuration) as the user running the template',
    examples: createProjectExamples,
    supportsDryRun: true,
    schema: {
      input: {
        id: z =>
          z.string({
            description:
              'Project id: lowercase letters, digits and underscores, starting with a letter',
          }),
        name: z => z.string({ description: 'Display name' }),
        description: z => z.string().optional(),
        owner: z =>
          z.string({ description: 'Owner entity ref, like group:default/web' }),
        environment: z => z.enum(['Dev', 'Test', 'Prod']).optional(),
        target: z =>
          z
            .object({
              type: z.enum(['local', 'aws']),
              accountId: z.string().optional(),
              region: z.string().optional(),
            })
            .optional(),
        notificationEmails: z => z.array(z.string()).optional(),
        pipeline: z =>
          z
            .record(z.unknown(), {
              description:
                'Pipeline configuration (ingestion, processing, modeling, reporting); defaults apply to what is left out',
            })
            .optional(),
      },
      output: {
        projectId: z => z.string(),
        entityRef: z => z.string(),
      },
    },
    async handler(ctx) {
      const { pipeline, ...project } = ctx.input;
      // The API's own rules, so a bad form fails before anything is created.
      for (const [schema, value, what] of [
        [createProjectRequestSchema, project, 'project'],
        [pipelineConfigSchema, pipeline ?? {}, 'pipeline configuration'],
      ] as const) {
        const parsed = schema.safeParse(value);
        if (!parsed.success) {
          throw new InputError(
            `invalid ${what}: ${parsed.error.issues
              .map(i => i.message)
              .join('; ')}`,
          );
        }
      }
      const entityRef = clickstreamProjectEntityRef(project.id);
      if (ctx.isDryRun) {
        ctx.logger.info(`Would create project ${project.id}`);
        ctx.output('projectId', project.id);
        ctx.output('entityRef', entityRef);
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      // A retried task must not create the project twice (the second try would be a 409).
      await ctx.checkpoint({
        key: `clickstream.project.create.${project.id}`,
        fn: async () => {
          const created = await api.request<Project>(
            credentials,
            'POST',
            '/projects',
            project,
          );
          ctx.logger.info(
            `Created project ${created.id} owned by ${created.owner}`,
          );
          if (pipeline) {
            await api.request(
              credentials,
              'PUT',
              `/projects/${project.id}/pipeline`,
              pipeline,
            );
            ctx.logger.info('Saved the pipeline configuration');
          }
        },
      });
      ctx.output('projectId', project.id);
      ctx.output('entityRef', entityRef);
    },
  });
}
