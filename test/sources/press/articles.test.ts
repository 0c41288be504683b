import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { OwnedHttpClient } from '../../../scrapers/http/index.ts';
import { fetchNewsFeed } from '../../../scrapers/sources/news-feed.ts';
import { contextFor, createTestHttp, fixture, startFeedServer, type FeedServer } from './_harness.ts';

const NOW = new Date('2026-11-24T15:00:00.000Z');

function atom(base: string, entries: { title: string; path: string; published?: string }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Local News</title><id>${base}/</id><updated>2026-11-24T10:00:00Z</updated>${entries
    .map(
      (e) =>
        `<entry><title>${e.title}</title><id>${base}${e.path}</id>${e.published ? `<published>${e.published}</published>` : ''}<link href="${base}${e.path}?utm_source=feed"/></entry>`,
    )
    .join('')}</feed>`;
}

describe('news-feed with readArticles', () => {
  let server: FeedServer;
  let http: OwnedHttpClient;
  beforeAll(async () => {
    server = await startFeedServer();
    http = createTestHttp();
    const b = server.base;
    server.route('/robots.txt', (_q, r) => void r.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: OutageRadar\nDisallow: /premium/\n'));
    server.route('/feed.atom', (_q, r) =>
      void r.writeHead(200, { 'content-type': 'application/atom+xml' }).end(
        atom(b, [
          { title: 'Outlook-Störung: Microsoft untersucht Probleme beim Mailabruf', path: '/news/outlook-stoerung' },
          { title: 'Microsoft Teams is down for many users', path: '/premium/teams-down', published: '2026-11-24T09:00:00Z' },
          { title: 'Neue Funktionen für Windows 11', path: '/news/windows' },
        ]),
      ),
    );
    const page = fixture('article-heise.html').toString('utf8').replace(/https:\/\/www\.heise\.de\/news\//g, `${b}/news/`);
    server.route('/news/outlook-stoerung', (_q, r) => void r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
    server.route('/premium/teams-down', (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'));
  });
  afterAll(async () => {
    await http.close();
    await server.close();
  });

  test('reads allowed pages for canonical URL, time and ids; honours Disallow; stores no body', async () => {
    const ctx = contextFor({ id: 'local-news', adapter: 'news-feed', url: `${server.base}/feed.atom`, outlet: 'Local', lang: 'de', readArticles: true }, http, NOW);
    const r = await fetchNewsFeed(ctx);
    expect(server.requests.filter((p) => p === '/robots.txt')).toHaveLength(1);
    expect(server.requests).toContain('/news/outlook-stoerung');
    expect(server.requests).not.toContain('/premium/teams-down');
    expect(server.requests).not.toContain('/news/windows');
    const outlook = r.signals.find((s) => s.services.includes('exchange-online'))!;
    expect(outlook.press!.canonicalUrl).toBe(`${server.base}/news/Outlook-Stoerung-Microsoft-untersucht-Probleme-beim-Mailabruf-10100001.html`);
    expect(outlook.url).toBe(outlook.press!.canonicalUrl);
    expect(outlook.press!.refs).toEqual(['EX1200001', 'MO1199999']);
    // The feed had no date: the page's publish time replaces the fetch time.
    expect(outlook.observedAt).toBe('2026-11-24T08:38:00.000Z');
    expect(JSON.stringify(r.signals)).not.toContain('Invented article text');
    const teams = r.signals.find((s) => s.services.includes('teams'))!;
    expect(teams.press!.canonicalUrl).toBe(`${server.base}/premium/teams-down`);
    expect(teams.observedAt).toBe('2026-11-24T09:00:00.000Z');
    expect(r.notes.find((n) => n.title.startsWith('Microsoft Teams'))!.article).toMatch(/robots: disallowed/);
  });

  test('robots.txt answering 5xx means no article is fetched; the feed still yields its signals', async () => {
    const s2 = await startFeedServer();
    const http2 = createTestHttp();
    try {
      s2.route('/robots.txt', (_q, r) => void r.writeHead(503, { 'content-type': 'text/plain' }).end('down'));
      s2.route('/feed.atom', (_q, r) => void r.writeHead(200, { 'content-type': 'application/atom+xml' }).end(atom(s2.base, [{ title: 'Outlook down for thousands', path: '/a' }])));
      s2.route('/a', (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'));
      const r = await fetchNewsFeed(contextFor({ id: 'local-2', adapter: 'news-feed', url: `${s2.base}/feed.atom`, readArticles: true }, http2, NOW));
      expect(r.signals).toHaveLength(1);
      expect(s2.requests).not.toContain('/a');
      expect(r.notes[0]!.article).toMatch(/robots: robots\.txt unreachable/);
    } finally {
      await http2.close();
      await s2.close();
    }
  });
});
