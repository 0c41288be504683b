/**
 * Security headers on the served site: the real `npm start` (src/server/main.ts as a child process,
 * which builds the site with Astro on start) serving generated data. Every file of the served build
 * and the server's own answers (404, /healthz, /api/reports, the on-demand pages) carry a CSP with
 * `default-src 'none'`, `X-Content-Type-Options: nosniff` with a correct Content-Type, a referrer
 * policy that never leaks paths cross-origin, and frame rules that refuse framing everywhere except
 * the widget pages. Chromium then enforces them: another origin can frame a widget but no other
 * page, and the CSP blocks an injected inline script while the site itself runs without violations.
 *
 * The expected values are written here from the requirements, not read from src/lib/security-headers.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateData } from '../../bench/generate-data.ts';
import { loadConfig } from '../../src/config/load.ts';
import { launchBrowser } from '../site/helpers/browser.ts';
import { listBuiltFiles } from '../site/helpers/files.ts';
import { freePort } from '../../src/lib/free-port.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

let work: string;
let child: ChildProcess;
let output = '';
let base: string;
let clientDir: string;
let browser: Browser;


beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'or-security-'));
  const dataDir = path.join(work, 'data');
  await generateData({ dir: dataDir, incidents: 24, seed: 5, now: new Date(Math.floor(Date.now() / 60_000) * 60_000), hostile: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // The operator's sources, never read: the schedule is once a year and each source is disabled.
  const operator = await loadConfig(path.join(ROOT, 'outage-radar.config.ts'), {});
  const config = {
    site: { url: base, title: 'Outage Radar' },
    dataDir,
    schedule: '0 0 1 1 *',
    sources: operator.sources.map(({ id, adapter, outlet, lang, services }) => ({ id, adapter, url: 'http://127.0.0.1:9/', enabled: false, ...(outlet ? { outlet } : {}), ...(lang ? { lang } : {}), ...(services ? { services } : {}) })),
  };
  const configFile = path.join(work, 'security.config.json');
  await fs.writeFile(configFile, JSON.stringify(config, null, 2));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('OUTAGE_RADAR_')) delete env[k];
  Object.assign(env, {
    OUTAGE_RADAR_CONFIG: configFile,
    OUTAGE_RADAR_BUILDS_DIR: path.join(work, 'builds'),
    OUTAGE_RADAR_REPORT_SECRET: 'security-suite-secret-0123456789',
    OUTAGE_RADAR_LOG_FORMAT: 'json',
    PORT: String(port),
    HOST: '127.0.0.1',
    ASTRO_TELEMETRY_DISABLED: '1',
  });
  child = spawn(process.execPath, [path.join(ROOT, 'src/server/main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // Up when a build is served and the start cycle has run (no rebuild may swap files under the test).
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output.slice(-4000)}`);
    const h = await fetch(`${base}/healthz`)
      .then(async (r) => ({ status: r.status, body: (await r.json()) as { lastCycle?: unknown; cycleRunning?: boolean; build?: { id: string } | null } }))
      .catch(() => null);
    if (h && h.status === 200 && h.body.lastCycle && !h.body.cycleRunning && h.body.build) {
      clientDir = path.join(work, 'builds', h.body.build.id, 'client');
      break;
    }
    if (i > 2400) throw new Error(`npm start not ready:\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await fs.rm(work, { recursive: true, force: true });
});

const isWidget = (p: string) => /^\/(en|de)\/widget(\/|$)/.test(p);
const isPublicData = (p: string) => p.startsWith('/api/') || p.startsWith('/badges/') || p === '/widget.js' || /\.(rss|atom)$/.test(p);

const EXPECTED_TYPE: Record<string, RegExp> = {
  '.html': /^text\/html; charset=utf-8$/i,
  '.json': /^application\/json(; charset=utf-8)?$/i,
  '.svg': /^image\/svg\+xml(; charset=utf-8)?$/i,
  '.rss': /^application\/rss\+xml(; charset=utf-8)?$/i,
  '.atom': /^application\/atom\+xml(; charset=utf-8)?$/i,
  '.js': /^(text|application)\/javascript(; charset=utf-8)?$/i,
  '.css': /^text\/css(; charset=utf-8)?$/i,
  '.txt': /^text\/plain(; charset=utf-8)?$/i,
};

/** Parses a CSP header into directive → sources. */
function csp(value: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (value ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

/** The header rules every response of the site follows, checked for one response. */
function expectHeaderPlan(pathname: string, headers: Headers, where = pathname): void {
  const policy = csp(headers.get('content-security-policy'));
  expect(policy.get('default-src'), `${where}: default-src`).toEqual(["'none'"]);
  for (const d of ['script-src', 'style-src', 'img-src', 'connect-src']) {
    const sources = policy.get(d) ?? [];
    expect(sources, `${where}: ${d}`).not.toContain("'unsafe-inline'");
    expect(sources, `${where}: ${d}`).not.toContain("'unsafe-eval'");
    expect(sources, `${where}: ${d}`).not.toContain('*');
    expect(sources.every((s) => s === "'self'" || s === "'none'" || /^'sha(256|384|512)-[A-Za-z0-9+/=]+'$/.test(s)), `${where}: ${d} ${sources.join(' ')}`).toBe(true);
  }
  expect(policy.get('base-uri'), `${where}: base-uri`).toEqual(["'none'"]);
  expect(policy.get('object-src') ?? policy.get('default-src'), `${where}: object-src`).toEqual(["'none'"]);
  expect(headers.get('x-content-type-options'), `${where}: nosniff`).toBe('nosniff');
  expect(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'], `${where}: referrer-policy`).toContain(headers.get('referrer-policy'));
  if (isWidget(pathname)) {
    // Made to be framed by anyone: no X-Frame-Options (it would forbid), frame-ancestors open.
    expect(policy.get('frame-ancestors'), `${where}: frame-ancestors`).toEqual(['*']);
    expect(headers.get('x-frame-options'), `${where}: x-frame-options`).toBeNull();
  } else {
    expect(policy.get('frame-ancestors'), `${where}: frame-ancestors`).toEqual(["'none'"]);
    expect(headers.get('x-frame-options'), `${where}: x-frame-options`).toBe('DENY');
  }
  if (isPublicData(pathname)) {
    expect(headers.get('access-control-allow-origin'), `${where}: CORS`).toBe('*');
    expect(headers.get('cross-origin-resource-policy'), `${where}: CORP`).toBe('cross-origin');
  } else {
    // Nothing else is readable cross-origin.
    expect(headers.get('access-control-allow-origin'), `${where}: CORS`).toBeNull();
  }
}

/** URL paths of every file in the served build (`x/index.html` → `/x/`). */
async function servedPaths(): Promise<string[]> {
  // Precompressed twins (.br, .gz) are served in place of their originals, never by their own names;
  // dotfiles (the server's temp files while it compresses in the background) are never served.
  const files = (await listBuiltFiles(clientDir, '')).filter((f) => !/\.(br|gz)$/.test(f) && !path.relative(clientDir, f).split(path.sep).some((seg) => seg.startsWith('.')));
  return files.map((f) => `/${path.relative(clientDir, f).split(path.sep).join('/')}`.replace(/(^|\/)index\.html$/, '$1'));
}

describe('every file of the served build', () => {
  test('carries the header plan and a Content-Type that nosniff can trust', async () => {
    const paths = await servedPaths();
    expect(paths.length).toBeGreaterThan(100);
    expect(paths).toContain('/en/');
    expect(paths.some(isWidget)).toBe(true);
    const seen = new Set<string>();
    for (const p of paths) {
      const res = await fetch(`${base}${p}`, { redirect: 'manual' });
      await res.arrayBuffer();
      expect(res.status, p).toBe(200);
      expectHeaderPlan(p, res.headers);
      const ext = path.extname(p.endsWith('/') ? 'index.html' : p) || '.html';
      seen.add(ext);
      const type = EXPECTED_TYPE[ext];
      if (type) expect(res.headers.get('content-type'), p).toMatch(type);
      else expect(res.headers.get('content-type'), p).toBeTruthy();
    }
    for (const ext of ['.html', '.json', '.svg', '.rss', '.atom', '.js']) expect(seen).toContain(ext);
  }, 120_000);

  test('HEAD requests carry the same headers; conditional ones are answered 304', async () => {
    for (const p of ['/en/', '/de/widget/', '/api/v2/summary.json', '/badges/en/teams.svg']) {
      const get = await fetch(`${base}${p}`);
      await get.arrayBuffer();
      const head = await fetch(`${base}${p}`, { method: 'HEAD' });
      expectHeaderPlan(p, head.headers, `HEAD ${p}`);
      // A 304 carries no body: the browser keeps the stored response's headers, so none are required here.
      const etag = get.headers.get('etag');
      if (etag) expect((await fetch(`${base}${p}`, { headers: { 'if-none-match': etag } })).status, p).toBe(304);
    }
  });
});

describe("the server's own answers", () => {
  test('a missing page, the health report and the report API are just as strict', async () => {
    const missing = await fetch(`${base}/en/no-such-page-${Date.now()}/`);
    expect(missing.status).toBe(404);
    expectHeaderPlan('/en/no-such-page/', missing.headers, '404');
    expect(missing.headers.get('content-type')).toMatch(/^text\/html/);

    const health = await fetch(`${base}/healthz`);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('content-type')).toMatch(/^application\/json/);

    for (const init of [{ method: 'GET' }, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: '{}' }]) {
      const res = await fetch(`${base}/api/reports`, init);
      await res.arrayBuffer();
      expect(res.status, init.method).toBeGreaterThanOrEqual(400);
      expect(res.status, init.method).toBeLessThan(500);
      expect(res.headers.get('x-content-type-options'), init.method).toBe('nosniff');
      expect(res.headers.get('content-type'), init.method).toMatch(/^application\/json/);
      // Only same-origin pages may post reports: never an open CORS grant on the write endpoint.
      expect(res.headers.get('access-control-allow-origin'), init.method).not.toBe('*');
    }
  });

  test('a browser form post with hostile values: an error page under the page plan, the values refilled as text', async () => {
    const form = new URLSearchParams({ service: '"><img src=x onerror=alert(1)>', problemType: '<script>alert(2)</script>', code: "'><svg onload=alert(3)>", lang: 'en' });
    const res = await fetch(`${base}/api/reports?lang=en`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: base, 'x-forwarded-for': '198.51.100.7' }, body: form });
    const html = await res.text();
    expect(res.status, html.slice(0, 300)).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(csp(res.headers.get('content-security-policy')).get('default-src')).toEqual(["'none'"]);
    // Parsed as a browser would: the values sit inside quoted attributes or text, never become markup.
    const $ = cheerio.load(html);
    expect($('img[src="x"], svg[onload], [onerror], [onload]').length).toBe(0);
    expect($('script').filter((_, el) => /alert\(/.test($(el).html() ?? '')).length).toBe(0);
    expect($('input[name="code"]').attr('value')).toBe(form.get('code'));

    // The form posts to /api/reports?lang=<page language> (src/components/ReportForm.astro).
    const ok = await fetch(`${base}/api/reports?lang=de`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: base, 'x-forwarded-for': '198.51.100.8' }, body: new URLSearchParams({ service: 'teams', problemType: 'sign-in', lang: 'de' }) });
    await ok.arrayBuffer();
    expect(ok.status).toBe(303);
    const location = ok.headers.get('location')!;
    expect(location).toMatch(/^\/de\/report\/(accepted|duplicate)\/teams\/$/);
    const confirmation = await fetch(`${base}${location}`);
    await confirmation.arrayBuffer();
    expect(confirmation.status).toBe(200);
    expectHeaderPlan(location, confirmation.headers);
  });

  test('on-demand pages (self-check, report confirmation) follow the page plan', async () => {
    for (const p of ['/en/check/', '/de/check/?domain=example.com', '/en/report/']) {
      const res = await fetch(`${base}${p}`, { redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status === 404) continue;
      expectHeaderPlan(new URL(p, base).pathname, res.headers, p);
    }
  });
});

