import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { warehouseTables } from '../schema/tables';
import { handler } from './warehouseSchemaLambda';

const redshift = mockClient(RedshiftDataClient);
const target = {
  workgroupName: 'clickstream-shop',
  database: 'clickstream',
  secretArn:
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:admin-AbCdEf',
};
const event = (RequestType: 'Create' | 'Update' | 'Delete') => ({
  RequestType,
  PhysicalResourceId: 'schemas:clickstream',
  ResourceProperties: {
    Schemas: ['web', 'ios'],
    Target: JSON.stringify(target),
  },
});

describe('the warehouse schema custom resource', () => {
  beforeEach(() => redshift.reset());

  it("creates each app's schema as the secret's user and waits until Redshift has", async () => {
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: 's1' });
    redshift
      .on(DescribeStatementCommand)
      .resolvesOnce({ Status: 'STARTED' })
      .resolves({ Status: 'FINISHED' });
    // The columns the new schema has: all of them, so nothing to add (migrateRedshiftSchema's
    // own test covers an older schema).
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'c1' });
    redshift.on(GetStatementResultCommand).resolves({
      ColumnMetadata: [{ name: 'table_name' }, { name: 'column_name' }],
      Records: warehouseTables.flatMap(t =>
        t.columns.map(([c]) => [{ stringValue: t.name }, { stringValue: c }]),
      ),
    });
    await expect(handler(event('Create'), { pollMs: 1 })).resolves.toEqual({
      PhysicalResourceId: 'schemas:clickstream',
    });
    const batches = redshift
      .commandCalls(BatchExecuteStatementCommand)
      .map(c => c.args[0].input);
    expect(batches.map(b => b.Sqls![0])).toEqual([
      'CREATE SCHEMA IF NOT EXISTS web',
      'CREATE SCHEMA IF NOT EXISTS ios',
    ]);
    expect(batches[0]).toMatchObject({
      WorkgroupName: 'clickstream-shop',
      Database: 'clickstream',
      SecretArn: target.secretArn,
    });
    // Each batch and each column query waited for.
    expect(redshift.commandCalls(DescribeStatementCommand).length).toBe(5);
  });

  it("fails the deployment with Redshift's reason when the DDL fails", async () => {
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: 's2' });
    redshift.on(DescribeStatementCommand).resolves({
      Status: 'FAILED',
      Error: 'ERROR: syntax error at or near "raw"',
    });
    await expect(handler(event('Update'), { pollMs: 1 })).rejects.toThrow(
      'Redshift query failed: ERROR: syntax error at or near "raw"',
    );
  });

  it('keeps the tables when the stack is deleted', async () => {
    await expect(handler(event('Delete'))).resolves.toEqual({
      PhysicalResourceId: 'schemas:clickstream',
    });
    expect(redshift.calls()).toHaveLength(0);
  });
});
