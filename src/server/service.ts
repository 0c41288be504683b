/**
 * The whole service of `npm start` in one process: an HTTP server for the built site and the
 * on-demand routes, and cycles on the configured schedule that scrape, correlate, notify and
 * rebuild the site into a fresh directory, swapped in only after it was built and verified.
 *
 * - Never two cycles at once: one in-process runner (scheduler.ts) plus the data lock.
 * - No rebuild when nothing changed (except to keep "data as of" honest, see decideBuild).
 * - A failed scrape or build leaves the last good site online; the page shows its data's age.
 * - The on-demand handler comes from the build being served (on-demand.ts explains the reuse).
 * - `close()` stops accepting, lets the cycle in progress finish its writes (bounded), drains
 *   notifications and closes the stores.
 */
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.ts';
import type { StatusSnapshot } from '../domain/schemas.ts';
import type { Logger } from '../lib/log.ts';
import { clearSiteDataCache } from '../lib/site-data.ts';
import { createReportFastPath } from '../reports/http.ts';
import { closeReportRuntime, createReportRuntime, getReportRuntime, setReportRuntime, type ReportRuntime } from '../reports/runtime.ts';
import { dataPaths, readStatus } from '../store/data-store.ts';
import { withLock } from '../store/files.ts';
import { createCrowdProvider } from '../../scrapers/crowd/provider.ts';
import type { SignalProvider } from '../../scrapers/cycle.ts';
import { createHttpClient, type OwnedHttpClient } from '../../scrapers/http/client.ts';
import { closeNotifiers, drainNotifications } from '../../scrapers/notify/index.ts';
import { decideBuild, toSourceRecord, type BuildReason, type BuildRecord, type CycleRecord } from '../../scrapers/schedule/cycle-record.ts';
import { createScheduler, parseSchedule, type RunReason, type Scheduler } from '../../scrapers/schedule/scheduler.ts';
import { runScrapeStep } from '../../scrapers/schedule/scrape-step.ts';
import { activateBuild, BuildError, PROJECT_ROOT, pruneBuilds, readCurrentBuild, runBuild, verifyBuild } from './builds.ts';
import { isPrettyLog, logCycle } from './cycle-log.ts';
import { buildHealthReport } from './health.ts';
import { fingerprintSources, loadOnDemandApp, type OnDemandApp } from './on-demand.ts';
import { createSiteHandler, type RouteHook } from './site-handler.ts';
import { loadStaticSite, type StaticSite } from './static-site.ts';

export interface ServiceOptions {
  config: LoadedConfig;
  /** Listen address (default 127.0.0.1) and port (default 4321; 0 = any free port). */
  host?: string;
  port?: number;
  /** Where builds go (default `<project>/builds`). */
  buildsRoot?: string;
  /** The checkout whose Astro site is built (default: this one). */
  projectRoot?: string;
  /** The cycle's clock (default: the wall clock; the demo passes a faster virtual one). */
  clock?: () => Date;
  env?: NodeJS.ProcessEnv;
  log: Logger;
  /** Run cycles on `config.schedule` (default true). */
  schedule?: boolean;
  /** `POST /__test/cycle` runs a cycle and answers with its record (tests only; loopback only). */
  testTrigger?: boolean;
  /** Memory for served file bytes (default 256 MiB). */
  memoryBudgetBytes?: number;
  /** Rebuild without changes when the served "data as of" lags by this much (default staleAfterMinutes / 3). */
  refreshMinutes?: number;
  /** Readable multi-line cycle reports (default: when stderr is a terminal). */
  prettyLog?: boolean;
  /** How long `close()` waits for the cycle in progress before stopping its sources and build (default 10 s). */
  cycleGraceMs?: number;
  /** Called after each swap (tests, demo). */
  onSwap?: (build: ServedBuild) => void;
  /** Called after each cycle (tests, demo). */
  onCycle?: (record: CycleRecord) => void;
}

export interface ServedBuild {
  id: string;
  dir: string;
  builtAt: string;
  dataAsOf: string | null;
  fingerprint: string | null;
}

