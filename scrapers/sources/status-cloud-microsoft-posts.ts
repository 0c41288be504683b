/**
 * status.cloud.microsoft JSON posts: `/api/posts/mac` (admin center; in practice Microsoft's big
 * multi-service enterprise incidents), `/api/posts/azure` (Azure banner), `/api/posts/ppac` (single
 * objects) and `/api/posts/m365Consumer` (one row per consumer workload, Outlook.com included).
 *
 * Fail closed: a wrong content type or shape throws; an unknown Status word makes the service
 * `unknown`, never operational. The healthy banner is operational with no incident signal.
 * `LastUpdatedTime` is the server clock on every request and is ignored; `InternalDateTime` is the
 * real stamp and `0001-01-01…` means none. Posts carry no incident id, so the key is a hash of
 * workload + normalized title (see `postKey`).
 */
import { z } from 'zod';
import { servicesForWorkload, type ServiceId } from '../../src/domain/services.ts';
import type { ComponentStatus } from '../../src/domain/vocabulary.ts';
import type { Signal } from '../../src/domain/schemas.ts';
import { SourceError } from '../http/errors.ts';
import { buildOfficialSignal, JSON_TYPES, parseJson, fetchOfficialSource, ServiceStatusAccumulator } from './_official-signal.ts';
import { isHealthyWord, mapOfficialStatus } from './_official-status.ts';
import {
  formatPostText,
  isBoilerplate,
  matchServicesInText,
  messageToText,
  parseDotNetDate,
  parseMicrosoftDate,
  parseSections,
  postKey,
  shortHash,
  sortServices,
  type PostSections,
} from './_official-text.ts';
import type { FetchContext, SourceAdapter, SourceResult } from './types.ts';

const NullableString = z.string().nullable().optional();

export const StatusPostSchema = z.looseObject({
  Id: NullableString,
  AuthoredDateTime: NullableString,
  InternalDateTime: NullableString,
  LastUpdatedTime: NullableString,
  Title: NullableString,
  Message: NullableString,
  // Required key: a post without Status is drift, not health.
  Status: z.string().nullable(),
});
export type StatusPost = z.output<typeof StatusPostSchema>;

export const ConsumerRowSchema = StatusPostSchema.extend({
  ServiceDisplayName: NullableString,
  ServiceWorkloadName: z.string().min(1),
});
export type ConsumerRow = z.output<typeof ConsumerRowSchema>;

/** The consumer workloads Microsoft lists; a tracked one missing from the array makes its service unknown. */
export const CONSUMER_WORKLOADS = [
  'M365Consumer',
  'CopilotConsumer',
  'ConsumerList',
  'TeamsforLife',
  'microsofttodo',
  'Whiteboard',
  'OfficeOnlineConsumer',
  'OneDriveConsumer',
  'Outlook.com',
  'YourPhone',
] as const;

/** Item titles that only name the page, not the incident (then the text's first line is used). */
const GENERIC_TITLES = /^(microsoft admin center|power platform admin center|azure|microsoft 365|admin center)$/i;

export interface PostInput {
  workload: string;
  /** Services this post speaks for by its workload. */
  services: ServiceId[];
  /**
   * How services named in the text count: `none` (consumer rows, whose "Outlook" is Outlook.com),
   * `union` (added to the workload's services), or `fallback` (mac: Microsoft posts every big
   * enterprise incident there, so the text decides and the admin center counts only when the text
   * names nothing else).
   */
  textServices: 'none' | 'union' | 'fallback';
  title: string | null | undefined;
  message: string | null | undefined;
  status: string | null | undefined;
  observedAt: string;
}

export interface ParsedPost {
  signal: Signal | null;
  /** Status per service this post asserts. */
  serviceStatus: { services: ServiceId[]; status: ComponentStatus }[];
  activeKey: string | null;
}

function hasOwnTitle(title: string | null | undefined): boolean {
  const t = title?.trim() ?? '';
  return t !== '' && !GENERIC_TITLES.test(t);
}

/** The title used for the key and the signal: Microsoft's "Title:" section, the post title, or the text's first line. */
export function postTitle(title: string | null | undefined, sections: PostSections, text: string): string {
  if (sections.title) return sections.title;
  if (hasOwnTitle(title)) return title!.trim();
  const first = (sections.userImpact ?? text).split('\n')[0]?.trim() ?? '';
  return first.length > 200 ? `${first.slice(0, 199)}…` : first;
}

/**
 * One post → at most one signal plus its service assertions. Shared with the RSS feed adapter,
 * which reads the same posts, so both produce the same key for the same incident.
 */
export function parsePost(input: PostInput, ctx: { sourceId: string; now: Date; url: string | null }): ParsedPost {
  const text = messageToText(input.message);
  const sections = parseSections(text);
  const mapping = mapOfficialStatus(input.status);
  const healthy = isHealthyWord(input.status);
  // A banner with a closing or unknown word is no incident; a banner with a degradation word still
  // is one (Microsoft changed the status before the text).
  if (healthy || (isBoilerplate(text) && !hasOwnTitle(input.title) && (mapping.isResolved || !mapping.known))) {
    return { signal: null, serviceStatus: [{ services: input.services, status: mapping.componentStatus }], activeKey: null };
  }
  const title = postTitle(input.title, sections, text) || `${input.workload}: ${input.status ?? 'unknown status'}`;
  const startedAt = parseMicrosoftDate(sections.startTime);
  const key = postKey(input.workload, title);
  const named = input.textServices === 'none' ? [] : matchServicesInText(`${title}\n${text}`);
  const services =
    input.textServices === 'fallback' && named.length > 0 ? sortServices(named) : sortServices([...input.services, ...named]);
  const body = formatPostText(sections, text);
  const signal = buildOfficialSignal({
    sourceId: ctx.sourceId,
    id: `${ctx.sourceId}:${key}:${shortHash(input.status ?? '', title, body)}`,
    observedAt: input.observedAt,
    fetchedAt: ctx.now,
    services,
    title,
    text: body,
    url: ctx.url,
    ref: null,
    key,
    mapping,
    // status.cloud.microsoft exists to post incidents that block access; it publishes no advisories.
    classification: 'incident',
    rawStatus: input.status ?? '',
    startedAt,
    endedAt: parseMicrosoftDate(sections.endTime),
  });
  return { signal, serviceStatus: [{ services, status: mapping.componentStatus }], activeKey: mapping.isResolved ? null : key };
}

