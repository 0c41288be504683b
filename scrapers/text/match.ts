/**
 * Generic term matching for the classifier: compiles the word lists of press-vocabulary.ts into
 * Unicode-aware regular expressions and finds spans. Knows no particular word.
 */
import type { Term } from './press-vocabulary.ts';

export interface Span {
  start: number;
  end: number;
  term: string;
}

const UMLAUTS: Readonly<Record<string, string>> = { 'ä': '(?:ä|ae)', 'ö': '(?:ö|oe)', 'ü': '(?:ü|ue)', 'ß': '(?:ß|ss)' };
const cache = new Map<Term, RegExp>();

function escapeChar(c: string): string {
  if (UMLAUTS[c]) return UMLAUTS[c];
  if (c === ' ') return '[\\s\\-]+';
  if (c === '-') return '[\\s\\-]*';
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** The regular expression for one term (flags `gu`, applied to lower-cased text). */
export function compileTerm(term: Term, suffixes: readonly string[] = []): RegExp {
  if (!suffixes.length) {
    const hit = cache.get(term);
    if (hit) return hit;
  }
  let re: RegExp;
  if (term instanceof RegExp) {
    re = new RegExp(term.source, 'gu');
  } else {
    let core = term;
    const anyBefore = core.startsWith('*');
    const anyAfter = core.endsWith('*');
    core = core.replace(/^\*|\*$/g, '');
    const body = [...core].map(escapeChar).join('');
    const suffix = suffixes.length ? `(?:${suffixes.map((s) => [...s].map(escapeChar).join('')).join('|')})?` : '';
    const wordStart = /^[\p{L}\p{N}]/u.test(core);
    const wordEnd = /[\p{L}\p{N}]$/u.test(core);
    re = new RegExp(
      `${wordStart ? '(?<![\\p{L}\\p{N}])' : ''}${anyBefore ? '\\p{L}*' : ''}${body}${suffix}${anyAfter ? '\\p{L}*' : ''}${wordEnd ? '(?![\\p{L}\\p{N}])' : ''}`,
      'gu',
    );
  }
  if (!suffixes.length) cache.set(term, re);
  return re;
}

/** Every match of any of `terms` in `lower` (already lower-cased), in text order. */
export function findTerms(lower: string, terms: readonly Term[]): Span[] {
  const out: Span[] = [];
  for (const t of terms) {
    const re = compileTerm(t);
    re.lastIndex = 0;
    for (const m of lower.matchAll(re)) {
      if (m[0].length === 0) continue;
      out.push({ start: m.index, end: m.index + m[0].length, term: typeof t === 'string' ? t : t.source });
    }
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** True when any of `terms` occurs in `lower`. */
export function hasTerm(lower: string, terms: readonly Term[]): boolean {
  return terms.some((t) => {
    const re = compileTerm(t);
    re.lastIndex = 0;
    return re.test(lower);
  });
}

/** `text` with every span replaced by spaces (same length, so offsets stay valid). */
export function blankSpans(text: string, spans: readonly Span[]): string {
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + ' '.repeat(s.end - s.start) + out.slice(s.end);
  return out;
}

/** Word tokens with their offsets, for "within N words" tests. */
export function tokenize(text: string): { start: number; end: number }[] {
  return [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}.+']*/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** Index of the token that contains or follows offset `pos`. */
export function tokenIndexAt(tokens: readonly { start: number; end: number }[], pos: number): number {
  const i = tokens.findIndex((t) => t.end > pos);
  return i === -1 ? tokens.length : i;
}
