/**
 * status.cloud.microsoft RSS: `/api/feed/mac` (and `/api/feed/ppac`). The same posts as the JSON
 * endpoint, one `<item>` with a non-namespaced `<status>`, pubDate with a bare `Z` zone.
 *
 * The item guid is a post id that changes with every update, so the key is the same as the posts
 * adapter's (workload + title + first "Start time:"): both paths to one incident join. Fail closed:
 * a feed that is not RSS, is not a status channel, or has no item throws PARSE_FAILED; an unknown
 * or missing `<status>` is `unknown`.
 */
import { servicesForWorkload } from '../../src/domain/services.ts';
import type { Signal } from '../../src/domain/schemas.ts';
import { SourceError } from '../http/errors.ts';
import { fetchOfficialSource, ServiceStatusAccumulator, XML_TYPES } from './_official-signal.ts';
import { parseFeedDate } from './_official-text.ts';
import { parseRss, textOf, type RssFeed } from './_rss.ts';
import { parsePost, workloadOfUrl, type PostsPayloadResult } from './status-cloud-microsoft-posts.ts';
import type { FetchContext, SourceAdapter, SourceResult } from './types.ts';

/** Pure: a parsed feed → signals, per-service status and active keys. */
export function parseStatusFeed(feed: RssFeed, ctx: { sourceId: string; url: string; now: Date }): PostsPayloadResult {
  if (!/status/i.test(feed.title ?? '')) {
    throw new SourceError('PARSE_FAILED', `${ctx.sourceId}: channel "${feed.title ?? ''}" is not a status channel`, { sourceId: ctx.sourceId });
  }
  if (feed.items.length === 0) {
    throw new SourceError('PARSE_FAILED', `${ctx.sourceId}: the status channel has no item`, { sourceId: ctx.sourceId });
  }
  const workload = workloadOfUrl(ctx.url);
  const services = servicesForWorkload(workload);
  const page = `${new URL(ctx.url).origin}/`;
  const acc = new ServiceStatusAccumulator();
  const signals: Signal[] = [];
  const activeKeys: string[] = [];
  for (const item of feed.items) {
    const status = textOf(item.status) || null;
    const rawLink = textOf(item.link);
    const link = /^https?:\/\//i.test(rawLink) ? rawLink : page;
    const p = parsePost(
      {
        workload,
        services,
        textServices: workload.toLowerCase() === 'mac' ? 'fallback' : 'union',
        // xml2js nodes (elements with children or attributes) become their text.
        title: textOf(item.title),
        message: textOf(item.content),
        status,
        observedAt: parseFeedDate(textOf(item.pubDate)) ?? parseFeedDate(textOf(feed.lastBuildDate)) ?? ctx.now.toISOString(),
      },
      { sourceId: ctx.sourceId, now: ctx.now, url: link },
    );
    for (const s of p.serviceStatus) acc.set(s.services, s.status);
    if (p.signal) signals.push(p.signal);
    if (p.activeKey) activeKeys.push(p.activeKey);
  }
  return { signals, serviceStatus: acc.toRecord(), activeKeys: [...new Set(activeKeys)].sort() };
}

async function fetchFeed(ctx: FetchContext): Promise<SourceResult> {
  return fetchOfficialSource(ctx, 'feed', XML_TYPES, async (text) =>
    parseStatusFeed(await parseRss(text, ctx.source.id), { sourceId: ctx.source.id, url: ctx.source.url, now: ctx.now }),
  );
}

export const adapter: SourceAdapter = {
  name: 'status-cloud-microsoft-feed',
  kind: 'official',
  defaultServices: ['m365-admin', 'exchange-online', 'teams', 'sharepoint', 'onedrive', 'm365-apps', 'copilot'],
  fetch: fetchFeed,
};
