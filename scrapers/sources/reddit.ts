/**
 * Reddit subreddit feeds (`…/r/<sub>/new/.rss`, Atom). Off by default: Reddit requires a unique,
 * descriptive User-Agent (`<platform>:<app id>:<version> (by /u/<name>)`) and refuses most
 * unauthenticated feed requests since mid-2026, so the operator must set REDDIT_USER_AGENT. Rate
 * limits: the source's interval (at least MIN_INTERVAL_MINUTES) between fetches; 429 and
 * Retry-After are handled by the HTTP layer, which remembers the host's not-before time.
 * Signals: source kind `crowd`, `press` facts, no `crowd` facts (see scrapers/press/community.ts).
 */
import { load } from 'cheerio';
import type { SourceConfig } from '../../src/config/schema.ts';
import { SourceError } from '../http/errors.ts';
import { fetchCommunityFeed, type CommunityPost } from '../press/community.ts';
import type { ParsedFeed } from '../press/feed.ts';
import { htmlToText } from '../text/clean.ts';
import type { FetchContext, SourceAdapter, SourceResult } from './types.ts';

/** Reddit caches listings for 30 s and allows 10 requests a minute without OAuth; stay well below. */
export const MIN_INTERVAL_MINUTES = 2;

/** Null when the source may run; otherwise why not. */
export function checkRedditConfigured(source: SourceConfig, env: NodeJS.ProcessEnv): string | null {
  const ua = env.REDDIT_USER_AGENT?.trim();
  if (!ua) return 'REDDIT_USER_AGENT is not set (Reddit requires a descriptive User-Agent such as "node:org.example.outage-radar:0.1 (by /u/yourname)")';
  if (!/\(by \/?u\/[\w-]{3,20}\)/.test(ua)) return 'REDDIT_USER_AGENT must name the Reddit account: "<platform>:<app id>:<version> (by /u/<name>)"';
  if (source.intervalMinutes < MIN_INTERVAL_MINUTES) return `intervalMinutes must be at least ${MIN_INTERVAL_MINUTES} for Reddit`;
  return null;
}

/** Posts of a Reddit Atom feed: title plus the self-text in `div.md` (not the "submitted by" boilerplate). */
export function redditPosts(feed: ParsedFeed): CommunityPost[] {
  return feed.items.map((it) => {
    // parse5 throws a RangeError on adjacent lone surrogates (XML `&#xDFFF;&#xDFFF;`).
    const $ = load((it.html || '').toWellFormed(), null, false);
    const md = $('div.md').first();
    return {
      identity: `reddit|${it.guid ?? it.link ?? ''}`,
      link: it.link,
      title: it.title,
      text: md.length ? htmlToText(md.html() ?? '') : '',
      dates: it.dates,
    };
  });
}

/** Fetches one subreddit feed. Throws SourceError (SOURCE_NOT_CONFIGURED without a User-Agent). */
export async function fetchReddit(ctx: FetchContext): Promise<SourceResult> {
  const { source } = ctx;
  const why = checkRedditConfigured(source, ctx.env);
  if (why) throw new SourceError('SOURCE_NOT_CONFIGURED', `${source.id}: ${why}`, { sourceId: source.id });
  return fetchCommunityFeed(ctx, redditPosts, { 'user-agent': ctx.env.REDDIT_USER_AGENT!.trim() });
}

export const adapter: SourceAdapter = {
  name: 'reddit',
  kind: 'crowd',
  defaultServices: [],
  checkConfigured: checkRedditConfigured,
  fetch: fetchReddit,
};
