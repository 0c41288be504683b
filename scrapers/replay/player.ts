/**
 * Plays a tape's official, press and community events forward on a virtual clock and turns the
 * state at any moment into fixture-server routes in the real wire formats. Pure apart from the
 * raw-body files a tape may name (read once, up front).
 */
import { readFileSync } from 'node:fs';
import type { FixtureRoute } from '../testing/fixture-server.ts';
import { resolveTapeFile, TapeError } from '../../src/tapes/load.ts';
import type { OfficialChannel, OfficialEvent, Tape } from '../../src/tapes/schema.ts';
import { shortHash } from '../correlate/ids.ts';
import { renderMastodonTagRss, renderPressFeed, type FeedItem, type FeedStyle, type TootItem } from './render-feeds.ts';
import {
  CONSUMER_WORKLOADS,
  MAC_BOILERPLATE,
  SPA_SHELL_HTML,
  renderAzureRss,
  renderConsumerJson,
  renderGraphHealthOverviews,
  renderGraphIssues,
  renderGraphToken,
  renderMacFeed,
  renderMacPostJson,
  type AzureItem,
  type ConsumerRow,
  type GraphIssue,
  type MacPost,
} from './render-official.ts';

/** What a configured source is bound to on the tape. */
export type RouteBinding =
  | { kind: 'mac'; endpoint: 'posts' | 'feed' }
  | { kind: 'consumer' }
  /** Another status.cloud.microsoft post (ppac, azure): always its healthy answer. */
  | { kind: 'static-post'; message: string }
  | { kind: 'azure' }
  | { kind: 'graph'; part: 'token' | 'issues' | 'overviews' }
  | { kind: 'press'; feedId: string; outlet: string; style: FeedStyle }
  | { kind: 'community'; feedId: string; instance: string; tag: string }
  /** A source the tape has nothing for (e.g. reddit): an empty, valid feed. */
  | { kind: 'empty-feed'; title: string };

type Override = { kind: 'route'; route: FixtureRoute; label: string };
type MacEndpoint = 'posts' | 'feed';

const JSON_TYPE = 'application/json; charset=utf-8';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';
const KNOWN_WORKLOADS = new Set(CONSUMER_WORKLOADS.map(([, w]) => w));

