/**
 * A small world for the fault suites: one local fixture server per source kind (each real source is
 * its own host, so one host's Retry-After never blocks another), six sources of six kinds in one
 * config, real adapters, the real HTTP client and real cycles on a virtual clock. Each case starts
 * from a copy of one data directory made by a good cycle, turns one source faulty and runs more
 * cycles; `snapshot` and `expectNothingLost` read what is on disk.
 */
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { runCycle, type CycleReport } from '../../scrapers/cycle.ts';
import { createHttpClient } from '../../scrapers/http/client.ts';
import { resolveAdapter, type AdapterResolver } from '../../scrapers/sources/index.ts';
import type { SourceAdapter } from '../../scrapers/sources/types.ts';
import { startFixtureServer, type FaultRoute, type FixtureRoute, type FixtureServer } from '../../scrapers/testing/fixture-server.ts';
import { parseConfig, type LoadedConfig } from '../../src/config/load.ts';
import type { Incident, Signal, SourceHealth, StatusSnapshot } from '../../src/domain/schemas.ts';
import type { ServiceId } from '../../src/domain/services.ts';
import { readIncidents, readSignals, readSourceHealth, readStatus } from '../../src/store/data-store.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const JSON_TYPE = 'application/json; charset=utf-8';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

export const SOURCE_KINDS = ['scm-posts', 'scm-feed', 'azure-rss', 'graph', 'news-feed', 'mastodon'] as const;
export type SourceKindName = (typeof SOURCE_KINDS)[number];

export const FAULTS = [
  'hang',
  'slow-drip',
  'status-500',
  'status-503-retry-after',
  'status-429-retry-after-seconds',
  'status-429-retry-after-date',
  'empty-200',
  'html-instead',
  'malformed',
  'truncated',
  'oversized',
  'wrong-charset',
  'redirect-loop',
  'connection-reset',
] as const;
export type FaultName = (typeof FAULTS)[number];

/** What the health record must say after one faulty read (`ok`: read, with mojibake, not failed). */
export const EXPECTED_CODE: Record<FaultName, string | readonly string[]> = {
  hang: 'SOURCE_TIMEOUT',
  'slow-drip': 'SOURCE_TIMEOUT',
  'status-500': 'SOURCE_HTTP_STATUS',
  'status-503-retry-after': 'SOURCE_RATE_LIMITED',
  'status-429-retry-after-seconds': 'SOURCE_RATE_LIMITED',
  'status-429-retry-after-date': 'SOURCE_RATE_LIMITED',
  'empty-200': 'SOURCE_EMPTY',
  // The default body is a bot-protection interstitial.
  'html-instead': 'SOURCE_BLOCKED',
  malformed: 'PARSE_FAILED',
  truncated: 'SOURCE_NETWORK',
  oversized: 'SOURCE_TOO_LARGE',
  'wrong-charset': 'ok',
  'redirect-loop': 'SOURCE_REDIRECT_LOOP',
  'connection-reset': 'SOURCE_NETWORK',
};

interface KindSpec {
  sourceId: string;
  adapter: string;
  /** Path of the route a fault replaces (Graph: the first collection after the token). */
  path: string;
  format: 'json' | 'xml';
  /** Services this source alone covers in the world's config (press and community: none). */
  services: ServiceId[];
  extra: Record<string, unknown>;
  /** Good routes, relative to the world prefix. */
  routes(): Promise<Record<string, FixtureRoute>>;
}

const fixture = (p: string) => readFile(path.join(FIXTURES, p), 'utf8');
const body = (text: string, contentType: string): FixtureRoute => ({ body: text, contentType, etag: 'auto' });

async function graphPage(name: string): Promise<string> {
  const page = JSON.parse(await fixture(name)) as Record<string, unknown>;
  delete page['@odata.nextLink'];
  return JSON.stringify(page);
}

