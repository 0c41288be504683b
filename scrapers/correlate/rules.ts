/**
 * The correlation rules, each a small pure predicate over a signal and an incident as derived so
 * far. Windows and thresholds come from `config.correlation` (see README § How incidents are formed).
 */
import type { Config } from '../../src/config/schema.ts';
import type { Incident, Signal } from '../../src/domain/schemas.ts';
import type { ServiceId } from '../../src/domain/services.ts';

export interface CorrelationSettings {
  attachWindowMinutes: number;
  minOutletsForSuspected: number;
  pressWindowMinutes: number;
  suspectedExpiryMinutes: number;
  officialVanishGraceMinutes: number;
  officialTwinWindowMinutes: number;
  /** Sources that are community feeds (Mastodon, Reddit): together they count as one outlet. */
  communitySourceIds: ReadonlySet<string>;
}

/** Adapters whose items are posts by members of the public rather than articles by an outlet. */
export const COMMUNITY_ADAPTERS: ReadonlySet<string> = new Set(['mastodon-tag', 'reddit']);

export function settingsFromConfig(config: Pick<Config, 'correlation' | 'sources'>): CorrelationSettings {
  return {
    ...config.correlation,
    officialTwinWindowMinutes: config.correlation.officialTwinWindowMinutes ?? 120,
    communitySourceIds: new Set(config.sources.filter((s) => COMMUNITY_ADAPTERS.has(s.adapter)).map((s) => s.id)),
  };
}

const MINUTE = 60_000;
// Correlation compares the same few thousand timestamps millions of times: parse each once.
const parsed = new Map<string, number>();
function ms(iso: string): number {
  let t = parsed.get(iso);
  if (t === undefined) {
    if (parsed.size > 100_000) parsed.clear();
    t = Date.parse(iso);
    parsed.set(iso, t);
  }
  return t;
}

export function sharesService(a: readonly ServiceId[], b: readonly ServiceId[]): boolean {
  return a.some((s) => b.includes(s));
}

/** Microsoft has said something about it (the record is no longer only suspected). */
export const hasOfficialWord = (incident: Incident): boolean => incident.acknowledgedAt !== null;

export function lastEvidenceAt(incident: Incident): string {
  let last = incident.startedAt;
  for (const e of incident.evidence) if (e.observedAt > last) last = e.observedAt;
  return last;
}

/** End of a suspected incident's life: its last evidence plus the expiry. */
export function suspectedUntil(incident: Incident, settings: CorrelationSettings): number {
  return ms(lastEvidenceAt(incident)) + settings.suspectedExpiryMinutes * MINUTE;
}

/** Press that may open a suspected incident: only reports of an outage, never explainers or follow-ups. */
export function canOpenFromPress(signal: Signal): boolean {
  return signal.press?.kind === 'outage' && signal.services.length > 0;
}

/**
 * May this press or crowd signal attach to `incident` by service and time?
 * - same service, and never to an advisory (advisories are not outages);
 * - no earlier than the attach window before the incident started;
 * - a suspected incident takes evidence while it lives (last evidence + expiry);
 * - a resolved official incident takes outage reports for the press window after its end (press
 *   lags), resolution notes, follow-ups and explainers for the attach window, and crowd buckets
 *   only of a spike that began before the resolution (a spike after "resolved" is news of its own).
 */
export function canAttach(signal: Signal, incident: Incident, settings: CorrelationSettings): boolean {
  if (incident.classification === 'advisory') return false;
  if (!sharesService(signal.services, incident.services)) return false;
  const t = ms(signal.observedAt);
  if (t < ms(incident.startedAt) - settings.attachWindowMinutes * MINUTE) return false;
  if (!hasOfficialWord(incident)) return t <= suspectedUntil(incident, settings);
  if (incident.resolvedAt === null) return true;
  const end = ms(incident.resolvedAt);
  // The tail of a spike that began before Microsoft's resolution is the same spike; a spike that
  // began after it is news of its own.
  if (signal.crowd) return t <= end || (signal.crowd.spikeStartedAt !== undefined && ms(signal.crowd.spikeStartedAt) < end);
  const grace = signal.press?.kind === 'outage' ? settings.pressWindowMinutes : settings.attachWindowMinutes;
  return t <= end + grace * MINUTE;
}

