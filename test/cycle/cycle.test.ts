import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCycle, type RunCycleOptions, type SignalProvider } from '../../scrapers/cycle.ts';
import { SourceError } from '../../scrapers/http/errors.ts';
import type { HttpClient } from '../../scrapers/http/types.ts';
import type { AdapterResolver } from '../../scrapers/sources/index.ts';
import type { FetchContext, SourceAdapter, SourceResult } from '../../scrapers/sources/types.ts';
import { parseConfig, type LoadedConfig } from '../../src/config/load.ts';
import type { SourceAdapterName } from '../../src/config/schema.ts';
import type { Signal } from '../../src/domain/schemas.ts';
import { dataPaths, readIncidents, readSignals, readSourceHealth, readStatus } from '../../src/store/data-store.ts';
import { withLock } from '../../src/store/files.ts';
import { crowd, official, press, t } from '../correlate/signals.ts';

type Behaviour = (ctx: FetchContext) => Promise<SourceResult> | SourceResult;

const http: HttpClient = {
  request: () => Promise.reject(new Error('fake adapters never use HTTP')),
  flush: () => Promise.resolve(),
};

function result(signals: Signal[], over: Partial<SourceResult> = {}): SourceResult {
  return { outcome: 'ok', signals, serviceStatus: {}, activeKeys: null, validators: { etag: '"v1"', lastModified: null }, bodyHash: 'h1', ...over };
}

/** A world of fake adapters: each source id gets a behaviour that tests change between cycles. */
class FakeWorld {
  behaviours = new Map<string, Behaviour>();
  calls: { source: string; etag: string | null; now: string }[] = [];
  resolver: AdapterResolver = async (name: SourceAdapterName) => this.adapter(name);

  adapter(name: SourceAdapterName): SourceAdapter {
    const official = name.startsWith('status') || name === 'graph-service-health' || name === 'azure-status-rss';
    return {
      name,
      kind: official ? 'official' : 'press',
      defaultServices: official ? ['exchange-online', 'outlook-com', 'teams'] : [],
      checkConfigured: name === 'graph-service-health' ? (_s, env) => (env.GRAPH_TENANT_ID ? null : 'GRAPH_TENANT_ID is not set') : undefined,
      fetch: async (ctx) => {
        this.calls.push({ source: ctx.source.id, etag: ctx.validators.etag, now: ctx.now.toISOString() });
        const b = this.behaviours.get(ctx.source.id);
        if (!b) return result([]);
        return b(ctx);
      },
    };
  }
}

async function setup(sources: object[] = DEFAULT_SOURCES): Promise<{ config: LoadedConfig; dir: string; world: FakeWorld }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'or-cycle-'));
  const config = parseConfig(
    { dataDir: 'data', sources, site: { blindAfterMinutes: 20 }, http: { deadlineMs: 1000, retries: 0 } },
    path.join(dir, 'config.json'),
    {},
  );
  return { config, dir: config.dataDirAbs, world: new FakeWorld() };
}

const DEFAULT_SOURCES = [
  { id: 'ms-posts', adapter: 'status-cloud-microsoft-posts', url: 'http://127.0.0.1:1/posts', intervalMinutes: 5 },
  { id: 'heise', adapter: 'news-feed', url: 'http://127.0.0.1:1/heise', intervalMinutes: 10, outlet: 'heise online' },
  { id: 'golem', adapter: 'news-feed', url: 'http://127.0.0.1:1/golem', intervalMinutes: 10, outlet: 'Golem.de' },
];

function cycle(ctx: { config: LoadedConfig; world: FakeWorld }, at: string, over: Partial<RunCycleOptions> = {}) {
  return runCycle({ config: ctx.config, now: new Date(at), http, env: {}, adapters: ctx.world.resolver, sourceDeadlineMs: 300, ...over });
}

const outcomes = (report: Awaited<ReturnType<typeof runCycle>>) => Object.fromEntries(report.sources.map((s) => [s.id, s.outcome]));

