import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { extractArticleMeta, findArticleRefs } from '../../scrapers/press/article.ts';

const page = (f: string) => readFileSync(new URL(`../fixtures/news/${f}`, import.meta.url), 'utf8');

describe('article metadata', () => {
  test('canonical link, article:published_time and incident ids from the visible article text only', () => {
    const meta = extractArticleMeta(page('article-heise.html'), 'https://www.heise.de/news/x-10100001.html?wt_mc=rss');
    expect(meta).toEqual({
      canonicalUrl: 'https://www.heise.de/news/Outlook-Stoerung-Microsoft-untersucht-Probleme-beim-Mailabruf-10100001.html',
      publishedAt: '2026-11-24T08:38:00.000Z',
      // TM9999999 sits in a script, AB1234567 is an order number without context.
      refs: ['EX1200001', 'MO1199999'],
    });
  });

  test('JSON-LD url and datePublished when meta tags are missing; broken JSON-LD is skipped', () => {
    expect(extractArticleMeta(page('article-jsonld-only.html'), 'https://news.example/a/teams-back?utm_source=x')).toEqual({
      canonicalUrl: 'https://news.example/a/teams-back',
      publishedAt: '2026-11-24T14:25:00.000Z',
      refs: ['TM1200003'],
    });
  });

  test('a page without metadata gives nulls, and a javascript: canonical is ignored', () => {
    expect(extractArticleMeta('<html><head><link rel="canonical" href="javascript:alert(1)"></head><body>x</body></html>', 'https://a.example/p')).toEqual({
      canonicalUrl: null,
      publishedAt: null,
      refs: [],
    });
  });

  test.each([
    ['Microsoft lists the incident as ZZ1234567 in the admin center', ['ZZ1234567']],
    ['Artikelnummer ZZ1234567 im Shop', []],
    ['EX1151485 and MO941162, and MC123456 is a change notice', ['EX1151485', 'MO941162']],
  ])('findArticleRefs(%j)', (text, refs) => {
    expect(findArticleRefs(text)).toEqual(refs);
  });
});
