/**
 * From visitors' reports to the built page: three weeks of ordinary reports plus a spike go into
 * the real report store; the real cycle runs the crowd provider and correlation (no official or
 * press source); the real site build shows a suspected incident, the elevated chart and the crowd
 * evidence. A later cycle, after reports returned to baseline, resolves the suspected incident.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCrowdProvider } from '../../scrapers/crowd/provider.ts';
import { runCycle } from '../../scrapers/cycle.ts';
import { createHttpClient } from '../../scrapers/http/client.ts';
import { loadConfig, type LoadedConfig } from '../../src/config/load.ts';
import type { Incident } from '../../src/domain/schemas.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { readCrowdData } from '../../src/reports/crowd-data.ts';
import { SqliteReportStore } from '../../src/reports/sqlite-store.ts';
import { readIncidents } from '../../src/store/data-store.ts';
import { buildTestSite, rebuild, type TestSite } from '../reports/built-server.ts';
import { seedHistory, seedSpike } from './seed.ts';

const NOW = new Date('2026-11-25T08:54:00Z'); // 2024-11-25 anchor: reports from 07:40, hundreds by 08:54
const SPIKE_START = new Date('2026-11-25T07:40:00Z');
let site: TestSite;
let config: LoadedConfig;
let store: SqliteReportStore;

async function cycleAt(now: Date) {
  const http = createHttpClient({ config: config.http, hostsFile: null, clock: () => now });
  try {
    return await runCycle({ config, now, http, env: {}, providers: [createCrowdProvider(store)], log: silentLogger });
  } finally {
    await http.close();
  }
}

const page = (p: string) => readFile(path.join(site.outDir, 'client', p), 'utf8');
/** Asserts without dumping a whole page into the test output on failure. */
function expectIn(html: string, needle: string | RegExp, present = true): void {
  const found = typeof needle === 'string' ? html.includes(needle) : needle.test(html);
  expect(found, `${present ? 'missing' : 'unexpected'}: ${String(needle)}`).toBe(present);
}

beforeAll(async () => {
  // An empty first build only creates the folders and config; the data comes next.
  site = await buildTestSite({ site: { url: 'https://status.example.test' }, correlation: { suspectedExpiryMinutes: 60 } });
  site.env.OUTAGE_RADAR_NOW = NOW.toISOString();
  config = await loadConfig(site.configFile, site.env);
  store = SqliteReportStore.open(path.join(site.dataDir, 'reports.db'), { dedupWindowMinutes: 60, rateLimitPerMinute: 10 }, { now: () => new Date(NOW.getTime() - 22 * 86_400_000) });
  await seedHistory(store, 'exchange-online', 120, NOW);
  await seedHistory(store, 'outlook-com', 60, NOW);
  await seedSpike(store, 'exchange-online', SPIKE_START, NOW, 40, 'sending-mail', '550 5.7.1');
}, 240_000);

afterAll(async () => {
  await store?.close();
  await site?.remove();
});

describe('a crowd spike becomes a suspected incident on the built site', () => {
  let incident: Incident;

  test('the cycle opens a suspected, crowd-confidence incident for the service', async () => {
    const report = await cycleAt(NOW);
    expect(report.providers).toEqual([expect.objectContaining({ ok: true })]);
    expect(report.providers[0]!.items).toBeGreaterThanOrEqual(10);
    const open = (await readIncidents(site.dataDir)).filter((i) => i.status !== 'resolved');
    expect(open).toHaveLength(1);
    incident = open[0]!;
    expect(incident).toMatchObject({ status: 'suspected', confidence: 'crowd', services: ['exchange-online'], acknowledgedAt: null });
    expect(incident.startedAt).toBe('2026-11-25T07:40:00.000Z');
    expect(incident.crowd).toMatchObject({ spikeStartedAt: '2026-11-25T07:40:00.000Z' });
    expect(incident.crowd!.peakCount).toBeGreaterThanOrEqual(40);
    const crowd = await readCrowdData(site.dataDir);
    expect(crowd!.services.find((s) => s.id === 'exchange-online')!.elevated).toBe(true);
    expect(crowd!.services.find((s) => s.id === 'outlook-com')!.elevated).toBe(false);
  }, 120_000);

  test('the built pages show it: home, service chart, incident evidence', async () => {
    await rebuild(site);
    const home = await page('en/index.html');
    expectIn(home, `/en/incidents/${incident.id}/`);
    expectIn(home, 'data-report-form');
    expectIn(home, 'action="/api/reports?lang=en"');
    expectIn(await page('de/report/accepted/exchange-online/index.html'), 'Danke, Ihre Meldung wurde gezählt.');

    const service = await page('en/services/exchange-online/index.html');
    expectIn(service, /<section class="crowd"[^>]*data-crowd="exchange-online"[^>]*data-elevated="true"/);
    expectIn(service, 'More reports than usual since 07:40 UTC.');
    expectIn(service, /<svg class="crowd-chart"[^>]*role="img"/);
    expect((service.match(/class="crowd-bar"/g) ?? []).length).toBeGreaterThan(100);
    expectIn(service, 'class="crowd-spike"');
    expectIn(service, 'User reports per hour for Outlook &amp; Exchange Online (work), with the usual level</caption>');
    expectIn(service, 'Sending mail');
    expectIn(service, '550 5.7.1</code>');
    const quiet = await page('de/services/outlook-com/index.html');
    expectIn(quiet, /data-crowd="outlook-com"[^>]*data-elevated="false"/);
    expectIn(quiet, 'class="crowd-spike"', false);

    const detail = await page(`en/incidents/${incident.id}/index.html`);
    expectIn(detail, `Peak of ${incident.crowd!.peakCount} reports per interval`);
  }, 180_000);

  test('once reports are back to baseline and nothing official came, the suspected incident resolves', async () => {
    // Two quiet hours later (no more spike reports), beyond the 60-minute suspected expiry.
    await cycleAt(new Date(NOW.getTime() + 2 * 3_600_000));
    const after = (await readIncidents(site.dataDir)).find((i) => i.id === incident.id)!;
    expect(after.status).toBe('resolved');
    expect(after.resolvedAt).not.toBeNull();
    const crowd = await readCrowdData(site.dataDir);
    const exo = crowd!.services.find((s) => s.id === 'exchange-online')!;
    expect(exo.elevated).toBe(false);
    expect(exo.spike).toMatchObject({ startedAt: '2026-11-25T07:40:00.000Z' });
    expect(exo.spike!.endedAt).not.toBeNull();
  }, 120_000);
});