export interface Service {
  /** `http://host:port` */
  readonly url: string;
  readonly server: Server;
  /** Runs a cycle after the one in progress; resolves with its record. */
  runCycleNow(): Promise<CycleRecord | null>;
  served(): ServedBuild | null;
  lastCycle(): CycleRecord | null;
  health(): ReturnType<typeof buildHealthReport>;
  /** Graceful stop (see module doc). Resolves when everything is closed. */
  close(): Promise<void>;
}

const BUILD_INFO = 'build-info.json';
const CYCLE_GRACE_MS = 10_000;
const CYCLE_ABORT_WAIT_MS = 20_000;
const DRAIN_MS = 5_000;

interface Served {
  build: ServedBuild;
  site: StaticSite;
  app: OnDemandApp | null;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

async function readBuildInfo(dir: string): Promise<Partial<ServedBuild>> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, BUILD_INFO), 'utf8')) as Partial<ServedBuild>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

function errorInfo(err: unknown): { code: string; message: string } {
  const code = (err as { code?: unknown })?.code;
  return { code: typeof code === 'string' ? code : 'UNEXPECTED', message: err instanceof Error ? err.message : String(err) };
}

export async function startService(options: ServiceOptions): Promise<Service> {
  const { config, log } = options;
  const env = options.env ?? process.env;
  const clock = options.clock ?? (() => new Date());
  const wall = () => new Date();
  const projectRoot = options.projectRoot ?? PROJECT_ROOT;
  const buildsRoot = path.resolve(options.buildsRoot ?? path.join(projectRoot, 'builds'));
  const refreshMinutes = options.refreshMinutes ?? config.site.staleAfterMinutes / 3;
  const pretty = options.prettyLog ?? isPrettyLog(env);
  const startedAt = wall();
  parseSchedule(config.schedule);
  await fs.mkdir(buildsRoot, { recursive: true });
  await fs.mkdir(config.dataDirAbs, { recursive: true });

  // Astro's on-demand routes (bundled into the build) load the config themselves: same file, same data.
  process.env.OUTAGE_RADAR_CONFIG = config.configFile;
  process.env.OUTAGE_RADAR_DATA_DIR = config.dataDirAbs;

  let reportRuntime: ReportRuntime | null = null;
  try {
    reportRuntime = await createReportRuntime(config, env, clock);
    setReportRuntime(reportRuntime);
  } catch (err) {
    // The report routes retry opening on their next request; the site and the cycles run regardless.
    log.error('report intake could not be opened', { err });
  }
  // Crowd spikes from visitor reports (and data/crowd.json for the pages); without an open store
  // the provider opens one per cycle, and with reports off it records that there is no crowd data.
  const providers: SignalProvider[] = [createCrowdProvider(reportRuntime?.store ?? undefined)];

  const http: OwnedHttpClient = createHttpClient({
    config: config.http,
    hostsFile: path.join(config.dataDirAbs, 'hosts.json'),
    clock,
    log: (entry) => log[entry.level](entry.message, { event: entry.event, host: entry.host, source: entry.sourceId }),
  });

  let served: Served | null = null;
  let previousBuildId: string | null = null;
  let lastCycle: CycleRecord | null = null;
  let lastBuildError: { code: string; message: string; at: string } | null = null;
  let status: StatusSnapshot | null = await readStatus(config.dataDirAbs).catch((err: unknown) => {
    log.warn('data/status.json unreadable at start', { err });
    return null;
  });
  const shutdown = new AbortController();
  let fingerprint: string | null = await fingerprintSources(projectRoot, config.configFile, env).catch((err: unknown) => {
    log.warn('cannot fingerprint the sources; the on-demand handler is re-imported with every build', { err });
    return null;
  });

  /** Loads a verified build and makes it current: static files, on-demand handler, `current` link. */
  const swapIn = async (build: ServedBuild): Promise<void> => {
    const site = await loadStaticSite({ id: build.id, dir: path.join(build.dir, 'client'), previous: served?.site ?? null, memoryBudgetBytes: options.memoryBudgetBytes, now: wall() });
    const app = await loadOnDemandApp(build.dir, build.fingerprint, served?.app ?? null);
    await fs.writeFile(path.join(build.dir, BUILD_INFO), `${JSON.stringify(build, null, 2)}\n`);
    previousBuildId = served?.build.id ?? previousBuildId;
    served = { build, site, app };
    await activateBuild(buildsRoot, build.id);
    clearSiteDataCache();
    const keep = new Set([build.id, ...(previousBuildId ? [previousBuildId] : []), ...(app ? [path.basename(app.buildDir)] : [])]);
    const removed = await pruneBuilds(buildsRoot, keep);
    log.info('serving build', {
      build: build.id,
      dataAsOf: build.dataAsOf,
      files: site.stats.files,
      compressed: site.stats.compressed,
      reused: site.stats.reused,
      cachedMB: Math.round(site.stats.cachedBytes / 1e5) / 10,
      loadMs: site.stats.loadMs,
      handler: app ? path.basename(app.buildDir) : null,
      ...(removed.length ? { removed } : {}),
    });
    options.onSwap?.(build);
    // For a proxy's gzip_static/brotli_static; requests here are served from memory meanwhile.
    site.persistVariants().then(
      (written) => log.debug('precompressed variants written', { build: build.id, written }),
      (err: unknown) => log[(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'debug' : 'warn']('precompressed variants not written', { build: build.id, err }),
    );
  };

  /** Builds (under the data lock, so no cycle of another process writes meanwhile), verifies and swaps. */
  const buildAndSwap = async (reason: BuildReason, now: Date): Promise<BuildRecord> => {
    const t0 = wall().getTime();
    try {
      const fp = await fingerprintSources(projectRoot, config.configFile, env).catch(() => null);
      const result = await withLock(dataPaths(config.dataDirAbs).lock, () => runBuild({ buildsRoot, config, now, wall, env, log, signal: shutdown.signal, projectRoot }));
      fingerprint = fp;
      try {
        await swapIn({ id: result.id, dir: result.dir, builtAt: result.builtAt, dataAsOf: result.dataAsOf, fingerprint: fp });
      } catch (err) {
        await fs.rm(result.dir, { recursive: true, force: true });
        throw new BuildError('BUILD_INVALID', `build ${result.id} could not be loaded: ${(err as Error).message}`, '', { cause: err });
      }
      lastBuildError = null;
      return { reason, ok: true, id: result.id, ms: wall().getTime() - t0, error: null };
    } catch (err) {
      const error = errorInfo(err);
      lastBuildError = { ...error, at: wall().toISOString() };
      if (err instanceof BuildError && err.output) log.debug('build output', { output: err.output });
      return { reason, ok: false, id: null, ms: wall().getTime() - t0, error };
    }
  };

  const runOneCycle = async (reason: RunReason): Promise<void> => {
    const startedWall = wall();
    const now = clock();
    if (pretty) log.info('cycle started', { reason, now: now.toISOString() });
    const step = await runScrapeStep({ config, now, http, env, providers, log, signal: shutdown.signal });
    const scrapeMs = wall().getTime() - startedWall.getTime();
    let build: BuildRecord | null = null;
    let record: CycleRecord;
    if (step.ok) {
      status = step.report.status;
      const decision = decideBuild({
        changed: step.report.changed,
        served: served ? { dataAsOf: served.build.dataAsOf, fingerprint: served.build.fingerprint } : null,
        lastBuildFailed: lastBuildError !== null,
        dataAsOf: status.lastSuccessfulCycleAt,
        refreshMinutes,
        fingerprint,
      });
      if (decision && !shutdown.signal.aborted) {
        if (pretty) log.info('building the site', { reason: decision });
        build = await buildAndSwap(decision, now);
      }
      record = {
        at: now.toISOString(),
        startedAt: startedWall.toISOString(),
        durationMs: 0,
        reason,
        outcome: 'ok',
        error: null,
        scrapeMs,
        changed: step.report.changed,
        indicator: step.report.status.indicator,
        counts: step.report.counts,
        sources: step.report.sources.map(toSourceRecord),
        notifications: step.notifications,
        build,
      };
    } else {
      // Bad data or another process's cycle: nothing was written; a site must still come up.
      if (!served && step.outcome === 'failed' && !shutdown.signal.aborted) build = await buildAndSwap('no-build', now);
      record = {
        at: now.toISOString(),
        startedAt: startedWall.toISOString(),
        durationMs: 0,
        reason,
        outcome: step.outcome,
        error: step.error,
        scrapeMs,
        changed: false,
        indicator: null,
        counts: null,
        sources: [],
        notifications: null,
        build,
      };
    }
    record.durationMs = wall().getTime() - startedWall.getTime();
    lastCycle = record;
    logCycle(log, record, pretty);
    options.onCycle?.(record);
  };

  const scheduler: Scheduler = createScheduler({ schedule: config.schedule, run: runOneCycle, log });

  const health = () =>
    buildHealthReport({
      wall: wall(),
      now: clock(),
      startedAt,
      staleAfterMinutes: config.site.staleAfterMinutes,
      build: served
        ? { id: served.build.id, builtAt: served.build.builtAt, dataAsOf: served.build.dataAsOf, files: served.site.stats.files, handlerBuild: served.app ? path.basename(served.app.buildDir) : null }
        : null,
      lastCycle,
      lastBuildError,
      status,
      cycleRunning: scheduler.isRunning,
      nextCycleAt: scheduler.nextRunAt(),
      schedule: config.schedule,
    });

  const hooks: RouteHook[] = [];
  if (options.testTrigger) {
    hooks.push((req, res, pathname) => {
      if (pathname !== '/__test/cycle') return false;
      if (req.method !== 'POST' || !isLoopback(req.socket.remoteAddress)) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Not found\n');
        return true;
      }
      void scheduler.runNow('manual').then(() => {
        const body = JSON.stringify(lastCycle);
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(body);
      });
      return true;
    });
  }
  const reportPath = createReportFastPath(async () => (await getReportRuntime()).context, config.site.defaultLang);
  hooks.push((req, res) => reportPath(req, res));

  const handler = createSiteHandler({
    getSite: () => served?.site ?? null,
    getOnDemand: () => served?.app ?? null,
    health: () => {
      const h = health();
      return { status: h.httpStatus, body: `${JSON.stringify(h.report, null, 2)}\n` };
    },
    hooks,
    log,
  });
  const server = createServer({ keepAliveTimeout: 5_000 }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4321, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}`;
  log.info('listening', { url, schedule: config.schedule, dataDir: config.dataDirAbs, builds: buildsRoot });

  // Serve the last good build at once if there is one; otherwise build one from the data on disk.
  const existing = await readCurrentBuild(buildsRoot);
  if (existing) {
    try {
      const facts = await verifyBuild(existing.dir);
      const info = await readBuildInfo(existing.dir);
      await swapIn({ id: existing.id, dir: existing.dir, builtAt: info.builtAt ?? new Date(0).toISOString(), dataAsOf: facts.dataAsOf, fingerprint: info.fingerprint ?? null });
    } catch (err) {
      log.warn('the previous build cannot be served; building a new one', { build: existing.id, err });
    }
  }
  if (!served) {
    log.info('no build yet: building the site from the data on disk');
    const b = await buildAndSwap('no-build', clock());
    if (!b.ok) log.error('the first build failed; retrying with the next cycle', { error: b.error });
  }

  if (options.schedule ?? true) scheduler.start();
  void scheduler.runNow('start');

  let closing: Promise<void> | null = null;
  return {
    url,
    server,
    async runCycleNow() {
      await scheduler.runNow('manual');
      return lastCycle;
    },
    served: () => served?.build ?? null,
    lastCycle: () => lastCycle,
    health,
    close() {
      closing ??= (async () => {
        log.info('shutting down', {});
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        let finished = await scheduler.stop(options.cycleGraceMs ?? CYCLE_GRACE_MS);
        if (!finished) {
          log.warn('cycle still running: aborting its sources; its writes still complete', {});
          shutdown.abort();
          finished = await scheduler.stop(CYCLE_ABORT_WAIT_MS);
          if (!finished) log.error('cycle did not finish in time', {});
        }
        shutdown.abort();
        const drained = await drainNotifications(DRAIN_MS).catch((err: unknown) => {
          log.error('notification drain failed', { err });
          return [];
        });
        if (drained.length) log.info('notifications drained', { summaries: drained });
        await closeNotifiers();
        await http.close();
        await closeReportRuntime();
        const forceClose = setTimeout(() => server.closeAllConnections(), 5_000);
        forceClose.unref();
        await closed;
        clearTimeout(forceClose);
        log.info('stopped', {});
      })();
      return closing;
    },
  };
}
