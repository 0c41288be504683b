/**
 * The self-check service shared by the /check route and `npm run check`: parsed input in, a full
 * result out (facts, our status, crowd, verdict). Domain facts are cached per domain, identical
 * concurrent look-ups are coalesced, and all outgoing look-ups share one concurrency cap. Nothing
 * about the visitor is kept: the cache key is the domain, and the mailbox part never arrives here.
 */
import type { HttpClient } from '../../scrapers/http/types.ts';
import type { ServiceId } from '../domain/services.ts';
import { findCatalogEntry } from './catalog/index.ts';
import type { CatalogEntry } from './catalog/schema.ts';
import { loadCrowdContext, type CrowdAggregateSource, type CrowdOptions } from './context.ts';
import { createDnsResolver, gatherDnsFacts, type DnsResolverLike, type LookupRunner } from './dns.ts';
import { gatherDirectoryFacts } from './directory.ts';
import { LOOKUP_KINDS, type CrowdContext, type DomainFacts, type LookupKind, type StatusContext } from './facts.ts';
import { createSemaphore, createSingleFlight, TtlCache } from './limits.ts';
import type { ParsedTarget, Symptom } from './parse.ts';
import { decideVerdict, servicesForSymptom, type Verdict } from './verdict.ts';

export interface SelfCheckSettings {
  dnsServers: readonly string[];
  timeoutMs: number;
  tries: number;
  httpTimeoutMs: number;
  directory: { realmBaseUrl: string; userRealmBaseUrl: string; openIdBaseUrl: string };
  cacheSeconds: number;
  negativeCacheSeconds: number;
  maxConcurrentLookups: number;
  maxQueuedLookups: number;
  placeholderMailbox: string;
}

export interface SelfCheckDeps {
  settings: SelfCheckSettings;
  http: HttpClient;
  clock: () => Date;
  /** Our status at `now` (cached by the caller or here; see statusCacheSeconds). */
  loadStatus: (now: Date) => Promise<StatusContext>;
  crowd: CrowdAggregateSource | null;
  crowdOptions: CrowdOptions;
  /** Defaults to a `node:dns` Resolver with the configured servers. */
  createResolver?: () => DnsResolverLike;
  /** How long our status and crowd picture is reused; a few seconds keeps a burst cheap. */
  contextCacheSeconds?: number;
}

export interface CheckRequest {
  target: ParsedTarget;
  symptoms: readonly Symptom[];
}

export interface CheckResult {
  checkedAt: string;
  domain: string;
  displayDomain: string;
  hadMailbox: boolean;
  symptom: Symptom | null;
  /** Codes found beyond the first (shown, not decided on). */
  otherSymptoms: Symptom[];
  entry: CatalogEntry | null;
  services: ServiceId[];
  domainFacts: DomainFacts;
  /** True when the domain facts came from the cache. */
  cached: boolean;
  status: StatusContext;
  crowd: CrowdContext;
  verdict: Verdict;
}

export interface SelfCheckStats {
  lookups: Record<LookupKind, number>;
  domainCacheHits: number;
  domainLookups: number;
  coalesced: number;
  peakConcurrentLookups: number;
}

export interface SelfCheckService {
  check(req: CheckRequest): Promise<CheckResult>;
  stats(): SelfCheckStats;
}

/** Picks the symptom to decide on: the first one the catalog knows, else the first found. */
export function pickSymptom(symptoms: readonly Symptom[]): { symptom: Symptom | null; entry: CatalogEntry | null; others: Symptom[] } {
  const known = symptoms.find((s) => findCatalogEntry(s) !== null);
  const symptom = known ?? symptoms[0] ?? null;
  return { symptom, entry: symptom ? findCatalogEntry(symptom) : null, others: symptoms.filter((s) => s !== symptom) };
}

