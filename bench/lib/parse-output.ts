/**
 * Readers for the printed output of bench/pipeline.ts (it has no machine-readable mode). Pure. Each reader fails with a BenchParseError naming
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
