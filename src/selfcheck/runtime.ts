/**
 * Wires the self-check service from the operator's config: the project's HTTP client (no redirects,
 * no retries, short deadline), our records as status, the report store as crowd source, the
 * per-client limiter. One runtime per process (`getSelfCheckRuntime`), shared by every request.
 */
import { createHttpClient, type OwnedHttpClient } from '../../scrapers/http/client.ts';
import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { normalizeClientAddress, pickClientAddress } from '../reports/client-id.ts';
import { openReportStore } from '../reports/open-store.ts';
import type { ReportStore } from '../reports/store.ts';
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
  /** Crowd source; default: the configured report store when reports are enabled, else none. */
  crowd?: CrowdAggregateSource | null;
  env?: NodeJS.ProcessEnv;
}

export async function createSelfCheckRuntime(config: LoadedConfig, options: RuntimeOptions = {}): Promise<SelfCheckRuntime> {
  const clock = options.clock ?? (() => new Date());
  const env = options.env ?? process.env;
  const sc = config.selfCheck;
  const http: OwnedHttpClient = createHttpClient({
    // Redirects off (an answer must never send us to another host), no retries (a slow Microsoft
    // endpoint must not make every visitor wait twice), and a small body cap.
    config: { ...config.http, maxRedirects: 0, retries: 0, deadlineMs: sc.httpTimeoutMs, maxBytes: 64 * 1024 },
    clock,
  });
  let store: ReportStore | null = null;
  let crowd: CrowdAggregateSource | null = options.crowd ?? null;
  if (options.crowd === undefined && config.reports.enabled && !config.site.staticHosting) {
    try {
      store = await openReportStore(config, env);
      crowd = store;
    } catch (err) {
      // Without the store the crowd part of the answer says "unavailable"; the check still works.
      if ((err as { code?: unknown }).code !== 'STORE_UNAVAILABLE' && (err as { code?: unknown }).code !== 'STORE_SCHEMA') throw err;
      crowd = null;
    }
  }
  const service = createSelfCheckService({
    settings: sc,
    http,
    clock,
    loadStatus: (now) => loadStatusContext(config.dataDirAbs, now, config.site.staleAfterMinutes),
    crowd,
    crowdOptions: { windowMinutes: 60, baselineWeeks: config.crowd.baselineWeeks, minCount: config.crowd.minCount },
  });
  const limiter = createMemoryRateLimiter({ perMinute: sc.rateLimitPerMinute });
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
      if (store) await store.close();
    },
  };
}

let shared: Promise<SelfCheckRuntime> | null = null;

/** The process-wide runtime for the on-demand route, created on first use from the default config. */
export function getSelfCheckRuntime(): Promise<SelfCheckRuntime> {
  shared ??= loadConfig().then((config) => createSelfCheckRuntime(config));
  shared.catch(() => {
    // A failed start (bad config) must not stick: the next request tries again and shows the error.
    shared = null;
  });
  return shared;
}
