import { describe, expect, test } from 'vitest';
import { parseFeedDate, resolveItemTime } from '../../scrapers/text/dates.ts';

describe('parseFeedDate', () => {
  test.each([
    ['RFC 822 with numeric offset', 'Thu, 14 Mar 2024 14:08:43 -0400', '2024-03-14T18:08:43.000Z'],
    ['RFC 822 with EDT (BleepingComputer channel)', 'Thu, 14 Mar 2024 14:13:50 EDT', '2024-03-14T18:13:50.000Z'],
    ['RFC 822 with GMT', 'Mon, 25 Nov 2024 09:12:00 GMT', '2024-11-25T09:12:00.000Z'],
    ['RFC 822 with bare Z (status.cloud.microsoft)', 'Sat, 04 Apr 2026 04:33:00 Z', '2026-04-04T04:33:00.000Z'],
    ['RFC 822 with MEZ (V8 rejects it)', 'Mo, 25 Nov 2024 10:12:00 MEZ', '2024-11-25T09:12:00.000Z'],
    ['RFC 822 with German month and MESZ', 'Do, 11 Sep 2025 08:30:00 MESZ', '2025-09-11T06:30:00.000Z'],
    ['RFC 822 with März', '03 März 2025 12:00 +0100', '2025-03-03T11:00:00.000Z'],
    ['RFC 822 without weekday and seconds', '9 Dec 2017 15:44 +0100', '2017-12-09T14:44:00.000Z'],
    ['RFC 822 two-digit year', 'Sat, 09 Dec 17 15:44:00 +0100', '2017-12-09T14:44:00.000Z'],
    ['ISO with offset (heise)', '2024-10-24T22:54:00+02:00', '2024-10-24T20:54:00.000Z'],
    ['ISO with Z and fraction', '2025-07-01T10:00:00.123456Z', '2025-07-01T10:00:00.123Z'],
    ['ISO with -0400 no colon', '2025-07-01T10:00:00-0400', '2025-07-01T14:00:00.000Z'],
    ['ISO date only', '2025-07-01', '2025-07-01T00:00:00.000Z'],
  ])('%s', (_name, raw, iso) => {
    expect(parseFeedDate(raw)).toBe(iso);
  });

  test.each([['Montag, 25. November 2024'], ['yesterday'], ['2025-02-30T10:00:00Z'], ['Thu, 14 Mar 2024 14:13:50 XYZ'], ['2025-13-01'], [''], [null]])(
    'returns null for %j',
    (raw) => {
      expect(parseFeedDate(raw)).toBeNull();
    },
  );
});

describe('resolveItemTime', () => {
  const now = new Date('2026-11-25T12:00:00.000Z');
  test('takes the first readable candidate', () => {
    expect(resolveItemTime(['garbage', '2026-11-25T10:00:00Z'], now)).toEqual({ at: '2026-11-25T10:00:00.000Z', fromFeed: true });
  });
  test('falls back to the fetch time and says so', () => {
    expect(resolveItemTime(['garbage', undefined], now)).toEqual({ at: now.toISOString(), fromFeed: false });
  });
  test('a date more than a day in the future is not believed', () => {
    expect(resolveItemTime(['2026-11-28T10:00:00Z'], now).fromFeed).toBe(false);
  });
});
