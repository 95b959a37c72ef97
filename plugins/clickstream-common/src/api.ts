import { z } from 'zod';
import { ownerRefSchema, PROJECT_ENVIRONMENTS } from './model/project';
import type { Pipeline } from './model/pipeline';
import { PIPELINE_STATUSES } from './model/status';

/** A page of a list. @public */
export interface Page<T> {
  items: T[];
  totalCount: number;
  limit: number;
  offset: number;
}

/**
 * The answer of `GET /projects/:projectId/pipeline/status`: the pipeline's state as its
 * target reports it, without its configuration.
 * @public
 */
export type PipelineStatusReport = Pick<
  Pipeline,
  | 'projectId'
  | 'status'
  | 'lastAction'
  | 'execution'
  | 'operation'
  | 'stacks'
  | 'outputs'
  | 'lastError'
  | 'updatedAt'
  | 'templateVersion'
  | 'upgradeTo'
>;

/** Query parameters of `GET /projects`. @public */
export const listProjectsQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1, 'limit must be between 1 and 500')
      .max(500, 'limit must be between 1 and 500')
      .default(50),
    offset: z.coerce
      .number()
      .int()
      .min(0, 'offset must not be negative')
      .default(0),
    owner: ownerRefSchema.optional(),
    target: z
      .enum(['local', 'aws'], {
        errorMap: () => ({ message: "target must be 'local' or 'aws'" }),
      })
      .optional(),
    status: z
      .enum(PIPELINE_STATUSES, {
        errorMap: () => ({
          message: `status must be one of ${PIPELINE_STATUSES.join(', ')}`,
        }),
      })
      .optional(),
    environment: z
      .enum(PROJECT_ENVIRONMENTS, {
        errorMap: () => ({
          message: "environment must be 'Dev', 'Test' or 'Prod'",
        }),
      })
      .optional(),
  })
  .strict();
/** @public */
export type ListProjectsQuery = z.input<typeof listProjectsQuerySchema>;

/** Query parameters of `GET /projects/:projectId/apps`. @public */
export const listAppsQuerySchema = listProjectsQuerySchema.pick({
  limit: true,
  offset: true,
});

/** Query parameters of `GET /projects/:projectId/ingestion`. @public */
export const ingestionQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(0, 'limit must be between 0 and 500')
      .max(500, 'limit must be between 0 and 500')
      .default(50),
  })
  .strict();
