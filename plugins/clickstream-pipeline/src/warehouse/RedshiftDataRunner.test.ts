import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { computeSheet } from './metrics/sheets';
import { RedshiftDataRunner } from './RedshiftDataRunner';

const redshift = mockClient(RedshiftDataClient);

describe('RedshiftDataRunner', () => {
  beforeEach(() => redshift.reset());

  it('submits with named parameters, waits, and reads every page', async () => {
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q1' });
    redshift
      .on(DescribeStatementCommand)
      .resolvesOnce({ Status: 'STARTED' })
      .resolves({ Status: 'FINISHED' });
    redshift
      .on(GetStatementResultCommand, { Id: 'q1', NextToken: undefined })
      .resolves({
        ColumnMetadata: [{ name: 'day' }, { name: 'users' }],
        Records: [[{ stringValue: '2026-11-10' }, { longValue: 3 }]],
        NextToken: 'p2',
      })
      .on(GetStatementResultCommand, { Id: 'q1', NextToken: 'p2' })
      .resolves({
        ColumnMetadata: [{ name: 'day' }, { name: 'users' }],
        Records: [[{ stringValue: '2026-11-11' }, { isNull: true }]],
      });
    const runner = new RedshiftDataRunner(
      new RedshiftDataClient({ region: 'eu-west-1' }),
      { workgroupName: 'clickstream-demo', database: 'demo' },
      { pollMs: 1 },
    );
    const rows = await runner.query('SELECT :day AS day', {
      day: '2026-11-10',
      n: 5,
    });
    expect(rows).toEqual([
      { day: '2026-11-10', users: 3 },
      { day: '2026-11-11', users: null },
    ]);
    expect(
      redshift.commandCalls(ExecuteStatementCommand)[0].args[0].input,
    ).toEqual({
      WorkgroupName: 'clickstream-demo',
      Database: 'demo',
      Sql: 'SELECT :day AS day',
      Parameters: [
        { name: 'day', value: '2026-11-10' },
        { name: 'n', value: '5' },
      ],
    });
  });

  it('runs a batch in one call on a provisioned cluster, and waits for it', async () => {
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'b1' });
    redshift
      .on(DescribeStatementCommand)
      .resolvesOnce({ Status: 'STARTED' })
      .resolves({ Status: 'FINISHED' });
    const runner = new RedshiftDataRunner(
      new RedshiftDataClient({ region: 'eu-west-1' }),
      {
        clusterIdentifier: 'analytics',
        dbUser: 'clickstream',
        database: 'demo',
      },
      { pollMs: 1 },
    );
    await runner.execute(['CREATE TEMP TABLE a (x INT)', 'DROP TABLE a']);
    expect(
      redshift.commandCalls(BatchExecuteStatementCommand)[0].args[0].input,
    ).toEqual({
      ClusterIdentifier: 'analytics',
      DbUser: 'clickstream',
      Database: 'demo',
      Sqls: ['CREATE TEMP TABLE a (x INT)', 'DROP TABLE a'],
    });
    expect(redshift.commandCalls(DescribeStatementCommand)).toHaveLength(2);
  });

  it('runs as the user of a secret on a workgroup when the target names one', async () => {
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'b2' });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
    const secretArn =
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clickstream-shop-admin-AbCdEf';
    const runner = new RedshiftDataRunner(
      new RedshiftDataClient({ region: 'eu-west-1' }),
      { workgroupName: 'clickstream-shop', database: 'clickstream', secretArn },
      { pollMs: 1 },
    );
    await runner.execute(['CREATE SCHEMA IF NOT EXISTS web']);
    expect(
      redshift.commandCalls(BatchExecuteStatementCommand)[0].args[0].input,
    ).toEqual({
      WorkgroupName: 'clickstream-shop',
      Database: 'clickstream',
      SecretArn: secretArn,
      Sqls: ['CREATE SCHEMA IF NOT EXISTS web'],
    });
  });

  it('reports a failed statement with its reason', async () => {
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q2' });
    redshift.on(DescribeStatementCommand).resolves({
      Status: 'FAILED',
      Error: 'relation "shop.event_v2" does not exist',
    });
    const runner = new RedshiftDataRunner(
      new RedshiftDataClient({ region: 'eu-west-1' }),
      {
        clusterIdentifier: 'c',
        dbUser: 'u',
        database: 'demo',
      },
    );
    await expect(runner.query('SELECT 1')).rejects.toThrow(
      'Redshift query failed: relation "shop.event_v2" does not exist',
    );
  });

  it('answers a sheet in the same JSON shape as DuckDB', async () => {
    redshift.on(ExecuteStatementCommand).callsFake(input => ({
      Id: input.Sql.includes('firsts AS') ? 'f' : 'other',
    }));
    redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
    redshift.on(GetStatementResultCommand).resolves({
      ColumnMetadata: [
        { name: 'value' },
        { name: 'users' },
        { name: 'country' },
      ],
      Records: [
        [{ stringValue: 'GB' }, { longValue: 7 }, { stringValue: 'GB' }],
      ],
    });
    const runner = new RedshiftDataRunner(
      new RedshiftDataClient({ region: 'eu-west-1' }),
      { workgroupName: 'w', database: 'demo' },
      { pollMs: 1 },
    );
    const sheet = await computeSheet(runner, 'geography', {
      appId: 'shop',
      from: '2026-11-10',
      to: '2026-11-11',
      timezone: 'UTC',
    });
    expect(sheet).toEqual({
      countries: [{ value: 'GB', users: 7 }],
      cities: [{ country: 'GB', value: 'GB', users: 7 }],
    });
    const sql = redshift
      .commandCalls(ExecuteStatementCommand)
      .map(c => c.args[0].input.Sql!);
    expect(sql.every(s => s.includes('FROM shop.event_v2 e'))).toBe(true);
  });
});