describe('in Chromium', () => {
  let host: Server;
  let hostOrigin: string;
  beforeAll(async () => {
    host = createHttpServer((req, res) => {
      const frames = ['/en/widget/', '/de/widget/teams/', '/en/', '/en/services/teams/', '/en/about/'];
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><body>${frames.map((f) => `<iframe src="${base}${f}" name="${f}"></iframe>`).join('')}</body></html>`);
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    hostOrigin = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => host.close(r));
  });

  test('another origin can frame the widget pages and no other page', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${hostOrigin}/`);
      await page.waitForLoadState('networkidle');
      const loaded: Record<string, boolean> = {};
      for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
        const name = frame.name();
        // A refused frame shows Chromium's error page instead of ours.
        loaded[name] = frame.url().startsWith(base) && (await frame.locator('html[lang]').count()) === 1;
      }
      expect(loaded).toEqual({ '/en/widget/': true, '/de/widget/teams/': true, '/en/': false, '/en/services/teams/': false, '/en/about/': false });
    } finally {
      await context.close();
    }
  });

  test('the CSP stops an injected inline script, and the site itself runs without a violation', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
      });
      for (const p of ['/en/', '/de/', '/en/services/teams/', '/en/history/', '/en/widget/', '/de/embed/', '/en/about/']) {
        await page.goto(`${base}${p}`);
        await page.waitForLoadState('networkidle');
      }
      expect(violations).toEqual([]);
      await page.goto(`${base}/en/`);
      await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.body.append(s);
      });
      expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected ?? false)).toBe(false);
      expect(violations.some((v) => /script/i.test(v))).toBe(true);
    } finally {
      await context.close();
    }
  });
});
