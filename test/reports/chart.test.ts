import { describe, expect, test } from 'vitest';
import { buildChartModel, niceCeiling, topCodes, topProblems } from '../../src/reports/chart.ts';
import type { CrowdService } from '../../src/reports/crowd-data.ts';

function service(counts: (number | null)[], baselines: number[], over: Partial<CrowdService> = {}): CrowdService {
  return {
    id: 'teams',
    elevated: false,
    lastHour: 0,
    baselineLastHour: 0,
    problemTypes: {},
    codes: {},
    from: '2026-11-24T09:00:00.000Z',
    counts,
    baselines,
    spike: null,
    ...over,
  };
}

describe('crowd chart model', () => {
  test.each([
    [0, 4],
    [3, 4],
    [7, 10],
    [11, 20],
    [23, 25],
    [57, 100],
    [380, 500],
  ])('niceCeiling(%d) = %d', (v, expected) => {
    expect(niceCeiling(v)).toBe(expected);
  });

  test('bars scale to the axis, missing buckets become gaps, hours sum up', () => {
    const counts = [...Array<number>(12).fill(1), ...Array<null>(12).fill(null), 20, 0, ...Array<number>(10).fill(2)];
    const m = buildChartModel(service(counts, Array<number>(36).fill(1.5)), 5);
    expect(m.max).toBe(20);
    expect(m.total).toBe(12 + 20 + 20);
    expect(m.peak).toEqual({ count: 20, start: '2026-11-24T11:00:00.000Z' });
    // Zero counts draw no bar; the peak bar spans the whole plot height.
    expect(m.bars).toHaveLength(12 + 1 + 10);
    const peakBar = m.bars.find((b) => b.count === 20)!;
    expect(peakBar.y).toBeCloseTo(m.plot.top, 1);
    expect(peakBar.height).toBeCloseTo(m.plot.bottom - m.plot.top, 1);
    expect(m.gaps).toHaveLength(1);
    expect(m.gaps[0]!.width).toBeCloseTo(((m.plot.right - m.plot.left) / 36) * 12, 0);
    // The baseline lifts its pen over the gap.
    expect(m.baselinePath.match(/M/g)).toHaveLength(2);
    expect(m.hours.map((h) => h.reports)).toEqual([12, null, 40]);
    expect(m.hours.map((h) => h.usual)).toEqual([18, 18, 18]);
  });

  test('the spike band covers the spike within the window; x ticks every 6 hours', () => {
    const counts = Array<number>(288).fill(1);
    const m = buildChartModel(
      service(counts, Array<number>(288).fill(1), {
        from: '2026-11-24T08:50:00.000Z',
        spike: { startedAt: '2026-11-25T07:40:00.000Z', endedAt: null, peakAt: '2026-11-25T08:10:00.000Z', peakCount: 90, baselineAtPeak: 3, total: 400 },
      }),
      5,
    );
    const step = (m.plot.right - m.plot.left) / 288;
    expect(m.spikeBand!.x).toBeCloseTo(m.plot.left + 274 * step, 0);
    expect(m.spikeBand!.width).toBeCloseTo(14 * step, 0);
    expect(m.xTicks.map((t) => t.label)).toEqual(['12:00', '18:00', '00:00', '06:00']);
  });

  test('top problems with shares and top codes', () => {
    expect(topProblems({ 'sign-in': 55, 'web-access': 19, other: 25, 'mobile-app': 1 })).toEqual([
      { type: 'sign-in', count: 55, share: 55 },
      { type: 'other', count: 25, share: 25 },
      { type: 'web-access', count: 19, share: 19 },
    ]);
    expect(topProblems({})).toEqual([]);
    expect(topCodes({ '5.7.1': 3, '550 5.1.10': 9, '4.7.500': 3 }, 2)).toEqual([
      { code: '550 5.1.10', count: 9 },
      { code: '4.7.500', count: 3 },
    ]);
  });
});
