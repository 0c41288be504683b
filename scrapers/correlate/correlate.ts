/**
 * Correlation: stored incidents + loaded signals → incidents. Pure and deterministic: the same
 * input (in any order) gives the same output, and feeding the output back with the same signals
 * changes nothing. A signal already in an incident's evidence stays there; new signals are routed
 * in time order (observedAt, id) until no further signal finds a place. No stored incident is ever
 * dropped: an incident folded into another keeps resolving through the survivor's `mergedIds`.
 */
import { IncidentSchema, type Incident, type Signal } from '../../src/domain/schemas.ts';
import { findOfficialRefs, type ServiceId } from '../../src/domain/services.ts';
import { deriveIncident, evidenceStart, isFullyLoaded, outletKey, sortServices, type IncidentDraft } from './derive.ts';
import { makeIncidentId } from './ids.ts';
import {
  areOfficialTwins,
  canAttach,
  canConfirm,
  canOpenFromPress,
  compareCandidates,
  isOfficialTwin,
  mayBeOfficialTwins,
  officialStarts,
  lastEvidenceAt,
  shouldMerge,
  type CorrelationSettings,
} from './rules.ts';

export interface CorrelateInput {
  /** Every stored incident (none is ever dropped). */
  incidents: readonly Incident[];
  /** Signals to correlate: the stored ones within the horizon plus this cycle's new ones. */
  signals: readonly Signal[];
  settings: CorrelationSettings;
  now: Date;
}

export interface MergeRecord {
  into: string;
  from: string;
}

export interface CorrelateResult {
  /** All incidents, sorted by id. Unchanged ones are the stored objects themselves. */
  incidents: Incident[];
  /** New incidents and incidents whose content changed (`updatedAt` = now). */
  changed: Incident[];
  /** Ids of incidents opened in this run. */
  opened: string[];
  /** Incidents folded into another; `from` no longer has a file of its own. */
  merged: MergeRecord[];
  /** Loaded signals that belong to no incident (single-outlet reports, unrelated articles…). */
  unassigned: number;
}

// Keys join across sources too: the posts JSON and the RSS feed of status.cloud.microsoft describe
// the same post with the same key, and a Graph key is the Microsoft ref itself.
const keyOf = (s: Signal) => s.official!.key;

/** Microsoft ids a signal cites without being their source: press refs, or ids named in an id-less official post. */
function citedRefs(s: Signal): string[] {
  if (s.press) return s.press.refs;
  if (s.official && s.official.ref === null) return findOfficialRefs(`${s.title}\n${s.text}`);
  return [];
}

/** Deep equality of two records on their serialized, schema-ordered form, `updatedAt` aside. */
function sameContent(a: Incident, b: Incident): boolean {
  return JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
}

