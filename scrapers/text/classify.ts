/**
 * Classifies a press headline (plus optional teaser) or a community post: which catalog services it
 * is about, and whether it reports an outage, a resolution, a follow-up, an explainer, or nothing of
 * ours. Pure and deterministic. The vocabulary is data (press-vocabulary.ts); the rules here are
 * generic (see README § Press and community sources).
 */
import { findOfficialRefs, SERVICES, type ServiceId } from '../../src/domain/services.ts';
import type { Lang, PressKind } from '../../src/domain/vocabulary.ts';
import { blankSpans, compileTerm, findTerms, hasTerm, tokenIndexAt, tokenize, type Span } from './match.ts';
import {
  ADS,
  AFTERMATH_OPENERS,
  AMBIGUOUS_TERMS,
  AUDIENCE_AFTER,
  AUDIENCE_BEFORE,
  BYSTANDER,
  CLAUSE_SPLIT,
  COMPOUND_SUFFIXES,
  CUE_WINDOW,
  DETERMINERS,
  EXPLAINER,
  FINANCE,
  FOLLOWUP,
  FOLLOWUP_CONTEXTUAL,
  FUNCTION_VERBS,
  INSTRUMENT_BEFORE,
  MICROSOFT_CONTEXT,
  NEGATION_WINDOW,
  NEGATIONS,
  NOT_SERVICE_PHRASES,
  OTHER_VENDORS,
  OUTAGE_CONTEXT,
  OUTAGE_FALSE_FRIENDS,
  OUTAGE_MEDIUM,
  OUTAGE_MIN_SCORE,
  OUTAGE_STRONG,
  PRODUCT_NOUNS,
  RESOLUTION,
  RESOLUTION_CONTEXTUAL,
  SECURITY,
  SENTENCE_SPLIT,
  SERVICE_TERM_EXTRAS,
  SUMMARY_WINDOW,
  WEAK_TERM_BLOCKERS,
  WEIGHTS,
  type Term,
} from './press-vocabulary.ts';

export interface Classification {
  services: ServiceId[];
  kind: PressKind;
  /** Microsoft incident ids (EX1151485, MO941162) in title or summary. */
  refs: string[];
  score: number;
  /** Why, in short tokens (`service:teams=teams`, `outage:ausgefallen`, `exclude:ad`). */
  reasons: string[];
}

export interface ClassifyOptions {
  /**
   * Edited text (press) capitalises product names, so a lower-case "outlook" or "teams" is a common
   * noun there. Community posts are not edited: pass false to match case-blind.
   */
  caseSensitive?: boolean;
}

type Strength = 'strong' | 'name' | 'topic';

interface ServiceTerm {
  service: ServiceId;
  term: string;
  strength: Strength;
}

interface Hit extends Span {
  service: ServiceId;
  strength: Strength;
  compound: boolean;
}

interface Cues {
  strong: Span[];
  medium: Span[];
  resolution: Span[];
  /** Resolution words that count only where the text names trouble. */
  resolutionWeak: Span[];
  followup: Span[];
  /** Follow-up words that count only where the text names trouble. */
  followupWeak: Span[];
  /** Incident words that open nothing ("bug", "incident"). */
  context: Span[];
  /** An opening "Nach Outlook-Ausfall: …" / "After the Teams outage, …". */
  aftermath: Span | null;
  explainer: Span[];
  ad: Span[];
  security: Span[];
  finance: Span[];
}

const SERVICE_TERMS: readonly ServiceTerm[] = SERVICES.flatMap((s) => {
  const extra = SERVICE_TERM_EXTRAS[s.id] ?? {};
  const strong = [...s.strongTerms, ...(extra.strong ?? [])].map((term) => ({ service: s.id, term, strength: 'strong' as const }));
  const weak = [...s.weakTerms, ...(extra.weak ?? [])].map((term) => ({
    service: s.id,
    term,
    strength: (AMBIGUOUS_TERMS[term] ? 'name' : 'topic') as Strength,
  }));
  return [...strong, ...weak];
});