/** When the post says it was written: InternalDateTime, else AuthoredDateTime unless it echoes the request clock. */
function observedAtOf(post: StatusPost, now: Date): string {
  const internal = parseDotNetDate(post.InternalDateTime);
  if (internal) return internal;
  const authored = parseDotNetDate(post.AuthoredDateTime);
  if (authored && post.AuthoredDateTime !== post.LastUpdatedTime && Date.parse(authored) <= now.getTime()) return authored;
  return now.toISOString();
}

/** The last path segment of the posts URL (`mac`, `m365Consumer`, `azure`). */
export function workloadOfUrl(url: string): string {
  const segments = new URL(url).pathname.split('/').filter(Boolean);
  return decodeURIComponent(segments.at(-1) ?? '');
}

/** Human-facing page for signals: the site's front page. */
function pageUrlOf(url: string): string {
  return `${new URL(url).origin}/`;
}

export interface PostsPayloadResult {
  signals: Signal[];
  serviceStatus: Partial<Record<ServiceId, ComponentStatus>>;
  activeKeys: string[];
}

/** Pure: a decoded posts payload → signals, per-service status and active keys. Throws PARSE_FAILED on drift. */
export function parsePostsPayload(
  payload: unknown,
  ctx: { sourceId: string; url: string; now: Date },
): PostsPayloadResult {
  const workload = workloadOfUrl(ctx.url);
  const page = pageUrlOf(ctx.url);
  const acc = new ServiceStatusAccumulator();
  const signals: Signal[] = [];
  const activeKeys: string[] = [];
  const take = (p: ParsedPost) => {
    for (const s of p.serviceStatus) acc.set(s.services, s.status);
    if (p.signal) signals.push(p.signal);
    if (p.activeKey) activeKeys.push(p.activeKey);
  };

  if (workload.toLowerCase() === 'm365consumer' || Array.isArray(payload)) {
    const rows = z.array(ConsumerRowSchema).min(1).safeParse(payload);
    if (!rows.success) {
      throw new SourceError('PARSE_FAILED', `${ctx.sourceId}: expected a non-empty array of workload rows: ${rows.error.issues[0]?.message}`, {
        sourceId: ctx.sourceId,
        cause: rows.error,
      });
    }
    const expected = new Set(CONSUMER_WORKLOADS.flatMap((w) => servicesForWorkload(w)));
    for (const row of rows.data) {
      const services = servicesForWorkload(row.ServiceWorkloadName);
      if (services.length === 0) continue;
      take(
        parsePost(
          {
            workload: row.ServiceWorkloadName,
            services,
            textServices: 'none',
            title: row.Title,
            message: row.Message,
            status: row.Status,
            observedAt: observedAtOf(row, ctx.now),
          },
          { sourceId: ctx.sourceId, now: ctx.now, url: page },
        ),
      );
    }
    // A tracked workload that vanished from the list is not "operational": we cannot see it.
    for (const s of expected) if (!acc.has(s)) acc.set([s], 'unknown');
  } else {
    const post = StatusPostSchema.safeParse(payload);
    if (!post.success) {
      throw new SourceError('PARSE_FAILED', `${ctx.sourceId}: expected one post object with a Status: ${post.error.issues[0]?.message}`, {
        sourceId: ctx.sourceId,
        cause: post.error,
      });
    }
    take(
      parsePost(
        {
          workload,
          services: servicesForWorkload(workload),
          textServices: workload.toLowerCase() === 'mac' ? 'fallback' : 'union',
          title: post.data.Title,
          message: post.data.Message,
          status: post.data.Status,
          observedAt: observedAtOf(post.data, ctx.now),
        },
        { sourceId: ctx.sourceId, now: ctx.now, url: page },
      ),
    );
  }
  return { signals, serviceStatus: acc.toRecord(), activeKeys: [...new Set(activeKeys)].sort() };
}

async function fetchPosts(ctx: FetchContext): Promise<SourceResult> {
  return fetchOfficialSource(ctx, 'json', JSON_TYPES, (text) =>
    parsePostsPayload(parseJson(text, ctx.source.id), { sourceId: ctx.source.id, url: ctx.source.url, now: ctx.now }),
  );
}

export const adapter: SourceAdapter = {
  name: 'status-cloud-microsoft-posts',
  kind: 'official',
  // The union of what mac (enterprise incidents) and m365Consumer can see; each configured source
  // should list its own `services` (see outage-radar.config.ts).
  defaultServices: ['m365-admin', 'exchange-online', 'outlook-com', 'teams', 'sharepoint', 'onedrive', 'm365-apps', 'copilot'],
  fetch: fetchPosts,
};
