import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createCrowdProvider, runCrowdDetection } from '../../scrapers/crowd/provider.ts';
import { parseConfig, type LoadedConfig } from '../../src/config/load.ts';
import { SignalSchema } from '../../src/domain/schemas.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { readCrowdData } from '../../src/reports/crowd-data.ts';
import { SqliteReportStore } from '../../src/reports/sqlite-store.ts';
import { seedHistory, seedSpike } from './seed.ts';

const NOW = new Date('2026-11-25T08:52:30Z'); // a Wednesday
const DAY = 86_400_000;

async function setup(over: Record<string, unknown> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'or-crowd-'));
  const config: LoadedConfig = parseConfig({ sources: [], ...over }, path.join(dir, 'outage-radar.config.ts'), {});
  const store = SqliteReportStore.open(path.join(dir, 'reports.db'), { dedupWindowMinutes: 60, rateLimitPerMinute: 10 }, { now: () => new Date(NOW.getTime() - 21 * DAY) });
  return { dir, config, store };
}

const ctxFor = (config: LoadedConfig, dir: string, now = NOW) => ({ config, now, dataDir: dir, incidents: [], signal: new AbortController().signal, log: silentLogger });

describe('crowd provider', () => {
  const stores: SqliteReportStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  test('a spike over three weeks of history becomes crowd signals and an elevated entry in crowd.json', async () => {
    const { dir, config, store } = await setup();
    stores.push(store);
    await seedHistory(store, 'exchange-online', 120, NOW);
    await seedHistory(store, 'teams', 60, NOW);
    await seedSpike(store, 'exchange-online', new Date('2026-11-25T08:10:00Z'), NOW, 60, 'sending-mail', '550 5.7.1');

    const signals = await createCrowdProvider(store)(ctxFor(config, dir));
    expect(signals.length).toBeGreaterThanOrEqual(6);
    for (const s of signals) expect(SignalSchema.parse(s)).toEqual(s);
    expect(new Set(signals.map((s) => s.services[0]))).toEqual(new Set(['exchange-online']));
    const first = [...signals].sort((a, b) => a.observedAt.localeCompare(b.observedAt))[0]!;
    expect(first.observedAt).toBe('2026-11-25T08:10:00.000Z');
    expect(first.source).toEqual({ id: 'crowd-reports', kind: 'crowd' });
    expect(first.crowd!.count).toBeGreaterThanOrEqual(60);
    expect(first.crowd!.baseline).toBeLessThan(20);
    expect(first.crowd!.problemTypes['sending-mail']).toBe(45);
    expect(first.crowd!.codes['550 5.7.1']).toBe(60);
    // The last complete bucket is 08:45–08:50; 08:50–08:52:30 is still running.
    expect(signals.map((s) => s.crowd!.bucketStart).sort().at(-1)).toBe('2026-11-25T08:45:00.000Z');

    const data = await readCrowdData(dir);
    expect(data?.enabled).toBe(true);
    const exo = data!.services.find((s) => s.id === 'exchange-online')!;
    expect(exo.elevated).toBe(true);
    expect(exo.spike).toMatchObject({ startedAt: '2026-11-25T08:10:00.000Z', endedAt: null });
    expect(exo.counts).toHaveLength(288);
    expect(exo.from).toBe('2026-11-24T08:50:00.000Z');
    expect(exo.lastHour).toBeGreaterThanOrEqual(60 * 8);
    expect(exo.problemTypes['sending-mail']).toBeGreaterThan(0);
    const teams = data!.services.find((s) => s.id === 'teams')!;
    expect(teams.elevated).toBe(false);
    expect(teams.spike).toBeNull();
    expect(teams.baselines.some((b) => b > 1)).toBe(true);

    // Two minutes later the next cycle finds the same spike under the same ids, plus the new bucket.
    const later = await createCrowdProvider(store)(ctxFor(config, dir, new Date(NOW.getTime() + 150_000)));
    const ids = new Set(later.map((s) => s.id));
    for (const s of signals) expect(ids.has(s.id)).toBe(true);
  });

  test('buckets before the store existed are missing data, not quiet ones', async () => {
    const { dir, config, store } = await setup();
    stores.push(store);
    // A store created 2 hours ago with normal daytime traffic: no history, so no spike.
    const young = SqliteReportStore.open(path.join(dir, 'young.db'), { dedupWindowMinutes: 60, rateLimitPerMinute: 10 }, { now: () => new Date(NOW.getTime() - 2 * 3_600_000) });
    stores.push(young);
    await seedSpike(young, 'teams', new Date(NOW.getTime() - 2 * 3_600_000), NOW, 6, 'teams-calls-chat', null);
    const run = await runCrowdDetection(young, config, NOW);
    expect(run.signals).toEqual([]);
    const teams = run.data.services.find((s) => s.id === 'teams')!;
    expect(teams.counts.slice(0, 200).every((c) => c === null)).toBe(true);
    expect(teams.counts.at(-1)).toBe(6);
  });

  test('with reports switched off it writes crowd.json saying so and returns nothing', async () => {
    const { dir, config } = await setup({ site: { staticHosting: true } });
    expect(await createCrowdProvider()(ctxFor(config, dir))).toEqual([]);
    expect(await readCrowdData(dir)).toMatchObject({ enabled: false, services: [] });
  });
});
