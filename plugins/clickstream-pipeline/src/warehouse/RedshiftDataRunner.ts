import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  Field,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  QueryRunner,
  SqlParams,
} from '@clickstream/backstage-plugin-clickstream-node';

/**
 * Where a project's Redshift database is: a serverless workgroup or a provisioned cluster, and
 * who the statements run as: the user of a Secrets Manager secret (`username`, `password`) when
 * `secretArn` is set, else the caller's IAM identity (temporary credentials).
 * @public
 */
export type RedshiftTarget =
  | { workgroupName: string; database: string; secretArn?: string }
  | { clusterIdentifier: string; dbUser: string; database: string };

/**
 * Runs metric queries on Redshift through the Data API: submit, poll until finished, read
 * every page of the result into plain rows.
 * @public
 */
export class RedshiftDataRunner implements QueryRunner {
  readonly dialect = 'redshift' as const;

  constructor(
    private readonly client: RedshiftDataClient,
    private readonly target: RedshiftTarget,
    private readonly options: { pollMs?: number; timeoutMs?: number } = {},
  ) {}

  async query(
    sql: string,
    params: SqlParams = {},
  ): Promise<Record<string, unknown>[]> {
    const { Id } = await this.client.send(
      new ExecuteStatementCommand({
        ...dataApiTarget(this.target),
        Sql: sql,
        Parameters: Object.entries(params).map(([name, value]) => ({
          name,
          value: String(value),
        })),
      }),
    );
    await this.#finished(Id!);
    const rows: Record<string, unknown>[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.client.send(
        new GetStatementResultCommand({ Id, NextToken }),
      );
      const names = (page.ColumnMetadata ?? []).map(
        c => c.name ?? c.label ?? '',
      );
      for (const record of page.Records ?? []) {
        rows.push(
          Object.fromEntries(
            record.map((field, i) => [names[i], fieldValue(field)]),
          ),
        );
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return rows;
  }

  /** Runs statements in one transaction (the Data API's batch), and waits for their end. */
  async execute(sqls: string[]): Promise<void> {
    const { Id } = await this.client.send(
      new BatchExecuteStatementCommand({
        ...dataApiTarget(this.target),
        Sqls: sqls,
      }),
    );
    await this.#finished(Id!);
  }

  async #finished(id: string): Promise<void> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 60_000);
    for (;;) {
      const status = await this.client.send(
        new DescribeStatementCommand({ Id: id }),
      );
      if (status.Status === 'FINISHED') return;
      if (status.Status === 'FAILED' || status.Status === 'ABORTED') {
        throw new ServiceUnavailableError(
          `Redshift query ${status.Status.toLowerCase()}: ${
            status.Error ?? 'no reason given'
          }`,
        );
      }
      if (Date.now() > deadline) {
        // Stop it on the cluster too, so an abandoned query does not keep using it.
        await this.client
          .send(new CancelStatementCommand({ Id: id }))
          .catch(() => undefined);
        throw new ServiceUnavailableError(
          `the Redshift query took longer than ${Math.round(
            (this.options.timeoutMs ?? 60_000) / 1000,
          )} s and was cancelled; narrow the date range or retry later`,
        );
      }
      await new Promise(r => setTimeout(r, this.options.pollMs ?? 200));
    }
  }
}

/** The target in the Data API's parameter names. @public */
export function dataApiTarget(target: RedshiftTarget) {
  return 'workgroupName' in target
    ? {
        WorkgroupName: target.workgroupName,
        Database: target.database,
        ...(target.secretArn ? { SecretArn: target.secretArn } : {}),
      }
    : {
        ClusterIdentifier: target.clusterIdentifier,
        DbUser: target.dbUser,
        Database: target.database,
      };
}

function fieldValue(field: Field): unknown {
  if (field.isNull) return null;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  return null;
}
