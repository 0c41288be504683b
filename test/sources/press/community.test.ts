import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SignalSchema } from '../../../src/domain/schemas.ts';
import { SourceError } from '../../../scrapers/http/errors.ts';
import type { OwnedHttpClient } from '../../../scrapers/http/index.ts';
import { adapter as mastodon, fetchMastodonTag } from '../../../scrapers/sources/mastodon-tag.ts';
import { adapter as reddit, checkRedditConfigured, fetchReddit } from '../../../scrapers/sources/reddit.ts';
import { contextFor, createTestHttp, startFeedServer, type FeedServer } from './_harness.ts';

const NOW = new Date('2026-11-24T10:00:00.000Z');
const UA = 'node:org.example.outage-radar:0.1 (by /u/outage_radar_test)';
let server: FeedServer;
let http: OwnedHttpClient;

beforeAll(async () => {
  server = await startFeedServer();
  http = createTestHttp();
  server.serveFixture('/social/tags/outlookdown.rss', 'mastodon-outlookdown-social.xml', 'application/rss+xml; charset=utf-8');
  server.serveFixture('/chaos/tags/outlookdown.rss', 'mastodon-outlookdown-chaos.xml', 'application/rss+xml; charset=utf-8');
  server.serveFixture('/r/Office365/new/.rss', 'reddit-office365.atom', 'application/atom+xml; charset=UTF-8');
  server.route('/r/limited/.rss', (_req, res) => void res.writeHead(429, { 'retry-after': '120', 'content-type': 'text/html' }).end('<html>Too Many Requests</html>'));
});

afterAll(async () => {
  await http.close();
  await server.close();
});

describe('mastodon-tag adapter', () => {
  test('posts without titles: title from the text, outage posts only, crowd kind with press facts and no crowd facts', async () => {
    const ctx = contextFor({ id: 'mastodon-social-outlookdown', adapter: 'mastodon-tag', url: `${server.base}/social/tags/outlookdown.rss`, outlet: 'mastodon.social #outlookdown' }, http, NOW);
    const r = await fetchMastodonTag(ctx);
    expect(r.outcome).toBe('ok');
    expect(r.signals.map((s) => [s.title, s.services, s.lang])).toEqual([
      ['outlook im browser lädt nicht, teams-kalender leer. geht das noch jemandem so? #outlookdown', ['exchange-online', 'teams'], 'de'],
      ["Is it just me or is Outlook down again? Can't send anything. #outlookdown", ['exchange-online'], 'en'],
    ]);
    for (const s of r.signals) {
      expect(SignalSchema.safeParse(s).success).toBe(true);
      expect(s.source).toEqual({ id: 'mastodon-social-outlookdown', kind: 'crowd' });
      expect(s.crowd).toBeUndefined();
      expect(s.press!.kind).toBe('outage');
      expect(s.press!.outlet).toBe('mastodon.social #outlookdown');
      expect(s.title.length).toBeLessThanOrEqual(140);
    }
    expect(mastodon.kind).toBe('crowd');
  });

  test('the same post seen by two instances has one signal id', async () => {
    const a = await fetchMastodonTag(contextFor({ id: 'mastodon-a', adapter: 'mastodon-tag', url: `${server.base}/social/tags/outlookdown.rss` }, http, NOW));
    const b = await fetchMastodonTag(contextFor({ id: 'mastodon-b', adapter: 'mastodon-tag', url: `${server.base}/chaos/tags/outlookdown.rss` }, http, NOW));
    expect(b.signals).toHaveLength(1);
    expect(a.signals.map((s) => s.id)).toContain(b.signals[0]!.id);
    expect(b.signals[0]!.press!.canonicalUrl).toBe('https://chaos.social.example/@anna/113600000000000001');
  });
});

describe('reddit adapter', () => {
  test('off without REDDIT_USER_AGENT, with a reason; a UA must name the account', () => {
    const src = { id: 'reddit-office365', adapter: 'reddit' as const, url: 'https://www.reddit.com/r/Office365/new/.rss', enabled: false, intervalMinutes: 30, readArticles: false };
    expect(checkRedditConfigured(src, {})).toMatch(/REDDIT_USER_AGENT is not set/);
    expect(checkRedditConfigured(src, { REDDIT_USER_AGENT: 'Mozilla/5.0' })).toMatch(/must name the Reddit account/);
    expect(checkRedditConfigured(src, { REDDIT_USER_AGENT: UA })).toBeNull();
    expect(checkRedditConfigured({ ...src, intervalMinutes: 1 }, { REDDIT_USER_AGENT: UA })).toMatch(/at least 2/);
    expect(reddit.checkConfigured).toBe(checkRedditConfigured);
  });

  test('fetch refuses to run unconfigured (SOURCE_NOT_CONFIGURED) and makes no request', async () => {
    const before = server.requests.length;
    const err = await fetchReddit(contextFor({ id: 'reddit-x', adapter: 'reddit', url: `${server.base}/r/Office365/new/.rss` }, http, NOW)).catch((e: unknown) => e);
    expect((err as SourceError).code).toBe('SOURCE_NOT_CONFIGURED');
    expect(server.requests.length).toBe(before);
  });

  test('sends the configured User-Agent, reads self-text from div.md, keeps outage posts only', async () => {
    const ctx = contextFor({ id: 'reddit-office365', adapter: 'reddit', url: `${server.base}/r/Office365/new/.rss`, outlet: 'r/Office365' }, http, NOW, { env: { REDDIT_USER_AGENT: UA } });
    const r = await fetchReddit(ctx);
    expect(server.headers.get('/r/Office365/new/.rss')?.['user-agent']).toBe(UA);
    expect(r.signals).toHaveLength(1);
    const s = r.signals[0]!;
    expect(s.title).toBe("Exchange Online down? Users can't send mail");
    expect(s.text).toBe('Since 08:00 UTC none of our users can send mail, OWA shows an error. Admin center lists EX1200001. Anyone else?');
    expect(s.text).not.toContain('submitted by');
    expect(s.services).toEqual(['exchange-online']);
    expect(s.press!.refs).toEqual(['EX1200001']);
    expect(s.source.kind).toBe('crowd');
    expect(s.observedAt).toBe('2026-11-24T08:20:38.000Z');
  });

  test('a 429 surfaces as SOURCE_RATE_LIMITED with a retry time (handled by the HTTP layer)', async () => {
    const ctx = contextFor({ id: 'reddit-limited', adapter: 'reddit', url: `${server.base}/r/limited/.rss` }, http, NOW, { env: { REDDIT_USER_AGENT: UA } });
    const err = (await fetchReddit(ctx).catch((e: unknown) => e)) as SourceError;
    expect(err.code).toBe('SOURCE_RATE_LIMITED');
    expect(err.retryAfter).toBeInstanceOf(Date);
  });
});
