/**
 * The cycle command line (`npm run scrape`, `npm run update`; usage in README § Running a cycle).
 *
 *   node scrapers/cli.ts scrape [--config f] [--data dir] [--now iso] [--replay] [--json]
 *   node scrapers/cli.ts replay-signals [--config f] [--data dir] [--now iso] [--json]
 *   node scrapers/cli.ts update [--force] [--out-dir dir] [...scrape options]
 *
 * Prints one line per source and a summary on stdout; logs go to stderr. Exit codes: 0 the cycle
 * completed (even when sources failed), 2 usage or config error, 3 invalid data, 4 another cycle
 * holds the lock, 5 the site build failed, 1 anything else.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultConfigPath, loadConfig, type LoadedConfig } from '../src/config/load.ts';
import { createLogger, type Logger } from '../src/lib/log.ts';
import { runCycle, type CycleReport, type SignalProvider, type SourceOutcome } from './cycle.ts';
import { createCrowdProvider } from './crowd/provider.ts';
import { prepareBuildsRoot } from '../src/server/builds.ts';
import { createHttpClient, type OwnedHttpClient } from './http/client.ts';
import { closeNotifiers, drainNotifications, notifyCycle } from './notify/index.ts';
import { readIncidents } from '../src/store/data-store.ts';
import type { Incident } from '../src/domain/schemas.ts';

export const EXIT = { ok: 0, failure: 1, usage: 2, data: 3, locked: 4, build: 5 } as const;

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: node scrapers/cli.ts <scrape|replay-signals|update> [options]

  scrape            read every due source once, correlate, write data/
  replay-signals    re-correlate the stored signals only (no network); same as scrape --replay
  update            scrape, then build the site (skipped when nothing changed, unless --force)

options:
  --config <file>   config file (default: $OUTAGE_RADAR_CONFIG or outage-radar.config.ts)
  --data <dir>      data directory (overrides the config and $OUTAGE_RADAR_DATA_DIR)
  --now <iso>       run on a virtual clock starting at this instant (tests, demos)
  --replay          scrape: re-correlate stored signals only
  --json            print the cycle report as JSON instead of lines
  --force           update: build even when nothing changed
  --out-dir <dir>   update: build into this directory instead of dist/
  -h, --help        this text
`;

export class UsageError extends Error {
  readonly code = 'USAGE';
}

export interface CliArgs {
  command: 'scrape' | 'replay-signals' | 'update';
  config: string | null;
  data: string | null;
  now: Date | null;
  replay: boolean;
  json: boolean;
  force: boolean;
  outDir: string | null;
  help: boolean;
}

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        data: { type: 'string' },
        now: { type: 'string' },
        replay: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        'out-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? (values.help ? 'scrape' : undefined);
  if (command !== 'scrape' && command !== 'replay-signals' && command !== 'update') {
    throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  let now: Date | null = null;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime())) throw new UsageError(`--now: not an ISO-8601 instant: "${values.now}"`);
  }
  return {
    command,
    config: values.config ?? null,
    data: values.data ?? null,
    now,
    replay: values.replay || command === 'replay-signals',
    json: values.json,
    force: values.force,
    outDir: values['out-dir'] ?? null,
    help: values.help,
  };
}

function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? ` (${Math.round(ms)} ms)` : ` (${(ms / 1000).toFixed(1)} s)`;
}

/** One line per source: ok / not modified / skipped until T / failed: reason. */
export function formatSourceLine(o: SourceOutcome, width: number): string {
  const id = o.id.padEnd(width);
  switch (o.outcome) {
    case 'ok':
      return `${id}  ok, ${o.items} item${o.items === 1 ? '' : 's'}, ${o.newSignals} new${o.rejected ? `, ${o.rejected} rejected` : ''}${formatDuration(o.durationMs)}`;
    case 'not_modified':
      return `${id}  not modified${formatDuration(o.durationMs)}`;
    case 'skipped':
    case 'not_due':
      return `${id}  skipped until ${o.until} (${o.reason})`;
    case 'disabled':
      return `${id}  disabled: ${o.reason}`;
    case 'failed':
      return `${id}  failed: ${o.error?.code} ${o.error?.message}${formatDuration(o.durationMs)}`;
  }
}