export function createSelfCheckService(deps: SelfCheckDeps): SelfCheckService {
  const { settings } = deps;
  const semaphore = createSemaphore(
    settings.maxConcurrentLookups,
    settings.maxQueuedLookups,
    Math.max(settings.timeoutMs * settings.tries, settings.httpTimeoutMs),
  );
  const counts = Object.fromEntries(LOOKUP_KINDS.map((k) => [k, 0])) as Record<LookupKind, number>;
  const run: LookupRunner = (kind, fn) =>
    semaphore.run(() => {
      counts[kind]++;
      return fn();
    });
  const domainCache = new TtlCache<DomainFacts>(10_000);
  const domainFlight = createSingleFlight<DomainFacts>();
  const contextCache = new TtlCache<StatusContext | CrowdContext>(256);
  const contextFlight = createSingleFlight<StatusContext | CrowdContext>();
  const contextTtlMs = (deps.contextCacheSeconds ?? 10) * 1000;
  let domainCacheHits = 0;
  let domainLookups = 0;
  const makeResolver =
    deps.createResolver ?? (() => createDnsResolver({ servers: settings.dnsServers, timeoutMs: settings.timeoutMs, tries: settings.tries }));

  async function lookUpDomain(domain: string): Promise<DomainFacts> {
    domainLookups++;
    const started = deps.clock();
    const resolver = makeResolver();
    // c-ares backs off between tries; this outer deadline makes "unknown after a timeout" certain.
    const dnsDeadline = setTimeout(() => resolver.cancel(), settings.timeoutMs * settings.tries * 2 + 500);
    try {
      const [dns, dir] = await Promise.all([
        gatherDnsFacts(domain, resolver, run),
        gatherDirectoryFacts(domain, deps.http, run, {
          ...settings.directory,
          placeholderMailbox: settings.placeholderMailbox,
          deadlineMs: settings.httpTimeoutMs,
        }),
      ]);
      return {
        domain,
        checkedAt: started.toISOString(),
        facts: [...dns.facts, ...dir.facts],
        summary: {
          domainExists: dns.domainExists,
          mxAtMicrosoft: dns.mxAtMicrosoft,
          microsoftDnsTraces: dns.microsoftDnsTraces,
          directory: dir.state,
          tenantId: dir.tenantId,
          cloud: dir.cloud ?? dns.mxCloud,
        },
      };
    } finally {
      clearTimeout(dnsDeadline);
    }
  }

  async function domainFacts(domain: string, now: Date): Promise<{ facts: DomainFacts; cached: boolean }> {
    const hit = domainCache.get(domain, now.getTime());
    if (hit) {
      domainCacheHits++;
      return { facts: hit, cached: true };
    }
    const facts = await domainFlight.run(domain, async () => {
      const result = await lookUpDomain(domain);
      const negative = result.facts.some((f) => f.state === 'unknown') || result.summary.directory === 'unknown-to-microsoft';
      // "We were too busy to ask" says nothing about the domain: never reuse it.
      const busy = result.facts.some((f) => f.values.includes('SELFCHECK_BUSY'));
      const ttl = busy ? 0 : (negative ? Math.min(settings.negativeCacheSeconds, settings.cacheSeconds) : settings.cacheSeconds) * 1000;
      domainCache.set(domain, result, ttl, deps.clock().getTime());
      return result;
    });
    return { facts, cached: false };
  }

  function cachedContext<T extends StatusContext | CrowdContext>(key: string, now: Date, load: () => Promise<T>): Promise<T> {
    const hit = contextCache.get(key, now.getTime());
    if (hit) return Promise.resolve(hit as T);
    return contextFlight.run(key, async () => {
      const value = await load();
      contextCache.set(key, value, contextTtlMs, deps.clock().getTime());
      return value;
    }) as Promise<T>;
  }

  return {
    async check(req) {
      const now = deps.clock();
      const { symptom, entry, others } = pickSymptom(req.symptoms);
      const services = servicesForSymptom(symptom, entry);
      const code = symptom?.code ?? null;
      const [{ facts, cached }, status, crowd] = await Promise.all([
        domainFacts(req.target.domain, now),
        cachedContext('status', now, () => deps.loadStatus(now)),
        cachedContext(`crowd:${services.join(',')}:${code ?? ''}`, now, () =>
          loadCrowdContext(deps.crowd, services, code, now, deps.crowdOptions),
        ),
      ]);
      const verdict = decideVerdict({ symptom, entry, domain: facts.summary, status, crowd });
      return {
        checkedAt: now.toISOString(),
        domain: req.target.domain,
        displayDomain: req.target.displayDomain,
        hadMailbox: req.target.hadMailbox,
        symptom,
        otherSymptoms: others,
        entry,
        services,
        domainFacts: facts,
        cached,
        status,
        crowd,
        verdict,
      };
    },
    stats() {
      return {
        lookups: { ...counts },
        domainCacheHits,
        domainLookups,
        coalesced: domainFlight.coalesced,
        peakConcurrentLookups: semaphore.peak,
      };
    },
  };
}
