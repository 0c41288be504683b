import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import Parser from 'rss-parser';
import { validateXML } from 'xmllint-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { listBuiltFiles, readBuilt } from './helpers/files.ts';
import { getBuiltSite, type BuiltTestSite } from './helpers/built-site.ts';

let site: BuiltTestSite;
let schema: string;
beforeAll(async () => {
  site = await getBuiltSite();
  schema = await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/atom/rfc4287.rng'), 'utf8');
}, 180_000);

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('Atom feeds', () => {
  test('every Atom feed (site-wide and per service, both languages) is valid against the RFC 4287 RELAX NG schema', async () => {
    const files = await listBuiltFiles(site.clientDir, '.atom');
    expect(files).toHaveLength(2 + 2 * 10);
    const result = await validateXML({
      xml: await Promise.all(files.map(async (f) => ({ fileName: path.relative(site.clientDir, f).replace(/\//g, '_'), contents: await fs.readFile(f, 'utf8') }))),
      schema: [schema],
      extension: 'relaxng',
    });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('the schema check can fail: a feed without an id is rejected', async () => {
    const feed = (await readBuilt(site.clientDir, 'en/history.atom')).replace(/<id>[^<]*<\/id>/, '');
    const result = await validateXML({ xml: [{ fileName: 'broken.atom', contents: feed }], schema: [schema], extension: 'relaxng' });
    expect(result.valid).toBe(false);
  });

  test("RFC 4287's Schematron rules hold: a feed author, an alternate link per entry, RFC 3339 dates", async () => {
    const $ = cheerio.load(await readBuilt(site.clientDir, 'de/history.atom'), { xml: true });
    expect($('feed > author > name').text()).toBe('Outage Radar');
    expect($('feed').attr('xml:lang')).toBe('de');
    expect($('feed > link[rel="self"]').attr('href')).toMatch(/\/de\/history\.atom$/);
    expect($('entry').length).toBeGreaterThan(10);
    $('entry').each((_, e) => {
      expect($(e).find('link[rel="alternate"]').attr('href')).toMatch(/\/de\/incidents\/[a-z0-9-]+\/$/);
      expect($(e).find('updated').text()).toMatch(RFC3339_UTC);
      expect($(e).find('published').text()).toMatch(RFC3339_UTC);
    });
  });

  test('one entry per incident, id = incident URL, most recently updated first, feed updated = newest entry', async () => {
    const $ = cheerio.load(await readBuilt(site.clientDir, 'en/history.atom'), { xml: true });
    const ids = $('entry > id').map((_, e) => $(e).text()).get();
    expect(new Set(ids).size).toBe(ids.length);
    const updated = $('entry > updated').map((_, e) => $(e).text()).get();
    expect([...updated].sort().reverse()).toEqual(updated);
    expect($('feed > updated').text()).toBe(updated[0]);
    for (const id of ids.slice(0, 5)) {
      const rel = new URL(id).pathname.replace(/^\//, '');
      await expect(fs.access(path.join(site.clientDir, rel, 'index.html'))).resolves.toBeUndefined();
    }
  });

  test("an entry's content carries the incident's updates newest first", async () => {
    const $ = cheerio.load(await readBuilt(site.clientDir, 'en/history.atom'), { xml: true });
    const active = site.data.activeIds[0]!;
    const entry = $('entry').filter((_, e) => $(e).find('id').text().endsWith(`/en/incidents/${active}/`));
    const html = cheerio.load(entry.find('content').text());
    const stamps = html('small time').map((_, s) => html(s).attr('datetime')).get();
    expect(stamps.length).toBeGreaterThan(2);
    expect([...stamps].sort().reverse()).toEqual(stamps);
  });
});

describe('RSS feeds', () => {
  test('every RSS feed is well-formed RSS 2.0 with channel and item essentials', async () => {
    const files = await listBuiltFiles(site.clientDir, '.rss');
    expect(files).toHaveLength(22);
    const parser = new Parser();
    const xmls = await Promise.all(files.map((f) => fs.readFile(f, 'utf8')));
    const wellFormed = await validateXML({ xml: xmls.map((contents, k) => ({ fileName: `feed${k}.rss`, contents })), normalization: 'format' });
    expect(wellFormed.errors).toEqual([]);
    for (const xml of xmls) {
      const $ = cheerio.load(xml, { xml: true });
      expect($('rss').attr('version')).toBe('2.0');
      expect($('channel > title').text()).not.toBe('');
      expect($('channel > link').text()).toMatch(/^http/);
      expect($('channel > description').text()).not.toBe('');
      expect($('channel > lastBuildDate').text()).toMatch(RFC822);
      $('item').each((_, item) => {
        const link = $(item).find('link').text();
        expect($(item).find('guid').text()).toBe(link);
        expect($(item).find('guid').attr('isPermaLink')).toBe('true');
        expect($(item).find('pubDate').text()).toMatch(RFC822);
        expect($(item).find('title').text()).not.toBe('');
      });
      const parsed = await parser.parseString(xml);
      expect(parsed.items.length).toBe($('item').length);
    }
  });

  test('a service feed holds only incidents of that service, in its language', async () => {
    const xml = await readBuilt(site.clientDir, 'de/services/teams/history.rss');
    const $ = cheerio.load(xml, { xml: true });
    expect($('channel > language').text()).toBe('de');
    expect($('item').length).toBeGreaterThan(0);
    $('item').each((_, item) => {
      expect($(item).find('category').map((__, c) => $(c).text()).get()).toContain('Microsoft Teams');
    });
    expect(xml).toContain('Vermutet (unbestätigt)');
  });

  test('pages announce their feeds for autodiscovery', async () => {
    const $ = cheerio.load(await readBuilt(site.clientDir, 'en/services/teams/index.html'));
    const hrefs = $('link[rel="alternate"][type="application/rss+xml"], link[rel="alternate"][type="application/atom+xml"]').map((_, l) => $(l).attr('href')).get();
    expect(hrefs).toEqual(expect.arrayContaining(['/en/services/teams/history.rss', '/en/services/teams/history.atom', '/en/history.rss', '/en/history.atom']));
  });
});
