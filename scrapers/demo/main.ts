/**
 * `npm run demo`: the whole product, offline. Plays a recorded outage day (a tape, default the
 * Azure West US incident of 23 July 2026: crowd spike, then press, then Microsoft's post, then
 * recovery) from local fixture servers with time compressed to a few minutes, points the real
 * scrapers at them through a generated config in a temporary data directory, and runs the real
 * service (`startService`, as `npm start` does) on it. Ctrl-C stops everything.
 *
 *   npm run demo -- [--tape <file>] [--minutes 5] [--speed N] [--port 4321] [--keep] [--verbose]
 */
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultConfigPath, loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/lib/log.ts';
import { reportPolicy } from '../../src/reports/open-store.ts';
import { getReportRuntime } from '../../src/reports/runtime.ts';
import { SqliteReportStore } from '../../src/reports/sqlite-store.ts';
import { PROJECT_ROOT } from '../../src/server/builds.ts';
import { startService, type Service } from '../../src/server/service.ts';
import { dataPaths, readIncidents } from '../../src/store/data-store.ts';
import { loadTape } from '../../src/tapes/load.ts';
import { GRAPH_TAPE_ENV } from '../replay/plan.ts';
import type { CycleRecord } from '../schedule/cycle-record.ts';
import { startLiveTape, type LiveTape } from './live-tape.ts';
import { createVirtualClock, demoConfig, demoWindow, describeEvent, speedFor } from './plan.ts';
import { freePort } from '../../src/lib/free-port.ts';

const DEFAULT_TAPE = path.join(PROJECT_ROOT, 'test/tapes/outages/2026-07-23-azure-west-us-network.tape.jsonl');
const USAGE = `usage: npm run demo -- [--tape <file>] [--minutes 5] [--speed N] [--port 4321] [--keep] [--verbose]

  --tape <file>   the recorded day to play (default: ${path.relative(PROJECT_ROOT, DEFAULT_TAPE)})
  --minutes <n>   play the day's interesting part in about n real minutes (default 5)
  --speed <n>     or give the speed-up directly (virtual seconds per real second)
  --port <n>      where the site is served (default $PORT or 4321; a free one if taken)
  --keep          keep the temporary data and builds directory
  --verbose       the service's own logs too
`;

