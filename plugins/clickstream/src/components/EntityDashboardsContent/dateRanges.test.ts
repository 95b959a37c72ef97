import { DATE_RANGES, datesLabel, rangeDates } from './dateRanges';

describe('rangeDates', () => {
  it('gives each relative range its first and last day, today included where it runs to today', () => {
    const today = '2026-03-15';
    expect(
      Object.fromEntries(
        DATE_RANGES.filter(r => r.id !== 'custom').map(r => [
          r.id,
          rangeDates(r.id as Exclude<typeof r.id, 'custom'>, today),
        ]),
      ),
    ).toEqual({
      today: { from: '2026-03-15', to: '2026-03-15' },
      yesterday: { from: '2026-03-14', to: '2026-03-14' },
      '7d': { from: '2026-03-09', to: '2026-03-15' },
      '28d': { from: '2026-02-16', to: '2026-03-15' },
      '90d': { from: '2025-12-16', to: '2026-03-15' },
      mtd: { from: '2026-03-01', to: '2026-03-15' },
      lastMonth: { from: '2026-02-01', to: '2026-02-28' },
      '12m': { from: '2025-03-16', to: '2026-03-15' },
    });
  });

  it('crosses months and years, and leap days', () => {
    expect(rangeDates('lastMonth', '2026-01-01')).toEqual({
      from: '2025-12-01',
      to: '2025-12-31',
    });
    expect(rangeDates('lastMonth', '2028-03-31')).toEqual({
      from: '2028-02-01',
      to: '2028-02-29',
    });
    expect(rangeDates('yesterday', '2027-01-01')).toEqual({
      from: '2026-12-31',
      to: '2026-12-31',
    });
    // Twelve months up to a leap day start on the first of March: 366 days, the API's limit.
    expect(rangeDates('12m', '2028-02-29')).toEqual({
      from: '2027-03-01',
      to: '2028-02-29',
    });
    const { from, to } = rangeDates('12m', '2028-12-31');
    expect(from).toBe('2028-01-01');
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1).toBe(366);
  });
});

describe('datesLabel', () => {
  it('says the dates as people read them', () => {
    expect(datesLabel('2026-11-26', '2026-12-02')).toBe('Nov 26 – Dec 2');
    expect(datesLabel('2026-12-02', '2026-12-02')).toBe('Dec 2');
    expect(datesLabel('2025-12-09', '2026-12-08')).toBe(
      'Dec 9, 2025 – Dec 8, 2026',
    );
  });
});
