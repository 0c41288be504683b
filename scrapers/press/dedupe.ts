/**
 * One story, many copies: the same article reached through two feeds (heise-atom and a heise
 * section feed), through a redirector, or syndicated word for word to another outlet. Pure.
 * Independent outlets that happen to write similar short headlines stay distinct: their agreement
 * is the evidence correlation counts.
 */
import type { Signal } from '../../src/domain/schemas.ts';
import { urlKey } from '../text/url.ts';

export interface DedupeOptions {
  /** Copies further apart than this are separate items. */
  windowMinutes?: number;
  /** Title similarity (Dice on character bigrams) for copies from one site. */
  sameSiteSimilarity?: number;
  /** Title similarity for copies on different sites (syndication). */
  crossSiteSimilarity?: number;
  /** Shorter normalised titles never count as syndicated copies across sites. */
  crossSiteMinLength?: number;
}

const DEFAULTS: Required<DedupeOptions> = {
  windowMinutes: 48 * 60,
  sameSiteSimilarity: 0.85,
  crossSiteSimilarity: 0.95,
  crossSiteMinLength: 40,
};

/** Lower case, umlauts folded, punctuation dropped, an " - Outlet" / " | Outlet" suffix removed. */
export function normalizeTitleKey(title: string, outlet?: string | null): string {
  let t = title.normalize('NFC').toLowerCase();
  if (outlet) {
    const o = outlet.toLowerCase();
    for (const sep of [' - ', ' | ', ' – ', ' — ']) if (t.endsWith(`${sep}${o}`)) t = t.slice(0, -(sep.length + o.length));
  }
  return t
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) {
    const g = s.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Sørensen–Dice coefficient on character bigrams, 0…1. */
export function titleSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const A = bigrams(a);
  const B = bigrams(b);
  let overlap = 0;
  for (const [g, n] of A) overlap += Math.min(n, B.get(g) ?? 0);
  return (2 * overlap) / (a.length - 1 + (b.length - 1));
}

function siteOf(url: string): string {
  return urlKey(url).split('/')[0] ?? '';
}

/**
 * `signals` without the later copies of one story. Press signals (with `press` facts) are compared;
 * every other signal passes through. The earliest copy (by observedAt, then id) survives; order of
 * the survivors is the input order.
 */
export function dedupePressSignals(signals: readonly Signal[], options: DedupeOptions = {}): Signal[] {
  const o = { ...DEFAULTS, ...options };
  const order = signals
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.press)
    .sort((a, b) => a.s.observedAt.localeCompare(b.s.observedAt) || a.s.id.localeCompare(b.s.id) || a.i - b.i);
  const dropped = new Set<number>();
  const kept: { s: Signal; key: string; site: string; title: string; t: number }[] = [];
  const seenIds = new Set<string>();
  for (const { s, i } of order) {
    if (seenIds.has(s.id)) {
      dropped.add(i);
      continue;
    }
    const p = s.press!;
    const key = urlKey(p.canonicalUrl);
    const site = siteOf(p.canonicalUrl);
    const title = normalizeTitleKey(s.title, p.outlet);
    const t = Date.parse(s.observedAt);
    const isCopy = kept.some((k) => {
      if (k.key === key) return true;
      if (Math.abs(t - k.t) > o.windowMinutes * 60_000) return false;
      const sameSite = k.site === site || k.s.press!.outlet.toLowerCase() === p.outlet.toLowerCase();
      const sim = titleSimilarity(k.title, title);
      if (sameSite) return sim >= o.sameSiteSimilarity;
      return title.length >= o.crossSiteMinLength && k.title.length >= o.crossSiteMinLength && sim >= o.crossSiteSimilarity;
    });
    if (isCopy) dropped.add(i);
    else {
      kept.push({ s, key, site, title, t });
      seenIds.add(s.id);
    }
  }
  return signals.filter((_, i) => !dropped.has(i));
}
