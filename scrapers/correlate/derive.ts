/**
 * Derives an incident record from the signals assigned to it. Pure: the same draft, config and
 * `now` always give the same record, whatever order the signals came in.
 *
 * When every piece of the stored record's evidence is among the loaded signals, the record is
 * derived from the signals alone (so a rule change reaches it on replay). When some evidence is
 * older than the loaded horizon, the stored record stands for that part ("frozen") and the newer
 * signals fold into it with the same min / max / union rules.
 */
import type { Evidence, Incident, IncidentUpdate, Signal } from '../../src/domain/schemas.ts';
import { SERVICE_IDS, getService, type ServiceId } from '../../src/domain/services.ts';
import {
  INCIDENT_STATUSES,
  maxConfidence,
  maxImpact,
  type Classification,
  type Confidence,
  type Impact,
  type IncidentStatus,
} from '../../src/domain/vocabulary.ts';
import type { CorrelationSettings } from './rules.ts';

/** Source id of the updates correlation writes itself (a suspected incident that expired). */
export const SYNTHETIC_SOURCE_ID = 'outage-radar';

export interface IncidentDraft {
  id: string;
  /** The stored record this draft continues, null for a new incident. */
  base: Incident | null;
  /** Loaded signals assigned to this incident, by id. */
  signals: Map<string, Signal>;
  mergedIds: Set<string>;
  createdAt: string;
}

const MINUTE = 60_000;
const STATUS_RANK = new Map<IncidentStatus, number>(INCIDENT_STATUSES.map((s, i) => [s, i]));
const SERVICE_RANK = new Map<string, number>(SERVICE_IDS.map((s, i) => [s, i]));

export function sortServices(ids: Iterable<ServiceId>): ServiceId[] {
  return [...new Set(ids)].sort((a, b) => SERVICE_RANK.get(a)! - SERVICE_RANK.get(b)!);
}

export function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * MINUTE).toISOString();
}

const minIso = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a <= b ? a : b);
const maxIso = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a >= b ? a : b);

/** Time the problem behind a signal began, as far as that signal tells. */
export function evidenceStart(s: Signal): string {
  if (s.official?.startedAt && s.official.startedAt < s.observedAt) return s.official.startedAt;
  if (s.crowd && s.crowd.bucketStart < s.observedAt) return s.crowd.bucketStart;
  return s.observedAt;
}

export function toEvidence(s: Signal): Evidence {
  return {
    signalId: s.id,
    source: s.source,
    observedAt: s.observedAt,
    title: s.title,
    url: s.press?.canonicalUrl ?? s.url,
    outlet: s.press?.outlet ?? null,
    ref: s.official?.ref ?? s.press?.refs[0] ?? null,
  };
}

function crowdText(s: Signal): string {
  const c = s.crowd!;
  return `${c.count} problem reports in ${c.bucketMinutes} minutes (usual: ${c.baseline.toFixed(1)})`;
}

/** One timeline entry per signal; non-official entries get their status in `restatus`. */
export function toUpdate(s: Signal): IncidentUpdate {
  const text = s.crowd ? crowdText(s) : s.official ? s.text || s.title : s.title;
  return {
    id: s.id,
    at: s.observedAt,
    status: s.official?.status ?? 'suspected',
    text: text.slice(0, 8000),
    source: s.source,
    url: s.press?.canonicalUrl ?? s.url,
  };
}

const isOfficialUpdate = (u: IncidentUpdate) => u.source.kind === 'official' && u.source.id !== SYNTHETIC_SOURCE_ID;

/** Newest first; ties broken by status progress, then id, so the order never depends on input order. */
function compareUpdatesNewestFirst(a: IncidentUpdate, b: IncidentUpdate): number {
  return b.at.localeCompare(a.at) || STATUS_RANK.get(b.status)! - STATUS_RANK.get(a.status)! || b.id.localeCompare(a.id);
}

/** Press and crowd entries carry the official status in force when they appeared (`suspected` before any). */
function restatus(updates: IncidentUpdate[]): IncidentUpdate[] {
  const ascending = [...updates].sort((a, b) => compareUpdatesNewestFirst(b, a));
  let carry: IncidentStatus = 'suspected';
  const out: IncidentUpdate[] = [];
  for (const u of ascending) {
    if (isOfficialUpdate(u)) {
      carry = u.status;
      out.push(u);
    } else {
      out.push({ ...u, status: carry });
    }
  }
  return out.sort(compareUpdatesNewestFirst);
}

function newestOfficialSignal(signals: Signal[]): Signal | null {
  let best: Signal | null = null;
  for (const s of signals) {
    if (!s.official) continue;
    if (
      !best ||
      s.observedAt > best.observedAt ||
      (s.observedAt === best.observedAt &&
        (STATUS_RANK.get(s.official.status)! > STATUS_RANK.get(best.official!.status)! ||
          (s.official.status === best.official!.status && s.id > best.id)))
    ) {
      best = s;
    }
  }
  return best;
}