/** Does a new official incident confirm this suspected one (same service, its start inside the suspected's life)? */
export function canConfirm(official: Signal, incident: Incident, settings: CorrelationSettings): boolean {
  if (!official.official || official.official.classification === 'advisory') return false;
  if (hasOfficialWord(incident)) return false;
  if (!sharesService(official.services, incident.services)) return false;
  const start = Math.min(ms(official.official.startedAt ?? official.observedAt), ms(official.observedAt));
  return start >= ms(incident.startedAt) - settings.attachWindowMinutes * MINUTE && start <= suspectedUntil(incident, settings);
}

/** Should a suspected incident fold into an official one that covers the same service at the same time? */
export function shouldMerge(official: Incident, suspected: Incident, settings: CorrelationSettings): boolean {
  if (!hasOfficialWord(official) || hasOfficialWord(suspected)) return false;
  if (official.classification === 'advisory') return false;
  if (!sharesService(official.services, suspected.services)) return false;
  const officialFrom = ms(official.startedAt) - settings.attachWindowMinutes * MINUTE;
  const officialTo = official.resolvedAt === null ? Number.POSITIVE_INFINITY : ms(official.resolvedAt);
  return ms(suspected.startedAt) <= officialTo && suspectedUntil(suspected, settings) >= officialFrom;
}

/**
 * Order of preference among incidents a press or crowd signal may attach to: Microsoft-confirmed
 * before suspected, then the one that started closest to the signal, then by id.
 */
export function compareCandidates(signal: Signal, a: Incident, b: Incident): number {
  const official = Number(hasOfficialWord(b)) - Number(hasOfficialWord(a));
  if (official !== 0) return official;
  const t = ms(signal.observedAt);
  const distance = Math.abs(ms(a.startedAt) - t) - Math.abs(ms(b.startedAt) - t);
  return distance || a.id.localeCompare(b.id);
}

// Words that say nothing about which problem a title describes.
const TITLE_STOPWORDS = new Set(
  'a an and are be can cannot can\'t could for from has have in is it may might not of on or some the their them this to unable users user using via when while who will with microsoft 365 office service services issue issues problem problems'.split(' '),
);

