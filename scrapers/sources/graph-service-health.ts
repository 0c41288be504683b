/**
 * Microsoft Graph service health (`/admin/serviceAnnouncement/healthOverviews` and `/issues`), the
 * structured tenant view: issue ids (EX…, MO…), status enums, full post timelines. Runs only when
 * GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET are in the environment (app-only,
 * `ServiceHealth.Read.All` with admin consent).
 *
 * - Token: client credentials at `${source.tokenUrl}/${tenant}/oauth2/v2.0/token`, cached per
 *   token URL + tenant + client in this module until five minutes before expiry, measured on the
 *   cycle's clock (`ctx.now`). A 401 from Graph drops the token and retries once with a new one.
 * - Paging: `@odata.nextLink` is followed verbatim, only on Graph's own origin (the bearer token
 *   never leaves it), at most MAX_PAGES pages; more is PARSE_FAILED rather than a partial list,
 *   which would make open issues look vanished.
 * - Enums are matched case-insensitively after stripping non-alphanumerics (docs examples are
 *   PascalCase, live data camelCase); unknown words are `unknown`.
 * - Advisories keep `classification: advisory` and never count as outages (see applyClassification);
 *   a service whose only open issues are advisories is asserted operational.
 * - One signal per issue post (Microsoft's timeline); the newest carries the issue's current status
 *   and is stamped with its lastModifiedDateTime. Older posts are "investigating", or "resolved"
 *   when they carry a "Final status:". Issues resolved more than RECENT_DAYS ago are skipped.
 * - Services: the issue id prefix, the Graph service name, and services named in the title and
 *   impact description (Outlook symptoms filed under MO also tag exchange-online).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { servicesForGraphName, servicesForOfficialRef, type ServiceId } from '../../src/domain/services.ts';
import type { Signal } from '../../src/domain/schemas.ts';
import type { Classification, ComponentStatus } from '../../src/domain/vocabulary.ts';
import type { SourceConfig } from '../../src/config/schema.ts';
import { isSourceError, SourceError } from '../http/errors.ts';
import { buildOfficialSignal, JSON_TYPES, parseJson, requireContentType, ServiceStatusAccumulator } from './_official-signal.ts';
import { applyClassification, mapClassification, mapOfficialStatus, type OfficialStatusMapping } from './_official-status.ts';
import { formatPostText, matchServicesInText, messageToText, parseSections, sortServices } from './_official-text.ts';
import type { FetchContext, SourceAdapter, SourceResult } from './types.ts';

export const GRAPH_ENV = ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET'] as const;
/** A cached token is renewed this long before it expires. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
export const MAX_PAGES = 20;
/** Resolved issues older than this are not re-emitted each cycle. */
export const RECENT_DAYS = 7;

const Text = z.string().nullable().optional();

export const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().int().positive(),
});

export const GraphPostSchema = z.looseObject({
  createdDateTime: Text,
  postType: Text,
  description: z.looseObject({ contentType: Text, content: Text }).nullable().optional(),
});

export const GraphIssueSchema = z.looseObject({
  id: z.string().min(1).max(40),
  title: Text,
  service: Text,
  feature: Text,
  featureGroup: Text,
  impactDescription: Text,
  status: Text,
  classification: Text,
  isResolved: z.boolean().nullable().optional(),
  startDateTime: Text,
  endDateTime: Text,
  lastModifiedDateTime: Text,
  posts: z.array(GraphPostSchema).nullable().optional(),
});
export type GraphIssue = z.output<typeof GraphIssueSchema>;

export const GraphOverviewSchema = z.looseObject({
  id: Text,
  service: z.string(),
  status: Text,
});
export type GraphOverview = z.output<typeof GraphOverviewSchema>;

