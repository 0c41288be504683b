/**
 * Turns a parsed feed item into a validated Signal with `press` facts. Shared by the news, Mastodon
 * and Reddit adapters; pure.
 */
import { createHash } from 'node:crypto';
import { SignalSchema, type Signal } from '../../src/domain/schemas.ts';
import type { ServiceId } from '../../src/domain/services.ts';
import type { Lang, PressKind, SourceKind } from '../../src/domain/vocabulary.ts';
import { SourceError } from '../http/errors.ts';
import { truncateText } from '../text/clean.ts';

export interface PressSignalInput {
  sourceId: string;
  sourceKind: SourceKind;
  /** What makes the item itself stable: guid, or canonical URL. */
  identity: string;
  /** Prefix of the id: `press` for outlets; community posts share one namespace across instances. */
  idNamespace: string;
  observedAt: string;
  fetchedAt: Date;
  services: ServiceId[];
  title: string;
  summary: string;
  canonicalUrl: string;
  lang: Lang;
  outlet: string;
  kind: PressKind;
  refs: string[];
}

/** Stable id: namespace + a hash of the identity (same item fetched twice → same id). */
export function pressSignalId(namespace: string, identity: string): string {
  return `${namespace}:${createHash('sha256').update(identity).digest('hex').slice(0, 24)}`;
}

/** A schema-valid Signal; throws PARSE_FAILED when the item cannot make one. */
export function buildPressSignal(input: PressSignalInput): Signal {
  const candidate = {
    id: pressSignalId(input.idNamespace, input.identity),
    source: { id: input.sourceId, kind: input.sourceKind },
    observedAt: input.observedAt,
    fetchedAt: input.fetchedAt.toISOString(),
    services: input.services,
    title: truncateText(input.title, 500),
    text: truncateText(input.summary, 300),
    url: input.canonicalUrl,
    lang: input.lang,
    press: {
      outlet: truncateText(input.outlet, 120),
      canonicalUrl: input.canonicalUrl,
      kind: input.kind,
      refs: input.refs.slice(0, 20),
    },
  };
  const parsed = SignalSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourceError('PARSE_FAILED', `${input.sourceId}: item ${input.identity} is invalid at ${issue?.path.join('.')}: ${issue?.message}`, {
      sourceId: input.sourceId,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** `de` or `en` from a feed's language tag (`de-DE`, `en-us`), else null. */
export function langFromTag(tag: string | null | undefined): Lang | null {
  const t = (tag ?? '').trim().toLowerCase();
  if (t.startsWith('de')) return 'de';
  if (t.startsWith('en')) return 'en';
  return null;
}
