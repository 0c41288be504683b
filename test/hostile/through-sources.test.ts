/**
 * Hostile content, end to end: a compromised or malicious source (every kind: status.cloud.microsoft
 * posts and RSS, Azure RSS, Graph, two news feeds, Mastodon) serves `<script>`, attribute breakouts,
 * javascript: URLs, `]]>`, `&`, control characters and a bidi override (test/hostile/content.ts)
 * from a local fixture server; the real adapters read it, a real cycle stores it, the real Astro
 * build renders it. Every output must keep it inert: HTML pages in Chromium (no dialog, no injected
 * element, the text shown as text), RSS and Atom (well-formed, Atom valid against RFC 4287), SVG
 * badges, the Statuspage JSON API and the other JSON files, and the widget (its page and widget.js
 * on a host page).
 */
import { promises as fs } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { buildSite } from '../../bench/build-site.ts';
import { runCycle, type CycleReport } from '../../scrapers/cycle.ts';
import { createHttpClient } from '../../scrapers/http/client.ts';
import { startFixtureServer, type FixtureServer } from '../../scrapers/testing/fixture-server.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { Incident } from '../../src/domain/schemas.ts';
import { readIncidents, readSignals } from '../../src/store/data-store.ts';
import { launchBrowser } from '../site/helpers/browser.ts';
import { listBuiltFiles } from '../site/helpers/files.ts';
import { startStaticServer, type StaticServer } from '../site/helpers/static-server.ts';
import { resolveAnyAdapter } from '../support/fault-world.ts';
import { unsafeCharsIn } from '../support/text-safety.ts';
import * as hostile from './content.ts';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const JSON_TYPE = 'application/json; charset=utf-8';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';
/** Every payload marks itself; none of these may ever become code or markup. */
const MARKER = /xss-[a-z-]+/;

let dir: string;
let dataDir: string;
let clientDir: string;
let source: FixtureServer;
let report: CycleReport;
let incidents: Incident[];
let site: StaticServer;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'or-hostile-'));
  source = await startFixtureServer();
  source.setAll({
    '/scm/api/posts/mac': { body: JSON.stringify(hostile.statusPost(NOW)), contentType: JSON_TYPE },
    '/scm/api/feed/mac': { body: hostile.statusFeed(NOW), contentType: RSS_TYPE },
    '/azure/en-us/status/feed/': { body: hostile.azureFeed(NOW), contentType: RSS_TYPE },
    '/login/tenant-h/oauth2/v2.0/token': { body: JSON.stringify({ access_token: 'token', expires_in: 3600, token_type: 'Bearer' }), contentType: JSON_TYPE },
    '/graph/v1.0/admin/serviceAnnouncement/healthOverviews': { body: hostile.graphOverviews(), contentType: JSON_TYPE },
    '/graph/v1.0/admin/serviceAnnouncement/issues': { body: hostile.graphIssues(NOW), contentType: JSON_TYPE },
    '/heise/feed': { body: hostile.newsFeed('heise', NOW), contentType: RSS_TYPE },
    '/golem/feed': { body: hostile.newsFeed('golem', NOW), contentType: RSS_TYPE },
    '/mastodon/tags/outlookdown.rss': { body: hostile.mastodonFeed(NOW), contentType: RSS_TYPE },
  });
  const raw = {
    dataDir: 'data',
    sources: [
      { id: 'scm-mac', adapter: 'status-cloud-microsoft-posts', url: source.url('/scm/api/posts/mac'), services: ['exchange-online', 'm365-admin'] },
      { id: 'scm-feed', adapter: 'status-cloud-microsoft-feed', url: source.url('/scm/api/feed/mac'), services: ['teams'] },
      { id: 'azure-status', adapter: 'azure-status-rss', url: source.url('/azure/en-us/status/feed/') },
      { id: 'graph', adapter: 'graph-service-health', url: source.url('/graph/v1.0'), tokenUrl: source.url('/login') },
      { id: 'heise', adapter: 'news-feed', url: source.url('/heise/feed'), outlet: 'heise online', lang: 'de' },
      { id: 'golem', adapter: 'news-feed', url: source.url('/golem/feed'), outlet: 'Golem.de', lang: 'de' },
      { id: 'mastodon', adapter: 'mastodon-tag', url: source.url('/mastodon/tags/outlookdown.rss'), outlet: 'mastodon.example #outlookdown' },
    ],
  };
  const configFile = path.join(dir, 'outage-radar.config.json');
  await writeFile(configFile, JSON.stringify(raw, null, 2));
  const config = parseConfig(raw, configFile, {});
  dataDir = config.dataDirAbs;
  const http = createHttpClient({ config: config.http, clock: () => NOW });
  try {
    report = await runCycle({ config, now: NOW, http, env: { GRAPH_TENANT_ID: 'tenant-h', GRAPH_CLIENT_ID: 'client', GRAPH_CLIENT_SECRET: 'secret' }, adapters: resolveAnyAdapter });
  } finally {
    await http.close();
  }
  incidents = await readIncidents(dataDir);
  const built = await buildSite({ dataDir, outDir: path.join(dir, 'dist'), now: NOW.toISOString(), env: { OUTAGE_RADAR_CONFIG: configFile } });
  clientDir = built.clientDir;
  site = await startStaticServer(clientDir);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await source?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Built files with a suffix, relative to the client dir. */
