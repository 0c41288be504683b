/**
 * The report intake of one server process: config, store, client hasher and summary cache, opened
 * once on first use and shared by every route that needs them. Kept on `globalThis`, so the Astro
 * routes (bundled into `dist/server`) and the node:http fast path (imported from `src/` by
 * `npm start`) share ONE store — one group-commit queue, one SQLite connection — in one process.
 *
 * Environment: OUTAGE_RADAR_TRUST_PROXY=1 takes the client address from X-Forwarded-For (set it
 * only behind a reverse proxy that overwrites or appends that header); see client-id.ts and
 * open-store.ts for the secret and the database.
 */
import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import type { ClientHasher } from './client-id.ts';
import { createClientHasher, openReportStore } from './open-store.ts';
import type { ReceiveContext } from './receive.ts';
import type { ReportStore } from './store.ts';
import { createSummaryCache, type SummaryCache } from './summary.ts';

export interface ReportRuntime {
  config: LoadedConfig;
  /** Null when reports are off (static hosting or `reports.enabled: false`): nothing is opened. */
  store: ReportStore | null;
  hasher: ClientHasher | null;
  context: ReceiveContext | null;
  summary: SummaryCache | null;
  log: Logger;
}

const KEY = Symbol.for('outage-radar.report-runtime');
type Slot = { runtime?: Promise<ReportRuntime> };

function slot(): Slot {
  const g = globalThis as unknown as Record<symbol, Slot | undefined>;
  return (g[KEY] ??= {});
}

/** True when this deployment accepts reports. */
export function isReportingEnabled(config: Pick<LoadedConfig, 'reports' | 'site'>): boolean {
  return config.reports.enabled && !config.site.staticHosting;
}

/** Builds a runtime from an explicit config (tests, `npm start`). */
export async function createReportRuntime(config: LoadedConfig, env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): Promise<ReportRuntime> {
  const log = createLogger({ name: 'reports' });
  if (!isReportingEnabled(config)) return { config, store: null, hasher: null, context: null, summary: null, log };
  const store = await openReportStore(config, env);
  const hasher = await createClientHasher(config, store, env);
  const context: ReceiveContext = {
    siteUrl: config.site.url,
    enabled: true,
    maxBodyBytes: config.reports.maxBodyBytes,
    store,
    hasher,
    trustProxy: env.OUTAGE_RADAR_TRUST_PROXY === '1',
    now,
    log,
  };
  const summary = createSummaryCache({ store, dataDir: config.dataDirAbs, now });
  log.info('report intake ready', { store: store.kind, trustProxy: context.trustProxy });
  return { config, store, hasher, context, summary, log };
}

/**
 * The process's runtime, created from the default config on first call. A failure is not
 * remembered: the next request tries again (e.g. PostgreSQL was still starting).
 */
export function getReportRuntime(): Promise<ReportRuntime> {
  const s = slot();
  if (!s.runtime) {
    const created = loadConfig().then((config) => createReportRuntime(config));
    s.runtime = created;
    created.catch(() => {
      if (s.runtime === created) s.runtime = undefined;
    });
  }
  return s.runtime;
}

/** Installs an already created runtime as the process's one (so `npm start` can open it first). */
export function setReportRuntime(runtime: ReportRuntime): void {
  slot().runtime = Promise.resolve(runtime);
}

/** Commits what is pending and closes the store (graceful shutdown). */
export async function closeReportRuntime(): Promise<void> {
  const s = slot();
  const pending = s.runtime;
  s.runtime = undefined;
  if (!pending) return;
  const runtime = await pending;
  await runtime.store?.close();
}