/** A deterministic GUID-shaped id (Microsoft's post ids are GUIDs). */
function guidFor(seed: string): string {
  const h = shortHash(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export interface PlayerState {
  mac: Record<MacEndpoint, MacPost>;
  consumer: Map<string, ConsumerRow>;
  azure: AzureItem[];
  graph: Map<string, GraphIssue>;
  press: Map<string, FeedItem[]>;
  community: Map<string, TootItem[]>;
  overrides: Map<string, Override>;
}

/** Official incidents as the tape states them (for misses and Microsoft's first word). */
export interface TapeOfficialIncident {
  channel: OfficialChannel;
  /** Graph issue id, Azure guid, or the post / row title. */
  key: string;
  ref: string | null;
  title: string;
  classification: 'incident' | 'advisory';
  /** First time the channel showed it as not healthy. */
  firstAt: number;
  /** Last time it was still shown as not healthy / not resolved. */
  lastAt: number;
}

const HEALTHY_WORDS = new Set(['available', 'operational', 'serviceoperational', 'servicerestored', 'resolved', 'falsepositive', 'postincidentreviewpublished']);
const norm = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
export const isHealthyWord = (s: string) => HEALTHY_WORDS.has(norm(s));

export interface PlayerOptions {
  /** Press feed id for a press event (from the engine's source plan). */
  pressFeedFor: (outlet: string, feed: string | undefined) => string;
  communityFeedFor: (feed: string | undefined) => string;
}

export class TapePlayer {
  readonly tape: Tape;
  readonly state: PlayerState;
  #next = 0;
  /** Bumped whenever a press or community feed changes, per feed id. */
  readonly #feedVersions = new Map<string, number>();
  readonly #events: { event: Tape['events'][number]; index: number }[];
  readonly #opts: PlayerOptions;
  readonly #rawFiles = new Map<string, Buffer>();

  constructor(tape: Tape, opts: PlayerOptions) {
    this.tape = tape;
    this.#opts = opts;
    this.#events = tape.events.map((event, index) => ({ event, index })).filter(({ event }) => ['official', 'press', 'community'].includes(event.type));
    const start = Date.parse(tape.header.start);
    const healthy = (id: string): MacPost => ({ postId: guidFor(`${tape.header.id}:healthy:${id}`), authoredAt: start - 86_400_000, status: 'Available', title: '', message: MAC_BOILERPLATE });
    this.state = {
      mac: { posts: healthy('mac'), feed: healthy('mac') },
      consumer: new Map(),
      azure: [],
      graph: new Map(),
      press: new Map(),
      community: new Map(),
      overrides: new Map(),
    };
    for (const { event } of this.#events) {
      if (event.type === 'official' && event.answer.kind === 'raw' && event.answer.file) {
        this.#rawFiles.set(event.answer.file, readFileSync(resolveTapeFile(tape, event.answer.file)));
      }
      if (event.type === 'official' && event.answer.kind === 'consumer') {
        for (const w of Object.keys(event.answer.workloads)) {
          if (!KNOWN_WORKLOADS.has(w)) {
            throw new TapeError(tape.file ?? tape.header.id, [
              { line: null, field: 'answer.workloads', message: `unknown workload "${w}" (event at ${event.at}); Microsoft lists ${[...KNOWN_WORKLOADS].join(', ')}` },
            ]);
          }
        }
      }
    }
  }

  /**
   * Applies every event up to and including `t`. Returns what changed: press and community feed
   * ids, and official channels (empty when nothing did).
   */
  advanceTo(t: number): Set<string> {
    const changed = new Set<string>();
    while (this.#next < this.#events.length && Date.parse(this.#events[this.#next]!.event.at) <= t) {
      const { event, index } = this.#events[this.#next++]!;
      if (event.type === 'official') {
        this.#applyOfficial(event, index);
        changed.add(event.source);
      } else if (event.type === 'press') {
        const feedId = this.#opts.pressFeedFor(event.outlet, event.feed);
        const list = this.state.press.get(feedId) ?? [];
        list.push({ title: event.title, link: event.link, published: Date.parse(event.published ?? event.at), summary: event.summary, categories: event.categories, lang: event.lang });
        this.state.press.set(feedId, list);
        this.#feedVersions.set(feedId, (this.#feedVersions.get(feedId) ?? 0) + 1);
        changed.add(feedId);
      } else if (event.type === 'community') {
        const feedId = this.#opts.communityFeedFor(event.feed);
        const list = this.state.community.get(feedId) ?? [];
        const link = event.link ?? `https://mastodon.social/@${encodeURIComponent(event.author)}/${String(113_000_000_000_000_000n + BigInt(Date.parse(event.at)))}`;
        list.push({ author: event.author, text: event.text, link, published: Date.parse(event.at), tags: event.tags });
        this.state.community.set(feedId, list);
        this.#feedVersions.set(feedId, (this.#feedVersions.get(feedId) ?? 0) + 1);
        changed.add(feedId);
      }
    }
    return changed;
  }

  /** Time of the next official, press or community event after the last applied one, or null. */
  nextEventAt(): number | null {
    const e = this.#events[this.#next];
    return e ? Date.parse(e.event.at) : null;
  }

  /** True while any official channel answers with a fault or a raw override. */
  hasOverrides(): boolean {
    return this.state.overrides.size > 0;
  }

  #overrideKeys(e: OfficialEvent): string[] {
    if (e.source === 'status-cloud-microsoft-mac') return e.endpoint ? [`mac:${e.endpoint}`] : ['mac:posts', 'mac:feed'];
    return [e.source];
  }

  #applyOfficial(e: OfficialEvent, index: number): void {
    const at = Date.parse(e.at);
    const a = e.answer;
    const keys = this.#overrideKeys(e);
    const clear = () => keys.forEach((k) => this.state.overrides.delete(k));
    switch (a.kind) {
      case 'post': {
        const post: MacPost = {
          postId: a.postId ?? guidFor(`${this.tape.header.id}:post:${index}`),
          authoredAt: at,
          status: a.status,
          title: a.title,
          message: a.message ?? (isHealthyWord(a.status) && a.title === '' ? MAC_BOILERPLATE : `<div>${a.title}</div>`),
        };
        for (const k of keys) this.state.mac[k.slice(4) as MacEndpoint] = post;
        clear();
        return;
      }
      case 'consumer': {
        const next = new Map<string, ConsumerRow>();
        for (const [w, r] of Object.entries(a.workloads)) {
          const p = this.state.consumer.get(w);
          // An unchanged row keeps its authored time; a changed one is a new post.
          const same = p !== undefined && p.status === r.status && p.title === r.title && p.message === r.message;
          next.set(w, { ...r, authoredAt: same ? p.authoredAt : at });
        }
        this.state.consumer = next;
        clear();
        return;
      }
      case 'azure-items':
        this.state.azure = a.items.map((i) => ({ ...i, pubDate: Date.parse(i.pubDate ?? e.at) }));
        clear();
        return;
      case 'graph-issue': {
        const prev = this.state.graph.get(a.id);
        const issue: GraphIssue = {
          id: a.id,
          service: a.service,
          title: a.title,
          classification: a.classification,
          status: a.status,
          impactDescription: a.impactDescription || prev?.impactDescription || '',
          feature: a.feature || prev?.feature || '',
          featureGroup: a.featureGroup || prev?.featureGroup || '',
          startDateTime: a.startDateTime ? Date.parse(a.startDateTime) : (prev?.startDateTime ?? at),
          endDateTime: a.endDateTime === undefined ? (prev?.endDateTime ?? null) : a.endDateTime === null ? null : Date.parse(a.endDateTime),
          isResolved: a.isResolved,
          lastModified: at,
          posts: [...(prev?.posts ?? []), ...(a.post ? [{ at, text: a.post }] : [])],
        };
        this.state.graph.set(a.id, issue);
        clear();
        return;
      }
      case 'restore':
        clear();
        return;
      default: {
        const route = this.#faultRoute(e);
        for (const k of keys) this.state.overrides.set(k, { kind: 'route', route, label: a.kind });
      }
    }
  }

  #faultRoute(e: OfficialEvent): FixtureRoute {
    const a = e.answer;
    const isScm = e.source.startsWith('status-cloud-microsoft');
    switch (a.kind) {
      case 'raw':
        return {
          body: a.body ?? this.#rawFiles.get(a.file!)!,
          contentType: a.contentType,
          status: a.status,
          headers: a.headers,
        };
      case 'hang':
        return { fault: 'hang' };
      case 'reset':
        return { fault: 'reset' };
      case 'http-error':
        return { fault: 'status', status: a.status, body: `HTTP ${a.status}` };
      case 'rate-limited':
        return { fault: 'rate-limit', status: a.status, retryAfter: a.retryAfterSeconds };
      case 'html':
        return a.status === 200
          ? { fault: 'html', ...(isScm ? { body: SPA_SHELL_HTML } : {}) }
          : { fault: 'status', status: a.status, body: isScm ? SPA_SHELL_HTML : '<html><body>Error</body></html>', contentType: 'text/html; charset=utf-8' };
      case 'empty':
        return { fault: 'empty', contentType: e.source === 'azure-status-rss' || e.endpoint === 'feed' ? RSS_TYPE : JSON_TYPE };
      default:
        throw new Error(`not a fault: ${a.kind}`);
    }
  }

  /**
   * A key that changes whenever `routeFor(binding, ·)` may serve something else, or null when the
   * answer depends on the clock (Microsoft's server timestamps) and must be rendered every time.
   */
  cacheKey(binding: RouteBinding): string | null {
    if (binding.kind === 'press' || binding.kind === 'community') return `${binding.feedId}:${this.#feedVersions.get(binding.feedId) ?? 0}`;
    if (binding.kind === 'empty-feed') return 'empty';
    return null;
  }

  /** The route a bound source serves at `now`. */
  routeFor(binding: RouteBinding, now: number): FixtureRoute {
    const s = this.state;
    const override = (key: string) => s.overrides.get(key)?.route;
    switch (binding.kind) {
      case 'mac': {
        const o = override(`mac:${binding.endpoint}`);
        if (o) return o;
        const post = s.mac[binding.endpoint];
        return binding.endpoint === 'posts'
          ? { body: renderMacPostJson(post, now), contentType: JSON_TYPE }
          : { body: renderMacFeed(post, now), contentType: 'application/rss+xml; charset=utf-8' };
      }
      case 'consumer':
        return override('status-cloud-microsoft-consumer') ?? { body: renderConsumerJson(s.consumer, now), contentType: JSON_TYPE };
      case 'static-post':
        return {
          body: JSON.stringify({ Id: null, AuthoredDateTime: '0001-01-01T00:00:00+00:00', InternalDateTime: '0001-01-01T00:00:00+00:00', LastUpdatedTime: new Date(now).toISOString().replace('Z', '+00:00'), Title: null, Message: binding.message, Status: 'Available' }),
          contentType: JSON_TYPE,
        };
      case 'azure':
        return override('azure-status-rss') ?? { body: renderAzureRss(s.azure, now), contentType: 'application/rss+xml; charset=utf-8' };
      case 'graph': {
        const o = override('graph-service-health');
        if (o && binding.part !== 'token') return o;
        const issues = [...s.graph.values()];
        if (binding.part === 'token') return { body: renderGraphToken(), contentType: JSON_TYPE };
        if (binding.part === 'issues') return { body: renderGraphIssues(issues), contentType: JSON_TYPE };
        return { body: renderGraphHealthOverviews(issues, true), contentType: JSON_TYPE };
      }
      case 'press': {
        const items = s.press.get(binding.feedId) ?? [];
        const feed = renderPressFeed(binding.style, binding.outlet, items, items.length ? Math.max(...items.map((i) => i.published)) : Date.parse(this.tape.header.start));
        return { body: feed.body, contentType: feed.contentType, etag: 'auto' };
      }
      case 'community': {
        const items = s.community.get(binding.feedId) ?? [];
        const feed = renderMastodonTagRss(binding.instance, binding.tag, items, items.length ? Math.max(...items.map((i) => i.published)) : Date.parse(this.tape.header.start));
        return { body: feed.body, contentType: feed.contentType, etag: 'auto' };
      }
      case 'empty-feed':
        return {
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>${binding.title}</title><id>urn:tape:empty</id><updated>${new Date(Date.parse(this.tape.header.start)).toISOString()}</updated></feed>\n`,
          contentType: 'application/atom+xml; charset=utf-8',
          etag: 'auto',
        };
    }
  }
}

/** Official incidents the tape states, in order of first appearance (pure over the tape). */
export function listTapeOfficialIncidents(tape: Tape): TapeOfficialIncident[] {
  const out = new Map<string, TapeOfficialIncident>();
  const seen = (channel: OfficialChannel, key: string, ref: string | null, title: string, classification: 'incident' | 'advisory', at: number) => {
    const id = `${channel}\u0000${key}`;
    const prev = out.get(id);
    if (prev) prev.lastAt = at;
    else out.set(id, { channel, key, ref, title, classification, firstAt: at, lastAt: at });
  };
  const end = Date.parse(tape.header.end);
  // Close every open incident of a channel when the channel's content moves on.
  const open = new Map<OfficialChannel, Set<string>>();
  const close = (channel: OfficialChannel, keep: Set<string>, at: number) => {
    for (const key of open.get(channel) ?? []) if (!keep.has(key)) out.get(`${channel}\u0000${key}`)!.lastAt = at;
    open.set(channel, keep);
  };
  for (const e of tape.events) {
    if (e.type !== 'official') continue;
    const at = Date.parse(e.at);
    const a = e.answer;
    if (a.kind === 'post') {
      if (e.endpoint === 'feed') continue;
      const key = a.title.trim().toLowerCase();
      const keep = new Set<string>();
      if (!isHealthyWord(a.status)) {
        seen(e.source, key, null, a.title, 'incident', at);
        keep.add(key);
      }
      close(e.source, keep, at);
    } else if (a.kind === 'consumer') {
      const keep = new Set<string>();
      for (const [w, r] of Object.entries(a.workloads)) {
        if (isHealthyWord(r.status)) continue;
        const key = `${w}: ${r.title.trim().toLowerCase()}`;
        seen(e.source, key, null, `${w}: ${r.title}`, 'incident', at);
        keep.add(key);
      }
      close(e.source, keep, at);
    } else if (a.kind === 'azure-items') {
      const keep = new Set<string>();
      for (const i of a.items) {
        if (/^\s*\[resolved\]/i.test(i.title)) continue;
        seen(e.source, i.guid, null, i.title, 'incident', at);
        keep.add(i.guid);
      }
      close(e.source, keep, at);
    } else if (a.kind === 'graph-issue') {
      if (a.isResolved || isHealthyWord(a.status)) {
        const prev = out.get(`${e.source}\u0000${a.id}`);
        if (prev) prev.lastAt = at;
        continue;
      }
      seen(e.source, a.id, a.id, a.title, norm(a.classification) === 'advisory' ? 'advisory' : 'incident', at);
    }
  }
  for (const [channel, keys] of open) for (const key of keys) out.get(`${channel}\u0000${key}`)!.lastAt = end;
  // Graph issues still open at the end stay open to the end.
  for (const o of out.values()) {
    if (o.channel !== 'graph-service-health') continue;
    const last = [...tape.events].reverse().find((e) => e.type === 'official' && e.answer.kind === 'graph-issue' && e.answer.id === o.key);
    if (last && last.type === 'official' && last.answer.kind === 'graph-issue' && !last.answer.isResolved && !isHealthyWord(last.answer.status)) o.lastAt = end;
  }
  return [...out.values()].sort((a, b) => a.firstAt - b.firstAt);
}