describe('a cycle scrapes, correlates and writes', () => {
  test('first cycle: signals, one incident with evidence per source, health and status on disk', async () => {
    const ctx = await setup();
    const post = official({ at: t('08:00'), ref: 'EX1000001', source: 'ms-posts' });
    ctx.world.behaviours.set('ms-posts', () => result([post], { serviceStatus: { 'exchange-online': 'partial_outage' }, activeKeys: ['EX1000001'] }));
    ctx.world.behaviours.set('heise', () => result([press({ outlet: 'heise online', source: 'heise', at: t('08:05') })]));
    const report = await cycle(ctx, t('08:10'));
    expect(outcomes(report)).toEqual({ 'ms-posts': 'ok', heise: 'ok', golem: 'ok' });
    expect(report.counts).toMatchObject({ signalsNew: 2, incidents: 1, incidentsOpened: 1, incidentsChanged: 1 });
    expect(report.changed).toBe(true);

    const [incident] = await readIncidents(ctx.dir);
    expect(incident!.evidence.map((e) => [e.source.id, e.signalId])).toEqual([
      ['ms-posts', post.id],
      ['heise', expect.stringContaining('heise')],
    ]);
    const health = await readSourceHealth(ctx.dir);
    expect(health.get('ms-posts')).toMatchObject({ state: 'ok', lastSuccessAt: t('08:10'), etag: '"v1"', itemsLastRun: 1, notBefore: t('08:15'), consecutiveFailures: 0 });
    const status = await readStatus(ctx.dir);
    expect(status!.services.find((s) => s.id === 'exchange-online')).toMatchObject({ status: 'partial_outage', activeIncidentIds: [incident!.id] });
    expect(status!.lastCycleAt).toBe(t('08:10'));
    expect((await readSignals(ctx.dir)).map((s) => s.source.id).sort()).toEqual(['heise', 'ms-posts']);
  });

  test('the same inputs on the next due cycle store nothing new and report no change; validators are sent back', async () => {
    const ctx = await setup();
    const post = official({ at: t('08:00'), ref: 'EX1000001', source: 'ms-posts' });
    ctx.world.behaviours.set('ms-posts', () => result([post], { activeKeys: ['EX1000001'] }));
    await cycle(ctx, t('08:10'));
    const second = await cycle(ctx, t('08:20'));
    expect(second.counts.signalsNew).toBe(0);
    expect(second.changed).toBe(false);
    expect(ctx.world.calls.filter((c) => c.source === 'ms-posts').map((c) => c.etag)).toEqual([null, '"v1"']);
    expect((await readSignals(ctx.dir)).length).toBe(1);
  });

  test('a 304 after a 200 is no change for the site', async () => {
    const ctx = await setup();
    ctx.world.behaviours.set('ms-posts', () => result([official({ at: t('08:00'), ref: 'EX1000009', source: 'ms-posts' })]));
    await cycle(ctx, t('08:10'));
    ctx.world.behaviours.set('ms-posts', () => result([], { outcome: 'not_modified', validators: { etag: null, lastModified: null } }));
    const second = await cycle(ctx, t('08:20'));
    expect(second.sources.find((s) => s.id === 'ms-posts')!.outcome).toBe('not_modified');
    expect(second.changed).toBe(false);
    expect((await readSourceHealth(ctx.dir)).get('ms-posts')!.etag).toBe('"v1"');
  });

  test('a source is not read before its interval has passed', async () => {
    const ctx = await setup();
    await cycle(ctx, t('08:00'));
    const early = await cycle(ctx, t('08:07'));
    expect(outcomes(early)).toEqual({ 'ms-posts': 'ok', heise: 'not_due', golem: 'not_due' });
    expect(early.sources.find((s) => s.id === 'heise')).toMatchObject({ until: t('08:10'), reason: 'interval' });
  });

  test('a schedule tick a few seconds before the interval ends still reads the source', async () => {
    const ctx = await setup();
    await cycle(ctx, t('08:00'));
    const tick = await cycle(ctx, new Date(Date.parse(t('08:10')) - 5_000).toISOString());
    expect(outcomes(tick)).toEqual({ 'ms-posts': 'ok', heise: 'ok', golem: 'ok' });
  });
});