const PageSchema = z.looseObject({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

interface CachedToken {
  token: string;
  expiresAt: number;
}
const tokenCache = new Map<string, CachedToken>();

/** Forgets every cached token (tests; credential rotation). */
export function clearGraphTokenCache(): void {
  tokenCache.clear();
}

interface Credentials {
  tenant: string;
  clientId: string;
  secret: string;
}

function credentialsOf(env: NodeJS.ProcessEnv): Credentials | null {
  const tenant = env.GRAPH_TENANT_ID?.trim();
  const clientId = env.GRAPH_CLIENT_ID?.trim();
  const secret = env.GRAPH_CLIENT_SECRET;
  return tenant && clientId && secret ? { tenant, clientId, secret } : null;
}

/** Null when the adapter can run; otherwise which setting is missing. */
export function checkConfigured(source: SourceConfig, env: NodeJS.ProcessEnv): string | null {
  const missing = GRAPH_ENV.filter((k) => !env[k]?.trim());
  if (missing.length) return `set ${missing.join(', ')} in the environment to read Microsoft Graph service health`;
  if (!source.tokenUrl) return `source ${source.id} has no tokenUrl (e.g. https://login.microsoftonline.com)`;
  return null;
}

function withContext(err: unknown, sourceId: string, what: string): SourceError {
  if (isSourceError(err)) {
    return new SourceError(err.code, `${sourceId}: ${what}: ${err.message}`, {
      sourceId,
      cause: err,
      status: err.status,
      retryAfter: err.retryAfter,
    });
  }
  return new SourceError('SOURCE_NETWORK', `${sourceId}: ${what}: ${String(err)}`, { sourceId, cause: err });
}

async function getToken(ctx: FetchContext, creds: Credentials, force: boolean): Promise<string> {
  const tokenBase = ctx.source.tokenUrl!.replace(/\/+$/, '');
  const cacheKey = `${tokenBase}|${creds.tenant}|${creds.clientId}`;
  const cached = tokenCache.get(cacheKey);
  if (cached && !force && cached.expiresAt - TOKEN_REFRESH_MARGIN_MS > ctx.now.getTime()) return cached.token;
  tokenCache.delete(cacheKey);
  const body = new URLSearchParams({
    client_id: creds.clientId,
    scope: `${new URL(ctx.source.url).origin}/.default`,
    client_secret: creds.secret,
    grant_type: 'client_credentials',
  }).toString();
  let text: string;
  try {
    const res = await ctx.http.request({
      url: `${tokenBase}/${encodeURIComponent(creds.tenant)}/oauth2/v2.0/token`,
      method: 'POST',
      expect: 'json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: ctx.signal,
      sourceId: ctx.source.id,
    });
    requireContentType(res, ctx.source.id, JSON_TYPES);
    text = res.text;
  } catch (err) {
    throw withContext(err, ctx.source.id, 'token request failed (check the GRAPH_* credentials and admin consent)');
  }
  const parsed = TokenResponseSchema.safeParse(parseJson(text, ctx.source.id));
  if (!parsed.success) {
    throw new SourceError('PARSE_FAILED', `${ctx.source.id}: token response lacks access_token/expires_in`, {
      sourceId: ctx.source.id,
      cause: parsed.error,
    });
  }
  tokenCache.set(cacheKey, { token: parsed.data.access_token, expiresAt: ctx.now.getTime() + parsed.data.expires_in * 1000 });
  return parsed.data.access_token;
}

/** GETs every page of a Graph collection. */
async function getCollection(ctx: FetchContext, token: string, path: string, extraHeaders: Record<string, string> = {}): Promise<unknown[]> {
  const base = ctx.source.url.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const items: unknown[] = [];
  let url: string | null = `${base}${path}`;
  for (let page = 0; url !== null; page++) {
    if (page >= MAX_PAGES) {
      throw new SourceError('PARSE_FAILED', `${ctx.source.id}: ${path} has more than ${MAX_PAGES} pages`, { sourceId: ctx.source.id });
    }
    const res = await ctx.http.request({
      url,
      expect: 'json',
      headers: { authorization: `Bearer ${token}`, ...extraHeaders },
      signal: ctx.signal,
      sourceId: ctx.source.id,
    });
    requireContentType(res, ctx.source.id, JSON_TYPES);
    const body = PageSchema.safeParse(parseJson(res.text, ctx.source.id));
    if (!body.success) {
      throw new SourceError('PARSE_FAILED', `${ctx.source.id}: ${path} is not an OData collection (no value[])`, {
        sourceId: ctx.source.id,
        cause: body.error,
      });
    }
    items.push(...body.data.value);
    const next = body.data['@odata.nextLink'];
    if (next === undefined) {
      url = null;
    } else {
      let nextUrl: URL;
      try {
        nextUrl = new URL(next, url);
      } catch (cause) {
        throw new SourceError('PARSE_FAILED', `${ctx.source.id}: unreadable @odata.nextLink`, { sourceId: ctx.source.id, cause });
      }
      if (nextUrl.origin !== origin) {
        throw new SourceError('PARSE_FAILED', `${ctx.source.id}: @odata.nextLink leaves ${origin}; not following it with a token`, {
          sourceId: ctx.source.id,
        });
      }
      url = nextUrl.href;
    }
  }
  return items;
}

function parseItems<T>(items: unknown[], schema: z.ZodType<T>, sourceId: string, what: string): T[] {
  return items.map((item, i) => {
    const r = schema.safeParse(item);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new SourceError('PARSE_FAILED', `${sourceId}: ${what}[${i}] is invalid at ${issue?.path.join('.')}: ${issue?.message}`, {
        sourceId,
        cause: r.error,
      });
    }
    return r.data;
  });
}

function iso(value: string | null | undefined): string | null {
  if (!value || value.startsWith('0001-01-01')) return null;
  const t = Date.parse(value);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

const RESOLVED: Omit<OfficialStatusMapping, 'known'> = { status: 'resolved', componentStatus: 'operational', impact: 'none', isResolved: true };

/** The issue's current state: its status word, closed when either Graph's isResolved or the word says so. */
export function issueMapping(issue: GraphIssue): { mapping: OfficialStatusMapping; classification: Classification } {
  const classification = mapClassification(issue.classification);
  const word = mapOfficialStatus(issue.status);
  const resolved = issue.isResolved === true || word.isResolved;
  const mapping = resolved ? { ...RESOLVED, known: word.known } : applyClassification(word, classification);
  return { mapping, classification };
}

/** Services an issue concerns: id prefix, Graph service name, and services named in its title and impact. */
export function servicesForIssue(issue: GraphIssue): ServiceId[] {
  return sortServices([
    ...servicesForOfficialRef(issue.id),
    ...servicesForGraphName(issue.service ?? ''),
    ...matchServicesInText(`${issue.title ?? ''}\n${issue.impactDescription ?? ''}`),
  ]);
}

function minIso(a: string, b: string): string {
  return a < b ? a : b;
}

/** Pure: one issue → one signal per post (or one for the issue when it has no posts). */
export function issueSignals(issue: GraphIssue, ctx: { sourceId: string; now: Date }): Signal[] {
  const services = servicesForIssue(issue);
  if (services.length === 0) return [];
  const nowIso = ctx.now.toISOString();
  const { mapping, classification } = issueMapping(issue);
  const startedAt = iso(issue.startDateTime);
  const endedAt = mapping.isResolved ? iso(issue.endDateTime) : null;
  const lastModified = iso(issue.lastModifiedDateTime);
  const title = issue.title?.trim() || `${issue.id}: ${issue.service ?? 'Microsoft 365'}`;
  const rawStatus = issue.status ?? '';
  const stateTag = `${mapping.status}.${mapping.componentStatus}.${classification}`;
  const common = { sourceId: ctx.sourceId, fetchedAt: ctx.now, services, title, url: null, ref: issue.id, key: issue.id, classification, startedAt };

  const posts = (issue.posts ?? [])
    .map((p) => ({ at: iso(p.createdDateTime), text: messageToText(p.description?.content) }))
    .filter((p): p is { at: string; text: string } => p.at !== null)
    .sort((a, b) => a.at.localeCompare(b.at));

  if (posts.length === 0) {
    const at = minIso(lastModified ?? startedAt ?? nowIso, nowIso);
    return [
      buildOfficialSignal({
        ...common,
        id: `${ctx.sourceId}:${issue.id}:${at}:${stateTag}`,
        observedAt: at,
        text: issue.impactDescription?.trim() ?? '',
        mapping,
        rawStatus,
        endedAt,
      }),
    ];
  }

  const open = applyClassification(mapOfficialStatus('investigating'), classification);
  return posts.map((post, i) => {
    const sections = parseSections(post.text);
    const text = formatPostText(sections, post.text);
    const newest = i === posts.length - 1;
    if (newest) {
      const at = minIso(lastModified && lastModified > post.at ? lastModified : post.at, nowIso);
      return buildOfficialSignal({
        ...common,
        id: `${ctx.sourceId}:${issue.id}:${post.at}:${stateTag}`,
        observedAt: at,
        text,
        mapping,
        rawStatus,
        endedAt,
      });
    }
    const final = sections.finalStatus !== undefined;
    return buildOfficialSignal({
      ...common,
      id: `${ctx.sourceId}:${issue.id}:${post.at}`,
      observedAt: minIso(post.at, nowIso),
      text,
      mapping: final ? { ...RESOLVED, known: true } : open,
      // The word in force when an older post was written is not in the data.
      rawStatus: '',
      endedAt: final ? endedAt : null,
    });
  });
}

/** Pure: overviews + issues → per-service status. Advisory-only services are operational. */
export function serviceStatusOf(overviews: GraphOverview[], issues: GraphIssue[]): Partial<Record<ServiceId, ComponentStatus>> {
  const acc = new ServiceStatusAccumulator();
  for (const o of overviews) {
    const services = servicesForGraphName(o.service);
    if (services.length === 0) continue;
    let status = mapOfficialStatus(o.status).componentStatus;
    const name = o.service.trim().toLowerCase();
    const open = issues.filter((i) => (i.service ?? '').trim().toLowerCase() === name && !issueMapping(i).mapping.isResolved);
    if (
      open.length > 0 &&
      status !== 'unknown' &&
      status !== 'major_outage' &&
      open.every((i) => issueMapping(i).classification === 'advisory' && issueMapping(i).mapping.componentStatus !== 'major_outage')
    ) {
      status = 'operational';
    }
    acc.set(services, status);
  }
  return acc.toRecord();
}

/** Pure: the whole read → signals, status, active keys. */
export function parseGraph(
  overviews: GraphOverview[],
  issues: GraphIssue[],
  ctx: { sourceId: string; now: Date },
): { signals: Signal[]; serviceStatus: Partial<Record<ServiceId, ComponentStatus>>; activeKeys: string[] } {
  const since = ctx.now.getTime() - RECENT_DAYS * 24 * 3600_000;
  const signals: Signal[] = [];
  const activeKeys: string[] = [];
  for (const issue of issues) {
    const resolved = issueMapping(issue).mapping.isResolved;
    const lastWord = Date.parse(iso(issue.endDateTime) ?? iso(issue.lastModifiedDateTime) ?? '');
    if (resolved && !(lastWord >= since)) continue;
    const s = issueSignals(issue, ctx);
    if (s.length === 0) continue;
    signals.push(...s);
    if (!resolved) activeKeys.push(issue.id);
  }
  return { signals, serviceStatus: serviceStatusOf(overviews, issues), activeKeys: [...new Set(activeKeys)].sort() };
}

async function readAll(ctx: FetchContext, token: string): Promise<{ overviews: GraphOverview[]; issues: GraphIssue[] }> {
  const overviewItems = await getCollection(ctx, token, '/admin/serviceAnnouncement/healthOverviews');
  const issueItems = await getCollection(ctx, token, '/admin/serviceAnnouncement/issues', { prefer: 'odata.maxpagesize=1000' });
  return {
    overviews: parseItems(overviewItems, GraphOverviewSchema, ctx.source.id, 'healthOverviews'),
    issues: parseItems(issueItems, GraphIssueSchema, ctx.source.id, 'issues'),
  };
}

async function fetchGraph(ctx: FetchContext): Promise<SourceResult> {
  const why = checkConfigured(ctx.source, ctx.env);
  const creds = credentialsOf(ctx.env);
  if (why || !creds) throw new SourceError('SOURCE_NOT_CONFIGURED', `${ctx.source.id}: ${why}`, { sourceId: ctx.source.id });
  const token = await getToken(ctx, creds, false);
  let data: { overviews: GraphOverview[]; issues: GraphIssue[] };
  try {
    data = await readAll(ctx, token);
  } catch (err) {
    // A token revoked or expired early: one more try with a fresh one.
    if (!(isSourceError(err) && err.status === 401)) throw err;
    data = await readAll(ctx, await getToken(ctx, creds, true));
  }
  const parsed = parseGraph(data.overviews, data.issues, { sourceId: ctx.source.id, now: ctx.now });
  // No validators across several requests; the hash of what was read lets the cycle tell "unchanged".
  const bodyHash = createHash('sha256').update(JSON.stringify(data)).digest('hex');
  return { outcome: 'ok', ...parsed, validators: { etag: null, lastModified: null }, bodyHash };
}

export const adapter: SourceAdapter = {
  name: 'graph-service-health',
  kind: 'official',
  defaultServices: ['exchange-online', 'teams', 'sharepoint', 'onedrive', 'm365-apps', 'entra-id', 'copilot', 'm365-admin'],
  checkConfigured,
  fetch: fetchGraph,
};
