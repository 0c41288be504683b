import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildTapeJsonSchema, TAPE_SCHEMA_FILE } from '../../scrapers/replay/tape-json-schema.ts';
import { expandTapeReports, generateBaseline, curveRate } from '../../src/tapes/crowd.ts';
import { findTapeFiles, loadTape, parseTape, TapeError } from '../../src/tapes/load.ts';
import { BaselineGeneratorSchema } from '../../src/tapes/schema.ts';

const HEADER = {
  tapeVersion: 1,
  id: 'format-test',
  title: 'format test',
  kind: 'outage',
  summary: 'a tape for the loader tests',
  start: '2026-01-05T00:00:00Z',
  end: '2026-01-05T12:00:00Z',
  reconstruction: 'synthetic',
};
const jsonl = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

function errorOf(fn: () => unknown): TapeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TapeError) return err;
    throw err;
  }
  throw new Error('expected a TapeError');
}

describe('tape loader', () => {
  test('a JSONL event with a bad field is reported with its line and field', () => {
    const text = jsonl(
      HEADER,
      { type: 'crowd', at: '2026-01-05T01:00:00Z', service: 'teams' },
      { type: 'press', at: '2026-01-05T02:00:00Z', outlet: 'heise online', title: 'x', link: 'javascript:alert(1)', lang: 'de' },
    );
    const err = errorOf(() => parseTape(text, 'bad.tape.jsonl'));
    expect(err.code).toBe('TAPE_INVALID');
    expect(err.line).toBe(3);
    expect(err.field).toBe('link');
    expect(err.message).toContain('bad.tape.jsonl:3: link: must be an absolute http(s) URL');
  });

  test('every bad line is reported in one pass, including lines that are not JSON', () => {
    const text = jsonl(HEADER, '{"type":"crowd","at":"2026-01-05T01:00:00Z","service":"teamz"}', '{not json', { type: 'expect', at: '2026-01-05T03:00:00Z', label: 'x' });
    const err = errorOf(() => parseTape(text, 't.tape.jsonl'));
    expect(err.problems.map((p) => [p.line, p.field])).toEqual([
      [2, 'service'],
      [3, '(line)'],
      [4, '(root)'],
    ]);
    expect(err.message).toContain('t.tape.jsonl:3: (line): not JSON');
  });

  test('an official answer that does not fit its source names answer.kind', () => {
    const text = jsonl(HEADER, { type: 'official', at: '2026-01-05T01:00:00Z', source: 'azure-status-rss', answer: { kind: 'post', status: 'Service degradation' } });
    const err = errorOf(() => parseTape(text, 't.tape.jsonl'));
    expect(err.line).toBe(2);
    expect(err.field).toBe('answer.kind');
  });

  test('a typo in a field name is an error naming the field, not silently ignored', () => {
    const text = JSON.stringify({ ...HEADER, sumary: 'typo', events: [{ type: 'crowd', at: '2026-01-05T01:00:00Z', service: 'teams', reprots: 3 }] }, null, 2);
    const err = errorOf(() => parseTape(text, 't.tape.json'));
    expect(err.problems.map((p) => p.field)).toEqual(['sumary', 'events[0].reprots']);
    // The JSON spelling names lines too.
    const lines = text.split('\n');
    expect(lines[err.problems[0]!.line! - 1]).toContain('"sumary"');
    expect(lines[err.problems[1]!.line! - 1]).toContain('"reprots"');
  });

  test('events outside the tape, an unknown version and a missing header are refused', () => {
    expect(errorOf(() => parseTape(jsonl(HEADER, { type: 'crowd', at: '2026-01-06T01:00:00Z', service: 'teams' }), 'a.tape.jsonl')).field).toBe('at');
    expect(errorOf(() => parseTape(jsonl({ ...HEADER, tapeVersion: 2 }), 'b.tape.jsonl')).message).toContain('unsupported tapeVersion 2');
    expect(errorOf(() => parseTape(jsonl({ type: 'crowd', at: '2026-01-05T01:00:00Z', service: 'teams' }), 'c.tape.jsonl')).line).toBe(1);
    expect(errorOf(() => parseTape(jsonl({ ...HEADER, end: HEADER.start }), 'd.tape.jsonl')).field).toBe('end');
  });

  test('events are sorted by time and keep file order at equal times', () => {
    const tape = parseTape(
      jsonl(
        HEADER,
        { type: 'crowd', at: '2026-01-05T03:00:00Z', service: 'teams' },
        { type: 'crowd', at: '2026-01-05T01:00:00Z', service: 'azure' },
        { type: 'crowd', at: '2026-01-05T01:00:00Z', service: 'copilot' },
      ),
      'e.tape.jsonl',
    );
    expect(tape.events.map((e) => (e.type === 'crowd' ? e.service : ''))).toEqual(['azure', 'copilot', 'teams']);
  });

  test('a raw body file the tape names must exist beside it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tape-'));
    try {
      const file = path.join(dir, 'raw.tape.jsonl');
      const event = { type: 'official', at: '2026-01-05T01:00:00Z', source: 'azure-status-rss', answer: { kind: 'raw', contentType: 'application/rss+xml', file: 'bodies/azure.xml' } };
      await writeFile(file, jsonl(HEADER, event));
      await expect(loadTape(file)).rejects.toThrow(/bodies\/azure\.xml .* does not exist beside the tape/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('tapes in the repository', () => {
  test('all load, name their sources and say what is reconstructed', async () => {
    const files = await findTapeFiles([path.resolve('test/tapes')]);
    expect(files.length).toBeGreaterThanOrEqual(11);
    const tapes = await Promise.all(files.map((f) => loadTape(f)));
    const outage = tapes.filter((t) => t.header.kind !== 'quiet');
    expect(outage.length).toBeGreaterThanOrEqual(6);
    for (const t of outage) {
      expect(t.header.sources.length, t.header.id).toBeGreaterThan(0);
      expect(t.header.reconstruction.length, t.header.id).toBeGreaterThan(40);
    }
    const quiet = tapes.filter((t) => t.header.kind === 'quiet');
    expect(quiet.length).toBeGreaterThanOrEqual(1);
    for (const t of quiet) expect(Date.parse(t.header.end) - Date.parse(t.header.start)).toBe(30 * 86_400_000);
    expect(tapes.some((t) => t.header.kind === 'blind')).toBe(true);
    expect(tapes.some((t) => t.header.kind === 'advisory')).toBe(true);
  });

  test('the committed JSON Schema is the one generated from the zod schema', () => {
    expect(JSON.parse(readFileSync(TAPE_SCHEMA_FILE, 'utf8'))).toEqual(JSON.parse(JSON.stringify(buildTapeJsonSchema())));
  });
});

describe('crowd expansion', () => {
  const gen = BaselineGeneratorSchema.parse({ seed: 7, perHour: { 'exchange-online': 6, teams: 2 } });

  test('the same tape and seed give the same reports', () => {
    const tape = parseTape(jsonl(HEADER, { type: 'crowd-curve', at: '2026-01-05T06:00:00Z', service: 'teams', points: [[0, 0], [30, 5], [60, 0]] }), 'c.tape.jsonl');
    const a = expandTapeReports(tape, 2);
    const b = expandTapeReports(tape, 2);
    expect(a).toEqual(b);
    expect(a.every((r) => r.at >= Date.parse('2026-01-05T06:00:00Z') && r.at < Date.parse('2026-01-05T07:00:00Z'))).toBe(true);
  });

  test('a curve produces about its area in reports', () => {
    const tape = parseTape(jsonl(HEADER, { type: 'crowd-curve', at: '2026-01-05T06:00:00Z', service: 'teams', points: [[0, 0], [60, 10], [120, 0]] }), 'c.tape.jsonl');
    const n = expandTapeReports(tape, 2).length;
    // Area = 600; Poisson sd ≈ 24.
    expect(n).toBeGreaterThan(500);
    expect(n).toBeLessThan(700);
    expect(curveRate([[0, 0], [60, 10], [120, 0]], 30)).toBe(5);
  });

  test('the baseline follows the weekly and daily rhythm', () => {
    const from = Date.parse('2026-01-05T00:00:00Z'); // a Monday
    const reports = generateBaseline(gen, from, from + 28 * 86_400_000, 'rhythm');
    const hour = (r: { at: number }) => new Date(r.at).getUTCHours();
    const day = (r: { at: number }) => (new Date(r.at).getUTCDay() + 6) % 7;
    const officeHours = reports.filter((r) => hour(r) >= 9 && hour(r) < 12).length / 3;
    const night = reports.filter((r) => hour(r) >= 1 && hour(r) < 4).length / 3;
    expect(officeHours).toBeGreaterThan(night * 8);
    const weekday = reports.filter((r) => day(r) === 1).length;
    const sunday = reports.filter((r) => day(r) === 6).length;
    expect(weekday).toBeGreaterThan(sunday * 1.8);
    // Mean check: 8 reports/h at weight 1, mean daily weight ≈ 1.02, weekly ≈ 0.82 → ≈ 4,000 in 28 days.
    expect(reports.length).toBeGreaterThan(3_400);
    expect(reports.length).toBeLessThan(4_800);
  });

  test("a day's generated traffic does not depend on how much history precedes it", () => {
    const day = Date.parse('2026-01-12T00:00:00Z');
    const short = generateBaseline(gen, day - 7 * 86_400_000, day + 86_400_000, 'x').filter((r) => r.at >= day);
    const long = generateBaseline(gen, day - 21 * 86_400_000, day + 86_400_000, 'x').filter((r) => r.at >= day);
    expect(short.map((r) => r.at)).toEqual(long.map((r) => r.at));
  });
});
