/**
 * The page shows the problem: one official source (the only one covering the admin center) fails
 * with a 500 for longer than the blind threshold; the site built from that data directory says so
 * everywhere a reader or a machine looks — the about page names the failing source, the home and
 * service pages, our status JSON, the Statuspage API, the badge and the widget never call the
 * service operational.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite } from '../../bench/build-site.ts';
import { getService } from '../../src/domain/services.ts';
import { useMessages } from '../../src/i18n/index.ts';
import { BLIND_AFTER_MINUTES, createWorld, INTERVAL_MINUTES, KINDS, snapshot, startFaultWorlds, type FaultWorlds, type Snapshot } from '../support/fault-world.ts';

const T0 = new Date('2026-11-24T10:00:00.000Z');
const MINUTE = 60_000;
const SERVICE = 'm365-admin';
const SOURCE = KINDS['scm-posts'].sourceId;

let worlds: FaultWorlds;
let clientDir: string;
let data: Snapshot;

beforeAll(async () => {
  worlds = await startFaultWorlds();
  const w = await createWorld(worlds, 'page', { http: { deadlineMs: 30_000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 }, sourceDeadlineMs: 60_000, cycleDeadlineMs: 60_000 });
  try {
    await w.cycle(T0);
    const before = await snapshot(w.dataDir);
    expect(before.status.services.find((s) => s.id === SERVICE)!.status).toBe('operational');
    w.setRoute('scm-posts', { fault: 'status', status: 500, body: 'Internal Server Error' });
    await w.cycle(new Date(T0.getTime() + (INTERVAL_MINUTES + 1) * MINUTE));
    const blindAt = new Date(T0.getTime() + (BLIND_AFTER_MINUTES + INTERVAL_MINUTES + 1) * MINUTE);
    await w.cycle(blindAt);
    data = await snapshot(w.dataDir);
    const configFile = path.join(path.dirname(w.dataDir), 'outage-radar.config.json');
    await fs.writeFile(configFile, JSON.stringify(w.raw, null, 2));
    const built = await buildSite({ dataDir: w.dataDir, outDir: path.join(path.dirname(w.dataDir), 'dist'), now: blindAt.toISOString(), env: { OUTAGE_RADAR_CONFIG: configFile } });
    clientDir = built.clientDir;
  } finally {
    await w.close();
  }
}, 240_000);
afterAll(() => worlds?.close());

const read = (rel: string) => fs.readFile(path.join(clientDir, rel), 'utf8');

describe('a blind official source, on the built site', () => {
  test('the data says unknown and names the failure', () => {
    expect(data.status.services.find((s) => s.id === SERVICE)).toMatchObject({ status: 'unknown', reason: expect.stringContaining('blind since') });
    expect(data.status.sources.find((s) => s.id === SOURCE)).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/^SOURCE_HTTP_STATUS: /) });
  });

  test('the about page lists the source as failing, in both languages', async () => {
    for (const lang of ['en', 'de'] as const) {
      const $ = cheerio.load(await read(`${lang}/about/index.html`));
      // Each source is listed with its host; the failing one is the only source on this server.
      const host = new URL(worlds.servers['scm-posts'].origin).host;
      const item = $('dl.sources li').filter((_, li) => $(li).text().includes(`(${host})`));
      expect(item.length, lang).toBe(1);
      expect(item.find('.pill').text().trim(), lang).toBe(useMessages(lang).about.sourceState.failed);
    }
  });

  test('home and service pages show the service as unknown, never operational', async () => {
    for (const lang of ['en', 'de'] as const) {
      const home = cheerio.load(await read(`${lang}/index.html`));
      const row = home(`#svc-${SERVICE}`);
      expect(row.length, lang).toBe(1);
      expect(row.find('.pill').last().attr('class'), lang).toMatch(/\bst-unknown\b/);
      const page = cheerio.load(await read(`${lang}/services/${SERVICE}/index.html`));
      expect(page('main .pill').first().attr('class'), lang).toMatch(/\bst-unknown\b/);
      expect(page('main').text(), lang).toContain(useMessages(lang).componentStatus.unknown);
    }
  });

  test('machines are told too: our JSON, the Statuspage API, the badge, the widget', async () => {
    const own = JSON.parse(await read('api/status.json')) as { services: { id: string; status: string }[] };
    expect(own.services.find((s) => s.id === SERVICE)!.status).toBe('unknown');
    const components = JSON.parse(await read('api/v2/components.json')) as { components: { name: string; status: string; description: string | null }[] };
    // Statuspage has no "unknown": never operational, and the description says why.
    const component = components.components.find((c) => c.name === getService(SERVICE).name.en);
    expect(component, JSON.stringify(components.components.map((c) => c.name))).toBeDefined();
    expect(component!.status).not.toBe('operational');
    expect(component!.description).toMatch(/^Status unknown/);
    const badge = JSON.parse(await read(`badges/en/${SERVICE}.json`)) as { message: string };
    expect(badge.message.toLowerCase()).toContain('unknown');
    expect(await read(`badges/en/${SERVICE}.svg`)).toMatch(/unknown/i);
    const widget = cheerio.load(await read(`en/widget/${SERVICE}/index.html`));
    expect(widget('.pill').first().attr('class')).toMatch(/\bst-unknown\b/);
  });
});
