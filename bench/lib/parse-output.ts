/**
 * Readers for the printed output of the benches that have no machine-readable mode (yet):
 * bench/reports.ts and bench/pipeline.ts. Pure. Each reader fails with a BenchParseError naming
 * what it did not find, so a changed output format stops the table instead of filling it with
 * wrong numbers.
 */

export class BenchParseError extends Error {
  readonly code = 'BENCH_OUTPUT_UNREADABLE';
  constructor(message: string) {
    super(message);
    this.name = 'BenchParseError';
  }
}

export interface ReportsRow {
  name: string;
  rate: number;
  ratio: number;
  p50Ms: number;
  p99Ms: number;
  acked: number;
  /** null for the trivial server (it stores nothing). */
  stored: number | null;
  lost: number | null;
  non2xx: number;
}

export interface ReportsOutput {
  trivial: ReportsRow;
  served: ReportsRow;
  astro: ReportsRow | null;
}

const num = (s: string): number | null => (s === '–' || s === '-' ? null : Number(s));

/** The result table of `bench/reports.ts`: name, then reports/s, ratio, p50, p99, acked, stored, lost, non-2xx. */
export function parseReportsOutput(text: string): ReportsOutput {
  const rows = new Map<string, ReportsRow>();
  for (const line of text.split('\n')) {
    const key = ['trivial node:http', 'npm start path', 'Astro route alone'].find((k) => line.startsWith(k));
    if (!key) continue;
    const cells = line.trim().split(/\s+/).slice(-8);
    const [rate, ratio, p50, p99, acked, stored, lost, non2xx] = cells.map(num);
    if (cells.length < 8 || [rate, ratio, p50, p99, acked, non2xx].some((v) => v === null || !Number.isFinite(v))) {
      throw new BenchParseError(`bench:reports: unreadable row: ${line}`);
    }
    rows.set(key, { name: line.slice(0, 38).trim(), rate: rate!, ratio: ratio!, p50Ms: p50!, p99Ms: p99!, acked: acked!, stored: stored ?? null, lost: lost ?? null, non2xx: non2xx! });
  }
  const trivial = rows.get('trivial node:http');
  const served = rows.get('npm start path');
  if (!trivial || !served) throw new BenchParseError(`bench:reports: no result table in the output:\n${text.slice(-1500)}`);
  return { trivial, served, astro: rows.get('Astro route alone') ?? null };
}

export interface PipelineOutput {
  /** Seconds from a source change to the served page, one per change. */
  changeToServedS: number[];
  /** Seconds of build + swap within those. */
  buildS: number[];
  unchangedCycles: { ms: number; read: number; sources: number; built: boolean }[];
}

/** Part 1 and 2 of `bench/pipeline.ts`: one line per change and per unchanged cycle. */
export function parsePipelineOutput(text: string): PipelineOutput {
  const changeToServedS: number[] = [];
  const buildS: number[] = [];
  const unchangedCycles: PipelineOutput['unchangedCycles'] = [];
  for (const line of text.split('\n')) {
    const change = /^\s*change \d+ .*: served after ([\d.]+) s \(of which build \+ swap ([\d.]+|\?) s\)/.exec(line);
    if (change) {
      changeToServedS.push(Number(change[1]));
      if (change[2] !== '?') buildS.push(Number(change[2]));
      continue;
    }
    const cycle = /^\s*unchanged cycle \d+: (\d+) ms \((\d+) of (\d+) sources read, (no build|built: [^)]*)\)/.exec(line);
    if (cycle) unchangedCycles.push({ ms: Number(cycle[1]), read: Number(cycle[2]), sources: Number(cycle[3]), built: cycle[4] !== 'no build' });
  }
  if (changeToServedS.length === 0 && unchangedCycles.length === 0) throw new BenchParseError(`bench:pipeline: no change or cycle lines in the output:\n${text.slice(-1500)}`);
  return { changeToServedS, buildS, unchangedCycles };
}

export interface StaticServingRow {
  server: string;
  /** Requests/s per URL column, in the printed order (identity), and the last column with br/gzip. */
  rps: number[];
  non2xx: number;
}

/** Part 3 of `bench/pipeline.ts`: the static serving table (a header row of URLs, one row per server). */
export function parseStaticServingOutput(text: string): { urls: string[]; rows: StaticServingRow[] } {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('static serving, requests/s'));
  if (start < 0) throw new BenchParseError(`bench:pipeline: no static serving table in the output:\n${text.slice(-1500)}`);
  const header = lines.slice(start).find((l) => /^\s+server\s/.test(l));
  if (!header) throw new BenchParseError('bench:pipeline: static serving table without a header row');
  const urls = header.trim().split(/\s+/).slice(1).join(' ').split(/\s+(?=\/)/);
  const rows: StaticServingRow[] = [];
  for (const line of lines.slice(lines.indexOf(header) + 1)) {
    const m = /^\s{2}(\S.*?)\s{2,}(\d.*)$/.exec(line);
    if (!m) break;
    const rps: number[] = [];
    let non2xx = 0;
    for (const cell of m[2]!.matchAll(/(\d+)(?: \((\d+) non-2xx\))?/g)) {
      rps.push(Number(cell[1]));
      non2xx += Number(cell[2] ?? 0);
    }
    rows.push({ server: m[1]!.trim(), rps, non2xx });
  }
  if (rows.length === 0) throw new BenchParseError('bench:pipeline: static serving table without rows');
  return { urls, rows };
}