export function correlateSignals(input: CorrelateInput): CorrelateResult {
  const { settings, now } = input;
  const nowIso = now.toISOString();
  const signals = [...new Map(input.signals.map((s) => [s.id, s])).values()].sort(
    (a, b) => a.observedAt.localeCompare(b.observedAt) || a.id.localeCompare(b.id),
  );
  const signalById = new Map(signals.map((s) => [s.id, s]));

  const drafts = new Map<string, IncidentDraft>();
  const assigned = new Map<string, string>();
  const storedIds = new Set<string>();
  const existing = [...input.incidents].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  for (const incident of existing) {
    storedIds.add(incident.id);
    for (const m of incident.mergedIds) storedIds.add(m);
    const draft: IncidentDraft = {
      id: incident.id,
      base: incident,
      signals: new Map(),
      mergedIds: new Set(incident.mergedIds),
      createdAt: incident.createdAt,
    };
    for (const e of incident.evidence) {
      if (assigned.has(e.signalId)) continue;
      assigned.set(e.signalId, incident.id);
      const s = signalById.get(e.signalId);
      if (s) draft.signals.set(s.id, s);
    }
    drafts.set(incident.id, draft);
  }

  // Derived records, recomputed lazily after a draft changes.
  const views = new Map<string, Incident>();
  // A resolved record none of whose signals is loaded (older than the horizon) stands as stored.
  const isDormant = (draft: IncidentDraft) =>
    draft.base !== null && draft.signals.size === 0 && draft.base.status === 'resolved' && draft.mergedIds.size === draft.base.mergedIds.length;
  const view = (id: string): Incident => {
    let v = views.get(id);
    if (!v) {
      const draft = drafts.get(id)!;
      v = isDormant(draft) ? draft.base! : deriveIncident(draft, settings, now);
      views.set(id, v);
    }
    return v;
  };

  // Start times Microsoft stated in each record's official signals (for the official-twin rule).
  const starts = new Map<string, number[]>();
  const startsOf = (id: string): number[] => {
    let v = starts.get(id);
    if (!v) {
      v = officialStarts(drafts.get(id)!.signals.values());
      starts.set(id, v);
    }
    return v;
  };

  // Indexes for the id joins: Microsoft refs, official keys, refs cited in text (press, or an
  // official post without an id of its own that names one).
  const refIndex = new Map<string, string>();
  const keyIndex = new Map<string, string>();
  const citedIndex = new Map<string, string>();
  const index = (s: Signal, draftId: string) => {
    if (s.official) {
      if (s.official.ref && !refIndex.has(s.official.ref)) refIndex.set(s.official.ref, draftId);
      // The newest record of a key wins: an id-less key (a post title) can return as a new incident.
      keyIndex.set(keyOf(s), draftId);
    }
    for (const ref of citedRefs(s)) if (!citedIndex.has(ref)) citedIndex.set(ref, draftId);
  };
  for (const draft of drafts.values()) {
    for (const ref of draft.base?.officialRefs ?? []) if (!refIndex.has(ref)) refIndex.set(ref, draft.id);
  }
  for (const s of signals) {
    const draftId = assigned.get(s.id);
    if (draftId) index(s, draftId);
  }

  // Routing a press or crowd signal depends only on the incidents of its services (and, for press,
  // on the other pending reports of those services). A per-service clock lets a signal that found
  // no place skip the next round unless something changed for one of its services.
  let clock = 0;
  const serviceClock = new Map<ServiceId, number>();
  const lastTried = new Map<string, number>();
  const touch = (services: readonly ServiceId[]) => {
    clock++;
    for (const svc of services) serviceClock.set(svc, clock);
  };
  const attach = (s: Signal, draftId: string) => {
    const draft = drafts.get(draftId)!;
    touch([...s.services, ...(views.get(draftId)?.services ?? draft.base?.services ?? [])]);
    draft.signals.set(s.id, s);
    assigned.set(s.id, draftId);
    views.delete(draftId);
    starts.delete(draftId);
    index(s, draftId);
    touch(view(draftId).services);
  };
  const unchangedSince = (s: Signal): boolean => {
    if (s.official || (s.press && s.press.refs.length > 0)) return false;
    const tried = lastTried.get(s.id);
    return tried !== undefined && s.services.every((svc) => (serviceClock.get(svc) ?? 0) < tried);
  };

  const opened: string[] = [];
  const open = (seed: string, group: Signal[], services: ServiceId[]) => {
    const startedAt = group.map(evidenceStart).sort()[0]!;
    const taken = new Set([...drafts.keys(), ...storedIds]);
    const id = makeIncidentId(startedAt, sortServices(services)[0]!, seed, taken);
    drafts.set(id, { id, base: null, signals: new Map(), mergedIds: new Set(), createdAt: nowIso });
    liveIds = null;
    opened.push(id);
    for (const s of group) attach(s, id);
  };

  // Dormant records (resolved, older than the horizon) take new signals only by id, never by time.
  let liveIds: string[] | null = null;
  const openDraftIds = () => (liveIds ??= [...drafts.keys()].filter((id) => !isDormant(drafts.get(id)!)));

  // A Microsoft id joins whenever it appears. A key without an id (status.cloud.microsoft's workload
  // + title) joins its record while that is open or resolved within the twin window: the same
  // title posted again after that is a new incident.
  const keyJoin = (s: Signal): string | undefined => {
    const target = keyIndex.get(keyOf(s));
    if (target === undefined || s.official!.ref) return target;
    const v = view(target);
    if (v.resolvedAt === null) return target;
    return Date.parse(s.observedAt) <= Date.parse(v.resolvedAt) + settings.officialTwinWindowMinutes * 60_000 ? target : undefined;
  };

  const routeOfficial = (s: Signal): boolean => {
    const o = s.official!;
    let joined =
      (o.ref ? refIndex.get(o.ref) : undefined) ?? keyJoin(s) ?? (o.ref ? citedIndex.get(o.ref) : undefined);
    for (const ref of citedRefs(s)) joined ??= refIndex.get(ref);
    if (joined) {
      attach(s, joined);
      return true;
    }
    if (s.services.length === 0) return false;
    const twin = openDraftIds()
      .map(view)
      .filter((inc) => isOfficialTwin(s, inc, settings, startsOf(inc.id)))
      .sort((a, b) => Math.abs(Date.parse(a.acknowledgedAt!) - Date.parse(s.observedAt)) - Math.abs(Date.parse(b.acknowledgedAt!) - Date.parse(s.observedAt)) || a.id.localeCompare(b.id));
    if (twin[0]) {
      attach(s, twin[0].id);
      return true;
    }
    const suspected = openDraftIds()
      .map(view)
      .filter((inc) => canConfirm(s, inc, settings))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
    if (suspected[0]) {
      attach(s, suspected[0].id);
      return true;
    }
    open(`official:${o.ref ?? `${s.source.id}:${o.key}`}`, [s], s.services);
    return true;
  };

  const attachToCandidate = (s: Signal): boolean => {
    const candidates = openDraftIds()
      .map(view)
      .filter((inc) => canAttach(s, inc, settings))
      .sort((a, b) => compareCandidates(s, a, b));
    if (!candidates[0]) return false;
    attach(s, candidates[0].id);
    return true;
  };

  const routePress = (s: Signal, pool: ReadonlyMap<ServiceId, Signal[]>): boolean => {
    const press = s.press!;
    if (press.kind === 'unrelated') return false;
    for (const ref of press.refs) {
      const target = refIndex.get(ref) ?? citedIndex.get(ref);
      if (target) {
        attach(s, target);
        return true;
      }
    }
    if (s.services.length === 0) return false;
    if (attachToCandidate(s)) return true;
    if (!canOpenFromPress(s)) return false;
    // Enough independent outlets for one service within the press window open a suspected incident.
    const from = Date.parse(s.observedAt) - settings.pressWindowMinutes * 60_000;
    const t = Date.parse(s.observedAt);
    for (const service of sortServices(s.services)) {
      const seen = new Set<string>();
      const group: Signal[] = [];
      const reports = pool.get(service) ?? [];
      // The pool is in time order: search back from this report to the start of the window.
      let i = reports.indexOf(s);
      while (i + 1 < reports.length && Date.parse(reports[i + 1]!.observedAt) <= t) i++;
      for (; i >= 0; i--) {
        const p = reports[i]!;
        if (Date.parse(p.observedAt) < from) break;
        if (assigned.has(p.id)) continue;
        // The same article reached twice (two feeds, two instances) is one piece of evidence.
        const url = p.press!.canonicalUrl;
        if (seen.has(url)) continue;
        seen.add(url);
        group.push(p);
      }
      group.reverse();
      const outlets = new Set(group.map((p) => outletKey(p, settings.communitySourceIds)));
      if (outlets.size >= settings.minOutletsForSuspected) {
        const first = group[0]!;
        open(`press:${service}:${first.id}`, group, [service]);
        return true;
      }
    }
    return false;
  };

  const routeCrowd = (s: Signal): boolean => {
    if (s.services.length === 0) return false;
    if (attachToCandidate(s)) return true;
    open(`crowd:${s.id}`, [s], s.services);
    return true;
  };

  const route = (s: Signal, pool: ReadonlyMap<ServiceId, Signal[]>): boolean => {
    if (s.official) return routeOfficial(s);
    if (s.crowd) return routeCrowd(s);
    if (s.press) return routePress(s, pool);
    return false;
  };

  const merged: MergeRecord[] = [];
  // Pairs worth a look: sharing a service, with lives (stretched by the widest window) that overlap.
  const mergeCandidates = (): [string, string][] => {
    const widest = Math.max(settings.attachWindowMinutes, settings.officialTwinWindowMinutes, settings.suspectedExpiryMinutes) * 60_000;
    const spans = openDraftIds().map((id) => {
      const v = view(id);
      const end = v.resolvedAt !== null ? Date.parse(v.resolvedAt) : v.acknowledgedAt !== null ? Number.POSITIVE_INFINITY : Date.parse(lastEvidenceAt(v));
      return { id, services: v.services, lo: Date.parse(v.startedAt) - widest, hi: end + widest };
    });
    const pairs = new Set<string>();
    const out: [string, string][] = [];
    for (const service of new Set(spans.flatMap((x) => x.services))) {
      const list = spans.filter((x) => x.services.includes(service)).sort((a, b) => a.lo - b.lo);
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length && list[j]!.lo <= list[i]!.hi; j++) {
          for (const [x, y] of [[list[i]!.id, list[j]!.id], [list[j]!.id, list[i]!.id]] as const) {
            const key = `${x}\u0000${y}`;
            if (pairs.has(key)) continue;
            pairs.add(key);
            out.push([x, y]);
          }
        }
      }
    }
    // The same order as a walk over every (a, b) pair of sorted ids.
    return out.sort(([a1, b1], [a2, b2]) => a1.localeCompare(a2) || b1.localeCompare(b2));
  };

  // Two id-less official records that could be one event and have no other possible counterpart.
  const isSolePair = (a: Incident, b: Incident): boolean => {
    if (!mayBeOfficialTwins(a, b, settings)) return false;
    const others = openDraftIds()
      .map(view)
      .filter((c) => c.id !== a.id && c.id !== b.id);
    return !others.some((c) => mayBeOfficialTwins(a, c, settings) || mayBeOfficialTwins(b, c, settings));
  };

  const mergePass = (): boolean => {
    let any = false;
    for (const [officialId, suspectedId] of mergeCandidates()) {
      if (!drafts.has(suspectedId) || !drafts.has(officialId)) continue;
      const a = view(officialId);
      const b = view(suspectedId);
      // Twins are symmetric: consider each pair once.
      const twin = officialId < suspectedId && areOfficialTwins(a, b, settings, startsOf(officialId), startsOf(suspectedId), () => isSolePair(a, b));
      if (!twin && !shouldMerge(a, b, settings)) continue;
      // The record that existed first survives; the other's id stays resolvable through mergedIds.
      const [survivor, absorbed] =
        a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id) ? [officialId, suspectedId] : [suspectedId, officialId];
      const from = drafts.get(absorbed)!;
      const into = drafts.get(survivor)!;
      if (!isFullyLoaded(from)) continue;
      for (const s of from.signals.values()) attach(s, survivor);
      into.mergedIds.add(absorbed);
      for (const m of from.mergedIds) into.mergedIds.add(m);
      if (from.createdAt < into.createdAt) into.createdAt = from.createdAt;
      drafts.delete(absorbed);
      liveIds = null;
      views.delete(absorbed);
      views.delete(survivor);
      for (const [k, v] of refIndex) if (v === absorbed) refIndex.set(k, survivor);
      for (const [k, v] of keyIndex) if (v === absorbed) keyIndex.set(k, survivor);
      for (const [k, v] of citedIndex) if (v === absorbed) citedIndex.set(k, survivor);
      merged.push({ into: survivor, from: absorbed });
      any = true;
    }
    return any;
  };

  for (;;) {
    let progress = true;
    while (progress) {
      progress = false;
      const pending = signals.filter((s) => !assigned.has(s.id) && !(s.press?.kind === 'unrelated'));
      const pool = new Map<ServiceId, Signal[]>();
      for (const p of pending) {
        if (!canOpenFromPress(p)) continue;
        for (const svc of p.services) pool.set(svc, [...(pool.get(svc) ?? []), p]);
      }
      for (const s of pending) {
        if (assigned.has(s.id) || unchangedSince(s)) continue;
        lastTried.set(s.id, ++clock);
        if (route(s, pool)) progress = true;
      }
    }
    if (!mergePass()) break;
  }

  const incidents: Incident[] = [];
  const changed: Incident[] = [];
  for (const draft of drafts.values()) {
    if (isDormant(draft)) {
      incidents.push(draft.base!);
      continue;
    }
    const derived = IncidentSchema.parse(view(draft.id));
    if (draft.base && sameContent(derived, draft.base)) {
      incidents.push(draft.base);
      continue;
    }
    const stamped = { ...derived, updatedAt: nowIso };
    incidents.push(stamped);
    changed.push(stamped);
  }
  incidents.sort((a, b) => a.id.localeCompare(b.id));
  changed.sort((a, b) => a.id.localeCompare(b.id));
  const unassigned = signals.filter((s) => !assigned.has(s.id)).length;
  return { incidents, changed, opened: opened.filter((id) => drafts.has(id)).sort(), merged, unassigned };
}
