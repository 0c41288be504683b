/**
 * A site built while our data is 3 hours old: the page must say so without JavaScript, and
 * nothing we cannot vouch for may look green (pages, badges, API).
 */
import * as cheerio from 'cheerio';
import { beforeAll, describe, expect, test } from 'vitest';
import { getBuiltSite, STALE_SITE, type BuiltTestSite } from './helpers/built-site.ts';
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