function normalizeForMatch(text: string): string {
  return text.normalize('NFC').replace(/[\u2018\u2019\u02BC]/g, "'").replace(/[\u201C\u201D\u201E]/g, '"');
}

// Closed compounds only for one-word names: "Outlookausfall", "#teamsdown".
const COMPOUND_RES: ReadonlyMap<string, RegExp> = new Map(
  SERVICE_TERMS.filter((st) => st.strength !== 'topic' && /^[\p{L}]+$/u.test(st.term)).map((st) => [
    st.term,
    new RegExp(`(?<![\\p{L}\\p{N}])${st.term}(?:${COMPOUND_SUFFIXES.join('|')})(?![\\p{L}\\p{N}])`, 'gu'),
  ]),
);

function findServiceCandidates(masked: string): Hit[] {
  const out: Hit[] = [];
  for (const st of SERVICE_TERMS) {
    const plain = compileTerm(st.term);
    plain.lastIndex = 0;
    for (const m of masked.matchAll(plain)) out.push({ start: m.index, end: m.index + m[0].length, term: st.term, service: st.service, strength: st.strength, compound: false });
    const re = st.strength === 'topic' ? undefined : COMPOUND_RES.get(st.term);
    if (re) {
      for (const m of masked.matchAll(re)) {
        out.push({ start: m.index, end: m.index + m[0].length, term: st.term, service: st.service, strength: st.strength, compound: true });
      }
    }
  }
  return out;
}

