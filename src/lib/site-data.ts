/**
 * The site's only I/O: reads config and the records in the data dir (validated by the data store)
 * once per build process. `now` comes from `OUTAGE_RADAR_NOW` (tests, benchmarks, replays) or the
 * wall clock, read here at the edge and passed down everywhere else.
 */
import { promises as fs } from 'node:fs';
import { loadConfig, type LoadedConfig } from '../config/load.ts';
import type { Incident, SourceHealth, StatusSnapshot } from '../domain/schemas.ts';
import { dataPaths, readIncidents, readSourceHealth, readStatus } from '../store/data-store.ts';

export interface SiteData {
  config: LoadedConfig;
  now: Date;
  status: StatusSnapshot | null;
  /** Every incident, newest start first (ties: id). */
  incidents: Incident[];
  sources: Map<string, SourceHealth>;
  /** `YYYY-MM-DD` of the first day we hold any record for, null when there are none. */
  coverageStartDay: string | null;
}

export class SiteDataError extends Error {
  readonly code = 'SITE_NOW_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'SiteDataError';
  }
}

/** Parses `OUTAGE_RADAR_NOW` (ISO-8601) or returns the wall clock. */
export function resolveNow(env: NodeJS.ProcessEnv = process.env): Date {
  const raw = env.OUTAGE_RADAR_NOW;
  if (!raw) return new Date();
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new SiteDataError(`OUTAGE_RADAR_NOW is not an ISO-8601 time: ${raw}`);
  return new Date(ms);
}

async function firstSignalDay(dataDir: string): Promise<string | null> {
  try {
    const names = await fs.readdir(dataPaths(dataDir).signalsDir);
    const days = names.filter((n) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(n)).sort();
    return days[0]?.slice(0, 10) ?? null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The first day we hold any record for: earliest signal day file, incident start or cycle. */
export function deriveCoverageStart(
  firstSignal: string | null,
  incidents: readonly Pick<Incident, 'startedAt'>[],
  status: StatusSnapshot | null,
): string | null {
  const candidates = [firstSignal];
  for (const i of incidents) candidates.push(i.startedAt.slice(0, 10));
  if (status?.lastSuccessfulCycleAt) candidates.push(status.lastSuccessfulCycleAt.slice(0, 10));
  const days = candidates.filter((d): d is string => d !== null).sort();
  return days[0] ?? null;
}

/** Sorts incidents newest start first, id as tie-breaker (stable across builds). */
export function sortIncidents(incidents: Incident[]): Incident[] {
  return incidents.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? -1 : 1));
}

/** Reads everything the site renders. Throws DataError (code DATA_INVALID) naming a bad file. */
export async function loadSiteData(options: { configFile?: string; env?: NodeJS.ProcessEnv } = {}): Promise<SiteData> {
  const env = options.env ?? process.env;
  const config = await loadConfig(options.configFile, env);
  const dir = config.dataDirAbs;
  const [status, incidents, sources, firstSignal] = await Promise.all([
    readStatus(dir),
    readIncidents(dir),
    readSourceHealth(dir),
    firstSignalDay(dir),
  ]);
  sortIncidents(incidents);
  return {
    config,
    now: resolveNow(env),
    status,
    incidents,
    sources,
    coverageStartDay: deriveCoverageStart(firstSignal, incidents, status),
  };
}

// One load per process: Astro's prerender bundle and the build hook are separate module
// instances, so the cache lives on globalThis, keyed by what determines the result.
const CACHE_KEY = Symbol.for('outage-radar.site-data');
type Cache = Map<string, Promise<SiteData>>;

/** The build's site data, loaded once per process (per data dir, config file and now). */
export function getSiteData(): Promise<SiteData> {
  const g = globalThis as unknown as Record<symbol, Cache | undefined>;
  const cache = (g[CACHE_KEY] ??= new Map());
  const key = [process.env.OUTAGE_RADAR_CONFIG, process.env.OUTAGE_RADAR_DATA_DIR, process.env.OUTAGE_RADAR_SITE_URL, process.env.OUTAGE_RADAR_NOW].join('\u0000');
  let promise = cache.get(key);
  if (!promise) {
    // Only the current inputs are kept: a long-lived process must not pile up old loads.
    cache.clear();
    promise = loadSiteData();
    cache.set(key, promise);
  }
  return promise;
}

/**
 * Forgets every cached load, so the next `getSiteData()` reads the data dir again. `npm start` calls
 * it after each build swap: its on-demand pages render in one long-lived process.
 */
export function clearSiteDataCache(): void {
  const g = globalThis as unknown as Record<symbol, Cache | undefined>;
  g[CACHE_KEY]?.clear();
}
