/**
 * End to end: the real `npm start` (src/server/main.ts as a child process, real Astro builds) reads
 * the real scrapers' sources from local fixture servers playing a scripted Teams outage, and real
 * Chromium checks what a visitor sees: the incident appears (suspected, from two outlets), gains
 * evidence and Microsoft's word, changes the badge and the feeds, survives a failing source and a
 * failed cycle with the last good site online, and resolves.
 *
 * Cycles run on demand through the test-only trigger (OUTAGE_RADAR_TEST_TRIGGER=1); the schedule
 * is set to once a year so nothing runs in between.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { Incident } from '../../src/domain/schemas.ts';
import { paths } from '../../src/lib/urls.ts';
import { readIncidents } from '../../src/store/data-store.ts';
import { parseTape } from '../../src/tapes/load.ts';
import { startLiveTape, type LiveTape } from '../../scrapers/demo/live-tape.ts';
import { demoConfig } from '../../scrapers/demo/plan.ts';
import type { CycleRecord } from '../../scrapers/schedule/cycle-record.ts';
import { freePort } from '../../src/lib/free-port.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MIN = 60_000;
const t0 = Math.floor((Date.now() - 60 * MIN) / MIN) * MIN;
const iso = (offsetMinutes: number) => new Date(t0 + offsetMinutes * MIN).toISOString();
const TITLE = 'Users may be unable to access Microsoft Teams';
const post = (at: number, status: string, message: string | null) => ({
  type: 'official',
  at: iso(at),
  source: 'status-cloud-microsoft-mac',
  answer: { kind: 'post', status, title: message === null ? '' : TITLE, ...(message === null ? {} : { message: `<div>Title: ${TITLE}<br><br>${message}</div>` }) },
});

/** A Teams outage: two outlets first, then Microsoft, an update, the fix, the all-clear. */
const TAPE = parseTape(
  JSON.stringify({
    tapeVersion: 1,
    id: 'e2e-teams-outage',
    title: 'End-to-end: Teams outage',
    kind: 'outage',
    summary: 'Synthetic outage for the end-to-end test.',
    start: iso(-60),
    end: iso(120),
    reconstruction: 'Synthetic: times relative to the test run.',
    events: [
      { type: 'press', at: iso(10), outlet: 'heise online', lang: 'de', title: 'Microsoft Teams: Störung legt Chats und Meetings lahm', link: 'https://www.heise.de/news/e2e-Teams-Stoerung.html', summary: 'Nutzer von Microsoft Teams können seit dem Vormittag keine Meetings betreten.' },
      { type: 'press', at: iso(12), outlet: 'BleepingComputer', lang: 'en', title: 'Microsoft Teams outage prevents users from joining meetings', link: 'https://www.bleepingcomputer.com/news/microsoft/e2e-teams-outage/' },
      post(20, 'Service degradation', 'User impact: Users may be unable to join meetings or send chat messages in Microsoft Teams.<br><br>Current status: We are investigating reports of impact.'),
      post(30, 'Service degradation', "User impact: Users may be unable to join meetings or send chat messages in Microsoft Teams.<br><br>Current status: We've identified a configuration change and are reverting it."),
      post(40, 'Service restored', 'Final status: We reverted the change and confirmed that access to Microsoft Teams is restored.'),
      post(45, 'Available', null),
    ],
  }),
  'e2e.tape.json',
);

const SOURCE_IDS = ['status-cloud-microsoft-mac', 'heise-atom', 'bleepingcomputer-rss', 'mastodon-social-outlookdown'];

let work: string;
let dataDir: string;
let live: LiveTape;
let child: ChildProcess;
let output = '';
let baseUrl: string;
let browser: Browser;
let page: Page;


