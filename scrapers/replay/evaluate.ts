/**
 * Judging a replay, pure: expectations against the records at a moment, lineage of incidents
 * across merges, and the per-tape verdicts (lead times, duplicates, false alarms, misses).
 */
import type { Incident, Signal, SourceHealth, StatusSnapshot } from '../../src/domain/schemas.ts';
import type { ServiceId } from '../../src/domain/services.ts';
import type { ExpectEvent } from '../../src/tapes/schema.ts';
import { computeDetectionLeadTime } from '../../src/lib/lead-time.ts';
import type { TapeOfficialIncident } from './player.ts';

const MINUTE = 60_000;

export interface CheckResult {
  ok: boolean;
  reason: string | null;
  /** Incidents that satisfied an `incident` expectation. */
  matchedIds: string[];
}

function describeIncidents(list: readonly Incident[]): string {
  if (list.length === 0) return 'no incidents';
  return list
    .slice(0, 4)
    .map((i) => `${i.id} [${i.services.join(',')}] ${i.status}/${i.confidence}${i.officialRefs.length ? ` ${i.officialRefs.join(',')}` : ''}`)
    .join('; ');
}

/** Checks one expectation against the records and the status snapshot of one moment. */
export function checkExpectation(exp: ExpectEvent, incidents: readonly Incident[], status: StatusSnapshot | null): CheckResult {
  const reasons: string[] = [];
  let matchedIds: string[] = [];
  if (exp.incident) {
    const want = exp.incident;
    const matches = incidents.filter(
      (i) =>
        want.services.every((s) => i.services.includes(s)) &&
        (!want.status || want.status.includes(i.status)) &&
        (!want.confidence || want.confidence.includes(i.confidence)) &&
        (!want.classification || want.classification.includes(i.classification)) &&
        (!want.officialRef || i.officialRefs.includes(want.officialRef)),
    );
    matchedIds = matches.map((i) => i.id);
    if (matches.length === 0) reasons.push(`no incident covers [${want.services.join(',')}]${want.status ? ` with status ${want.status.join('|')}` : ''}${want.confidence ? ` confidence ${want.confidence.join('|')}` : ''}${want.officialRef ? ` ref ${want.officialRef}` : ''} (have: ${describeIncidents(incidents)})`);
  }
  if (exp.noOutage) {
    const scope = new Set<ServiceId>(exp.noOutage.services);
    const offending = incidents.filter((i) => i.status !== 'resolved' && i.classification !== 'advisory' && (scope.size === 0 || i.services.some((s) => scope.has(s))));
    if (offending.length) reasons.push(`outage shown: ${describeIncidents(offending)}`);
  }
  if (exp.services) {
    for (const [service, rule] of Object.entries(exp.services)) {
      const actual = status?.services.find((s) => s.id === service)?.status ?? null;
      if (actual === null) {
        reasons.push(`${service}: no status yet`);
        continue;
      }
      if (rule!.is && !rule!.is.includes(actual)) reasons.push(`${service} is ${actual}, expected ${rule!.is.join('|')}`);
      if (rule!.not && rule!.not.includes(actual)) reasons.push(`${service} is ${actual}, must not be ${rule!.not.join('|')}`);
    }
  }
  return { ok: reasons.length === 0, reason: reasons.length ? reasons.join('; ') : null, matchedIds };
}

/** Services shown `operational` although every official source that covers them has been failing for `blindAfterMinutes`. */
export function findGreenWhileBlind(status: StatusSnapshot, health: ReadonlyMap<string, SourceHealth>, now: number, blindAfterMinutes: number): { service: ServiceId; sources: string[] }[] {
  const out: { service: ServiceId; sources: string[] }[] = [];
  for (const s of status.services) {
    if (s.status !== 'operational') continue;
    const covering = [...health.values()].filter((h) => h.kind === 'official' && h.state !== 'disabled' && h.state !== 'never_run' && h.services.includes(s.id));
    if (covering.length === 0) continue;
    const blind = covering.every((h) => {
      if (h.state !== 'failed' && h.state !== 'skipped') return false;
      const since = h.lastSuccessAt ? Date.parse(h.lastSuccessAt) : -Infinity;
      return now - since >= blindAfterMinutes * MINUTE;
    });
    if (blind) out.push({ service: s.id, sources: covering.map((h) => h.id) });
  }
  return out;
}