function titleTokens(title: string): Set<string> {
  const out = new Set<string>();
  for (const raw of title.toLowerCase().split(/[^\p{L}\p{N}']+/u)) {
    const word = raw.replace(/'s$/, '').replace(/^'+|'+$/g, '');
    if (word.length < 2 || TITLE_STOPWORDS.has(word)) continue;
    out.add(word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word);
  }
  return out;
}

/** Share of the shorter title's significant words found in the other (0…1). */
export function titleSimilarity(a: string, b: string): number {
  const ta = titleTokens(a);
  const tb = titleTokens(b);
  const smaller = Math.min(ta.size, tb.size);
  if (smaller === 0) return 0;
  let shared = 0;
  for (const w of ta) if (tb.has(w)) shared++;
  return shared / smaller;
}

/** Titles this similar describe the same problem. */
export const TWIN_TITLE_SIMILARITY = 0.5;

function officialSources(incident: Incident): Set<string> {
  return new Set(incident.evidence.filter((e) => e.source.kind === 'official').map((e) => e.source.id));
}

interface OfficialSide {
  sources: ReadonlySet<string>;
  refs: readonly string[];
  classification: Incident['classification'];
  services: readonly ServiceId[];
  firstWord: number;
  /** When Microsoft's word for it began; null when it never ended. */
  end: number | null;
  titles: readonly string[];
  /** Start times Microsoft gave ("Start time:", Azure's "Starting at …"), in ms. */
  starts: readonly number[];
}

/** Two official reports giving the same start time (within this many minutes) describe one event. */
export const TWIN_START_TOLERANCE_MINUTES = 10;

/** Everything the twin test asks apart from what the reports say: sources, ids, services and time. */
function mayBeTwins(a: OfficialSide, b: OfficialSide, settings: CorrelationSettings): boolean {
  // Different Microsoft ids are different incidents; the same source keys its own incidents.
  if (a.refs.length > 0 && b.refs.length > 0) return false;
  for (const s of a.sources) if (b.sources.has(s)) return false;
  if (a.classification !== b.classification) return false;
  if (!sharesService(a.services, b.services)) return false;
  if (Math.abs(a.firstWord - b.firstWord) > settings.officialTwinWindowMinutes * MINUTE) return false;
  // One resolved before the other began: two events.
  if ((a.end !== null && a.end < b.firstWord) || (b.end !== null && b.end < a.firstWord)) return false;
  return true;
}

function twins(a: OfficialSide, b: OfficialSide, settings: CorrelationSettings, sole: () => boolean = () => false): boolean {
  if (!mayBeTwins(a, b, settings)) return false;
  if (a.titles.some((x) => b.titles.some((y) => titleSimilarity(x, y) >= TWIN_TITLE_SIMILARITY))) return true;
  // Titles from different worlds (Azure's "Issues connecting to resources in West US" and the
  // admin center's "North America: access to multiple Microsoft 365 services") still agree when
  // Microsoft gives both the same start time.
  if (a.starts.some((x) => b.starts.some((y) => Math.abs(x - y) <= TWIN_START_TOLERANCE_MINUTES * MINUTE))) return true;
  // Two reports from sources without ids (the Azure status feed, the admin-center post) that are
  // each other's only possible counterpart at that time are one event.
  return a.refs.length === 0 && b.refs.length === 0 && sole();
}

/**
 * Could these two official records be one event as far as sources, ids, services and time go?
 * Correlation uses it to find records that are each other's only counterpart (see `twins`).
 */
export function mayBeOfficialTwins(a: Incident, b: Incident, settings: CorrelationSettings): boolean {
  if (!hasOfficialWord(a) || !hasOfficialWord(b)) return false;
  if (a.officialRefs.length > 0 || b.officialRefs.length > 0) return false;
  return mayBeTwins(sideOf(a, []), sideOf(b, []), settings);
}

function sideOf(incident: Incident, starts: readonly number[]): OfficialSide {
  const official = incident.evidence.filter((e) => e.source.kind === 'official');
  return {
    sources: officialSources(incident),
    refs: incident.officialRefs,
    classification: incident.classification,
    services: incident.services,
    firstWord: ms(incident.acknowledgedAt!),
    end: incident.resolvedAt === null ? null : ms(incident.resolvedAt),
    titles: [...new Set([incident.title, ...official.map((e) => e.title)])],
    starts,
  };
}

/** Start times Microsoft stated in these official signals, in ms. */
export function officialStarts(signals: Iterable<Signal>): number[] {
  const out: number[] = [];
  for (const s of signals) if (s.official?.startedAt) out.push(ms(s.official.startedAt));
  return out;
}

/**
 * Is this official signal, from a source that has not reported the incident yet, the same event
 * as an official incident? Microsoft reports one outage on the status site (no id) and in Graph
 * (with an id): the same service, first words within `officialTwinWindowMinutes`, and titles
 * that agree or the same stated start time. Two different Microsoft ids never join. (Records that
 * are each other's only counterpart join in correlation's merge pass, see `areOfficialTwins`.)
 */
export function isOfficialTwin(signal: Signal, incident: Incident, settings: CorrelationSettings, incidentStarts: readonly number[] = []): boolean {
  if (!signal.official || !hasOfficialWord(incident)) return false;
  const t = ms(signal.observedAt);
  // Cheap rejections first: this runs against every open incident for every new official signal.
  if (Math.abs(t - ms(incident.acknowledgedAt!)) > settings.officialTwinWindowMinutes * MINUTE) return false;
  if (!sharesService(signal.services, incident.services)) return false;
  return twins(
    {
      sources: new Set([signal.source.id]),
      refs: signal.official.ref ? [signal.official.ref] : [],
      classification: signal.official.classification,
      services: signal.services,
      firstWord: t,
      end: null,
      titles: [signal.title],
      starts: officialStarts([signal]),
    },
    sideOf(incident, incidentStarts),
    settings,
  );
}

/** Are two official incidents (each from other sources) reports of one event? */
export function areOfficialTwins(
  a: Incident,
  b: Incident,
  settings: CorrelationSettings,
  aStarts: readonly number[] = [],
  bStarts: readonly number[] = [],
  /** Asked last, only when nothing else joined them: are the two each other's only counterpart? */
  sole: () => boolean = () => false,
): boolean {
  if (!hasOfficialWord(a) || !hasOfficialWord(b)) return false;
  return twins(sideOf(a, aStarts), sideOf(b, bStarts), settings, sole);
}