describe('failing sources', () => {
  test('a failure keeps validators and last data, counts failures, and does not block the others', async () => {
    const ctx = await setup();
    ctx.world.behaviours.set('heise', () => result([press({ outlet: 'heise online', source: 'heise', at: t('07:55') })], { validators: { etag: '"h"', lastModified: 'Tue, 25 Nov 2026 07:55:00 GMT' } }));
    await cycle(ctx, t('08:00'));
    ctx.world.behaviours.set('heise', () => {
      throw new SourceError('PARSE_FAILED', 'malformed XML at line 3', { sourceId: 'heise' });
    });
    const r1 = await cycle(ctx, t('08:10'));
    const r2 = await cycle(ctx, t('08:20'));
    expect(outcomes(r2)).toEqual({ 'ms-posts': 'ok', heise: 'failed', golem: 'ok' });
    expect(r1.sources.find((s) => s.id === 'heise')!.error).toEqual({ code: 'PARSE_FAILED', message: 'malformed XML at line 3' });
    const h = (await readSourceHealth(ctx.dir)).get('heise')!;
    expect(h).toMatchObject({
      state: 'failed',
      consecutiveFailures: 2,
      etag: '"h"',
      lastModified: 'Tue, 25 Nov 2026 07:55:00 GMT',
      lastSuccessAt: t('08:00'),
      lastError: { code: 'PARSE_FAILED', at: t('08:20') },
      bodyHash: 'h1',
    });
    expect((await readSignals(ctx.dir)).filter((s) => s.source.id === 'heise')).toHaveLength(1);
  });

  test('a hanging adapter that ignores its abort signal times out alone', async () => {
    const ctx = await setup();
    ctx.world.behaviours.set('heise', () => new Promise<SourceResult>(() => {}));
    ctx.world.behaviours.set('golem', () => result([press({ outlet: 'Golem.de', source: 'golem', at: t('07:59') })]));
    const started = Date.now();
    const report = await cycle(ctx, t('08:00'), { sourceDeadlineMs: 200 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcomes(report)).toEqual({ 'ms-posts': 'ok', heise: 'failed', golem: 'ok' });
    expect(report.sources.find((s) => s.id === 'heise')!.error!.code).toBe('SOURCE_TIMEOUT');
    expect(report.counts.signalsNew).toBe(1);
  });

  test('Retry-After is honoured on the next run, then the source is read again', async () => {
    const ctx = await setup();
    ctx.world.behaviours.set('golem', () => {
      throw new SourceError('SOURCE_RATE_LIMITED', '429 from golem', { sourceId: 'golem', status: 429, retryAfter: new Date(t('09:00')) });
    });
    const first = await cycle(ctx, t('08:00'));
    expect(first.sources.find((s) => s.id === 'golem')).toMatchObject({ outcome: 'failed', until: t('09:00') });
    ctx.world.behaviours.delete('golem');
    const during = await cycle(ctx, t('08:30'));
    expect(during.sources.find((s) => s.id === 'golem')).toMatchObject({ outcome: 'skipped', until: t('09:00'), reason: 'Retry-After' });
    expect((await readSourceHealth(ctx.dir)).get('golem')!.state).toBe('skipped');
    const after = await cycle(ctx, t('09:00'));
    expect(after.sources.find((s) => s.id === 'golem')!.outcome).toBe('ok');
    expect(ctx.world.calls.filter((c) => c.source === 'golem').map((c) => c.now)).toEqual([t('08:00'), t('09:00')]);
  });

  test('a Retry-After beyond the configured maximum is clamped', async () => {
    const ctx = await setup();
    ctx.world.behaviours.set('golem', () => {
      throw new SourceError('SOURCE_RATE_LIMITED', '429', { retryAfter: new Date('2027-01-01T00:00:00Z') });
    });
    await cycle(ctx, t('08:00'));
    expect((await readSourceHealth(ctx.dir)).get('golem')!.notBefore).toBe(t('+1d 08:00'));
  });

  test('an adapter crash is a failed source with a stable code', async () => {
    const ctx = await setup();
    ctx.world.behaviours.set('golem', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'items')");
    });
    const report = await cycle(ctx, t('08:00'));
    expect(report.sources.find((s) => s.id === 'golem')!.error!.code).toBe('ADAPTER_CRASHED');
  });

  test('invalid signals are dropped and counted, valid ones kept', async () => {
    const ctx = await setup();
    const bad = { ...press({ outlet: 'Golem.de', source: 'golem', at: t('07:00') }), url: 'javascript:alert(1)' };
    ctx.world.behaviours.set('golem', () => result([bad as Signal, press({ outlet: 'Golem.de', source: 'golem', at: t('07:30') })]));
    const report = await cycle(ctx, t('08:00'));
    expect(report.sources.find((s) => s.id === 'golem')).toMatchObject({ outcome: 'ok', items: 1, rejected: 1, newSignals: 1 });
  });
});

