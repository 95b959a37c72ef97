import { Processor } from '../processor/Processor';
import { ingestRecord, sdkEvent } from '../testing/sdkEvents';
import { DuckDbWarehouse } from './DuckDbWarehouse';

describe('DuckDbWarehouse', () => {
  it('stops a query at its deadline with a 503 that says why', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:', {
      queryTimeoutMs: 200,
    });
    try {
      const started = Date.now();
      // Hours of work: only the interrupt can end it this soon.
      await expect(
        warehouse.query(
          'SELECT sum(hash(i)) AS s FROM range(1000000000000) t(i)',
        ),
      ).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('longer than 0.2 s'),
      });
      expect(Date.now() - started).toBeLessThan(20_000);
      // The warehouse still answers afterwards.
      expect(await warehouse.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await warehouse.close();
    }
  });
});

describe('DuckDbWarehouse data retention', () => {
  it('deletes what is older than the cutoff, rollups included, and keeps the rest', async () => {
    const processor = new Processor({
      projectId: 'demo',
      apps: new Map([['shop', { appId: 'shop', timezone: 'UTC' }]]),
      dataFreshnessHours: 24 * 365 * 10,
    });
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const at = (day: string) => Date.parse(`${day}T12:00:00Z`);
    try {
      for (const day of ['2026-10-01', '2026-10-02', '2026-11-01']) {
        await warehouse.load(
          processor.process([
            ingestRecord([
              sdkEvent({
                name: '_page_view',
                at: at(day),
                user: 'p1',
                session: `s-${day}`,
              }),
              sdkEvent({
                name: 'add_to_cart',
                at: at(day),
                user: 'p1',
                session: `s-${day}`,
              }),
            ]),
          ]),
        );
      }
      const count = async (sql: string) =>
        Number((await warehouse.query(sql))[0].n);
      const eventDays = () =>
        warehouse.query(
          `SELECT CAST(event_date AS VARCHAR) AS day, count(*) AS n
           FROM rollup_event_daily GROUP BY 1 ORDER BY 1`,
        );
      expect((await eventDays()).map(r => r.day)).toEqual([
        '2026-10-01',
        '2026-10-02',
        '2026-11-01',
      ]);

      const result = await warehouse.applyRetention(
        Date.parse('2026-10-02T00:00:00Z'),
      );
      expect(result).toEqual({ events: 2, sessions: 1, quarantined: 0 });
      expect(
        await count("SELECT count(*) AS n FROM event_v2 WHERE app_id = 'shop'"),
      ).toBe(4);
      expect(
        await count(
          `SELECT count(*) AS n FROM event_v2 WHERE event_time_msec < ${Date.parse(
            '2026-10-02T00:00:00Z',
          )}`,
        ),
      ).toBe(0);
      expect((await eventDays()).map(r => r.day)).toEqual([
        '2026-10-02',
        '2026-11-01',
      ]);
      // The user stays: their first visit is history.
      expect(await count('SELECT count(*) AS n FROM user_v2')).toBe(1);
      // A second run finds nothing more to delete; loads go on afterwards.
      await expect(
        warehouse.applyRetention(Date.parse('2026-10-02T00:00:00Z')),
      ).resolves.toEqual({ events: 0, sessions: 0, quarantined: 0 });
      await expect(warehouse.applyRetention(Number.NaN)).rejects.toThrow(
        RangeError,
      );
    } finally {
      await warehouse.close();
    }
  });
});
