import { describe, expect, test } from 'vitest';
import { aggregate, median } from '../../bench/lib/stats.ts';
import { buildRow, meets, targetText, toMarkdown, toText } from '../../bench/lib/table.ts';

describe('stats', () => {
  test('median of odd and even counts; none is null', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
  test('counts that must hold every run fold to the worst run', () => {
    expect(aggregate([0, 2, 0], 'max')).toBe(2);
    expect(aggregate([19, 18, 19], 'min')).toBe(18);
  });
});

describe('targets', () => {
  test('≤, ≥ and = compare as written, boundaries included', () => {
    expect(meets(15, { op: '<=', value: 15 })).toBe(true);
    expect(meets(15.01, { op: '<=', value: 15 })).toBe(false);
    expect(meets(0.5, { op: '>=', value: 0.5 })).toBe(true);
    expect(meets(0.49, { op: '>=', value: 0.5 })).toBe(false);
    expect(meets(1, { op: '=', value: 0 })).toBe(false);
    expect(targetText({ op: '<=', value: 50 }, 'ms')).toBe('≤ 50 ms');
    expect(targetText({ op: '=', value: 0 }, 'count')).toBe('= 0');
  });
});

describe('rows and tables', () => {
  const build = buildRow('site', { id: 'b', label: 'Build, 5,000 incidents', unit: 's', target: { op: '<=', value: 15 }, compare: 'cState: 279 s' }, [12.1, 16.4, 11.9]);
  const lost = buildRow('reports', { id: 'l', label: 'lost', unit: 'count', digits: 0, fold: 'max', target: { op: '=', value: 0 } }, [0, 3, 0]);
  const none = buildRow('browser', { id: 'x', label: 'Lighthouse SEO: home', unit: 'score', digits: 0, target: { op: '>=', value: 90 } }, [], 'not measured: BENCH_BROWSER_FAILED');

  test('the value is the median of the runs and met follows it', () => {
    expect(build).toMatchObject({ value: 12.1, met: true, samples: [12.1, 16.4, 11.9], target: '≤ 15 s' });
  });
  test('one bad run fails a must-hold count', () => {
    expect(lost).toMatchObject({ value: 3, met: false });
  });
  test('a figure that was not measured is neither met nor not met', () => {
    expect(none).toMatchObject({ value: null, met: null });
  });
  test('markdown: one table, group rows, escaped cells, met / NOT MET / not measured', () => {
    const md = toMarkdown([build, lost, none], { site: 'Site | build' });
    const lines = md.split('\n');
    expect(lines[0]).toBe('| figure | value | unit | target | met | runs | comparison / notes |');
    expect(lines).toContain('| **Site \\| build** | | | | | | |');
    expect(lines).toContain('| Build, 5,000 incidents | 12.1 | s | ≤ 15 s | met | median of 3 | cState: 279 s |');
    expect(lines).toContain('| lost | 3 | count | = 0 | NOT MET | max of 3 |  |');
    expect(lines).toContain('| Lighthouse SEO: home | n/a | score | ≥ 90 score | not measured |  | not measured: BENCH_BROWSER_FAILED |');
    expect(lines.every((l) => l.startsWith('|') && l.endsWith('|'))).toBe(true);
  });
  test('text: every row of one group under its title', () => {
    const text = toText([build, lost], { site: 'Site', reports: 'Reports' });
    expect(text.split('\n')[2]).toBe('Site');
    expect(text).toMatch(/Build, 5,000 incidents\s+12\.1\s+s\s+≤ 15 s\s+met/);
    expect(text).toMatch(/lost\s+3\s+count\s+= 0\s+NOT MET/);
  });
});
