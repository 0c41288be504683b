/**
 * Wires the self-check service from the operator's config: the project's HTTP client (no redirects,
 * no retries, short deadline), our records as status, crowd reports, the per-client limiter. One
 * runtime per process (`getSelfCheckRuntime`), kept on `globalThis` like the report runtime so every
 * bundle of the built server shares one cache, one look-up cap and one limiter.
 */
import { createHttpClient, type OwnedHttpClient } from '../../scrapers/http/client.ts';
import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { normalizeClientAddress, pickClientAddress } from '../reports/client-id.ts';
import { getReportRuntime, isReportingEnabled } from '../reports/runtime.ts';
import { createSelfCheckService, type SelfCheckService } from './check.ts';
import { loadStatusContext, type CrowdAggregateSource } from './context.ts';
import { createMemoryRateLimiter, type RateLimiter } from './limits.ts';
import { resolveRecordSecret } from './record.ts';

export interface SelfCheckRuntime {
  config: LoadedConfig;
  /** The runtime's clock (the wall clock unless a test passes one). */
  now: () => Date;
  service: SelfCheckService;
  limiter: RateLimiter;
  /** Signs evidence-record permalinks (OUTAGE_RADAR_SELFCHECK_SECRET or `<dataDir>/.selfcheck-secret`). */
  recordSecret: string;
  /** The rate-limit key of a request: the client address grouped like the report endpoint does (IPv6 /64). */
  clientKey(input: { socketAddress: string | null | undefined; forwardedFor: string | null | undefined }): string;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: () => Date;
  /** Crowd reports (the report store), or null where there are none. */
  crowd: CrowdAggregateSource | null;
  env?: NodeJS.ProcessEnv;
}

export async function createSelfCheckRuntime(config: LoadedConfig, options: RuntimeOptions): Promise<SelfCheckRuntime> {
  const clock = options.clock ?? (() => new Date());
  const env = options.env ?? process.env;
  const sc = config.selfCheck;
  const http: OwnedHttpClient = createHttpClient({
    // Redirects off (an answer must never send us to another host), no retries (a slow Microsoft
    // endpoint must not make every visitor wait twice), and a small body cap.
    config: { ...config.http, maxRedirects: 0, retries: 0, deadlineMs: sc.httpTimeoutMs, maxBytes: 64 * 1024 },
    clock,
  });
  const crowd = options.crowd;
  const service = createSelfCheckService({
    settings: sc,
    http,
    clock,
    loadStatus: (now) => loadStatusContext(config.dataDirAbs, now, config.site.staleAfterMinutes),
    crowd,
    crowdOptions: { windowMinutes: 60, baselineWeeks: config.crowd.baselineWeeks, minCount: config.crowd.minCount, minRatio: config.crowd.minRatio },
  });
  const limiter = createMemoryRateLimiter({ perMinute: sc.rateLimitPerMinute, perDay: sc.rateLimitPerDay });
  const recordSecret = await resolveRecordSecret(env, config.dataDirAbs);
  const trustProxy = env.OUTAGE_RADAR_TRUST_PROXY === '1';
  return {
    config,
    now: clock,
    service,
    limiter,
    recordSecret,
    clientKey(input) {
      const address = pickClientAddress({ ...input, trustProxy });
      return (address && normalizeClientAddress(address)) ?? 'unknown-client';
    },
    async close() {
      await http.close();
    },
  };
}

/** Crowd reports from the process's report runtime (one store per process, shared with /api/reports). */
export const reportRuntimeCrowd: CrowdAggregateSource = {
  async aggregate(from, to) {
    const runtime = await getReportRuntime();
    if (!runtime.store) throw Object.assign(new Error('reports are off'), { code: 'STORE_UNAVAILABLE' });
    return runtime.store.aggregate(from, to);
  },
};

const KEY = Symbol.for('outage-radar.selfcheck-runtime');
type Slot = { runtime?: Promise<SelfCheckRuntime> };

function slot(): Slot {
  const g = globalThis as unknown as Record<symbol, Slot | undefined>;
  return (g[KEY] ??= {});
}

/**
 * The process-wide runtime for the on-demand routes, created on first use from the default config.
 * A failed start (bad config) is not remembered: the next request tries again.
 */
export function getSelfCheckRuntime(): Promise<SelfCheckRuntime> {
  const s = slot();
  if (!s.runtime) {
    const created = loadConfig().then((config) =>
      createSelfCheckRuntime(config, { crowd: isReportingEnabled(config) ? reportRuntimeCrowd : null }),
    );
    s.runtime = created;
    created.catch(() => {
      if (s.runtime === created) s.runtime = undefined;
    });
  }
  return s.runtime;
}