export function formatReport(report: CycleReport): string {
  const width = Math.max(0, ...report.sources.map((s) => s.id.length));
  const lines = report.sources.map((o) => formatSourceLine(o, width));
  for (const p of report.providers) lines.push(`${p.name.padEnd(width)}  ${p.ok ? `ok, ${p.items} signals` : `failed: ${p.error?.code} ${p.error?.message}`}`);
  const count = (k: SourceOutcome['outcome']) => report.sources.filter((s) => s.outcome === k).length;
  const parts = [
    `${count('ok')} ok`,
    `${count('not_modified')} not modified`,
    `${count('skipped') + count('not_due')} skipped`,
    `${count('failed')} failed`,
    `${count('disabled')} disabled`,
  ];
  const c = report.counts;
  lines.push(
    `${report.mode} ${report.now}: ${report.sources.length} sources (${parts.join(', ')}); ` +
      `${c.signalsNew} new signals; ${c.incidents} incidents (${c.incidentsOpened} opened, ${c.incidentsChanged} changed, ${c.incidentsMerged} merged); ` +
      `indicator ${report.status.indicator}; ${report.changed ? 'site inputs changed' : 'no change'}${formatDuration(report.durationMs)}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Extra signal providers of this build: the crowd detector (it returns nothing while report intake is off). */
function providers(): SignalProvider[] {
  return [createCrowdProvider()];
}

async function runBuild(config: LoadedConfig, outDir: string | null, log: Logger): Promise<number> {
  // Astro's server chunks import packages by name: an outDir outside the project needs a node_modules link beside it.
  if (outDir) await prepareBuildsRoot(path.dirname(path.resolve(outDir)), PROJECT_ROOT);
  const astro = path.join(PROJECT_ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
  const args = [astro, 'build', ...(outDir ? ['--outDir', path.resolve(outDir)] : [])];
  log.info('building the site', { outDir: outDir ?? 'dist' });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, OUTAGE_RADAR_DATA_DIR: config.dataDirAbs, OUTAGE_RADAR_CONFIG: config.configFile, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    child.on('error', (err) => {
      log.error('astro build could not start', { err });
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function exitCodeFor(err: unknown): number {
  const code = (err as { code?: unknown })?.code;
  if (code === 'USAGE' || code === 'CONFIG_INVALID') return EXIT.usage;
  if (code === 'DATA_INVALID' || code === 'CORRELATION_INVARIANT') return EXIT.data;
  if (code === 'LOCKED') return EXIT.locked;
  return EXIT.failure;
}

/** Time a one-shot run waits for webhook receivers before it exits; undelivered events stay in the outbox. */
const NOTIFY_DRAIN_MS = 10_000;

async function notifyAndDrain(config: LoadedConfig, env: NodeJS.ProcessEnv, before: Incident[], now: Date, report: CycleReport, log: Logger): Promise<void> {
  try {
    const after = await readIncidents(config.dataDirAbs);
    await notifyCycle({ config, env, dataDir: config.dataDirAbs, before, after, now, status: report.status });
    await drainNotifications(NOTIFY_DRAIN_MS);
  } catch (err) {
    // Best effort: the data is written; the outbox keeps what was not delivered for the next run.
    log.error('notifications failed', { err });
  } finally {
    await closeNotifiers();
  }
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const log = createLogger({ name: 'cycle' });
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }

  let http: OwnedHttpClient | null = null;
  try {
    const config = await loadConfig(args.config ? path.resolve(args.config) : defaultConfigPath(), env);
    if (args.data) {
      config.dataDir = args.data;
      config.dataDirAbs = path.resolve(args.data);
    }
    // A virtual clock runs at real speed from --now, so durations and deadlines stay real.
    const offset = args.now ? args.now.getTime() - Date.now() : 0;
    const clock = () => new Date(Date.now() + offset);
    const now = clock();
    if (!args.replay) {
      http = createHttpClient({
        config: config.http,
        hostsFile: path.join(config.dataDirAbs, 'hosts.json'),
        clock,
        log: (entry) => log[entry.level](entry.message, { event: entry.event, host: entry.host, source: entry.sourceId }),
      });
    }
    // Notifications need the incidents before and after; a replay re-derives history and sends nothing.
    const before = args.replay ? null : await readIncidents(config.dataDirAbs).catch(() => null);
    const report = await runCycle({
      config,
      now,
      clock,
      http: http ?? undefined,
      env,
      replay: args.replay,
      providers: args.replay ? [] : providers(),
      log,
    });
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    if (before) await notifyAndDrain(config, env, before, now, report, log);
    if (args.command !== 'update') return EXIT.ok;
    if (!report.changed && !args.force) {
      log.info('nothing changed: build skipped (use --force to build anyway)');
      return EXIT.ok;
    }
    const code = await runBuild(config, args.outDir, log);
    return code === 0 ? EXIT.ok : EXIT.build;
  } catch (err) {
    const code = exitCodeFor(err);
    log.error(code === EXIT.locked ? 'another cycle is running' : 'cycle failed', { err });
    process.stderr.write(`${(err as Error).message}\n`);
    return code;
  } finally {
    await http?.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Exit explicitly: a hung adapter's socket must not keep a finished cycle alive.
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(EXIT.failure);
    },
  );
}