/** What the replay saw of one record over time (by id; merged ids keep their own entries). */
export interface IncidentSighting {
  firstSeenAt: number;
  firstStatus: Incident['status'];
  firstConfidence: Incident['confidence'];
  /** First cycle at which the record was confirmed (official confidence or an official ref). */
  officialAt: number | null;
}

/** Records what each record looks like at cycle time `at`. */
export function recordSightings(sightings: Map<string, IncidentSighting>, incidents: readonly Incident[], at: number): void {
  for (const i of incidents) {
    let s = sightings.get(i.id);
    if (!s) {
      s = { firstSeenAt: at, firstStatus: i.status, firstConfidence: i.confidence, officialAt: null };
      sightings.set(i.id, s);
    }
    if (s.officialAt === null && (i.confidence === 'official' || i.officialRefs.length > 0)) s.officialAt = at;
  }
}

export interface DuplicatePair {
  a: string;
  b: string;
  reason: string;
  /** First cycle both were shown together (null when found only in the final records). */
  seenAt: number | null;
}

function intervalOf(i: Incident, sightings: ReadonlyMap<string, IncidentSighting>, end: number): [number, number] {
  const lineage = [i.id, ...i.mergedIds];
  const starts = lineage.map((id) => sightings.get(id)?.firstSeenAt).filter((v): v is number => v !== undefined);
  return [starts.length ? Math.min(...starts) : Date.parse(i.createdAt), i.resolvedAt ? Date.parse(i.resolvedAt) : end];
}

/**
 * Pairs of records that should have been one: the same Microsoft ref, or open at the same time on
 * a shared service while at least one of them is unconfirmed (advisories aside).
 */
export function findDuplicatePairs(incidents: readonly Incident[], sightings: ReadonlyMap<string, IncidentSighting>, end: number): DuplicatePair[] {
  const out: DuplicatePair[] = [];
  const list = incidents.filter((i) => i.classification !== 'advisory');
  for (let x = 0; x < list.length; x++) {
    for (let y = x + 1; y < list.length; y++) {
      const a = list[x]!;
      const b = list[y]!;
      const sharedRef = a.officialRefs.find((r) => b.officialRefs.includes(r));
      if (sharedRef) {
        out.push({ a: a.id, b: b.id, reason: `same Microsoft ref ${sharedRef}`, seenAt: null });
        continue;
      }
      const shared = a.services.filter((s) => b.services.includes(s));
      if (shared.length === 0) continue;
      if (a.officialRefs.length > 0 && b.officialRefs.length > 0) continue;
      const [a0, a1] = intervalOf(a, sightings, end);
      const [b0, b1] = intervalOf(b, sightings, end);
      if (a0 < b1 && b0 < a1) out.push({ a: a.id, b: b.id, reason: `both shown for ${shared.join(',')} at the same time`, seenAt: null });
    }
  }
  return out;
}

/** Groups the tape's official incidents that overlap in time into real-world incidents. */
export function clusterOfficialIncidents(list: readonly TapeOfficialIncident[]): TapeOfficialIncident[][] {
  const incidents = list.filter((o) => o.classification === 'incident').sort((a, b) => a.firstAt - b.firstAt);
  const clusters: TapeOfficialIncident[][] = [];
  let current: TapeOfficialIncident[] = [];
  let currentEnd = -Infinity;
  for (const o of incidents) {
    if (current.length && o.firstAt > currentEnd) {
      clusters.push(current);
      current = [];
      currentEnd = -Infinity;
    }
    current.push(o);
    currentEnd = Math.max(currentEnd, o.lastAt);
  }
  if (current.length) clusters.push(current);
  return clusters;
}

