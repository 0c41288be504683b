import { describe, expect, test } from 'vitest';
import type { Incident } from '../../../src/domain/schemas.ts';
import { computeDailyBars, computeUptime, countsForUptime, uptimeOverDays } from '../../../src/lib/uptime.ts';

type U = Pick<Incident, 'id' | 'startedAt' | 'resolvedAt' | 'acknowledgedAt' | 'classification' | 'impact' | 'status'>;
const DAY = 86_400_000;
const base = Date.parse('2026-11-01T00:00:00Z');
const at = (hours: number) => new Date(base + hours * 3_600_000).toISOString();

function incident(over: Partial<U> & Pick<U, 'startedAt'>): U {
  return { id: `i-${over.startedAt}`, resolvedAt: null, acknowledgedAt: over.startedAt, classification: 'incident', impact: 'critical', status: 'resolved', ...over };
}

const window = (from: number, to: number) => ({ from: base + from * 3_600_000, to: base + to * 3_600_000, coverageStart: base, now: base + 100 * DAY });

describe('computeUptime (Statuspage formula)', () => {
  test.each([
    ['major outage counts 100 %', 'critical', 100 - (6 / 24) * 100],
    ['partial outage counts 30 %', 'major', 100 - ((6 * 0.3) / 24) * 100],
    ['degraded performance counts 0 %', 'minor', 100],
  ] as const)('%s', (_name, impact, expected) => {
    const i = incident({ startedAt: at(6), resolvedAt: at(12), impact });
    expect(computeUptime([i], window(0, 24))).toBeCloseTo(expected, 10);
  });

  test('overlapping incidents count once, at the worse weight', () => {
    const major = incident({ startedAt: at(0), resolvedAt: at(6), impact: 'critical' });
    const partial = incident({ startedAt: at(3), resolvedAt: at(12), impact: 'major' });
    // 0–6 h major (6 h), 6–12 h partial (6 h × 0.3)
    expect(computeUptime([major, partial], window(0, 24))).toBeCloseTo(100 - ((6 + 1.8) / 24) * 100, 10);
  });

  test('unconfirmed incidents and advisories never lower uptime', () => {
    const suspected = incident({ startedAt: at(0), resolvedAt: at(12), acknowledgedAt: null });
    const advisory = incident({ startedAt: at(0), resolvedAt: at(12), classification: 'advisory' });
    expect(countsForUptime(suspected)).toBe(false);
    expect(computeUptime([suspected, advisory], window(0, 24))).toBe(100);
  });

  test('an open incident counts until now', () => {
    const open = incident({ startedAt: at(12), resolvedAt: null, status: 'investigating' });
    expect(computeUptime([open], { ...window(0, 24), now: base + 18 * 3_600_000 })).toBeCloseTo(100 - (6 / 18) * 100, 10);
  });

  test('time before our records begin is left out; none at all is null', () => {
    const i = incident({ startedAt: at(12), resolvedAt: at(18) });
    expect(computeUptime([i], { ...window(0, 24), coverageStart: base + 12 * 3_600_000 })).toBeCloseTo(50, 10);
    expect(computeUptime([i], { ...window(0, 24), coverageStart: null })).toBeNull();
  });
});

describe('computeDailyBars', () => {
  const now = new Date(base + 4 * DAY + 12 * 3_600_000);
  test('one bar per UTC day, oldest first, worst state per day, no data before coverage', () => {
    const bars = computeDailyBars(
      [
        incident({ startedAt: at(24 + 2), resolvedAt: at(24 + 4), impact: 'major' }),
        incident({ startedAt: at(24 + 5), resolvedAt: at(24 + 6), impact: 'critical' }),
        incident({ startedAt: at(72 + 1), resolvedAt: at(72 + 2), acknowledgedAt: null, status: 'resolved' }),
      ],
      { days: 5, now, coverageStartDay: '2026-11-02', currentStatus: 'operational' },
    );
    expect(bars.map((b) => b.day)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05']);
    expect(bars.map((b) => b.state)).toEqual(['no-data', 'major_outage', 'operational', 'operational', 'operational']);
    expect(bars[0]!.uptime).toBeNull();
    expect(bars[1]!.incidentIds).toHaveLength(2);
    expect(bars[3]!.hasSuspected).toBe(true);
    expect(bars[1]!.uptime).toBeCloseTo(100 - ((2 * 0.3 + 1) / 24) * 100, 10);
  });

  test('today is unknown (never green) when the service is unknown now', () => {
    const bars = computeDailyBars([], { days: 2, now, coverageStartDay: '2026-11-01', currentStatus: 'unknown' });
    expect(bars.map((b) => b.state)).toEqual(['operational', 'unknown']);
  });

  test('uptimeOverDays covers today up to now', () => {
    const open = incident({ startedAt: at(4 * 24), resolvedAt: null, status: 'investigating' });
    // 12 h of major outage within 4 full days + 12 h
    expect(uptimeOverDays([open], 5, now, '2026-11-01')).toBeCloseTo(100 - (12 / (4 * 24 + 12)) * 100, 10);
  });
});