export const KINDS: Record<SourceKindName, KindSpec> = {
  'scm-posts': {
    sourceId: 'scm-mac',
    adapter: 'status-cloud-microsoft-posts',
    path: '/api/posts/mac',
    format: 'json',
    services: ['exchange-online', 'm365-admin'],
    extra: {},
    routes: async () => ({ '/api/posts/mac': body(await fixture('microsoft/posts-mac-incident.json'), JSON_TYPE) }),
  },
  'scm-feed': {
    sourceId: 'scm-feed',
    adapter: 'status-cloud-microsoft-feed',
    path: '/api/feed/mac',
    format: 'xml',
    services: ['teams'],
    extra: {},
    routes: async () => ({ '/api/feed/mac': body(await fixture('microsoft/feed-mac-incident.xml'), RSS_TYPE) }),
  },
  'azure-rss': {
    sourceId: 'azure-status',
    adapter: 'azure-status-rss',
    path: '/en-us/status/feed/',
    format: 'xml',
    services: ['azure'],
    extra: {},
    routes: async () => ({ '/en-us/status/feed/': body(await fixture('microsoft/azure-rss-incident.xml'), 'application/rss+xml') }),
  },
  graph: {
    sourceId: 'graph',
    adapter: 'graph-service-health',
    path: '/graph/v1.0/admin/serviceAnnouncement/healthOverviews',
    format: 'json',
    services: ['entra-id', 'sharepoint'],
    extra: { tokenPath: '/login', urlPath: '/graph/v1.0' },
    routes: async () => ({
      '/login/tenant-a/oauth2/v2.0/token': { body: await fixture('microsoft/graph-token.json'), contentType: JSON_TYPE },
      '/graph/v1.0/admin/serviceAnnouncement/healthOverviews': { body: await graphPage('microsoft/graph-healthoverviews-page2.json'), contentType: JSON_TYPE },
      '/graph/v1.0/admin/serviceAnnouncement/issues': { body: await graphPage('microsoft/graph-issues-page2.json'), contentType: JSON_TYPE },
    }),
  },
  'news-feed': {
    sourceId: 'heise',
    adapter: 'news-feed',
    path: '/rss/heise-atom.xml',
    format: 'xml',
    services: [],
    extra: { outlet: 'heise online', lang: 'de' },
    routes: async () => ({ '/rss/heise-atom.xml': body(await fixture('news/heise-atom.xml'), ATOM_TYPE) }),
  },
  mastodon: {
    sourceId: 'mastodon',
    adapter: 'mastodon-tag',
    path: '/tags/outlookdown.rss',
    format: 'xml',
    services: [],
    extra: { outlet: 'mastodon.social #outlookdown' },
    routes: async () => ({ '/tags/outlookdown.rss': body(await fixture('news/mastodon-outlookdown-social.xml'), RSS_TYPE) }),
  },
};

export const GRAPH_ENV = { GRAPH_TENANT_ID: 'tenant-a', GRAPH_CLIENT_ID: 'client-1', GRAPH_CLIENT_SECRET: 'fault-suite-secret' };

/** Short limits, so a hang costs little, yet far above what a local answer needs on a loaded machine. */
export const HTTP_LIMITS = { deadlineMs: 1_500, connectTimeoutMs: 1_000, headersTimeoutMs: 1_200, bodyTimeoutMs: 1_200, maxBytes: 256 * 1024, maxRedirects: 3, retries: 0 };
export const SOURCE_DEADLINE_MS = 3_000;
export const CYCLE_DEADLINE_MS = 5_000;
export const BLIND_AFTER_MINUTES = 20;
export const INTERVAL_MINUTES = 5;

/** The route a fault puts in place of a source's good one. */
export function faultRoute(fault: FaultName, kind: SourceKindName, good: FixtureRoute, at: Date): FaultRoute {
  const spec = KINDS[kind];
  const goodText = 'fault' in good ? '' : typeof good.body === 'string' ? good.body : Buffer.from(good.body).toString('utf8');
  const contentType = spec.format === 'json' ? JSON_TYPE : RSS_TYPE;
  switch (fault) {
    case 'hang':
      return { fault: 'hang' };
    case 'slow-drip':
      return { fault: 'drip', body: goodText, contentType, chunkBytes: 8, intervalMs: 300 };
    case 'status-500':
      return { fault: 'status', status: 500, body: 'Internal Server Error' };
    case 'status-503-retry-after':
      return { fault: 'rate-limit', status: 503, retryAfter: 120 };
    case 'status-429-retry-after-seconds':
      return { fault: 'rate-limit', retryAfter: 3600 };
    case 'status-429-retry-after-date':
      return { fault: 'rate-limit', retryAfter: new Date(at.getTime() + 2 * 3600_000) };
    case 'empty-200':
      return { fault: 'empty', contentType };
    case 'html-instead':
      return { fault: 'html' };
    case 'malformed':
      return spec.format === 'json' ? { fault: 'malformed', body: '{"value": [{"service": "Exchange Onl', contentType } : { fault: 'malformed' };
    case 'truncated':
      return { fault: 'truncated', body: goodText, contentType };
    case 'oversized':
      return { fault: 'oversized', bytes: 1024 * 1024, contentType };
    case 'wrong-charset':
      // UTF-8 declared, Latin-1 sent (with umlauts in it): readable, with replacement characters.
      return { fault: 'wrong-charset', body: goodText.replace(/Exchange/, 'Exchänge'), declared: 'utf-8', encoding: 'latin1', contentType: contentType.split(';')[0] };
    case 'redirect-loop':
      return { fault: 'redirect-loop' };
    case 'connection-reset':
      return { fault: 'reset' };
  }
}