/** Longest match wins where matches overlap ("microsoft 365 copilot" beats "microsoft 365"). */
function selectNonOverlapping(hits: Hit[]): Hit[] {
  const sorted = [...hits].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const chosen: Hit[] = [];
  for (const h of sorted) {
    if (chosen.some((c) => c.start < h.end && h.start < c.end && !(c.start === h.start && c.end === h.end))) continue;
    chosen.push(h);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

const CLAUSE_PUNCTUATION = /[:;,!?|()[\]–—]/u;

/** Whole words equal to a negation term ("nicht", "not", "can't"), for the look-behind/ahead checks. */
function isNegationAt(lower: string, span: { start: number; end: number }): boolean {
  return findTerms(lower.slice(span.start, span.end), NEGATIONS).some((n) => n.start === 0 && n.end === span.end - span.start);
}

/**
 * "können sich nicht einloggen", "werden nicht mehr synchronisiert", "can't sign in": a negation
 * followed within NEGATION_WINDOW words (same clause) by a verb of using the service, or a verb
 * directly followed by a negation ("Outlook startet nicht").
 */
function findNegatedFunctions(lower: string): Span[] {
  const negations = findTerms(lower, NEGATIONS);
  if (!negations.length) return [];
  const verbs = findTerms(lower, FUNCTION_VERBS);
  const tokens = tokenize(lower);
  const out: Span[] = [];
  for (const v of verbs) {
    const vi = tokenIndexAt(tokens, v.start);
    const pair = negations.find((n) => {
      if (n.end <= v.start) {
        const between = lower.slice(n.end, v.start);
        const gap = vi - tokenIndexAt(tokens, n.end - 1) - 1;
        return gap <= NEGATION_WINDOW && !CLAUSE_PUNCTUATION.test(between);
      }
      const between = lower.slice(v.end, n.start);
      const gap = tokenIndexAt(tokens, n.start) - tokenIndexAt(tokens, Math.max(v.start, v.end - 1)) - 1;
      return n.start >= v.end && gap <= NEGATION_WINDOW - 1 && !CLAUSE_PUNCTUATION.test(between);
    });
    if (pair) out.push({ start: Math.min(pair.start, v.start), end: Math.max(pair.end, v.end), term: `${pair.term} ${v.term}` });
  }
  return out;
}

/**
 * Drops resolution words that a negation precedes ("noch nicht behoben", "not yet restored") or that a
 * negation or an outage word follows ("is back down", "läuft wieder nicht"): the trouble goes on.
 */
function keepAffirmedResolutions(lower: string, spans: Span[], strong: readonly Span[]): Span[] {
  const tokens = tokenize(lower);
  return spans.filter((r) => {
    const i = tokenIndexAt(tokens, r.start);
    const j = tokenIndexAt(tokens, Math.max(r.start, r.end - 1));
    const before = tokens.slice(Math.max(0, i - 2), i);
    const after = tokens[j + 1];
    if (before.some((t) => isNegationAt(lower, t))) return false;
    if (after && (isNegationAt(lower, after) || strong.some((s) => s.start === after.start))) return false;
    return true;
  });
}

function findCues(lower: string): Cues {
  const outageText = blankSpans(lower, findNamed(lower, OUTAGE_FALSE_FRIENDS));
  const strong = [...findNamed(outageText, OUTAGE_STRONG), ...findNegatedFunctions(outageText)].sort((a, b) => a.start - b.start);
  const opener = findNamed(lower, AFTERMATH_OPENERS)[0];
  return {
    strong,
    medium: findNamed(outageText, OUTAGE_MEDIUM),
    resolution: keepAffirmedResolutions(lower, findNamed(lower, RESOLUTION), strong),
    resolutionWeak: keepAffirmedResolutions(lower, findNamed(lower, RESOLUTION_CONTEXTUAL), strong),
    followup: findNamed(lower, FOLLOWUP),
    followupWeak: findNamed(lower, FOLLOWUP_CONTEXTUAL),
    context: findNamed(lower, OUTAGE_CONTEXT),
    aftermath: opener && opener.start === 0 ? opener : null,
    explainer: findNamed(lower, EXPLAINER),
    ad: findNamed(lower, ADS),
    security: findNamed(lower, SECURITY),
    finance: findNamed(lower, FINANCE),
  };
}

/** Outage, degradation and resolution spans of a text (for teaser sentences and vendor clauses). */
function troubleSpans(lower: string): Span[] {
  const c = findCues(lower);
  return [...c.strong, ...c.medium, ...c.resolution, ...c.resolutionWeak];
}

function wordBefore(lower: string, start: number): string {
  const m = /([\p{L}\p{N}]+)[^\p{L}\p{N}]*$/u.exec(lower.slice(Math.max(0, start - 40), start));
  return m?.[1] ?? '';
}

function wordAfter(lower: string, end: number): string {
  const m = /^[^\p{L}\p{N}]*([\p{L}\p{N}]+)/u.exec(lower.slice(end, end + 40));
  return m?.[1] ?? '';
}

interface Analysis {
  hits: Hit[];
  cues: Cues;
  otherVendor: boolean;
  /** Microsoft is named, or a service is. */
  microsoft: boolean;
  /** A service name was blanked as someone else's namesake. */
  shadowed: boolean;
  lower: string;
  reasons: string[];
}

function analyze(text: string, caseSensitive: boolean): Analysis {
  const original = normalizeForMatch(text);
  const lower = original.toLowerCase();
  // Capitalisation can only be read where lower-casing kept offsets.
  const canReadCase = caseSensitive && lower.length === original.length;
  const reasons: string[] = [];
  const notService = findTerms(lower, NOT_SERVICE_PHRASES);
  const masked = blankSpans(lower, notService);
  // Services whose name sat inside a blanked phrase: the text is about their on-premises or foreign
  // namesake (Exchange Server, GitHub Copilot), so their topic words do not count either.
  const shadowed = new Set(
    findServiceCandidates(lower)
      .filter((h) => h.strength !== 'topic' && notService.some((n) => n.start <= h.start && h.end <= n.end))
      .map((h) => h.service),
  );
  const cues = findCues(lower);
  const tokens = tokenize(lower);
  const cueSpans: Span[] = [
    ...cues.strong,
    ...cues.medium,
    ...cues.resolution,
    ...findTerms(lower, MICROSOFT_CONTEXT),
    ...findTerms(lower, PRODUCT_NOUNS),
  ];
  const near = (a: Span, b: Span): boolean => {
    const ia = tokenIndexAt(tokens, a.start);
    const ib = tokenIndexAt(tokens, b.start);
    const ja = tokenIndexAt(tokens, Math.max(a.start, a.end - 1));
    const jb = tokenIndexAt(tokens, Math.max(b.start, b.end - 1));
    return Math.min(Math.abs(ia - jb), Math.abs(ib - ja), Math.abs(ia - ib)) <= CUE_WINDOW;
  };

  const selected = selectNonOverlapping(findServiceCandidates(masked));
  const accepted: Hit[] = selected.filter((h) => h.strength === 'strong' && !AMBIGUOUS_TERMS[h.term]);
  // Ambiguous names in text order, each seeing the names accepted before it.
  const pending = selected.filter((h) => !accepted.includes(h) && h.strength !== 'topic');
  for (let pass = 0; pass < 2; pass++) {
    for (const h of pending) {
      if (accepted.includes(h)) continue;
      const rule = AMBIGUOUS_TERMS[h.term];
      if (!rule) {
        accepted.push(h);
        continue;
      }
      if (rule.blockedByContext && hasTerm(lower, rule.blockedByContext)) continue;
      if (rule.requireContext && !hasTerm(masked.slice(0, h.start) + ' '.repeat(h.end - h.start) + masked.slice(h.end), rule.requireContext)) continue;
      if (canReadCase && rule.capital) {
        const c = original.charAt(h.start);
        if (c === c.toLowerCase()) continue;
      }
      const before = wordBefore(lower, h.start);
      if (rule.blockBefore.includes(before)) {
        // "the teams" is a common noun; "the Teams outage", "the Teams app" is the product.
        const next = h.end + (/^[\s-]*/u.exec(lower.slice(h.end))?.[0].length ?? 0);
        const productFollows = [...cues.strong, ...cues.medium, ...findTerms(lower, PRODUCT_NOUNS)].some((c) => c.start === next);
        if (!DETERMINERS.includes(before) || !productFollows) continue;
      }
      if (rule.notCompoundHead && lower.charAt(h.start - 1) === '-' && /\p{L}/u.test(lower.charAt(h.start - 2)) && !hasTerm(before, MICROSOFT_CONTEXT)) continue;
      if (rule.cue && !h.compound && !cueSpans.some((c) => near(h, c)) && !accepted.some((a) => a !== h && near(h, a))) continue;
      accepted.push(h);
    }
  }
  const named = new Set(accepted.map((h) => h.service));
  const msContext = named.size > 0 || hasTerm(lower, MICROSOFT_CONTEXT);
  for (const h of selected) {
    if (h.strength !== 'topic' || !msContext) continue;
    if ((WEAK_TERM_BLOCKERS[h.service] ?? []).some((s) => named.has(s)) || shadowed.has(h.service)) continue;
    accepted.push(h);
  }

  const otherVendor = hasTerm(lower, OTHER_VENDORS);
  let hits = accepted.sort((a, b) => a.start - b.start);
  // "Outlook crashes for Microsoft 365 users": the audience, not a broken service, when another is named.
  const isAudience = (h: Hit): boolean => AUDIENCE_BEFORE.includes(wordBefore(lower, h.start)) && AUDIENCE_AFTER.includes(wordAfter(lower, h.end));
  const audience = hits.filter(isAudience);
  if (audience.length && hits.some((h) => !isAudience(h) && !audience.some((a) => a.service === h.service))) {
    hits = hits.filter((h) => !isAudience(h));
    for (const a of audience) reasons.push(`audience:${a.service}`);
  }
  if (otherVendor) {
    // Someone else's outage that mentions ours: keep a name only in a clause that itself reports trouble.
    hits = hits.filter((h) => {
      const clause = clauseAround(lower, h.start);
      const troubled = troubleSpans(clause).length > 0;
      const keep = troubled && !hasTerm(clause, OTHER_VENDORS) && !hasTerm(clause, BYSTANDER) && !INSTRUMENT_BEFORE.includes(wordBefore(lower, h.start));
      if (!keep) reasons.push(`bystander:${h.service}`);
      return keep;
    });
    // Topic words ("E-Mails") leaned on a named service for context; a bystander name gives none.
    if (!hasTerm(lower, MICROSOFT_CONTEXT) && !hits.some((h) => h.strength !== 'topic')) hits = [];
  }
  return { hits, cues, otherVendor, microsoft: msContext, shadowed: shadowed.size > 0, lower, reasons };
}

function clauseAround(lower: string, pos: number): string {
  const split = new RegExp(CLAUSE_SPLIT.source, 'gu');
  let start = 0;
  let end = lower.length;
  for (const m of lower.matchAll(split)) {
    if (m.index + m[0].length <= pos) start = m.index + m[0].length;
    else if (m.index >= pos) {
      end = m.index;
      break;
    }
  }
  return lower.slice(start, end);
}

const LIST_GLUE = /^[\s,&/]*(?:und|and|sowie|or|oder|plus|as well as)?[\s,&/]*$/u;

/** Two names separated only by list glue (commas, "und", "and", "&"). */
function isListedWith(lower: string, a: Span, b: Span): boolean {
  const between = a.end <= b.start ? lower.slice(a.end, b.start) : lower.slice(b.end, a.start);
  return LIST_GLUE.test(between);
}

/** A trouble word (outage, degradation, resolution) within SUMMARY_WINDOW words in the same sentence. */
function nearTrouble(lower: string, h: Span): boolean {
  const sentence = sentenceAround(lower, h.start);
  const local = { start: h.start - sentence.start, end: h.end - sentence.start };
  const tokens = tokenize(sentence.text);
  const at = tokenIndexAt(tokens, local.start);
  const atEnd = tokenIndexAt(tokens, Math.max(local.start, local.end - 1));
  const trouble = troubleSpans(sentence.text);
  return trouble.some((t) => {
    const ti = tokenIndexAt(tokens, t.start);
    return Math.min(Math.abs(ti - at), Math.abs(ti - atEnd)) <= SUMMARY_WINDOW;
  });
}

function sentenceAround(lower: string, pos: number): { start: number; text: string } {
  const split = new RegExp(SENTENCE_SPLIT.source, 'gu');
  let start = 0;
  let end = lower.length;
  for (const m of lower.matchAll(split)) {
    if (m.index + m[0].length <= pos) start = m.index + m[0].length;
    else if (m.index >= pos) {
      end = m.index;
      break;
    }
  }
  return { start, text: lower.slice(start, end) };
}

function hasOutageWord(cues: Cues, compoundHit: boolean): boolean {
  return compoundHit || cues.strong.length > 0 || cues.medium.length > 0;
}

function describe(kind: string, spans: readonly Span[]): string[] {
  return spans.slice(0, 3).map((s) => `${kind}:${s.term.replace(/^\*|\*$/g, '')}`);
}

/** Spans of `terms`; a pattern's span is named by the words it matched, not by its source. */
function findNamed(lower: string, terms: readonly Term[]): Span[] {
  return findTerms(lower, terms).map((s) => (/[\\()[\]]/.test(s.term) ? { ...s, term: lower.slice(s.start, s.end).trim() } : s));
}

function decideKind(cues: Cues, compoundHit: boolean, reasons: string[]): PressKind | null {
  if (cues.ad.length) return (reasons.push(...describe('exclude:ad', cues.ad)), 'unrelated');
  if (cues.finance.length) return (reasons.push(...describe('exclude:finance', cues.finance)), 'unrelated');
  if (cues.security.length && !cues.strong.length && !compoundHit) return (reasons.push(...describe('exclude:security', cues.security)), 'unrelated');
  if (cues.explainer.length) return (reasons.push(...describe('explainer', cues.explainer)), 'explainer');
  // Contextual words count only where the text names trouble, a resolution or an incident.
  const trouble = compoundHit || cues.strong.length + cues.medium.length + cues.resolution.length + cues.context.length > 0 || cues.aftermath !== null;
  const followup = [...cues.followup, ...(trouble ? cues.followupWeak : [])];
  if (cues.aftermath) {
    // "Nach Outlook-Ausfall: …": what follows the opening decides between new trouble, the end of it, and a look back.
    const after = (spans: readonly Span[]): Span[] => spans.filter((x) => x.start >= (cues.aftermath?.end ?? 0));
    if (!followup.length && after(cues.resolution).length) return (reasons.push('aftermath', ...describe('resolution', after(cues.resolution))), 'resolution');
    if (!followup.length && after(cues.strong).length) return (reasons.push('aftermath', ...describe('outage', after(cues.strong))), 'outage');
    return (reasons.push(`followup:aftermath`, ...describe('followup', followup)), 'followup');
  }
  if (followup.length) return (reasons.push(...describe('followup', followup)), 'followup');
  const resolution = [...cues.resolution, ...(trouble ? cues.resolutionWeak : [])];
  if (resolution.length) return (reasons.push(...describe('resolution', resolution)), 'resolution');
  if (hasOutageWord(cues, compoundHit)) {
    reasons.push(...describe('outage', cues.strong), ...describe('trouble', cues.medium));
    if (compoundHit) reasons.push('outage:compound');
    return 'outage';
  }
  return null;
}

/**
 * Classifies `title` (and an optional teaser `summary`) written in `lang`. Only kind `outage` with at
 * least one service may open an incident; `resolution`, `followup` and `explainer` attach to one.
 */
export function classifyText(title: string, summary: string | null | undefined, lang: Lang, options: ClassifyOptions = {}): Classification {
  const caseSensitive = options.caseSensitive ?? true;
  const t = analyze(title, caseSensitive);
  const s = summary ? analyze(summary, caseSensitive) : null;
  const reasons = [`lang:${lang}`, ...t.reasons];
  const services: ServiceId[] = [];
  let score = 0;
  for (const h of t.hits) {
    if (services.includes(h.service)) continue;
    services.push(h.service);
    reasons.push(`service:${h.service}=${h.term}`);
  }
  if (services.length) score += WEIGHTS.serviceInTitle;
  const tCompound = t.hits.some((h) => h.compound);
  let kind = decideKind(t.cues, tCompound, reasons);

  if (s) {
    const sCompound = s.hits.some((h) => h.compound);
    // Teaser names count where the teaser's own clause reports trouble (never a passing mention).
    const troubled = s.hits.filter((h) => h.compound || nearTrouble(s.lower, h));
    // "Outlook und Teams sind nicht erreichbar": a name listed together with a troubled one is troubled too.
    for (let grew = true; grew; ) {
      grew = false;
      for (const h of s.hits) {
        if (troubled.includes(h)) continue;
        if (troubled.some((t) => isListedWith(s.lower, h, t))) {
          troubled.push(h);
          grew = true;
        }
      }
    }
    troubled.sort((a, b) => a.start - b.start);
    if (kind === null) kind = decideKind(s.cues, sCompound, reasons);
    if (!services.length || kind === 'outage') {
      for (const h of troubled) {
        if (services.includes(h.service)) continue;
        services.push(h.service);
        score += WEIGHTS.serviceInSummary;
        reasons.push(`summary-service:${h.service}=${h.term}`);
      }
    }
  }

  const cues = kind !== null && t.cues.strong.length + t.cues.medium.length === 0 && s ? s.cues : t.cues;
  if (cues.strong.length || tCompound) score += WEIGHTS.strongOutage;
  else if (cues.medium.length) score += WEIGHTS.mediumOutage;
  const refs = findOfficialRefs(`${title} ${summary ?? ''}`);
  if (refs.length) {
    score += WEIGHTS.officialRef;
    reasons.push(`refs:${refs.join(',')}`);
  }
  if (t.cues.ad.length || t.cues.finance.length || (t.cues.security.length && kind === 'unrelated')) score += WEIGHTS.exclusion;

  kind ??= 'unrelated';
  if (!services.length && kind !== 'unrelated') {
    // "Weltweite Microsoft-Störung" is ours but names no service: keep the kind, open nothing.
    // Without Microsoft, or about a namesake (Exchange Server), it is not ours.
    if (!t.microsoft || t.shadowed || t.otherVendor) kind = 'unrelated';
    reasons.push('no-service');
  }
  if (kind === 'outage' && services.length && score < OUTAGE_MIN_SCORE) {
    reasons.push(`below-threshold:${score}`);
    kind = 'unrelated';
  }
  return { services: kind === 'unrelated' ? [] : services, kind, refs, score, reasons };
}