export interface IncidentReport {
  id: string;
  title: string;
  services: ServiceId[];
  classification: Incident['classification'];
  finalStatus: Incident['status'];
  resolvedAt: string | null;
  confidence: Incident['confidence'];
  officialRefs: string[];
  mergedIds: string[];
  /** First cycle that showed this record or any record merged into it. */
  firstShownAt: string | null;
  /** Same, when it was first shown unconfirmed (`suspected`); null when it appeared already official. */
  firstSuspectedAt: string | null;
  /** Microsoft's first word about it in the tape (earliest official event of the matched incident). */
  microsoftFirstAt: string | null;
  /** The record's own `acknowledgedAt`. */
  acknowledgedAt: string | null;
  /** microsoftFirstAt − firstShownAt in minutes; positive = our page was earlier. */
  leadMinutes: number | null;
  /** The shared `computeDetectionLeadTime` (what the incident page says): first official − first unofficial evidence. */
  evidenceLeadMinutes: number | null;
  /**
   * The shared `computeDetectionLeadTime().shownLeadMinutes` (the incident page's "shown here N
   * minutes before Microsoft's first word"): acknowledgedAt − createdAt; null when not shown first.
   */
  pageLeadMinutes: number | null;
  /** First cycle at which the lineage was confirmed (merged with the official incident). */
  mergedAt: string | null;
  firstUnofficial: { kind: string; at: string; title: string } | null;
  /** Unofficial evidence (press, crowd, community) came before Microsoft's first word. */
  earlyEvidence: boolean;
  evidence: { official: number; press: number; crowd: number };
  expectations: string[];
  verdict: 'confirmed' | 'expected' | 'false-alarm' | 'advisory';
}

