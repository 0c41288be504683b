/**
 * Community posts (Mastodon hashtag feeds, Reddit) as evidence. They are the public speaking, so
 * signals carry source kind `crowd`; they are single posts, not report counts, so they carry no
 * `crowd` facts. They carry `press` facts (outlet = the feed, canonical URL = the post, kind, refs),
 * which is how correlation routes and de-duplicates text items; all community sources together
 * count as one voice there. Only posts that name a service and report an outage count.
 */
import type { SourceConfig } from '../../src/config/schema.ts';
import type { Signal } from '../../src/domain/schemas.ts';
import type { Lang } from '../../src/domain/vocabulary.ts';
import { classifyText } from '../text/classify.ts';
import { truncateText } from '../text/clean.ts';
import { resolveItemTime } from '../text/dates.ts';
import { detectLanguage } from '../text/language.ts';
import { urlKey } from '../text/url.ts';
import type { FetchContext, SourceResult } from '../sources/types.ts';
import { parseFeed, type ParsedFeed } from './feed.ts';
import { buildPressSignal, langFromTag } from './signal.ts';

/** Title of a post without a title: its first 140 characters. */
export const POST_TITLE_CHARS = 140;

export interface CommunityPost {
  /** Stable identity of the post itself (its URL for Mastodon, the `t3_` id for Reddit). */
  identity: string;
  link: string | null;
  /** Headline when the platform has one (Reddit); null for Mastodon. */
  title: string | null;
  /** Plain text of the post body. */
  text: string;
  dates: string[];
}

/**
 * Signals for the posts that report an outage of a catalog service. Posts are matched case-blind
 * (people write "outlook is down"). Pure.
 */
export function buildCommunitySignals(posts: readonly CommunityPost[], feed: ParsedFeed, source: SourceConfig, now: Date): Signal[] {
  const defaultLang: Lang = source.lang ?? langFromTag(feed.language) ?? 'en';
  const outlet = source.outlet ?? (feed.title || source.id);
  const out: Signal[] = [];
  const seen = new Set<string>();
  for (const p of posts) {
    if (!p.link || seen.has(p.identity)) continue;
    const body = p.text.trim();
    const title = p.title?.trim() || truncateText(body, POST_TITLE_CHARS);
    if (!title) continue;
    const summary = p.title ? body : '';
    const lang = detectLanguage(`${title} ${body}`, defaultLang);
    const c = classifyText(title, summary || null, lang, { caseSensitive: false });
    if (c.kind !== 'outage' || c.services.length === 0) continue;
    seen.add(p.identity);
    out.push(
      buildPressSignal({
        sourceId: source.id,
        sourceKind: 'crowd',
        identity: p.identity,
        idNamespace: 'community',
        observedAt: resolveItemTime(p.dates, now).at,
        fetchedAt: now,
        services: c.services,
        title,
        summary: truncateText(body, 300),
        canonicalUrl: p.link,
        lang,
        outlet,
        kind: c.kind,
        refs: c.refs,
      }),
    );
  }
  return out;
}

/** Mastodon posts from a hashtag feed: no titles; the same post seen by two instances has one URL. */
export function mastodonPosts(feed: ParsedFeed): CommunityPost[] {
  return feed.items.map((it) => ({
    identity: it.link ? `mastodon|${urlKey(it.link)}` : `mastodon|${it.guid ?? ''}`,
    link: it.link,
    title: null,
    text: it.text,
    dates: it.dates,
  }));
}

/**
 * The fetch every community feed adapter shares: a conditional GET of the source's feed (extra
 * request headers allowed, e.g. Reddit's required User-Agent), 304 → keep last data, then
 * `toPosts` picks the posts and buildCommunitySignals keeps those that report trouble. Throws SourceError.
 */
export async function fetchCommunityFeed(
  ctx: FetchContext,
  toPosts: (feed: ParsedFeed) => CommunityPost[],
  headers?: Record<string, string>,
): Promise<SourceResult> {
  const { source, http, now } = ctx;
  const res = await http.request({
    url: source.url,
    expect: 'feed',
    ...(headers ? { headers } : {}),
    etag: ctx.validators.etag,
    lastModified: ctx.validators.lastModified,
    signal: ctx.signal,
    sourceId: source.id,
  });
  if (res.notModified) {
    return { outcome: 'not_modified', signals: [], serviceStatus: {}, activeKeys: null, validators: ctx.validators, bodyHash: null };
  }
  const feed = await parseFeed(res.text, { sourceId: source.id, feedUrl: res.url || source.url });
  return {
    outcome: 'ok',
    signals: buildCommunitySignals(toPosts(feed), feed, source, now),
    serviceStatus: {},
    activeKeys: null,
    validators: { etag: res.etag, lastModified: res.lastModified },
    bodyHash: res.bodyHash,
  };
}
