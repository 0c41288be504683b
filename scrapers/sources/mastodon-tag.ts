/**
 * Mastodon hashtag RSS (`https://<instance>/tags/<tag>.rss`). Each instance only knows the posts that
 * reached it, so several instances are configured; a post seen by two has one URL and one signal id.
 * Signals: source kind `crowd`, `press` facts, no `crowd` facts (see scrapers/press/community.ts).
 */
import { buildCommunitySignals, mastodonPosts } from '../press/community.ts';
import { parseFeed } from '../press/feed.ts';
import type { FetchContext, SourceAdapter, SourceResult } from './types.ts';

/** Fetches one instance's hashtag feed. Throws SourceError. */
export async function fetchMastodonTag(ctx: FetchContext): Promise<SourceResult> {
  const { source, http, now } = ctx;
  const res = await http.request({
    url: source.url,
    expect: 'feed',
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
    signals: buildCommunitySignals(mastodonPosts(feed), feed, source, now),
    serviceStatus: {},
    activeKeys: null,
    validators: { etag: res.etag, lastModified: res.lastModified },
    bodyHash: res.bodyHash,
  };
}

export const adapter: SourceAdapter = {
  name: 'mastodon-tag',
  kind: 'crowd',
  // Community feeds never make a service "unknown".
  defaultServices: [],
  fetch: fetchMastodonTag,
};
