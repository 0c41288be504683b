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
  /** Sources that are community feeds (Mastodon, Reddit): together they count as one outlet. */
  communitySourceIds: ReadonlySet<string>;
}

/** Adapters whose items are posts by members of the public rather than articles by an outlet. */
export const COMMUNITY_ADAPTERS: ReadonlySet<string> = new Set(['mastodon-tag', 'reddit']);

export function settingsFromConfig(config: Pick<Config, 'correlation' | 'sources'>): CorrelationSettings {
  return {
    ...config.correlation,
    communitySourceIds: new Set(config.sources.filter((s) => COMMUNITY_ADAPTERS.has(s.adapter)).map((s) => s.id)),
  };
}

const MINUTE = 60_000;
const ms = (iso: string) => Date.parse(iso);

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
 *   lags), resolution notes, follow-ups and explainers for the attach window, and crowd spikes
 *   not at all (a spike after "resolved" is news of its own).
 */
export function canAttach(signal: Signal, incident: Incident, settings: CorrelationSettings): boolean {
  if (incident.classification === 'advisory') return false;
  if (!sharesService(signal.services, incident.services)) return false;
  const t = ms(signal.observedAt);
  if (t < ms(incident.startedAt) - settings.attachWindowMinutes * MINUTE) return false;
  if (!hasOfficialWord(incident)) return t <= suspectedUntil(incident, settings);
  if (incident.resolvedAt === null) return true;
  const end = ms(incident.resolvedAt);
  if (signal.crowd) return t <= end;
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
