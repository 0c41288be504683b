/**
 * A site built while our data is 3 hours old: the page must say so without JavaScript, and
 * nothing we cannot vouch for may look green (pages, badges, API).
 */
import * as cheerio from 'cheerio';
import { beforeAll, describe, expect, test } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EMPTY_SITE, getBuiltSite, STALE_SITE, type BuiltTestSite } from './helpers/built-site.ts';
import { readBuilt } from './helpers/files.ts';

let site: BuiltTestSite;
beforeAll(async () => {
  site = await getBuiltSite(STALE_SITE);
}, 180_000);

describe('stale data', () => {
  test.each(['en', 'de'])('the %s home page shows the warning in its HTML and calls operational services unknown', async (lang) => {
    const $ = cheerio.load(await readBuilt(site.clientDir, `${lang}/index.html`));
    const warning = $('[data-stale-warning]');
    expect(warning.attr('hidden')).toBeUndefined();
    expect(warning.text()).toContain(lang === 'en' ? '3 h' : '3 Std.');
    expect($('[data-service-status="azure"]').attr('class')).toContain('st-unknown');
    expect($('.svc .pill.st-operational').length).toBe(0);
    expect($('.answer-detail').text()).toContain(lang === 'en' ? 'out of date' : 'veraltet');
  });

  test('badges and the Statuspage API do not claim operational', async () => {
    const azure = cheerio.load(await readBuilt(site.clientDir, 'badges/en/azure.svg'), { xml: true });
    expect(azure('svg').attr('aria-label')).toBe('Azure: unknown (stale data)');
    const { components } = JSON.parse(await readBuilt(site.clientDir, 'api/v2/components.json'));
    expect(components.filter((c: { status: string }) => c.status === 'operational')).toEqual([]);
    const own = JSON.parse(await readBuilt(site.clientDir, 'api/status.json'));
    expect(own.isStale).toBe(true);
  });
});

describe('a fresh install with no data yet', () => {
  let empty: BuiltTestSite;
  beforeAll(async () => {
    empty = await getBuiltSite(EMPTY_SITE);
  }, 180_000);

  test('says it cannot tell, shows every service as unknown and an empty history', async () => {
    const $ = cheerio.load(await readBuilt(empty.clientDir, 'en/index.html'));
    expect($('.answer').text()).toMatch(/^We cannot tell yet/);
    expect($('.svc .pill.st-unknown').length).toBe(10);
    expect($('[data-stale-warning]').attr('hidden')).toBeUndefined();
    const history = cheerio.load(await readBuilt(empty.clientDir, 'de/history/index.html'));
    expect(history('main').text()).toContain('Noch keine Störungen erfasst.');
  });

  test('feeds without entries are still valid Atom and the API reports no green', async () => {
    const schema = await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/atom/rfc4287.rng'), 'utf8');
    const atom = await readBuilt(empty.clientDir, 'en/history.atom');
    const result = await validateXML({ xml: [{ fileName: 'empty.atom', contents: atom }], schema: [schema], extension: 'relaxng' });
    expect(result.errors).toEqual([]);
    const { status, components } = JSON.parse(await readBuilt(empty.clientDir, 'api/v2/summary.json'));
    expect(status.indicator).toBe('minor');
    expect(components.every((c: { status: string }) => c.status === 'degraded_performance')).toBe(true);
  });
});