/**
 * The official update whose status the record takes. One record can hold several of Microsoft's
 * reports of one event (a status.cloud.microsoft post and a Graph issue, an Azure RSS item): the
 * newest word of each report (official key) counts, and the record is resolved only when every
 * report says so — one post going back to "Available" while Graph still says "service degradation"
 * is not the end. Among reports still open, the newest word wins; a report silent for more than
 * `suspectedExpiryMinutes` before the newest word no longer counts. A record partly older than the
 * loaded horizon has no keys for its frozen updates and follows the newest word overall.
 */
function statusUpdate(updates: IncidentUpdate[], draft: IncidentDraft, full: boolean, settings: CorrelationSettings): IncidentUpdate {
  const official = updates.filter(isOfficialUpdate);
  if (!full) return official[0]!;
  const latestPerKey = new Map<string, IncidentUpdate>();
  for (const u of official) {
    const key = draft.signals.get(u.id)?.official?.key ?? u.id;
    if (!latestPerKey.has(key)) latestPerKey.set(key, u);
  }
  const newest = official[0]!;
  // A report silent for longer than a suspected incident may live (its source went blind or dropped
  // it without a word) does not hold the record open against another report's resolution.
  const staleBefore = addMinutes(newest.at, -settings.suspectedExpiryMinutes);
  return [...latestPerKey.values()].find((u) => u.status !== 'resolved' && u.at >= staleBefore) ?? newest;
}

/** Outlet identity for "independent outlets": community feeds together count as one voice. */
export function outletKey(s: Signal, communitySourceIds: ReadonlySet<string>): string {
  if (communitySourceIds.has(s.source.id)) return 'community';
  return (s.press?.outlet || s.source.id).trim().toLowerCase();
}

/** Services a suspected incident stands for: those named by a crowd spike or by enough independent outlets. */
function suspectedServices(signals: Signal[], settings: CorrelationSettings): ServiceId[] {
  const outlets = new Map<ServiceId, Set<string>>();
  const out = new Set<ServiceId>();
  for (const s of signals) {
    for (const svc of s.services) {
      if (s.crowd) out.add(svc);
      if (s.press) {
        const set = outlets.get(svc) ?? new Set<string>();
        set.add(outletKey(s, settings.communitySourceIds));
        outlets.set(svc, set);
      }
    }
  }
  for (const [svc, set] of outlets) if (set.size >= settings.minOutletsForSuspected) out.add(svc);
  return sortServices(out);
}

function suspectedTitle(services: ServiceId[]): string {
  const names = services.map((s) => getService(s).name.en);
  const list = names.length <= 1 ? (names[0] ?? 'Microsoft services') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `Suspected problem with ${list}`;
}

function mergeCrowd(frozen: Incident['crowd'], signals: Signal[]): Incident['crowd'] {
  let summary = frozen ? { ...frozen } : null;
  for (const s of [...signals].sort((a, b) => a.id.localeCompare(b.id))) {
    const c = s.crowd;
    if (!c) continue;
    if (!summary) {
      summary = { spikeStartedAt: c.bucketStart, peakAt: c.bucketStart, peakCount: c.count, baselineAtPeak: c.baseline, total: c.count };
      continue;
    }
    summary.spikeStartedAt = minIso(summary.spikeStartedAt, c.bucketStart)!;
    if (c.count > summary.peakCount || (c.count === summary.peakCount && c.bucketStart < summary.peakAt)) {
      summary.peakAt = c.bucketStart;
      summary.peakCount = c.count;
      summary.baselineAtPeak = c.baseline;
    }
    summary.total += c.count;
  }
  return summary;
}

/** True when the stored record's evidence is fully covered by the draft's loaded signals. */
export function isFullyLoaded(draft: IncidentDraft): boolean {
  return !draft.base || draft.base.evidence.every((e) => draft.signals.has(e.signalId));
}

/**
 * The incident record for a draft at `now`. `updatedAt` is the stored one (the caller stamps
 * `now` when the content changed).
 */