const hhmm = (t: number | string | Date) => new Date(t).toISOString().slice(11, 16);

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        tape: { type: 'string' },
        minutes: { type: 'string' },
        speed: { type: 'string' },
        port: { type: 'string' },
        keep: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const tape = await loadTape(values.tape ?? DEFAULT_TAPE);
  const base = await loadConfig(defaultConfigPath());
  const window = demoWindow(tape);
  const speed = values.speed ? Number(values.speed) : speedFor(window, values.minutes ? Number(values.minutes) : 5);
  if (!Number.isFinite(speed) || speed < 1) {
    process.stderr.write(`--speed / --minutes: not a usable number\n`);
    return 2;
  }
  const wanted = Number(values.port ?? process.env.PORT ?? 4321);
  const port = (await portIsFree(wanted)) ? wanted : await freePort();

  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'outage-radar-demo-'));
  const dataDir = path.join(root, 'data');
  await fs.mkdir(dataDir, { recursive: true });
  const live: LiveTape = await startLiveTape({ tape, sources: base.sources, historyWeeks: base.crowd.baselineWeeks + 1 });
  let service: Service | null = null;
  let ticker: NodeJS.Timeout | null = null;
  const stopAll = async () => {
    if (ticker) clearInterval(ticker);
    await service?.close();
    await live.close();
    if (!values.keep) await fs.rm(root, { recursive: true, force: true });
    else say(`kept ${root}`);
  };

  try {
    // Crowd history before the window, with the store's coverage starting at its first report
    // (buckets before a store's coverage count as missing, not as zero).
    const first = live.reports[0]?.at ?? window.start;
    const history = SqliteReportStore.open(dataPaths(dataDir).reportsDb, reportPolicy(base), { now: () => new Date(Math.min(first, window.start)) });
    const historyCount = await live.feedReports(history, window.start);
    await history.close();
    live.advanceTo(window.start);

    const configFile = path.join(root, 'outage-radar.demo.config.json');
    const siteUrl = `http://127.0.0.1:${port}`;
    await fs.writeFile(configFile, `${JSON.stringify(demoConfig({ base, sources: live.sources, dataDir, siteUrl, schedule: '*/4 * * * * *' }), null, 2)}\n`);
    const config = await loadConfig(configFile, { ...process.env, OUTAGE_RADAR_DATA_DIR: '', OUTAGE_RADAR_SITE_URL: '' });
    const env: NodeJS.ProcessEnv = { ...process.env, ...(tape.header.graph ? GRAPH_TAPE_ENV : {}) };
    for (const k of ['OUTAGE_RADAR_DATA_DIR', 'OUTAGE_RADAR_SITE_URL', 'OUTAGE_RADAR_STATIC', 'OUTAGE_RADAR_REPORTS_DATABASE_URL']) delete env[k];

    say(`Outage Radar offline demo: ${tape.header.title}`);
    say(`  replaying ${hhmm(window.start)}–${hhmm(window.end)} UTC of ${new Date(window.start).toISOString().slice(0, 10)} at ${speed}× (about ${Math.round((window.end - window.start) / speed / 60_000)} min), ${historyCount} crowd reports of history loaded`);
    say(`  data and builds in ${root}`);
    say('  building the first version of the site…');

    const clock = createVirtualClock(window, speed, Date.now());
    // The narration below is the demo's output; the service's own lines only with --verbose.
    if (!values.verbose) process.env.OUTAGE_RADAR_LOG_LEVEL ??= 'error';
    const log = createLogger({ name: 'demo', level: values.verbose ? 'info' : 'error' });
    let applied = 0;
    const events = tape.events;
    let lastNotice = 0;
    const tick = async () => {
      const t = clock().getTime();
      live.advanceTo(t);
      while (applied < events.length && Date.parse(events[applied]!.at) <= t) {
        const e = events[applied++]!;
        const line = Date.parse(e.at) >= window.start ? describeEvent(e) : null;
        if (line) say(`  [${hhmm(e.at)}] ${line}`);
      }
      // Only once the service has opened its report store (the process-wide one it installed).
      if (service) {
        const runtime = await getReportRuntime();
        if (runtime.store) await live.feedReports(runtime.store, t);
      }
      if (t >= window.end && lastNotice === 0) {
        lastNotice = t;
        say(`  [${hhmm(t)}] the recorded day is told; the site keeps running at real speed. Ctrl-C stops the demo.`);
      }
    };
    let lastSummary = '';
    const onCycle = (r: CycleRecord) => {
      void readIncidents(dataDir).then(
        (incidents) => {
          const open = incidents.filter((i) => i.status !== 'resolved' && i.classification !== 'advisory');
          const list = open.map((i) => `${i.title.slice(0, 60)} (${i.status}, ${i.confidence}, ${i.evidence.length} evidence)`).join('; ');
          const summary = `indicator ${r.indicator ?? '?'}, ${open.length ? `open: ${list}` : 'no open incident'}`;
          // Quiet cycles (nothing new, no build) are not worth a line.
          if (summary === lastSummary && !r.build) return;
          lastSummary = summary;
          const build = r.build ? (r.build.ok ? ` · site rebuilt in ${(r.build.ms / 1000).toFixed(1)} s` : ` · build failed: ${r.build.error?.code}`) : '';
          say(`  [${hhmm(r.at)}] cycle: ${summary}${build}`);
        },
        (err: unknown) => log.warn('incidents unreadable', { err }),
      );
    };
    // Reports arrive while the service runs, into the store the service opened.
    ticker = setInterval(() => void tick().catch((err: unknown) => log.error('demo tick failed', { err })), 250);
    service = await startService({ config, port, host: '127.0.0.1', clock, env, log, buildsRoot: path.join(root, 'builds'), refreshMinutes: 30, onCycle, prettyLog: false });
    say('');
    say(`  Open ${service.url}/  (health: ${service.url}/healthz)`);
    say('  Watch the home page, a service page, /en/history.rss and /badges/en/teams.svg change as the day unfolds.');
    say('  Ctrl-C stops the demo.');
    say('');
  } catch (err) {
    await stopAll();
    throw err;
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return resolve(1);
      stopping = true;
      say('\n  stopping…');
      stopAll().then(
        () => resolve(0),
        (err: unknown) => {
          process.stderr.write(`${(err as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
