/**
 * Which configured source plays which part of a tape, and where it is served. Every source keeps
 * its adapter, interval and services; only its URL moves to a local fixture server. One server per
 * original host, so per-host politeness (Retry-After) behaves as it does against the real hosts.
 * Pure: origins come in, a plan goes out.
 */
import type { SourceConfig } from '../../src/config/schema.ts';
import type { Tape } from '../../src/tapes/schema.ts';
import { feedStyleFor } from './render-feeds.ts';
import type { RouteBinding } from './player.ts';

export interface PlannedRoute {
  sourceId: string;
  /** Original host (`status.cloud.microsoft`): one fixture server each. */
  host: string;
  /** Path on that server (query ignored by the fixture server's fallback). */
  path: string;
  binding: RouteBinding;
}

export interface SourcePlan {
  sources: SourceConfig[];
  routes: PlannedRoute[];
  /** Press feed id per outlet name (lowercase) for events without `feed`. */
  pressFeedByOutlet: Map<string, string>;
  pressFeedIds: Set<string>;
  communityFeedIds: string[];
}

export class ReplayPlanError extends Error {
  readonly code = 'REPLAY_PLAN';
  constructor(message: string) {
    super(message);
    this.name = 'ReplayPlanError';
  }
}

/** Graph credentials the replay sets when a tape says `graph: true`. */
export const GRAPH_TAPE_ENV = { GRAPH_TENANT_ID: 'tape-tenant', GRAPH_CLIENT_ID: 'tape-client', GRAPH_CLIENT_SECRET: 'tape-secret' } as const;

const slug = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 50);

function bindingFor(source: SourceConfig, url: URL): RouteBinding | RouteBinding[] {
  switch (source.adapter) {
    case 'status-cloud-microsoft-posts': {
      const leaf = url.pathname.split('/').pop()!.toLowerCase();
      if (leaf === 'mac') return { kind: 'mac', endpoint: 'posts' };
      if (leaf === 'm365consumer') return { kind: 'consumer' };
      return { kind: 'static-post', message: leaf === 'azure' ? 'No Azure issues detected at this time. For more details, please visit the link below.' : 'All services are available.' };
    }
    case 'status-cloud-microsoft-feed':
      return { kind: 'mac', endpoint: 'feed' };
    case 'azure-status-rss':
      return { kind: 'azure' };
    case 'graph-service-health':
      return [
        { kind: 'graph', part: 'issues' },
        { kind: 'graph', part: 'overviews' },
      ];
    case 'news-feed':
      return { kind: 'press', feedId: source.id, outlet: source.outlet ?? source.id, style: feedStyleFor(source.id) };
    case 'mastodon-tag': {
      const tag = /\/tags\/([^/.]+)/.exec(url.pathname)?.[1] ?? 'outlookdown';
      return { kind: 'community', feedId: source.id, instance: url.origin, tag };
    }
    case 'reddit':
      return { kind: 'empty-feed', title: source.outlet ?? source.id };
  }
}

/**
 * Plans the sources for `tape`. `originFor(host)` gives the fixture server origin of an original
 * host (the caller starts one per host listed in the result's routes).
 */
export function planSources(configured: readonly SourceConfig[], tape: Tape, originFor: (host: string) => string): SourcePlan {
  const sources: SourceConfig[] = [];
  const routes: PlannedRoute[] = [];
  const pressFeedByOutlet = new Map<string, string>();
  const pressFeedIds = new Set<string>();
  const communityFeedIds: string[] = [];

  const add = (source: SourceConfig, url: URL) => {
    const binding = bindingFor(source, url);
    const moved: SourceConfig = { ...source, url: `${originFor(url.host)}${url.pathname}${url.search}`, readArticles: false };
    if (source.adapter === 'graph-service-health') {
      const base = url.pathname.replace(/\/$/, '');
      routes.push({ sourceId: source.id, host: url.host, path: `${base}/admin/serviceAnnouncement/issues`, binding: { kind: 'graph', part: 'issues' } });
      routes.push({ sourceId: source.id, host: url.host, path: `${base}/admin/serviceAnnouncement/healthOverviews`, binding: { kind: 'graph', part: 'overviews' } });
      const token = new URL(source.tokenUrl ?? 'https://login.microsoftonline.com');
      routes.push({ sourceId: source.id, host: token.host, path: `${token.pathname.replace(/\/$/, '')}/${GRAPH_TAPE_ENV.GRAPH_TENANT_ID}/oauth2/v2.0/token`, binding: { kind: 'graph', part: 'token' } });
      moved.tokenUrl = `${originFor(token.host)}${token.pathname.replace(/\/$/, '')}`;
    } else {
      routes.push({ sourceId: source.id, host: url.host, path: url.pathname, binding: binding as RouteBinding });
    }
    if (source.adapter === 'news-feed') {
      pressFeedIds.add(source.id);
      if (source.outlet && !pressFeedByOutlet.has(source.outlet.toLowerCase())) pressFeedByOutlet.set(source.outlet.toLowerCase(), source.id);
    }
    if (source.adapter === 'mastodon-tag' && source.enabled) communityFeedIds.push(source.id);
    sources.push(moved);
  };

  for (const source of configured) add(source, new URL(source.url));

  // Outlets the tape cites that the config does not read get a feed of their own: the real world
  // had them, and the replay should not pretend it did not.
  for (const e of tape.events) {
    if (e.type !== 'press') continue;
    if (e.feed) {
      if (!pressFeedIds.has(e.feed)) throw new ReplayPlanError(`${tape.header.id}: press event at ${e.at} names feed "${e.feed}", which is not a news-feed source in the config`);
      continue;
    }
    if (pressFeedByOutlet.has(e.outlet.toLowerCase())) continue;
    const link = new URL(e.link);
    const id = `tape-${slug(e.outlet) || 'outlet'}`;
    add({ id, adapter: 'news-feed', enabled: true, url: `https://${link.host}/tape-feed.xml`, intervalMinutes: 15, outlet: e.outlet, lang: e.lang, readArticles: false }, new URL(`https://${link.host}/tape-feed.xml`));
  }
  if (tape.events.some((e) => e.type === 'community') && communityFeedIds.length === 0) {
    throw new ReplayPlanError(`${tape.header.id}: the tape has community posts but the config has no enabled mastodon-tag source`);
  }
  for (const e of tape.events) {
    if (e.type === 'community' && e.feed && !communityFeedIds.includes(e.feed)) {
      throw new ReplayPlanError(`${tape.header.id}: community event at ${e.at} names feed "${e.feed}", which is not an enabled mastodon-tag source`);
    }
  }
  return { sources, routes, pressFeedByOutlet, pressFeedIds, communityFeedIds };
}
