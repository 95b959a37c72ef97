import { InputError } from '@backstage/errors';
import { LoadRunner } from './redshiftLoad';

/** The database user dashboards read with, and the app schemas it may read. @public */
export interface ReportingUserSpec {
  user: string;
  password: string;
  schemas: string[];
}

const IDENTIFIER = /^[a-z][a-z0-9_]{0,126}$/;

/**
 * Creates (or updates the password of) the read-only user a dashboard tool connects with, and
 * lets it read every table of the apps' schemas, present and future. Runs through the Data API
 * at deployment, so the password stays in Secrets Manager and out of every template.
 * @public
 */
export async function ensureReportingUser(
  runner: LoadRunner,
  spec: ReportingUserSpec,
): Promise<void> {
  for (const name of [spec.user, ...spec.schemas]) {
    if (!IDENTIFIER.test(name.toLowerCase())) {
      throw new InputError(`'${name}' is not a valid Redshift identifier`);
    }
  }
  // Redshift's rules: 8 to 64 characters with an upper and a lower case letter and a digit.
  if (
    !/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[\x21-\x7e]{8,64}$/.test(spec.password) ||
    /['"\\/@ ]/.test(spec.password)
  ) {
    throw new InputError(
      'the reporting password must have 8 to 64 characters, an upper and a lower case letter and a digit, and none of \' " \\ / @',
    );
  }
  const existing = await runner.query(
    `SELECT 1 FROM pg_user WHERE usename = '${spec.user}'`,
  );
  const password = `PASSWORD '${spec.password}'`;
  await runner.execute([
    existing.length > 0
      ? `ALTER USER ${spec.user} ${password}`
      : `CREATE USER ${spec.user} ${password}`,
    ...spec.schemas.flatMap(schema => [
      `GRANT USAGE ON SCHEMA ${schema} TO ${spec.user}`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${spec.user}`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${spec.user}`,
    ]),
  ]);
}
