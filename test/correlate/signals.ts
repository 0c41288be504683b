/**
 * Signal factories for correlation tests: small, explicit, schema-valid records.
 */
import { SignalSchema, type Signal } from '../../src/domain/schemas.ts';
import type { ServiceId } from '../../src/domain/services.ts';
import type { Classification, Impact, IncidentStatus, PressKind } from '../../src/domain/vocabulary.ts';
import type { CorrelationSettings } from '../../scrapers/correlate/rules.ts';

export const DAY = '2026-11-25';
/** `t('08:30')` → `2026-11-25T08:30:00.000Z`; `t('+1d 08:30')` the next day. */
export function t(hhmm: string): string {
  const next = hhmm.startsWith('+1d ');
  const clock = next ? hhmm.slice(4) : hhmm;
  const base = next ? '2026-11-26' : DAY;
  return new Date(`${base}T${clock.length === 5 ? `${clock}:00` : clock}Z`).toISOString();
}

export const settings = (over: Partial<CorrelationSettings> = {}): CorrelationSettings => ({
  attachWindowMinutes: 360,
  minOutletsForSuspected: 2,
  pressWindowMinutes: 180,
  suspectedExpiryMinutes: 360,
  officialVanishGraceMinutes: 30,
  officialTwinWindowMinutes: 120,
  communitySourceIds: new Set(['mastodon-social-outlookdown', 'chaos-social-outlookdown']),
  ...over,
});

export interface OfficialOptions {
  id?: string;
  source?: string;
  at: string;
  ref?: string | null;
  key?: string;
  status?: IncidentStatus;
  impact?: Impact;
  classification?: Classification;
  services?: ServiceId[];
  title?: string;
  text?: string;
  startedAt?: string | null;
  endedAt?: string | null;
  fetchedAt?: string;
}

export function official(o: OfficialOptions): Signal {
  const source = o.source ?? 'graph-service-health';
  const ref = o.ref === undefined ? 'EX1151485' : o.ref;
  const key = o.key ?? ref ?? 'key-1';
  const status = o.status ?? 'investigating';
  return SignalSchema.parse({
    id: o.id ?? `${source}:${key}:${o.at}`,
    source: { id: source, kind: 'official' },
    observedAt: o.at,
    fetchedAt: o.fetchedAt ?? o.at,
    services: o.services ?? ['exchange-online'],
    title: o.title ?? 'Users may be unable to access their mailbox',
    text: o.text ?? `Current status: ${status}`,
    url: null,
    lang: 'en',
    official: {
      ref,
      key,
      status,
      componentStatus: status === 'resolved' ? 'operational' : 'partial_outage',
      impact: o.impact ?? 'major',
      classification: o.classification ?? 'incident',
      rawStatus: status,
      isResolved: status === 'resolved',
      startedAt: o.startedAt === undefined ? o.at : o.startedAt,
      endedAt: o.endedAt ?? null,
    },
  });
}

export interface PressOptions {
  id?: string;
  outlet: string;
  source?: string;
  at: string;
  kind?: PressKind;
  services?: ServiceId[];
  refs?: string[];
  url?: string;
  title?: string;
  lang?: 'de' | 'en';
}

export function press(o: PressOptions): Signal {
  const slug = o.outlet.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const source = o.source ?? `${slug}-rss`;
  const url = o.url ?? `https://${slug}.example/${o.at.slice(11, 16).replace(':', '')}-${o.id ?? 'story'}`;
  return SignalSchema.parse({
    id: o.id ?? `${source}:${url}`,
    source: { id: source, kind: 'press' },
    observedAt: o.at,
    fetchedAt: o.at,
    services: o.services ?? ['exchange-online'],
    title: o.title ?? `${o.outlet}: Outlook outage`,
    text: '',
    url,
    lang: o.lang ?? 'en',
    press: { outlet: o.outlet, canonicalUrl: url, kind: o.kind ?? 'outage', refs: o.refs ?? [] },
  });
}

export interface CrowdOptions {
  id?: string;
  at: string;
  services?: ServiceId[];
  count?: number;
  baseline?: number;
  /** Start of the spike the bucket belongs to. */
  spikeStartedAt?: string;
}

export function crowd(o: CrowdOptions): Signal {
  const bucketStart = new Date(Date.parse(o.at) - 5 * 60_000).toISOString();
  return SignalSchema.parse({
    id: o.id ?? `crowd:${(o.services ?? ['outlook-com']).join('+')}:${bucketStart}`,
    source: { id: 'crowd-reports', kind: 'crowd' },
    observedAt: o.at,
    fetchedAt: o.at,
    services: o.services ?? ['outlook-com'],
    title: 'Spike in problem reports',
    crowd: { bucketStart, ...(o.spikeStartedAt ? { spikeStartedAt: o.spikeStartedAt } : {}), bucketMinutes: 5, count: o.count ?? 40, baseline: o.baseline ?? 3, score: 12 },
  });
}

/** A deterministic shuffle (so a failing order can be reproduced). */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