export interface Snapshot {
  incidents: Incident[];
  signals: Signal[];
  health: Map<string, SourceHealth>;
  status: StatusSnapshot;
}

export async function snapshot(dataDir: string): Promise<Snapshot> {
  const [incidents, signals, health, status] = await Promise.all([readIncidents(dataDir), readSignals(dataDir), readSourceHealth(dataDir), readStatus(dataDir)]);
  if (!status) throw new Error(`${dataDir}: no status.json`);
  return { incidents, signals, health, status };
}

/** Nothing stored before is missing now: signals, incidents (or merged into a survivor), evidence. */
export function expectNothingLost(before: Snapshot, after: Snapshot): void {
  const signalIds = new Set(after.signals.map((s) => s.id));
  expect(before.signals.filter((s) => !signalIds.has(s.id)).map((s) => s.id)).toEqual([]);
  const ids = new Set(after.incidents.flatMap((i) => [i.id, ...i.mergedIds]));
  expect(before.incidents.filter((i) => !ids.has(i.id)).map((i) => i.id)).toEqual([]);
  const evidence = new Set(after.incidents.flatMap((i) => i.evidence.map((e) => e.signalId)));
  expect(before.incidents.flatMap((i) => i.evidence.map((e) => e.signalId)).filter((e) => !evidence.has(e))).toEqual([]);
  expect(after.incidents.length).toBeGreaterThanOrEqual(before.incidents.length);
}

/** The adapter registry, with the modules it does not list yet loaded straight from their files. */
export const resolveAnyAdapter: AdapterResolver = async (name) =>
  (await resolveAdapter(name)) ?? ((await import(`../../scrapers/sources/${name}.ts`)) as { adapter: SourceAdapter }).adapter;

export interface FaultWorlds {
  servers: Record<SourceKindName, FixtureServer>;
  /** Good routes per kind (relative paths). */
  good: Record<SourceKindName, Record<string, FixtureRoute>>;
  root: string;
  close(): Promise<void>;
}

