/**
 * Building blocks shared by the official adapters: one validated official Signal, the
 * serviceStatus accumulator, and the checks every official payload passes (content type, JSON).
 */
import { SignalSchema, type Signal } from '../../src/domain/schemas.ts';
import type { ServiceId } from '../../src/domain/services.ts';
import { worseComponentStatus, type Classification, type ComponentStatus } from '../../src/domain/vocabulary.ts';
import { SourceError } from '../http/errors.ts';
import type { ExpectedBody, HttpResponse } from '../http/types.ts';
import type { FetchContext, SourceResult } from './types.ts';
import { normalizeWhitespace } from '../text/clean.ts';
import type { OfficialStatusMapping } from './_official-status.ts';
import { clip } from './_official-text.ts';

export interface OfficialSignalInput {
  sourceId: string;
  id: string;
  observedAt: string;
  fetchedAt: Date;
  services: ServiceId[];
  title: string;
  text: string;
  url: string | null;
  ref: string | null;
  key: string;
  mapping: OfficialStatusMapping;
  classification: Classification;
  rawStatus: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** A schema-valid official signal; throws PARSE_FAILED naming the field when the input is not. */
export function buildOfficialSignal(input: OfficialSignalInput): Signal {
  // Microsoft's words are external text too: no control, bidi-override or invisible characters
  // (the title on one line, the text keeping its line breaks).
  const title = normalizeWhitespace(input.title);
  const text = input.text.split('\n').map(normalizeWhitespace).join('\n');
  const candidate = {
    id: clip(input.id, 200),
    source: { id: input.sourceId, kind: 'official' as const },
    observedAt: input.observedAt,
    fetchedAt: input.fetchedAt.toISOString(),
    services: input.services,
    title: clip(title || '(untitled)', 500),
    text: clip(text, 8000),
    url: input.url,
    lang: 'en',
    official: {
      ref: input.ref,
      key: input.key,
      status: input.mapping.status,
      componentStatus: input.mapping.componentStatus,
      impact: input.mapping.impact,
      classification: input.classification,
      rawStatus: clip(input.rawStatus, 80),
      isResolved: input.mapping.isResolved,
      startedAt: input.startedAt,
      endedAt: input.endedAt,
    },
  };
  const parsed = SignalSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourceError('PARSE_FAILED', `${input.sourceId}: signal ${input.id} is invalid at ${issue?.path.join('.')}: ${issue?.message}`, {
      sourceId: input.sourceId,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** Collects per-service assertions; the worse status wins when two rows speak for one service. */
export class ServiceStatusAccumulator {
  readonly #map = new Map<ServiceId, ComponentStatus>();

  set(services: readonly ServiceId[], status: ComponentStatus): void {
    for (const s of services) {
      const known = this.#map.get(s);
      this.#map.set(s, known ? worseComponentStatus(known, status) : status);
    }
  }

  has(service: ServiceId): boolean {
    return this.#map.has(service);
  }

  toRecord(): Partial<Record<ServiceId, ComponentStatus>> {
    return Object.fromEntries([...this.#map].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** Throws SOURCE_WRONG_TYPE unless the response's Content-Type is one of `accepted` (MIME prefixes or `+json`-style suffixes). */
export function requireContentType(res: HttpResponse, sourceId: string, accepted: readonly string[]): void {
  const mime = (res.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const ok = accepted.some((a) => (a.startsWith('+') ? mime.endsWith(a) : mime === a));
  if (!ok) {
    throw new SourceError('SOURCE_WRONG_TYPE', `${sourceId}: expected ${accepted.join(' or ')}, got ${mime || 'no content type'}`, {
      sourceId,
      status: res.status,
    });
  }
}

export const JSON_TYPES = ['application/json', 'text/json', '+json'] as const;
export const XML_TYPES = ['application/rss+xml', 'application/xml', 'text/xml', 'application/atom+xml', '+xml'] as const;

/** JSON.parse that throws PARSE_FAILED. */
export function parseJson(text: string, sourceId: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new SourceError('PARSE_FAILED', `${sourceId}: body is not valid JSON (${(cause as Error).message})`, { sourceId, cause });
  }
}

/** What a parser makes of one official body: the result fields that are not transport. */
export type OfficialParse = Pick<SourceResult, 'signals' | 'serviceStatus' | 'activeKeys'>;

/**
 * The transport half every single-URL official adapter shares: a conditional GET of the source's
 * URL, 304 → not modified (keep last data), Content-Type checked against `accepted`, then `parse`
 * on the decoded text. Throws SourceError.
 */
export async function fetchOfficialSource(
  ctx: FetchContext,
  expect: ExpectedBody,
  accepted: readonly string[],
  parse: (text: string) => OfficialParse | Promise<OfficialParse>,
): Promise<SourceResult> {
  const res = await ctx.http.request({
    url: ctx.source.url,
    expect,
    etag: ctx.validators.etag,
    lastModified: ctx.validators.lastModified,
    signal: ctx.signal,
    sourceId: ctx.source.id,
  });
  const validators = { etag: res.etag, lastModified: res.lastModified };
  if (res.notModified) {
    return { outcome: 'not_modified', signals: [], serviceStatus: {}, activeKeys: null, validators, bodyHash: null };
  }
  requireContentType(res, ctx.source.id, accepted);
  return { outcome: 'ok', ...(await parse(res.text)), validators, bodyHash: res.bodyHash };
}