describe('disabled and unconfigured sources', () => {
  test.each([
    ['disabled in config', { id: 'reddit-o365', adapter: 'reddit', url: 'http://127.0.0.1:1/r', enabled: false }, 'disabled in config', null],
    ['Graph without credentials', { id: 'graph', adapter: 'graph-service-health', url: 'http://127.0.0.1:1/graph' }, 'GRAPH_TENANT_ID is not set', 'SOURCE_NOT_CONFIGURED'],
  ])('%s → disabled with the reason', async (_name, source, reason, code) => {
    const ctx = await setup([source]);
    const report = await cycle(ctx, t('08:00'));
    expect(report.sources[0]).toMatchObject({ outcome: 'disabled', reason });
    const h = (await readSourceHealth(ctx.dir)).get(source.id)!;
    expect(h.state).toBe('disabled');
    expect(h.lastError?.code ?? null).toBe(code);
    expect(ctx.world.calls).toEqual([]);
  });

  test('an adapter missing from the build disables its source with ADAPTER_MISSING', async () => {
    const ctx = await setup([{ id: 'azure', adapter: 'azure-status-rss', url: 'http://127.0.0.1:1/azure' }]);
    const report = await cycle(ctx, t('08:00'), { adapters: async () => null });
    expect(report.sources[0]).toMatchObject({ outcome: 'disabled', error: { code: 'ADAPTER_MISSING' } });
  });

  test('a service whose only official source was never read is unknown, not operational', async () => {
    const ctx = await setup([{ id: 'graph', adapter: 'graph-service-health', url: 'http://127.0.0.1:1/graph' }]);
    const report = await cycle(ctx, t('08:00'));
    expect(report.status.services.every((s) => s.status === 'unknown')).toBe(true);
    expect(report.status.indicator).toBe('minor');
  });
});

describe('history is never lost', () => {
  test('a source that later returns nothing keeps its incident, signals and evidence', async () => {
    const ctx = await setup();
    ctx.world.behaviours.set('ms-posts', () => result([official({ at: t('08:00'), ref: 'EX1000002', source: 'ms-posts', status: 'resolved' })]));
    await cycle(ctx, t('08:05'));
    const before = await readIncidents(ctx.dir);
    ctx.world.behaviours.set('ms-posts', () => result([]));
    await cycle(ctx, t('08:10'));
    await cycle(ctx, t('+1d 08:10'));
    expect(await readIncidents(ctx.dir)).toEqual(before);
    expect(await readSignals(ctx.dir)).toHaveLength(1);
  });

  test('an official incident that vanishes from its source resolves after the grace period', async () => {
    const ctx = await setup();
    const post = official({ at: t('08:00'), ref: 'EX1000003', source: 'ms-posts' });
    ctx.world.behaviours.set('ms-posts', () => result([post], { activeKeys: ['EX1000003'] }));
    await cycle(ctx, t('08:00'));
    ctx.world.behaviours.set('ms-posts', () => result([], { activeKeys: [] }));
    await cycle(ctx, t('08:05'));
    expect((await readIncidents(ctx.dir))[0]!.status).toBe('investigating');
    await cycle(ctx, t('08:30'));
    expect((await readIncidents(ctx.dir))[0]!.status).toBe('investigating');
    const report = await cycle(ctx, t('08:35'));
    expect(report.counts.vanished).toBe(1);
    const [incident] = await readIncidents(ctx.dir);
    expect(incident).toMatchObject({ status: 'resolved', resolvedAt: t('08:05') });
    const signals = await readSignals(ctx.dir);
    expect(signals.map((s) => s.official?.rawStatus)).toEqual(['investigating', 'no longer listed']);
  });

  test('a second concurrent cycle fails fast with LOCKED', async () => {
    const ctx = await setup();
    await withLock(dataPaths(ctx.dir).lock, async () => {
      await expect(cycle(ctx, t('08:00'))).rejects.toMatchObject({ code: 'LOCKED' });
    });
    await expect(cycle(ctx, t('08:00'))).resolves.toBeTruthy();
  });

  test('a corrupt incident file stops the cycle with DATA_INVALID before anything is written', async () => {
    const ctx = await setup();
    ctx.world.behaviours.set('heise', () => result([press({ outlet: 'heise online', source: 'heise', at: t('07:00') })]));
    await cycle(ctx, t('08:00'));
    const dir = path.join(ctx.dir, 'incidents', '2026');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'broken.json'), '{"id": "broken"');
    await expect(cycle(ctx, t('09:00'))).rejects.toMatchObject({ code: 'DATA_INVALID', file: path.join(dir, 'broken.json') });
    expect((await readSourceHealth(ctx.dir)).get('heise')!.lastAttemptAt).toBe(t('08:00'));
  });
});