export interface MissReport {
  channel: string;
  key: string;
  title: string;
  firstAt: string;
  reason: string;
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export interface EvaluateInput {
  incidents: readonly Incident[];
  signals: readonly Signal[];
  sightings: ReadonlyMap<string, IncidentSighting>;
  officials: readonly TapeOfficialIncident[];
  /** Config source ids per official channel. */
  channelSources: ReadonlyMap<string, readonly string[]>;
  /** Expectation label → record ids that satisfied it at some check. */
  expectationMatches: ReadonlyMap<string, ReadonlySet<string>>;
  end: number;
  /** Longest source interval + a cycle: how long after a change an official signal may appear. */
  lagMinutes: number;
}

export interface Evaluation {
  incidents: IncidentReport[];
  duplicates: DuplicatePair[];
  falseAlarms: string[];
  misses: MissReport[];
  /** Official incidents (per channel) that reached the page through another channel only. */
  unshownChannels: MissReport[];
}

/** Builds the per-tape verdicts from the final records and what the replay saw. */
export function evaluateReplay(input: EvaluateInput): Evaluation {
  const { incidents, signals, sightings, officials, end } = input;
  const evidenceOwner = new Map<string, string>();
  for (const i of incidents) for (const e of i.evidence) evidenceOwner.set(e.signalId, i.id);

  // Which records carry evidence of each official incident the tape states.
  const shownBy = new Map<TapeOfficialIncident, Set<string>>();
  const ingested = new Map<TapeOfficialIncident, number>();
  for (const o of officials) {
    const sourceIds = new Set(input.channelSources.get(o.channel) ?? []);
    const to = o.lastAt + input.lagMinutes * MINUTE;
    const owners = new Set<string>();
    let n = 0;
    for (const s of signals) {
      if (!s.official || !sourceIds.has(s.source.id)) continue;
      const fetched = Date.parse(s.fetchedAt);
      if (fetched < o.firstAt || fetched > to) continue;
      if (o.ref && s.official.ref !== o.ref) continue;
      n++;
      const owner = evidenceOwner.get(s.id);
      if (owner) owners.add(owner);
    }
    shownBy.set(o, owners);
    ingested.set(o, n);
  }
  const clusters = clusterOfficialIncidents(officials);

  const reports: IncidentReport[] = incidents.map((i) => {
    const lineage = [i.id, ...i.mergedIds];
    const seen = lineage.map((id) => sightings.get(id)).filter((s): s is IncidentSighting => s !== undefined);
    const firstShown = seen.length ? Math.min(...seen.map((s) => s.firstSeenAt)) : null;
    const firstSight = seen.find((s) => s.firstSeenAt === firstShown);
    const officialTimes = seen.map((s) => s.officialAt).filter((v): v is number => v !== null);
    const matched = officials.filter((o) => shownBy.get(o)!.has(i.id));
    const cluster = clusters.find((c) => c.some((o) => matched.includes(o)));
    const msFirst = cluster ? Math.min(...cluster.map((o) => o.firstAt)) : null;
    const unofficial = i.evidence.filter((e) => e.source.kind !== 'official').sort((a, b) => a.observedAt.localeCompare(b.observedAt));
    const firstUnofficial = unofficial[0] ?? null;
    const expectations = [...input.expectationMatches].filter(([, ids]) => lineage.some((id) => ids.has(id))).map(([label]) => label);
    const confirmed = i.confidence === 'official' || i.officialRefs.length > 0;
    const verdict: IncidentReport['verdict'] = i.classification === 'advisory' ? 'advisory' : confirmed ? 'confirmed' : expectations.length ? 'expected' : 'false-alarm';
    return {
      id: i.id,
      title: i.title,
      services: i.services,
      classification: i.classification,
      finalStatus: i.status,
      resolvedAt: i.resolvedAt,
      confidence: i.confidence,
      officialRefs: i.officialRefs,
      mergedIds: i.mergedIds,
      firstShownAt: iso(firstShown),
      firstSuspectedAt: firstSight && firstSight.firstConfidence !== 'official' && firstSight.officialAt !== firstSight.firstSeenAt ? iso(firstShown) : null,
      microsoftFirstAt: iso(msFirst),
      acknowledgedAt: i.acknowledgedAt,
      leadMinutes: msFirst !== null && firstShown !== null ? Math.round((msFirst - firstShown) / MINUTE) : null,
      evidenceLeadMinutes: computeDetectionLeadTime(i).leadMinutes,
      pageLeadMinutes: computeDetectionLeadTime(i).shownLeadMinutes,
      mergedAt: iso(officialTimes.length ? Math.min(...officialTimes) : null),
      firstUnofficial: firstUnofficial ? { kind: firstUnofficial.source.kind, at: firstUnofficial.observedAt, title: firstUnofficial.title } : null,
      earlyEvidence: msFirst !== null && firstUnofficial !== null && Date.parse(firstUnofficial.observedAt) < msFirst,
      evidence: {
        official: i.evidence.filter((e) => e.source.kind === 'official').length,
        press: i.evidence.filter((e) => e.source.kind === 'press').length,
        crowd: i.evidence.filter((e) => e.source.kind === 'crowd').length,
      },
      expectations,
      verdict,
    };
  });

  const duplicates = findDuplicatePairs(incidents, sightings, end);
  // Two records carrying evidence of one official incident (one channel, one key) are one
  // incident shown twice.
  for (const o of officials) {
    if (o.classification !== 'incident') continue;
    const owners = [...shownBy.get(o)!].filter((id) => incidents.find((i) => i.id === id)?.classification !== 'advisory');
    for (let x = 0; x < owners.length; x++) {
      for (let y = x + 1; y < owners.length; y++) {
        const [a, b] = [owners[x]!, owners[y]!];
        if (!duplicates.some((d) => (d.a === a && d.b === b) || (d.a === b && d.b === a))) {
          duplicates.push({ a, b, reason: `both carry evidence of Microsoft's "${o.title}" (${o.channel})`, seenAt: null });
        }
      }
    }
  }

  const misses: MissReport[] = [];
  const unshownChannels: MissReport[] = [];
  const why = (o: TapeOfficialIncident) =>
    ingested.get(o)! === 0 ? `no official signal from ${o.channel} (adapter missing, disabled or unable to parse)` : `${ingested.get(o)} official signals from ${o.channel}, none in any incident`;
  for (const c of clusters) {
    const unshown = c.filter((o) => shownBy.get(o)!.size === 0);
    const entry = (o: TapeOfficialIncident, reason: string): MissReport => ({ channel: o.channel, key: o.key, title: o.title, firstAt: new Date(o.firstAt).toISOString(), reason });
    // A real-world incident is missed only when none of Microsoft's channels reached the page.
    if (unshown.length === c.length) misses.push(entry(c[0]!, c.map(why).join('; ')));
    else for (const o of unshown) unshownChannels.push(entry(o, why(o)));
  }
  return {
    incidents: reports,
    duplicates,
    falseAlarms: reports.filter((r) => r.verdict === 'false-alarm').map((r) => r.id),
    misses,
    unshownChannels,
  };
}
