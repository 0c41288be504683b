/**
 * One adapter for every news outlet's RSS/Atom/RDF feed (config: url, outlet, lang, readArticles).
 * Items that name a catalog service and are not unrelated (outage, resolution, follow-up,
 * explainer) become `press` signals: headline, canonical link, outlet, time, language, Microsoft
 * ids and a teaser of at most 300 characters, never the article body. With `readArticles`, pages
 * that robots.txt allows are read for their canonical URL, publish time and incident ids.
 */
import type { SourceConfig } from '../../src/config/schema.ts';
import type { Signal } from '../../src/domain/schemas.ts';
import type { Lang } from '../../src/domain/vocabulary.ts';
import type { HttpClient } from '../http/types.ts';
import { readArticle } from '../press/article.ts';
import { parseFeed, type FeedItem, type ParsedFeed } from '../press/feed.ts';
import { createRobotsChecker, type RobotsChecker } from '../press/robots.ts';
import { buildPressSignal, langFromTag } from '../press/signal.ts';
import { classifyText } from '../text/classify.ts';
import { resolveItemTime } from '../text/dates.ts';
import { detectLanguage } from '../text/language.ts';
import { urlKey } from '../text/url.ts';
import type { FetchContext, SourceAdapter, SourceResult } from './types.ts';

// The classifier's regular expressions compile on first use (~0.5 s of CPU, several seconds on a
// loaded machine). Paying that when the adapter loads, before the cycle starts any request, keeps
// the pause from eating into other sources' deadlines.
classifyText('Outlook', '', 'en');

export { dedupePressSignals } from '../press/dedupe.ts';

/** Article pages read per source and run, newest first (politeness; the feed already has the headline). */
export const MAX_ARTICLES_PER_RUN = 5;

/** What happened to each item, for tests and logs. */
export interface ItemNote {
  guid: string | null;
  title: string;
  outcome: 'signal' | 'not-ours' | 'no-link' | 'no-title';
  /** The feed had no readable date: observedAt is the fetch time. */
  timeFromFetch?: boolean;
  article?: string;
}

/**
 * Classifies the items of one parsed feed into press signals. Pure: `now` stamps `fetchedAt` and
 * stands in for an unreadable item date (noted in `notes`).
 */
export function buildNewsSignals(feed: ParsedFeed, source: SourceConfig, now: Date): { signals: Signal[]; notes: ItemNote[] } {
  const defaultLang: Lang = source.lang ?? langFromTag(feed.language) ?? 'en';
  const outlet = source.outlet ?? (feed.title || source.id);
  const signals: Signal[] = [];
  const notes: ItemNote[] = [];
  const seen = new Set<string>();
  for (const item of feed.items) {
    const note = noteFor(item);
    notes.push(note);
    if (!item.title) continue;
    if (!item.link) {
      note.outcome = 'no-link';
      continue;
    }
    const lang = detectLanguage(`${item.title} ${item.summary}`, defaultLang);
    const c = classifyText(item.title, item.summary, lang);
    if (c.kind === 'unrelated' || c.services.length === 0) {
      note.outcome = 'not-ours';
      continue;
    }
    const time = resolveItemTime(item.dates, now);
    if (!time.fromFeed) note.timeFromFetch = true;
    const identity = `${source.id}|${item.guid ?? urlKey(item.link)}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    signals.push(
      buildPressSignal({
        sourceId: source.id,
        sourceKind: 'press',
        identity,
        idNamespace: 'press',
        observedAt: time.at,
        fetchedAt: now,
        services: c.services,
        title: item.title,
        summary: item.summary,
        canonicalUrl: item.link,
        lang,
        outlet,
        kind: c.kind,
        refs: c.refs,
      }),
    );
    note.outcome = 'signal';
  }
  return { signals, notes };
}

function noteFor(item: FeedItem): ItemNote {
  return { guid: item.guid, title: item.title, outcome: item.title ? 'not-ours' : 'no-title' };
}

function sameSite(a: string, b: string): boolean {
  const host = (u: string) => urlKey(u).split('/')[0] ?? '';
  return host(a) === host(b);
}

/**
 * Enriches signals from their article pages (robots.txt permitting): the page's canonical URL when it
 * is on the same site, its publish time when the feed had none, and incident ids from its text.
 */
export async function enrichFromArticles(
  signals: Signal[],
  notes: ItemNote[],
  deps: { http: HttpClient; robots: RobotsChecker; now: Date; sourceId: string; signal?: AbortSignal; limit?: number },
): Promise<Signal[]> {
  const limit = deps.limit ?? MAX_ARTICLES_PER_RUN;
  const order = [...signals.keys()].sort((a, b) => signals[b]!.observedAt.localeCompare(signals[a]!.observedAt)).slice(0, limit);
  const out = [...signals];
  for (const i of order) {
    const s = out[i]!;
    const press = s.press!;
    const note = notes.find((n) => n.outcome === 'signal' && n.title === s.title);
    const res = await readArticle(deps.http, deps.robots, press.canonicalUrl, deps.now, { sourceId: deps.sourceId, signal: deps.signal });
    if (!res.ok) {
      if (note) note.article = res.reason;
      continue;
    }
    const canonical = res.meta.canonicalUrl && sameSite(res.meta.canonicalUrl, press.canonicalUrl) ? res.meta.canonicalUrl : press.canonicalUrl;
    const refs = [...new Set([...press.refs, ...res.meta.refs])].slice(0, 20);
    const observedAt = note?.timeFromFetch && res.meta.publishedAt && res.meta.publishedAt <= deps.now.toISOString() ? res.meta.publishedAt : s.observedAt;
    out[i] = { ...s, observedAt, url: canonical, press: { ...press, canonicalUrl: canonical, refs } };
    if (note) note.article = 'read';
  }
  return out;
}

// One robots.txt cache per HTTP client, so it lives as long as the process's client does.
const robotsByClient = new WeakMap<HttpClient, RobotsChecker>();

function robotsFor(http: HttpClient): RobotsChecker {
  let r = robotsByClient.get(http);
  if (!r) {
    r = createRobotsChecker({ http });
    robotsByClient.set(http, r);
  }
  return r;
}

/** Fetches, parses and classifies one news feed. Throws SourceError. */
export async function fetchNewsFeed(ctx: FetchContext): Promise<SourceResult & { notes: ItemNote[] }> {
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
    return { outcome: 'not_modified', signals: [], serviceStatus: {}, activeKeys: null, validators: ctx.validators, bodyHash: null, notes: [] };
  }
  const feed = await parseFeed(res.text, { sourceId: source.id, feedUrl: res.url || source.url });
  const built = buildNewsSignals(feed, source, now);
  const signals = source.readArticles
    ? await enrichFromArticles(built.signals, built.notes, { http, robots: robotsFor(http), now, sourceId: source.id, signal: ctx.signal })
    : built.signals;
  return {
    outcome: 'ok',
    signals,
    serviceStatus: {},
    activeKeys: null,
    validators: { etag: res.etag, lastModified: res.lastModified },
    bodyHash: res.bodyHash,
    notes: built.notes,
  };
}

export const adapter: SourceAdapter = {
  name: 'news-feed',
  kind: 'press',
  // Press never makes a service "unknown": it is never the only eye on a service.
  defaultServices: [],
  fetch: fetchNewsFeed,
};
