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
