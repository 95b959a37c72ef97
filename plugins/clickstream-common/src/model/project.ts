import { z } from 'zod';
import { descriptionSchema, displayNameSchema } from './fields';
import { projectIdSchema } from '../ids';
import type { PipelineStatus } from './status';

/** The deployment stage a project serves, as in the reference solution. @public */
export const PROJECT_ENVIRONMENTS = ['Dev', 'Test', 'Prod'] as const;
/** @public */
export type ProjectEnvironment = (typeof PROJECT_ENVIRONMENTS)[number];

/**
 * A catalog reference to the user or group that owns a project, written in full
 * (`group:default/analytics-team`); `group:analytics-team` is completed with the default namespace.
 * @public
 */
export const ownerRefSchema = z
  .string({ required_error: 'owner is required' })
  .trim()
  .regex(
    /^(user|group):([a-z0-9][a-z0-9_.-]*\/)?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/i,
    'owner must be a user or group entity reference, like group:default/analytics-team',
  )
  .transform(ref => {
    const [kind, rest] = ref.split(':', 2);
    const full = rest.includes('/') ? rest : `default/${rest}`;
    return `${kind.toLowerCase()}:${full}`.toLowerCase();
  });

/** Where a project's pipeline runs. @public */
export const projectTargetSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('local') }).strict(),
    z
      .object({
        type: z.literal('aws'),
        accountId: z
          .string({ required_error: 'target.accountId is required for aws' })
          .regex(
            /^\d{12}$/,
            'accountId must be the 12 digits of an AWS account id',
          ),
        region: z
          .string({ required_error: 'target.region is required for aws' })
          .regex(
            /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/,
            'region must be an AWS region code, like eu-west-1',
          ),
      })
      .strict(),
  ],
  {
    errorMap: () => ({
      message: "target.type must be 'local' (embedded) or 'aws'",
    }),
  },
);
/** @public */
export type ProjectTarget = z.infer<typeof projectTargetSchema>;
/** @public */
export type ProjectTargetType = ProjectTarget['type'];

/**
 * The longest id of an `aws` project: `clickstream-<id>` names its Redshift Serverless
 * namespace and workgroup, which take at most 64 characters.
 * @public
 */
export const AWS_PROJECT_ID_MAX_LENGTH = 52;

const projectFields = {
  name: displayNameSchema,
  description: descriptionSchema,
  owner: ownerRefSchema,
  environment: z.enum(PROJECT_ENVIRONMENTS, {
    errorMap: () => ({
      message: "environment must be 'Dev', 'Test' or 'Prod'",
    }),
  }),
  notificationEmails: z
    .array(z.string().email('notificationEmails must hold e-mail addresses'))
    .max(20, 'at most 20 notificationEmails'),
};

/** The body of `POST /projects`. @public */
export const createProjectRequestSchema = z
  .object({
    id: projectIdSchema,
    ...projectFields,
    description: projectFields.description.default(''),
    environment: projectFields.environment.default('Dev'),
    target: projectTargetSchema.default({ type: 'local' }),
    notificationEmails: projectFields.notificationEmails.default([]),
  })
  .strict()
  .superRefine((project, ctx) => {
    if (
      project.target.type === 'aws' &&
      project.id.length > AWS_PROJECT_ID_MAX_LENGTH
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.too_big,
        type: 'string',
        maximum: AWS_PROJECT_ID_MAX_LENGTH,
        inclusive: true,
        path: ['id'],
        message: `the id of an aws project has at most ${AWS_PROJECT_ID_MAX_LENGTH} characters: it names the Redshift Serverless namespace and workgroup (clickstream-<id>, at most 64)`,
      });
    }
  });
/** @public */
export type CreateProjectRequest = z.input<typeof createProjectRequestSchema>;

/**
 * The body of `PUT /projects/:projectId`: any of the editable fields. The id and target are
 * fixed once the project exists (the target decides where its data lives).
 * `version` makes the write conditional on the version last read.
 * @public
 */
export const updateProjectRequestSchema = z
  .object({
    ...projectFields,
    version: z.number().int().positive().optional(),
  })
  .partial()
  .strict();
/** @public */
export type UpdateProjectRequest = z.input<typeof updateProjectRequestSchema>;

/** A clickstream project: one warehouse database, several apps, one pipeline. @public */
export interface Project {
  id: string;
  name: string;
  description: string;
  owner: string;
  environment: ProjectEnvironment;
  target: ProjectTarget;
  notificationEmails: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Increases with every change; send it back to make an update conditional. */
  version: number;
}

/** A project as lists show it: with the status of its pipeline. @public */
export type ProjectSummary = Project & { status: PipelineStatus };
