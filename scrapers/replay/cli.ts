/**
 * `npm run replay -- [tape or folder]… [options]`: replays outage tapes through the real pipeline
 * on a virtual clock, prints a table and writes the figures as JSON.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultConfigPath, loadConfig } from '../../src/config/load.ts';
import { writeJsonAtomic } from '../../src/store/files.ts';
import { findTapeFiles, loadTape } from '../../src/tapes/load.ts';
import { replayTape, type TapeResult } from './engine.ts';
import { formatReplay, summarize } from './summary.ts';
import { writeTapeJsonSchema } from './tape-json-schema.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const USAGE = `Usage: npm run replay -- [tape or folder]… [options]

Replays outage tapes (*.tape.json, *.tape.jsonl) through the real scrapers, report store and
correlation on a virtual clock. Default: every tape under test/tapes.

Options:
  --config <file>        config to take thresholds, sources and schedule from (default: outage-radar.config.ts)
  --out <file>           where to write the JSON results (default: bench/results/replay-<date>.json)
  --cycle-minutes <n>    minutes between cycles (default: from the config's schedule)
  --http-deadline-ms <n> per-request deadline against the local servers (default 1000)
  --no-skip              run every cycle, even those that cannot change anything
  --keep-data            keep each replay's data directory (paths in the JSON)
  --check                exit 2 when a target is missed or an expectation fails
  --write-schema         regenerate schemas/tape.schema.json and exit
  -h, --help
`;

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        out: { type: 'string' },
        'cycle-minutes': { type: 'string' },
        'http-deadline-ms': { type: 'string' },
        'no-skip': { type: 'boolean', default: false },
        'keep-data': { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        'write-schema': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 64;
  }
  const o = args.values;
  if (o.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (o['write-schema']) {
    process.stdout.write(`wrote ${path.relative(process.cwd(), await writeTapeJsonSchema())}\n`);
    return 0;
  }
  const positiveInt = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw Object.assign(new Error(`--${name} must be a positive integer`), { code: 'USAGE' });
    return n;
  };
  try {
    const cycleMinutes = positiveInt('cycle-minutes', o['cycle-minutes']);
    const httpDeadlineMs = positiveInt('http-deadline-ms', o['http-deadline-ms']);
    const config = await loadConfig(o.config ? path.resolve(o.config) : defaultConfigPath());
    const files = await findTapeFiles(args.positionals.length ? args.positionals : [path.join(PROJECT_ROOT, 'test/tapes')]);
    if (files.length === 0) {
      process.stderr.write('no tapes found (*.tape.json, *.tape.jsonl)\n');
      return 1;
    }
    // Validate every tape before replaying any: a typo should not surface after ten minutes.
    const tapes = await Promise.all(files.map((f) => loadTape(f)));
    const results: TapeResult[] = [];
    for (const tape of tapes) {
      process.stderr.write(`replaying ${tape.header.id} (${tape.header.kind}, ${tape.header.start.slice(0, 10)} → ${tape.header.end.slice(0, 10)})…\n`);
      const r = await replayTape({ tape, config, cycleMinutes, httpDeadlineMs, skip: !o['no-skip'], keepData: o['keep-data'] });
      process.stderr.write(`  ${r.incidents.length} incidents, ${r.cycles.run}/${r.cycles.ticks} cycles, ${(r.durationMs / 1000).toFixed(1)} s\n`);
      results.push(r);
    }
    const summary = summarize(results);
    process.stdout.write(formatReplay(results, summary));
    // The file name carries the wall-clock date of the run: it is a record of when figures were taken.
    const out = path.resolve(o.out ?? path.join(PROJECT_ROOT, 'bench/results', `replay-${new Date().toISOString().slice(0, 10)}.json`));
    await fs.mkdir(path.dirname(out), { recursive: true });
    await writeJsonAtomic(out, {
      generatedAt: new Date().toISOString(),
      config: {
        file: path.relative(PROJECT_ROOT, config.configFile),
        cycleMinutes: results[0]?.cycles.cycleMinutes ?? null,
        crowd: config.crowd,
        correlation: config.correlation,
        blindAfterMinutes: config.site.blindAfterMinutes,
      },
      summary,
      // Paths relative to the project, so the record reads the same on every machine.
      tapes: results.map((r) => ({ ...r, tape: { ...r.tape, file: r.tape.file ? path.relative(PROJECT_ROOT, r.tape.file) : null } })),
    });
    process.stdout.write(`results: ${path.relative(process.cwd(), out)}\n`);
    if (o.check && (summary.targets.some((t) => !t.met) || summary.expectations.failed > 0)) return 2;
    return 0;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    process.stderr.write(`${(err as Error).message}\n`);
    return code === 'USAGE' ? 64 : 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
