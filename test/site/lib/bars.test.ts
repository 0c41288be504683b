import { describe, expect, test } from 'vitest';
import { renderBars } from '../../../src/lib/render/bars.ts';
import type { DayBar } from '../../../src/lib/uptime.ts';

const states: DayBar['state'][] = ['no-data', 'no-data', 'operational', 'operational', 'operational', 'partial_outage', 'operational', 'major_outage', 'major_outage', 'operational'];
const bars: DayBar[] = states.map((state, i) => ({
  day: `2026-11-${String(i + 1).padStart(2, '0')}`,
  state,
  hasSuspected: i === 3 || i === 8,
  uptime: state === 'no-data' ? null : 100,
  incidentIds: state === 'partial_outage' || state === 'major_outage' ? [`inc-${i}`] : [],
}));

/** Boxes (x, width, height, fill) drawn by rects and by `M x 0h w v h H x z` path runs. */
function boxes(svg: string): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(/<rect (?:class="([^"]+)" )?x="(\d+)" width="(\d+)" height="(\d+)"(?: fill="([^"]+)")?/g)) out.push(`${m[2]},${m[3]},${m[4]},${m[5] ?? m[1]}`);
  for (const m of svg.matchAll(/<path (?:fill="([^"]+)"|class="([^"]+)") d="([^"]+)"/g)) {
    for (const b of m[3]!.matchAll(/M(\d+) 0h(\d+)v(\d+)H\1z/g)) out.push(`${b[1]},${b[2]},${b[3]},${m[1] ?? m[2]}`);
  }
  return out.sort();
}

describe('90-day bars', () => {
  test('the home page draws the same boxes as merged rects would, as one path per state', () => {
    const home = renderBars(bars, 'en', false);
    expect(home).not.toContain('<rect');
    expect(home).not.toContain('<title>');
    expect(boxes(home)).toEqual(
      [
        '0,10,30,url(#bar-no-data)',
        '10,15,30,url(#bar-operational)',
        '25,5,30,url(#bar-partial_outage)',
        '30,5,30,url(#bar-operational)',
        '35,10,30,url(#bar-major_outage)',
        '45,5,30,url(#bar-operational)',
        '15,3,8,b-suspected',
        '40,3,8,b-suspected',
      ].sort(),
    );
    // One path per state, plus one for the suspected marks.
    expect(home.match(/<path /g)).toHaveLength(5);
  });

  test('the service page keeps one rect per run, days with incidents alone, each with its title', () => {
    const page = renderBars(bars, 'en', true);
    expect(page).not.toContain('<path');
    expect(boxes(page)).toContain('35,5,30,url(#bar-major_outage)');
    expect(boxes(page)).toContain('40,5,30,url(#bar-major_outage)');
    expect(page.match(/<title>/g)!.length).toBeGreaterThanOrEqual(7);
  });
});