async function health(): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(`${baseUrl}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Runs one cycle in the server and returns its record. */
async function cycle(): Promise<CycleRecord> {
  const res = await fetch(`${baseUrl}/__test/cycle`, { method: 'POST' });
  expect(res.status).toBe(200);
  return (await res.json()) as CycleRecord;
}

async function teamsIncidents(): Promise<Incident[]> {
  return (await readIncidents(dataDir)).filter((i) => i.services.includes('teams') && i.classification !== 'advisory');
}

/** Text a URL has in the browser (fetched by the page, through Chromium's network stack). */
async function browserText(url: string): Promise<{ status: number; type: string | null; text: string }> {
  return page.evaluate(async (u) => {
    const r = await fetch(u, { cache: 'no-store' });
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  }, url);
}

/** Incident links in the home page's "active" or "suspected" section. */
async function homeLinks(section: 'active' | 'suspected'): Promise<string[]> {
  return page.locator(`section[aria-labelledby="h-${section}"] a[href*="/incidents/"]`).evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
}

async function badge(): Promise<{ message: string; color: string; svgLabel: string | null }> {
  const json = JSON.parse((await browserText(`${baseUrl}${paths.badgeEndpoint('en', 'teams')}`)).text) as { message: string; color: string };
  await page.goto(`${baseUrl}${paths.badgeSvg('en', 'teams')}`);
  const svgLabel = await page.locator('svg').first().getAttribute('aria-label');
  return { ...json, svgLabel };
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'or-e2e-'));
  dataDir = path.join(work, 'data');
  const base = await loadConfig(path.join(ROOT, 'outage-radar.config.ts'), {});
  const sources = base.sources.filter((s) => SOURCE_IDS.includes(s.id)).map((s) => ({ ...s, intervalMinutes: 0.0005 }));
  live = await startLiveTape({ tape: TAPE, sources, historyWeeks: 1 });
  live.advanceTo(t0 + 5 * MIN);
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const configFile = path.join(work, 'e2e.config.json');
  const config = demoConfig({ base, sources: live.sources, dataDir, siteUrl: baseUrl, schedule: '0 0 1 1 *' });
  // The page's stale warning is part of what this test checks: keep the operator's threshold.
  config.site = { ...config.site, staleAfterMinutes: 30, title: 'Outage Radar' };
  await fs.writeFile(configFile, JSON.stringify(config, null, 2));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('OUTAGE_RADAR_')) delete env[k];
  Object.assign(env, {
    OUTAGE_RADAR_CONFIG: configFile,
    OUTAGE_RADAR_BUILDS_DIR: path.join(work, 'builds'),
    OUTAGE_RADAR_TEST_TRIGGER: '1',
    OUTAGE_RADAR_LOG_FORMAT: 'json',
    PORT: String(port),
    HOST: '127.0.0.1',
    ASTRO_TELEMETRY_DISABLED: '1',
  });
  child = spawn(process.execPath, [path.join(ROOT, 'src/server/main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  // Up when a build is served and the start cycle has run.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${output.slice(-4000)}`);
    try {
      const h = await health();
      if (h.status === 200 && h.body.lastCycle && !h.body.cycleRunning) break;
    } catch {
      // Not listening yet.
    }
    if (i > 1200) throw new Error(`server not ready:\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  // Pages may be cached for a minute (Cache-Control); this visitor wants every cycle's version.
  // Playwright turns Chromium's HTTP cache off while requests are routed.
  await page.route('**/*', (route) => route.continue());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    await exited;
  }
  await live?.close();
  if (work) await fs.rm(work, { recursive: true, force: true });
}, 60_000);

describe('the running service through a Teams outage', () => {
  let suspectedId = '';
  let badgeBefore = { message: '', color: '', svgLabel: null as string | null };

  test('before anything happens: Teams is operational, no incident, fresh data', async () => {
    const r = await cycle();
    expect(r.outcome).toBe('ok');
    expect(await teamsIncidents()).toEqual([]);
    await page.goto(`${baseUrl}/en/`);
    expect(await homeLinks('active')).toEqual([]);
    expect(await homeLinks('suspected')).toEqual([]);
    expect(await page.locator('[data-stale-warning]').isHidden()).toBe(true);
    badgeBefore = await badge();
    expect(badgeBefore.message.toLowerCase()).toContain('operational');
    const h = await health();
    expect(h.status).toBe(200);
    expect(h.body.status).toBe('ok');
    expect(h.body.sources.find((s: { id: string }) => s.id === 'status-cloud-microsoft-mac').state).toMatch(/^(ok|not_modified)$/);
  }, 60_000);

  test('two outlets report it: a suspected incident appears on the page, the badge and the feed', async () => {
    live.advanceTo(t0 + 15 * MIN);
    const r = await cycle();
    expect(r.changed).toBe(true);
    expect(r.build?.ok).toBe(true);
    const [incident] = await teamsIncidents();
    expect(incident).toBeDefined();
    expect(incident!.confidence).not.toBe('official');
    expect(incident!.acknowledgedAt).toBeNull();
    suspectedId = incident!.id;

    await page.goto(`${baseUrl}/en/`);
    expect(await homeLinks('suspected')).toContain(paths.incident('en', suspectedId));
    expect(await homeLinks('active')).toEqual([]);
    await page.goto(`${baseUrl}${paths.incident('en', suspectedId)}`);
    expect(await page.locator('ul.evidence > li').count()).toBe(2);
    expect(await page.locator('.note-warn').isVisible()).toBe(true);

    const b = await badge();
    expect(b.message).not.toBe(badgeBefore.message);
    expect(b.svgLabel).not.toBe(badgeBefore.svgLabel);

    const rss = await browserText(`${baseUrl}/en/history.rss`);
    expect(rss.status).toBe(200);
    expect(rss.type).toBe('application/rss+xml; charset=utf-8');
    expect(rss.text).toContain(paths.incident('en', suspectedId));
    const atom = await browserText(`${baseUrl}/de/history.atom`);
    expect(atom.type).toBe('application/atom+xml; charset=utf-8');
    expect(atom.text).toContain(paths.incident('de', suspectedId));
  }, 60_000);

  test("Microsoft confirms it: the same incident gains Microsoft's word and more evidence", async () => {
    live.advanceTo(t0 + 25 * MIN);
    await cycle();
    live.advanceTo(t0 + 35 * MIN);
    const r = await cycle();
    expect(r.outcome).toBe('ok');
    const incidents = await teamsIncidents();
    const confirmed = incidents.find((i) => i.id === suspectedId || i.mergedIds.includes(suspectedId));
    expect(confirmed).toBeDefined();
    expect(confirmed!.acknowledgedAt).not.toBeNull();
    expect(confirmed!.evidence.length).toBeGreaterThanOrEqual(4);

    await page.goto(`${baseUrl}/en/`);
    expect(await homeLinks('active')).toContain(paths.incident('en', confirmed!.id));
    expect(await homeLinks('suspected')).toEqual([]);
    await page.goto(`${baseUrl}${paths.incident('en', confirmed!.id)}`);
    expect(await page.locator('ul.evidence > li').count()).toBe(confirmed!.evidence.length);
    expect(await page.locator('blockquote.official').textContent()).toContain('configuration change');
    expect(await page.locator('.note-warn').count()).toBe(0);
    const b = await badge();
    expect(b.message.toLowerCase()).not.toContain('operational');
    expect(b.color).not.toBe(badgeBefore.color);
  }, 90_000);

  test('a failing source and a failed cycle keep the last good site online', async () => {
    live.override('status-cloud-microsoft-mac', { fault: 'status', status: 500, body: 'upstream error' });
    try {
      await checkFailures();
    } finally {
      live.clearOverride('status-cloud-microsoft-mac');
    }
  }, 90_000);

  async function checkFailures(): Promise<void> {
    const r = await cycle();
    expect(r.outcome).toBe('ok');
    expect(r.sources.find((s) => s.id === 'status-cloud-microsoft-mac')).toMatchObject({ outcome: 'failed', detail: 'SOURCE_HTTP_STATUS' });
    const h = await health();
    expect(h.body.sources.find((s: { id: string }) => s.id === 'status-cloud-microsoft-mac')).toMatchObject({ state: 'failed', lastOutcome: 'failed' });
    await page.goto(`${baseUrl}/en/`);
    expect(await homeLinks('active')).toContain(paths.incident('en', suspectedId));
    const served = (await health()).body.build.id as string;

    // A cycle that cannot run at all (a damaged record) writes nothing and swaps nothing.
    const [incident] = await teamsIncidents();
    const file = path.join(dataDir, 'incidents', incident!.startedAt.slice(0, 4), `${incident!.id}.json`);
    const good = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, '{"id": broken');
    try {
      const failed = await cycle();
      expect(failed.outcome).toBe('failed');
      expect(failed.error?.code).toBe('DATA_INVALID');
      const after = await health();
      expect(after.body.status).toBe('degraded');
      expect(failed.build).toBeNull();
      expect(after.body.build.id).toBe(served);
      const res = await page.goto(`${baseUrl}${paths.incident('en', incident!.id)}`);
      expect(res!.status()).toBe(200);
      expect(await page.locator('ul.evidence > li').count()).toBe(incident!.evidence.length);
    } finally {
      await fs.writeFile(file, good);
    }
  }

  test('Microsoft restores service: the incident resolves, the badge and the feed say so', async () => {
    live.advanceTo(t0 + 42 * MIN);
    const r = await cycle();
    expect(r.outcome).toBe('ok');
    const [incident] = await teamsIncidents();
    expect(incident!.status).toBe('resolved');
    expect(incident!.resolvedAt).not.toBeNull();

    await page.goto(`${baseUrl}/en/`);
    expect(await homeLinks('active')).toEqual([]);
    expect(await homeLinks('suspected')).toEqual([]);
    await page.goto(`${baseUrl}${paths.incident('en', incident!.id)}`);
    expect(await page.locator('.pill.st-resolved').count()).toBeGreaterThan(0);
    const b = await badge();
    expect(b.message).toBe(badgeBefore.message);
    const rss = await browserText(`${baseUrl}/en/history.rss`);
    const item = rss.text.split('<item>').find((x) => x.includes(paths.incident('en', incident!.id)));
    expect(item).toBeDefined();
    expect(item).toContain('Resolved');
    expect((await health()).body.status).toBe('ok');
  }, 60_000);

  test('a cycle with nothing new does not rebuild', async () => {
    const before = (await health()).body.build.id;
    const r = await cycle();
    expect(r.changed).toBe(false);
    expect(r.build).toBeNull();
    expect((await health()).body.build.id).toBe(before);
  }, 60_000);
});

describe('HTTP of the real build', () => {
  test('types, compression, conditional requests, security headers, on-demand routes, traversal', async () => {
    const rss = await fetch(`${baseUrl}/de/history.rss`);
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(rss.headers.get('access-control-allow-origin')).toBe('*');
    const svg = await fetch(`${baseUrl}/badges/en/teams.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const home = await fetch(`${baseUrl}/en/`, { headers: { 'accept-encoding': 'br' } });
    expect(home.headers.get('content-encoding')).toBe('br');
    expect(await home.text()).toContain('</html>');
    const etag = home.headers.get('etag')!;
    expect((await fetch(`${baseUrl}/en/`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const widget = await fetch(`${baseUrl}/en/widget/teams/`);
    expect(widget.headers.get('content-security-policy')).toContain('frame-ancestors *');
    const asset = (await (await fetch(`${baseUrl}/en/`)).text()).match(/\/_astro\/[^"']+\.css/)![0];
    expect((await fetch(`${baseUrl}${asset}`)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // On-demand: the report summary comes from Astro's handler of the served build.
    const summary = await fetch(`${baseUrl}/api/reports/summary.json`);
    expect(summary.status).toBe(200);
    expect(summary.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const missing = await fetch(`${baseUrl}/en/no-such-page/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('</html>');
    const { request } = await import('node:http');
    const traversal = await new Promise<number>((resolve, reject) => {
      const req = request(`${baseUrl}/..%2f..%2fetc/passwd`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(traversal).toBe(400);
  }, 30_000);

  test('SIGTERM stops the service with exit code 0', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  }, 60_000);
});