export function deriveIncident(draft: IncidentDraft, settings: CorrelationSettings, now: Date): Incident {
  const full = isFullyLoaded(draft);
  const frozen = full ? null : draft.base;
  const frozenEvidence = new Set(frozen?.evidence.map((e) => e.signalId) ?? []);
  const fresh = [...draft.signals.values()].filter((s) => !frozenEvidence.has(s.id));
  const officials = fresh.filter((s) => s.official);
  const frozenHasOfficial = frozen !== null && frozen.acknowledgedAt !== null;
  const hasOfficial = officials.length > 0 || frozenHasOfficial;

  const evidenceById = new Map<string, Evidence>();
  for (const e of frozen?.evidence ?? []) evidenceById.set(e.signalId, e);
  for (const s of fresh) evidenceById.set(s.id, toEvidence(s));
  const evidence = [...evidenceById.values()].sort((a, b) => a.observedAt.localeCompare(b.observedAt) || a.signalId.localeCompare(b.signalId));

  const updatesById = new Map<string, IncidentUpdate>();
  for (const u of frozen?.updates ?? []) if (u.source.id !== SYNTHETIC_SOURCE_ID) updatesById.set(u.id, u);
  for (const s of fresh) updatesById.set(s.id, toUpdate(s));
  let updates = restatus([...updatesById.values()]);

  let startedAt: string | null = frozen?.startedAt ?? null;
  for (const s of fresh) startedAt = minIso(startedAt, evidenceStart(s));
  let acknowledgedAt: string | null = frozen?.acknowledgedAt ?? null;
  for (const s of officials) acknowledgedAt = minIso(acknowledgedAt, s.observedAt);

  let confidence: Confidence = frozen?.confidence ?? (fresh[0]?.source.kind as Confidence | undefined) ?? 'crowd';
  for (const s of fresh) confidence = maxConfidence(confidence, s.source.kind);

  const refs = new Set(frozen?.officialRefs ?? []);
  for (const s of officials) if (s.official!.ref) refs.add(s.official!.ref);

  // Title, Microsoft's text and classification follow Microsoft's newest word.
  const newest = newestOfficialSignal(officials);
  const frozenNewestOfficial = frozenHasOfficial ? (frozen!.updates.filter(isOfficialUpdate).sort(compareUpdatesNewestFirst)[0] ?? null) : null;
  const useFresh = newest !== null && (!frozenNewestOfficial || newest.observedAt >= frozenNewestOfficial.at);

  let services: ServiceId[];
  let impact: Impact;
  let title: string;
  let officialText: string | null;
  let classification: Classification;
  if (hasOfficial) {
    // Microsoft's services, plus those the crowd reported in this incident: a crowd spike attaches
    // only through a service the record already has, so this adds only what a spike names besides
    // (Outlook and Teams in a sign-in outage Microsoft posted as "Microsoft 365 services").
    services = sortServices([
      ...(frozenHasOfficial ? frozen!.services : []),
      ...officials.flatMap((s) => s.services),
      ...fresh.filter((s) => s.crowd).flatMap((s) => s.services),
    ]);
    impact = frozenHasOfficial ? frozen!.impact : 'none';
    for (const s of officials) impact = maxImpact(impact, s.official!.impact);
    title = useFresh ? newest!.title : frozen!.title;
    officialText = useFresh ? newest!.text || null : frozen!.officialText;
    classification = useFresh ? newest!.official!.classification : frozen!.classification;
    if (services.length === 0) services = sortServices(fresh.flatMap((s) => s.services));
  } else {
    services = sortServices([...(frozen?.services ?? []), ...suspectedServices(fresh, settings)]);
    if (services.length === 0) services = sortServices(fresh.flatMap((s) => s.services));
    impact = 'minor';
    title = suspectedTitle(services);
    officialText = null;
    classification = 'unknown';
  }

  let status: IncidentStatus;
  let resolvedAt: string | null = null;
  if (hasOfficial) {
    const latest = statusUpdate(updates, draft, full, settings);
    status = latest.status;
    if (status === 'resolved') {
      const signal = draft.signals.get(latest.id);
      resolvedAt = signal?.official ? (signal.official.endedAt ?? latest.at) : (frozen?.resolvedAt ?? latest.at);
    }
  } else {
    const lastEvidenceAt = evidence.reduce<string | null>((acc, e) => maxIso(acc, e.observedAt), null)!;
    const expiresAt = addMinutes(lastEvidenceAt, settings.suspectedExpiryMinutes);
    if (expiresAt <= now.toISOString()) {
      status = 'resolved';
      resolvedAt = expiresAt;
      const hours = Math.round((settings.suspectedExpiryMinutes / 60) * 10) / 10;
      const expired: IncidentUpdate = {
        id: `${draft.id}-expired`,
        at: expiresAt,
        status: 'resolved',
        text: `No new evidence for ${hours} hours and no word from Microsoft: closed as resolved.`,
        source: { id: SYNTHETIC_SOURCE_ID, kind: confidence },
        url: null,
      };
      updates = [expired, ...updates].sort(compareUpdatesNewestFirst);
    } else {
      status = 'suspected';
    }
  }

  return {
    id: draft.id,
    title: title.slice(0, 500),
    services,
    impact,
    status,
    confidence,
    classification,
    startedAt: startedAt!,
    acknowledgedAt,
    resolvedAt,
    createdAt: draft.createdAt,
    updatedAt: draft.base?.updatedAt ?? draft.createdAt,
    officialRefs: [...refs].sort(),
    officialText,
    updates,
    evidence,
    crowd: mergeCrowd(frozen?.crowd ?? null, fresh),
    mergedIds: [...draft.mergedIds].sort(),
  };
}
