/**
 * Mastodon hashtag RSS (`https://<instance>/tags/<tag>.rss`). Each instance only knows the posts that
 * reached it, so several instances are configured; a post seen by two has one URL and one signal id.
 * Signals: source kind `crowd`, `press` facts, no `crowd` facts (see scrapers/press/community.ts).
 */
import { fetchCommunityFeed, mastodonPosts } from '../press/community.ts';
import type { FetchContext, SourceAdapter, SourceResult } from './types.ts';

/** Fetches one instance's hashtag feed. Throws SourceError. */
export async function fetchMastodonTag(ctx: FetchContext): Promise<SourceResult> {
  return fetchCommunityFeed(ctx, mastodonPosts);
}

export const adapter: SourceAdapter = {
  name: 'mastodon-tag',
  kind: 'crowd',
  // Community feeds never make a service "unknown".
  defaultServices: [],
  fetch: fetchMastodonTag,
};