describe('extra signal providers and replay', () => {
  test('a provider (crowd detector) adds signals; a failing provider is reported, not fatal', async () => {
    const ctx = await setup();
    const spike: SignalProvider = async () => [crowd({ at: t('07:58'), services: ['outlook-com'] })];
    const broken: SignalProvider = async function brokenDetector() {
      throw Object.assign(new Error('reports.db is locked'), { code: 'REPORTS_UNAVAILABLE' });
    };
    const report = await cycle(ctx, t('08:00'), { providers: [spike, broken] });
    expect(report.providers).toEqual([
      { name: 'spike', ok: true, items: 1, error: null },
      { name: 'brokenDetector', ok: false, items: 0, error: { code: 'REPORTS_UNAVAILABLE', message: 'reports.db is locked' } },
    ]);
    const [incident] = await readIncidents(ctx.dir);
    expect(incident).toMatchObject({ status: 'suspected', confidence: 'crowd', services: ['outlook-com'] });
    expect(report.status.services.find((s) => s.id === 'outlook-com')).toMatchObject({ status: 'degraded_performance', crowdElevated: true });
  });

  test('replay rebuilds the same incidents from stored signals without reading any source', async () => {
    const ctx = await setup();
    ctx.world.behaviours.set('heise', () => result([press({ outlet: 'heise online', source: 'heise', at: t('07:00') })]));
    ctx.world.behaviours.set('golem', () => result([press({ outlet: 'Golem.de', source: 'golem', at: t('07:20') })]));
    ctx.world.behaviours.set('ms-posts', () => result([official({ at: t('07:40'), ref: 'EX1000004', source: 'ms-posts' })]));
    await cycle(ctx, t('08:00'));
    const before = await readIncidents(ctx.dir);
    await rm(path.join(ctx.dir, 'incidents'), { recursive: true });
    const calls = ctx.world.calls.length;
    const report = await runCycle({ config: ctx.config, now: new Date(t('08:00')), replay: true, adapters: ctx.world.resolver });
    expect(report.mode).toBe('replay');
    expect(report.sources).toEqual([]);
    expect(ctx.world.calls.length).toBe(calls);
    expect(await readIncidents(ctx.dir)).toEqual(before);
    expect(await readdir(path.join(ctx.dir, 'incidents', '2026'))).toHaveLength(1);
  });

  test('incident files are stable, diff-friendly JSON', async () => {
    const ctx = await setup();
    ctx.world.behaviours.set('ms-posts', () => result([official({ at: t('07:40'), ref: 'EX1000005', source: 'ms-posts' })]));
    await cycle(ctx, t('08:00'));
    const [incident] = await readIncidents(ctx.dir);
    const text = await readFile(path.join(ctx.dir, 'incidents', '2026', `${incident!.id}.json`), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual(['id', 'title', 'services', 'impact', 'status', 'confidence', 'classification', 'startedAt', 'acknowledgedAt', 'resolvedAt', 'createdAt', 'updatedAt', 'officialRefs', 'officialText', 'updates', 'evidence', 'crowd', 'mergedIds']);
  });
});