/** Starts the shared servers (one per kind); worlds live under path prefixes `/w<n>`. */
export async function startFaultWorlds(): Promise<FaultWorlds> {
  const root = await mkdtemp(path.join(tmpdir(), 'or-faults-'));
  const entries = await Promise.all(SOURCE_KINDS.map(async (k) => [k, await startFixtureServer(), await KINDS[k].routes()] as const));
  const servers = Object.fromEntries(entries.map(([k, s]) => [k, s])) as Record<SourceKindName, FixtureServer>;
  const good = Object.fromEntries(entries.map(([k, , r]) => [k, r])) as Record<SourceKindName, Record<string, FixtureRoute>>;
  return {
    servers,
    good,
    root,
    close: async () => {
      await Promise.all(Object.values(servers).map((s) => s.close()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface World {
  prefix: string;
  /** The config as written in a file (for a site build or the CLI). */
  raw: Record<string, unknown>;
  config: LoadedConfig;
  dataDir: string;
  /** Runs one cycle at `at` (the HTTP client's clock runs from there at real speed). */
  cycle(at: Date): Promise<{ report: CycleReport; wallMs: number }>;
  /** Replaces the route behind `kind`'s faultable path in this world. */
  setRoute(kind: SourceKindName, route: FixtureRoute): void;
  close(): Promise<void>;
}

/**
 * A world under `/w<name>` with its own config and data directory (a copy of `seedDataDir` when
 * given). Every kind's good routes are served under the prefix.
 */
export async function createWorld(
  worlds: FaultWorlds,
  name: string,
  options: { seedDataDir?: string; http?: Partial<typeof HTTP_LIMITS>; sourceDeadlineMs?: number; cycleDeadlineMs?: number } = {},
): Promise<World> {
  const { seedDataDir } = options;
  const prefix = `/w${name}`;
  const dir = path.join(worlds.root, name);
  await mkdir(dir, { recursive: true });
  const dataDir = path.join(dir, 'data');
  if (seedDataDir) await cp(seedDataDir, dataDir, { recursive: true });
  for (const kind of SOURCE_KINDS) {
    for (const [p, route] of Object.entries(worlds.good[kind])) worlds.servers[kind].set(`${prefix}${p}`, route);
  }
  const sources = SOURCE_KINDS.map((kind) => {
    const spec = KINDS[kind];
    const server = worlds.servers[kind];
    const { tokenPath, urlPath, ...extra } = spec.extra as { tokenPath?: string; urlPath?: string };
    return {
      id: spec.sourceId,
      adapter: spec.adapter,
      url: server.url(`${prefix}${urlPath ?? spec.path}`),
      ...(tokenPath ? { tokenUrl: server.url(`${prefix}${tokenPath}`) } : {}),
      intervalMinutes: INTERVAL_MINUTES,
      services: spec.services,
      ...extra,
    };
  });
  const raw = { dataDir: 'data', site: { blindAfterMinutes: BLIND_AFTER_MINUTES }, http: { ...HTTP_LIMITS, ...options.http }, sources };
  const config = parseConfig(raw, path.join(dir, 'config.json'), {});
  let offset = 0;
  const http = createHttpClient({ config: config.http, hostsFile: path.join(dataDir, 'hosts.json'), clock: () => new Date(Date.now() + offset) });
  return {
    prefix,
    raw,
    config,
    dataDir,
    async cycle(at) {
      offset = at.getTime() - Date.now();
      const t0 = performance.now();
      const report = await runCycle({ config, now: at, http, env: GRAPH_ENV, adapters: resolveAnyAdapter, sourceDeadlineMs: options.sourceDeadlineMs ?? SOURCE_DEADLINE_MS, cycleDeadlineMs: options.cycleDeadlineMs ?? CYCLE_DEADLINE_MS });
      return { report, wallMs: performance.now() - t0 };
    },
    setRoute(kind, route) {
      worlds.servers[kind].set(`${prefix}${KINDS[kind].path}`, route);
    },
    close: () => http.close(),
  };
}

const T0 = new Date('2026-11-24T10:00:00.000Z');
const MINUTE = 60_000;

/**
 * Defines the fault matrix for `kinds` × every fault as concurrent vitest cases. Each case copies a
 * data directory made by one good cycle, makes one source faulty, and runs a cycle at +6 min (not
 * yet blind) and one at +26 min (past the blind threshold plus the interval).
 */
export function defineFaultMatrix(kinds: readonly SourceKindName[], api: typeof import('vitest')): void {
  const { beforeAll, afterAll, describe, test } = api;
  let worlds: FaultWorlds;
  let base: Snapshot;
  let baseDir: string;

  beforeAll(async () => {
    worlds = await startFaultWorlds();
    // A cold process loads modules and opens sockets on its first cycle: generous limits here.
    const w = await createWorld(worlds, 'base', { http: { deadlineMs: 30_000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 }, sourceDeadlineMs: 60_000, cycleDeadlineMs: 60_000 });
    const { report } = await w.cycle(T0);
    await w.close();
    expect(report.sources.map((s) => [s.id, s.outcome, s.error?.code ?? null])).toEqual(SOURCE_KINDS.map((k) => [KINDS[k].sourceId, 'ok', null]));
    baseDir = w.dataDir;
    base = await snapshot(baseDir);
    expect(base.incidents.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await worlds?.close();
  });

  const cases = kinds.flatMap((kind) => FAULTS.map((fault) => [kind, fault] as const));
  describe.concurrent('a faulty source among healthy ones', () => {
    test.each(cases)('%s × %s', async (kind, fault) => {
      const spec = KINDS[kind];
      const expected = EXPECTED_CODE[fault];
      const w = await createWorld(worlds, `${kind}-${fault}`, { seedDataDir: baseDir });
      try {
        const t1 = new Date(T0.getTime() + (INTERVAL_MINUTES + 1) * MINUTE);
        w.setRoute(kind, faultRoute(fault, kind, worlds.good[kind][spec.path]!, t1));

        // 1. One faulty read: contained, reported, and the last good data stays.
        const { report: r1 } = await w.cycle(t1);
        const faulty = r1.sources.find((s) => s.id === spec.sourceId)!;
        for (const s of r1.sources.filter((s) => s.id !== spec.sourceId)) {
          expect([s.id, s.outcome, s.error?.code ?? null]).toEqual([s.id, expect.stringMatching(/^(ok|not_modified)$/), null]);
        }
        const s1 = await snapshot(w.dataDir);
        expectNothingLost(base, s1);
        const health = s1.health.get(spec.sourceId)!;
        if (expected === 'ok') {
          expect([faulty.outcome, faulty.error]).toEqual(['ok', null]);
          expect(health.state).toBe('ok');
          for (const signal of s1.signals) expect(signal.title).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
        } else {
          expect([faulty.outcome, faulty.error?.code]).toEqual(['failed', expected]);
          expect(faulty.durationMs!).toBeLessThan(SOURCE_DEADLINE_MS + 2_000);
          expect(health).toMatchObject({ state: 'failed', lastError: { code: expected, at: t1.toISOString() }, lastSuccessAt: T0.toISOString(), consecutiveFailures: 1 });
          // The validators still describe the data we hold.
          expect(health.etag).toBe(base.health.get(spec.sourceId)!.etag);
          expect(s1.status.sources.find((s) => s.id === spec.sourceId)).toMatchObject({ state: 'failed', lastError: expect.stringMatching(new RegExp(`^${expected}: `)) });
        }
        // Not blind yet: every service keeps the status the last good read gave it.
        expect(s1.status.services.map((s) => [s.id, s.status])).toEqual(base.status.services.map((s) => [s.id, s.status]));

        // 2. Past the blind threshold: the services only this source covers are never green.
        const t2 = new Date(T0.getTime() + (BLIND_AFTER_MINUTES + INTERVAL_MINUTES + 1) * MINUTE);
        const { report: r2 } = await w.cycle(t2);
        const s2 = await snapshot(w.dataDir);
        expectNothingLost(s1, s2);
        for (const s of r2.sources.filter((s) => s.id !== spec.sourceId)) expect([s.id, s.outcome]).toEqual([s.id, expect.stringMatching(/^(ok|not_modified)$/)]);
        const again = r2.sources.find((s) => s.id === spec.sourceId)!;
        if (expected === 'ok') {
          expect(again.outcome).toBe('ok');
          expect(s2.status.services.map((s) => [s.id, s.status])).toEqual(base.status.services.map((s) => [s.id, s.status]));
          return;
        }
        // A long Retry-After is honoured (skipped); anything else is tried again and fails again.
        expect(['failed', 'skipped']).toContain(again.outcome);
        if (again.outcome === 'failed') expect(again.error?.code).toBe(expected);
        expect(s2.health.get(spec.sourceId)).toMatchObject({ state: again.outcome, lastError: { code: expected }, lastSuccessAt: T0.toISOString() });
        for (const service of spec.services) {
          const snap = s2.status.services.find((s) => s.id === service)!;
          expect(snap.status, `${service}: ${snap.reason}`).not.toBe('operational');
          const incident = s2.incidents.some((i) => i.status !== 'resolved' && i.classification !== 'advisory' && i.services.includes(service));
          if (!incident) expect([service, snap.status, snap.reason]).toEqual([service, 'unknown', expect.stringContaining('blind since')]);
        }
        // Services other sources cover are untouched by this one's blindness.
        for (const snap of s2.status.services.filter((s) => !spec.services.includes(s.id))) {
          expect([snap.id, snap.status]).toEqual([snap.id, base.status.services.find((s) => s.id === snap.id)!.status]);
        }
      } finally {
        await w.close();
      }
    });
  });
}
