import { offsetSpans, startOfDay } from './zonedTime';

describe('offsetSpans', () => {
  it('splits at the daylight-saving changes, to the second', () => {
    // Berlin: summer time ends 2026-10-25 at 03:00 CEST (01:00Z).
    const from = Date.parse('2026-10-20T00:00:00Z');
    const to = Date.parse('2026-10-30T00:00:00Z');
    expect(offsetSpans(from, to, 'Europe/Berlin')).toEqual([
      {
        start: from,
        end: Date.parse('2026-10-25T01:00:00Z'),
        offset: 7_200_000,
      },
      { start: Date.parse('2026-10-25T01:00:00Z'), end: to, offset: 3_600_000 },
    ]);
  });

  it('is one span where the offset never changes', () => {
    const from = startOfDay('2026-03-01', 'Asia/Tokyo');
    const to = startOfDay('2026-12-01', 'Asia/Tokyo');
    expect(offsetSpans(from, to, 'Asia/Tokyo')).toEqual([
      { start: from, end: to, offset: 9 * 3_600_000 },
    ]);
  });
});
