import { InputError } from '@backstage/errors';
import {
  clickstreamProjectEntityRef,
  createProjectRequestSchema,
  defaultPipelineConfig,
  pipelineConfigSchema,
} from '@clickstream/backstage-plugin-clickstream-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ClickstreamService } from '@clickstream/backstage-plugin-clickstream-node';
import { withoutBlanks } from './blanks';
import { createProjectExamples } from './examples';

/** Creates a project and, when given, its pipeline configuration. */
export function createProjectAction(api: ClickstreamService) {
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
            // The template's form groups its other aws choices here too.
            .passthrough()
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
      const { pipeline: chosen, target, ...rest } = ctx.input;
      // A form leaves the AWS fields empty for a local project: only an aws target has them.
      const project = {
        ...withoutBlanks(rest),
        target:
          target?.type === 'aws'
            ? {
                type: 'aws' as const,
                accountId: target.accountId,
                region: target.region,
              }
            : { type: 'local' as const },
      };
      // What the template chose, over the defaults of the project's target.
      const pipeline = chosen
        ? mergeDeep(defaultPipelineConfig(project.target.type), chosen)
        : undefined;
      // The API's own rules, so a bad form fails before anything is created.
      const request = validated(createProjectRequestSchema, project, 'project');
      validated(pipelineConfigSchema, pipeline ?? {}, 'pipeline configuration');
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
          const created = await api.createProject(request, { credentials });
          ctx.logger.info(
            `Created project ${created.id} owned by ${created.owner}`,
          );
          if (pipeline) {
            await api.updatePipelineConfig(project.id, pipeline, {
              credentials,
            });
            ctx.logger.info('Saved the pipeline configuration');
          }
        },
      });
      ctx.output('projectId', project.id);
      ctx.output('entityRef', entityRef);
    },
  });
}

/** The value as the schema reads it, or an InputError that lists what is wrong. */
function validated<T>(
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { message: string }[] } };
  },
  value: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(
      `invalid ${what}: ${parsed.error.issues.map(i => i.message).join('; ')}`,
    );
  }
  return parsed.data;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `over` merged into `base`, objects field by field, blank fields of `over` left out. */
function mergeDeep(base: object, over: Record<string, unknown>): object {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(withoutBlanks(over))) {
    const current = out[key];
    // An object of another `type` (a different sink, warehouse...) replaces the default.
    const sameKind =
      isObject(current) &&
      isObject(value) &&
      (value.type === undefined || value.type === current.type);
    out[key] = sameKind ? mergeDeep(current, value) : value;
  }
  return out;
}
