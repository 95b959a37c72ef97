import { z } from 'zod';
import { REDSHIFT_RESERVED_WORDS } from './redshiftReservedWords';

/**
 * A project id names the project's database (DuckDB file, Redshift database),
 * so it follows the reference solution's rule: lower case, starting with a letter.
 * @public
 */
export const projectIdSchema = z
  .string({ required_error: 'project id is required' })
  .regex(
    /^[a-z][a-z0-9_]{0,126}$/,
    'project id must start with a lower-case letter and contain only lower-case letters, digits and underscores (at most 127 characters)',
  );

/**
 * An app id names the app's schema in the warehouse and is what the SDKs send as `appId`, so
 * every warehouse must accept it as a schema name: no Redshift reserved word, no `pg_` prefix
 * (PostgreSQL's and Redshift's system schemas). Redshift folds names to lower case, so two apps
 * of a project may not differ only in case either (the control plane checks that).
 * @public
 */
export const appIdSchema = z
  .string({ required_error: 'app id is required' })
  .regex(
    /^[a-zA-Z][a-zA-Z0-9_]{0,126}$/,
    'app id must start with a letter and contain only letters, digits and underscores (at most 127 characters)',
  )
  .superRefine((id, ctx) => {
    if (REDSHIFT_RESERVED_WORDS.has(id.toUpperCase())) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `app id '${id}' is a reserved word of Redshift, where it names the app's schema: choose another`,
      });
    } else if (/^pg_/i.test(id) || id.toLowerCase() === 'information_schema') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `app id '${id}' is a system schema name (pg_ prefix or information_schema): choose another`,
      });
    }
  });

/**
 * Turns a free-form project name into a valid project id
 * ("My Shop (EU)" becomes "my_shop_eu"), or undefined when nothing usable is left.
 * @public
 */
export function toProjectId(name: string): string | undefined {
  const id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 127)
    .replace(/_+$/, '');
  return projectIdSchema.safeParse(id).success ? id : undefined;
}
