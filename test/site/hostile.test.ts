/**
 * A hostile source: every string of two incidents is an injection attempt (markup, attribute
 * breakouts, javascript: text, `]]>`, `&`, bidi overrides). It must stay inert in every output.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HOSTILE } from '../../bench/generate-data.ts';
import { cleanText } from '../../src/lib/escape.ts';
import { launchBrowser } from './helpers/browser.ts';
import { getBuiltSite, NOW, type BuiltTestSite } from './helpers/built-site.ts';
import { listBuiltFiles, readBuilt } from './helpers/files.ts';
import { startStaticServer, type StaticServer } from './helpers/static-server.ts';

let site: BuiltTestSite;
let server: StaticServer;
let browser: Browser;
beforeAll(async () => {
  site = await getBuiltSite();
  server = await startStaticServer(site.clientDir);
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

/** Asserts an HTML document carries no markup from the hostile strings. */
function expectInertHtml(html: string, where: string): void {
  const $ = cheerio.load(html);
  $('script').each((_, el) => {
    const s = $(el);
    const ok = s.attr('type') === 'application/json' || (s.attr('src') ?? '').startsWith('/_astro/') || (s.html() ?? '').startsWith('try{var t=localStorage');
    expect(ok, `${where}: unexpected <script> ${$.html(el).slice(0, 80)}`).toBe(true);
  });
  expect($('img[onerror], [onmouseover], [onerror], [onclick]').length, where).toBe(0);
  $('a[href]').each((_, el) => {
    const href = $(el).attr('href')!;
    expect(href, where).not.toMatch(/^\s*javascript:/i);
    if (/^https?:/.test(href)) expect($(el).attr('rel'), `${where}: ${href}`).toBe('noopener noreferrer');
  });
  expect(html, where).not.toMatch(BIDI);
}

describe('hostile strings stay inert', () => {
  test('in HTML: incident pages, home, service page and history, both languages', async () => {
    const pages = [
      'en/index.html',
      'de/index.html',
      'en/services/sharepoint/index.html',
      'de/services/m365-apps/history/index.html',
      'en/history/index.html',
      ...site.data.hostileIds.flatMap((id) => [`en/incidents/${id}/index.html`, `de/incidents/${id}/index.html`]),
    ];
    for (const rel of pages) expectInertHtml(await readBuilt(site.clientDir, rel), rel);
    const incident = cheerio.load(await readBuilt(site.clientDir, `en/incidents/${site.data.hostileIds[0]}/index.html`));
    expect(incident('h1').text()).toBe(cleanText(HOSTILE.title));
    expect(incident('title').text()).toContain(cleanText(HOSTILE.title));
    expect(incident('.evidence').text()).toContain(cleanText(HOSTILE.outlet));
    expect(incident('.ref').first().text()).toBe(HOSTILE.ref);
  });

  test('in every built HTML page: no bidi override survives, no foreign script', async () => {
    const files = await listBuiltFiles(site.clientDir, '.html');
    expect(files.length).toBeGreaterThan(250);
    for (const file of files) {
      const html = await fs.readFile(file, 'utf8');
      expect(html, file).not.toMatch(BIDI);
      expect(html, file).not.toContain('<script>alert');
      expect(html, file).not.toContain('<img src=x');
    }
  });

  test('in feeds: text stays text after XML decoding, entry HTML has no markup from data', async () => {
    for (const rel of ['en/history.atom', 'de/history.rss', 'en/services/sharepoint/history.atom']) {
      const xml = await readBuilt(site.clientDir, rel);
      expect(xml, rel).not.toMatch(BIDI);
      const $ = cheerio.load(xml, { xml: true });
      const titles = $('entry > title, item > title').map((_, t) => $(t).text()).get();
      expect(titles.some((t) => t.includes(cleanText(HOSTILE.title))), rel).toBe(true);
      $('entry > content, item > description').each((_, c) => {
        const inner = cheerio.load($(c).text());
        expect(inner('script, img, a[href^="javascript"], [onerror]').length, rel).toBe(0);
      });
    }
  });

  test('in JSON: data is kept verbatim and escaped where Statuspage treats it as HTML', async () => {
    const archive = JSON.parse(await readBuilt(site.clientDir, 'api/archive.json'));
    const hostile = archive.incidents.find((i: { id: string }) => i.id === site.data.hostileIds[0]);
    expect(hostile.title).toBe(HOSTILE.title);
    const api = JSON.parse(await readBuilt(site.clientDir, 'api/v2/incidents.json'));
    const bodies = api.incidents.flatMap((i: { incident_updates: { body: string }[] }) => i.incident_updates.map((u) => u.body)).join('\n');
    expect(bodies).not.toContain('<script>');
    expect(bodies).toContain('&lt;script&gt;');
  });

  test('in the browser: nothing runs, no dialog opens, no CSP violation, the title reads as text', async () => {
    const context = await browser.newContext();
    await context.clock.setFixedTime(new Date(NOW));
    const page = await context.newPage();
    const dialogs: string[] = [];
    const problems: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    for (const p of ['/en/', `/en/incidents/${site.data.hostileIds[0]}/`, `/de/incidents/${site.data.hostileIds[1]}/`, '/en/widget/', '/en/services/sharepoint/']) {
      await page.goto(`${server.origin}${p}`);
      await page.waitForLoadState('networkidle');
    }
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await page.goto(`${server.origin}/en/incidents/${site.data.hostileIds[0]}/`);
    expect(await page.locator('h1').innerText()).toBe(cleanText(HOSTILE.title));
    expect(await page.locator('main img').count()).toBe(0);
    await context.close();
  });
});

describe('merged incident ids', () => {
  test('an old id still resolves: a redirect page to the surviving incident', async () => {
    const [alias, target] = Object.entries(site.data.aliases)[0]!;
    const html = await fs.readFile(path.join(site.clientDir, 'en', 'incidents', alias, 'index.html'), 'utf8');
    const $ = cheerio.load(html);
    expect($('meta[http-equiv="refresh"]').attr('content')).toBe(`0; url=/en/incidents/${target}/`);
    expect($('link[rel="canonical"]').attr('href')).toMatch(new RegExp(`/en/incidents/${target}/$`));
  });
});