async function built(suffix: string): Promise<{ rel: string; text: string }[]> {
  const files = await listBuiltFiles(clientDir, suffix);
  return Promise.all(files.map(async (f) => ({ rel: path.relative(clientDir, f), text: await fs.readFile(f, 'utf8') })));
}

/** Raw output must not carry a bidi override, an invisible character or a C0/C1 control (line breaks and tabs aside). */
function expectClean(text: string, where: string): void {
  expect(unsafeCharsIn(text, { allowNewlines: true }), where).toEqual([]);
}

/** An HTML document after parsing: no element, attribute or URL came from a payload. */
function expectInertHtml(html: string, where: string): void {
  expectClean(html, where);
  const $ = cheerio.load(html);
  $('script').each((_, el) => {
    const s = $(el);
    expect(`${s.attr('src') ?? ''} ${s.html() ?? ''}`, `${where}: <script> from data`).not.toMatch(MARKER);
  });
  $('*').each((_, el) => {
    for (const [name, value] of Object.entries((el as { attribs?: Record<string, string> }).attribs ?? {})) {
      expect(name.startsWith('on'), `${where}: <${(el as { name: string }).name} ${name}="${value}">`).toBe(false);
      if (['href', 'src', 'action', 'formaction', 'srcdoc', 'data', 'xlink:href'].includes(name)) {
        expect(value, `${where}: ${name}`).not.toMatch(/^\s*(javascript|data|vbscript):/i);
        // A payload may sit in a link only as a percent-encoded part of an http(s) URL.
        if (MARKER.test(value)) expect(value, `${where}: ${name}`).toMatch(/^https?:\/\/[^<>"'\s]+$/);
      }
    }
  });
  expect($('img[src="x"], svg[onload], iframe:not([src^="/"])').length, where).toBe(0);
}

describe('the checks can fail', () => {
  test('unescaped payloads in a page are caught, escaped ones pass; torn XML is caught', async () => {
    const escaped = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    for (const payload of [hostile.H.script, hostile.H.breakout, hostile.H.svg, `<a href="${hostile.H.jsUrl}">x</a>`, `<p title="${hostile.H.bidi}">x</p>`]) {
      expect(() => expectInertHtml(`<!doctype html><p>${payload}</p>`, 'raw'), payload).toThrow();
    }
    await expect(validateXML({ xml: [{ fileName: 'torn.xml', contents: '<feed><title>]]></feed>' }], normalization: 'format' })).resolves.toMatchObject({ valid: false });
    expectInertHtml(`<!doctype html><p title="${escaped(hostile.HOSTILE_XML_SAFE.replace('\u202E', ''))}">${escaped(hostile.HOSTILE_XML_SAFE.replace('\u202E', ''))}</p>`, 'escaped');
  });
});

describe('the hostile strings reach the data, cleaned of invisible tricks', () => {
  test('every source was read and every kind left a signal', async () => {
    expect(report.sources.map((s) => [s.id, s.outcome, s.error?.code ?? null])).toEqual(report.sources.map((s) => [s.id, 'ok', null]));
    const signals = await readSignals(dataDir);
    expect(new Set(signals.map((s) => s.source.id))).toEqual(new Set(['scm-mac', 'scm-feed', 'azure-status', 'graph', 'heise', 'golem', 'mastodon']));
    for (const s of signals) {
      expectClean(`${s.title}\n${s.text}`, `signal ${s.id}`);
      if (s.url !== null) expect(s.url, s.id).toMatch(/^https?:\/\//);
    }
  });

  test('the incidents carry the payloads as text (official titles keep them verbatim, minus controls and bidi)', () => {
    expect(incidents.length).toBeGreaterThanOrEqual(4);
    const titles = incidents.map((i) => i.title);
    expect(titles.some((t) => t.includes(hostile.H.script) && t.includes(hostile.H.breakout) && t.includes(hostile.H.jsUrl))).toBe(true);
    for (const i of incidents) expectClean(JSON.stringify(i), i.id);
  });
});

describe('HTML pages', () => {
  test('every built page parses without an element, handler or URL from a payload', async () => {
    const pages = await built('.html');
    expect(pages.length).toBeGreaterThan(20);
    for (const { rel, text } of pages) expectInertHtml(text, rel);
  });

  test('an incident page shows the payload as text, in both languages', async () => {
    const incident = incidents.find((i) => i.title.includes(hostile.H.script))!;
    for (const lang of ['en', 'de']) {
      const $ = cheerio.load(await fs.readFile(path.join(clientDir, lang, 'incidents', incident.id, 'index.html'), 'utf8'));
      expect($('h1').text(), lang).toContain(hostile.H.script);
      expect($('h1').text(), lang).toContain(hostile.H.breakout);
      expect($('title').text(), lang).toContain(hostile.H.script);
    }
  });

  test('in Chromium no payload runs, no dialog opens, no element is injected', async () => {
    const context = await browser.newContext();
    await context.clock.setFixedTime(NOW);
    const page = await context.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    const paths = [
      '/en/',
      '/de/',
      '/en/history/',
      '/de/embed/',
      '/en/about/',
      ...incidents.flatMap((i) => [`/en/incidents/${i.id}/`, `/de/incidents/${i.id}/`]),
      ...[...new Set(incidents.flatMap((i) => i.services))].flatMap((s) => [`/en/services/${s}/`, `/de/services/${s}/history/`]),
      // Widgets: the all-services one and those of the services the hostile incidents touch.
      ...(await built('.html'))
        .map(({ rel }) => rel)
        .filter((rel) => /^(en|de)\/widget\//.test(rel) && (rel.split('/').length === 3 || incidents.some((i) => i.services.some((s) => rel.includes(`/${s}/`)))))
        .map((rel) => `/${rel.replace(/index\.html$/, '')}`),
    ];
    for (const p of paths) {
      const res = await page.goto(`${site.origin}${p}`);
      expect(res?.status(), p).toBe(200);
      await page.waitForLoadState('networkidle');
      await inspect(page, p);
    }
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  test('widget.js on a host page renders the hostile incident title as text', async () => {
    const host = await startStaticServer(clientDir, (pathname) =>
      pathname === '/host.html'
        ? {
            status: 200,
            type: 'text/html; charset=utf-8',
            body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title></head><body><h1>Intranet</h1><script src="${site.origin}/widget.js" data-lang="en" async></script></body></html>`,
            headers: { 'Content-Security-Policy': `default-src 'none'; script-src ${site.origin}; connect-src ${site.origin}; style-src 'unsafe-inline'` },
          }
        : null,
    );
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`${host.origin}/host.html`);
      await page.waitForLoadState('networkidle');
      const banner = page.locator('[data-outage-radar]');
      await banner.waitFor();
      expect(await banner.innerText()).toMatch(/xss-/);
      await inspect(page, 'widget.js banner');
      expect(dialogs).toEqual([]);
    } finally {
      await context.close();
      await host.close();
    }
  });
});

/** In the live DOM: nothing a payload could have created. */
async function inspect(page: Page, where: string): Promise<void> {
  const found = await page.evaluate(() => {
    const bad: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) if (attr.startsWith('on')) bad.push(`${el.tagName} ${attr}`);
    }
    // The embed page previews the widget in a same-origin frame; nothing else frames anything.
    for (const el of document.querySelectorAll('img[src="x"], svg[onload], iframe:not([src^="/"])')) bad.push(el.outerHTML.slice(0, 80));
    for (const a of document.querySelectorAll('a[href]')) if ((a as HTMLAnchorElement).protocol === 'javascript:') bad.push(`a ${a.getAttribute('href')}`);
    for (const s of document.querySelectorAll('script')) if (/xss-/.test(s.textContent ?? '') || /xss-/.test(s.getAttribute('src') ?? '')) bad.push('script with payload');
    return bad;
  });
  expect(found, where).toEqual([]);
}

describe('feeds', () => {
  test('every RSS and Atom file is well-formed XML, clean, and its entry HTML carries no markup from data', async () => {
    const feeds = [...(await built('.rss')), ...(await built('.atom'))];
    expect(feeds.length).toBeGreaterThan(4);
    const wellFormed = await validateXML({ xml: feeds.map(({ rel, text }) => ({ fileName: rel.replace(/\//g, '_'), contents: text })), normalization: 'format' });
    expect(wellFormed.errors).toEqual([]);
    let sawPayload = false;
    for (const { rel, text } of feeds) {
      expectClean(text, rel);
      const $ = cheerio.load(text, { xml: true });
      $('entry > title, item > title').each((_, t) => {
        if ($(t).text().includes(hostile.H.script)) sawPayload = true;
      });
      // Atom says per element whether it is HTML; RSS descriptions are HTML by convention. Text is inert by definition.
      $('entry > content[type="html"], entry > summary[type="html"], item > description').each((_, c) => {
        expectInertHtml($(c).text(), `${rel} entry HTML`);
      });
    }
    expect(sawPayload).toBe(true);
  });

  test('every Atom feed is still valid against the RFC 4287 RELAX NG schema', async () => {
    const schema = await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/atom/rfc4287.rng'), 'utf8');
    const atoms = await built('.atom');
    const result = await validateXML({ xml: atoms.map(({ rel, text }) => ({ fileName: rel.replace(/\//g, '_'), contents: text })), schema: [schema], extension: 'relaxng' });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe('badges, JSON API and the other JSON files', () => {
  test('every SVG badge is well-formed, scriptless and clean', async () => {
    const svgs = await built('.svg');
    expect(svgs.length).toBeGreaterThan(10);
    const wellFormed = await validateXML({ xml: svgs.map(({ rel, text }) => ({ fileName: rel.replace(/\//g, '_'), contents: text })), normalization: 'format' });
    expect(wellFormed.errors).toEqual([]);
    for (const { rel, text } of svgs) {
      expectClean(text, rel);
      const $ = cheerio.load(text, { xml: true });
      expect($('script, foreignObject, iframe').length, rel).toBe(0);
      expect(text, rel).not.toMatch(/\son[a-z]+\s*=|javascript:|xss-/i);
    }
  });

  test('every JSON file parses, every string in it is clean, and Statuspage HTML bodies are escaped', async () => {
    const docs = await built('.json');
    expect(docs.length).toBeGreaterThan(10);
    const strings: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    for (const { rel, text } of docs) {
      const doc = JSON.parse(text) as unknown;
      strings.length = 0;
      walk(doc);
      for (const s of strings) expectClean(s, `${rel}: ${JSON.stringify(s).slice(0, 80)}`);
    }
    const api = JSON.parse(await fs.readFile(path.join(clientDir, 'api/v2/incidents.json'), 'utf8')) as { incidents: { name: string; incident_updates: { body: string }[] }[] };
    const hostileIncidents = api.incidents.filter((i) => i.name.includes('xss-'));
    expect(hostileIncidents.length).toBeGreaterThan(0);
    for (const i of hostileIncidents) {
      // The name is data (clients escape it); update bodies are HTML in Statuspage, so they arrive escaped.
      expect(i.name).toContain(hostile.H.script);
      for (const u of i.incident_updates) {
        expect(u.body).not.toMatch(/<script|<img|<svg/i);
        expectInertHtml(u.body, `api/v2/incidents.json update of ${i.name.slice(0, 30)}`);
      }
    }
  });
});
