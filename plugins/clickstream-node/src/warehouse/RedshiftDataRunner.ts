import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  Field,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { ServiceUnavailableError } from '@backstage/errors';
import { QueryRunner, SqlParams } from './metrics/QueryRunner';

/** Where a project's Redshift database is: a serverless workgroup or a provisioned cluster. @public */
export type RedshiftTarget =
  | { workgroupName: string; database: string }
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
        ...this.target,
        Sql: sql,
        Parameters: Object.entries(params).map(([name, value]) => ({
          name,
          value: String(value),
        })),
      }),
    );
    const deadline = Date.now() + (this.options.timeoutMs ?? 60_000);
    for (;;) {
      const status = await this.client.send(
        new DescribeStatementCommand({ Id }),
      );
      if (status.Status === 'FINISHED') break;
      if (status.Status === 'FAILED' || status.Status === 'ABORTED') {
        throw new ServiceUnavailableError(
          `Redshift query ${status.Status.toLowerCase()}: ${
            status.Error ?? 'no reason given'
          }`,
        );
      }
      if (Date.now() > deadline) {
        throw new ServiceUnavailableError('Redshift query timed out');
      }
      await new Promise(r => setTimeout(r, this.options.pollMs ?? 200));
    }
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
}

function fieldValue(field: Field): unknown {
  if (field.isNull) return null;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  return null;
}
