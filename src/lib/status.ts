/**
 * What the site claims about "now": staleness of the data, each service's effective status, the
 * page-wide indicator and the one-sentence answer. Pure; `now` is a parameter. The rule that never
 * bends: what we cannot see is `unknown`, never operational.
 */
import {
  indicatorFor,
  maxImpact,
  worseComponentStatus,
  type ComponentStatus,
  type Impact,
} from '../domain/vocabulary.ts';
import type { ServiceId } from '../domain/services.ts';
import type { Incident, StatusSnapshot } from '../domain/schemas.ts';

export interface Freshness {
  /** When the last successful cycle finished, null before the first one. */
  lastSuccessfulCycleAt: string | null;
  /** Minutes since then at build time, null before the first cycle. */
  ageMinutes: number | null;
  /** True when there was no successful cycle or it is older than the threshold. */
  isStale: boolean;
}

/** Staleness of the snapshot at `now` against `staleAfterMinutes`. */
export function assessFreshness(snapshot: StatusSnapshot | null, now: Date, staleAfterMinutes: number): Freshness {
  const last = snapshot?.lastSuccessfulCycleAt ?? null;
  if (!last) return { lastSuccessfulCycleAt: null, ageMinutes: null, isStale: true };
  const ageMinutes = Math.max(0, Math.floor((now.getTime() - Date.parse(last)) / 60_000));
  return { lastSuccessfulCycleAt: last, ageMinutes, isStale: ageMinutes > staleAfterMinutes };
}

export type StatusReasonCode = 'snapshot' | 'no-data' | 'missing' | 'stale';

export interface EffectiveStatus {
  status: ComponentStatus;
  /** The snapshot's own explanation, or why we override it. */
  reason: string;
  reasonCode: StatusReasonCode;
  crowdElevated: boolean;
}

/**
 * A service's status as the site shows it. No snapshot, or a service missing from it, is unknown.
 * With stale data an "operational" can no longer be vouched for, so it becomes unknown; a reported
 * outage stays as the last known state (and the page says the data is stale).
 */
export function effectiveServiceStatus(id: ServiceId, snapshot: StatusSnapshot | null, freshness: Freshness): EffectiveStatus {
  if (!snapshot) return { status: 'unknown', reason: 'no update cycle has completed yet', reasonCode: 'no-data', crowdElevated: false };
  const entry = snapshot.services.find((s) => s.id === id);
  if (!entry) return { status: 'unknown', reason: 'not in the current snapshot', reasonCode: 'missing', crowdElevated: false };
  if (freshness.isStale && entry.status === 'operational') {
    return { status: 'unknown', reason: 'data is stale', reasonCode: 'stale', crowdElevated: entry.crowdElevated };
  }
  return { status: entry.status, reason: entry.reason, reasonCode: 'snapshot', crowdElevated: entry.crowdElevated };
}

/** The worst of several component statuses (`unknown` above operational, below any outage). */
export function worstStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'operational';
  for (const s of statuses) worst = worseComponentStatus(worst, s);
  return worst;
}

/** Page-wide Statuspage indicator: the snapshot's, raised to what the effective statuses imply. */
export function pageIndicator(snapshot: StatusSnapshot | null, statuses: Iterable<ComponentStatus>): Impact {
  const implied = indicatorFor(worstStatus(statuses));
  return snapshot ? maxImpact(snapshot.indicator, implied) : maxImpact('minor', implied);
}

/** True while an incident is open (any status but resolved). */
export function isActive(incident: Pick<Incident, 'status'>): boolean {
  return incident.status !== 'resolved';
}

/** True for an open incident Microsoft has not confirmed. */
export function isSuspected(incident: Pick<Incident, 'status'>): boolean {
  return incident.status === 'suspected';
}

export type HeadlineKind = 'no-data' | 'outage' | 'suspected' | 'unknown-all' | 'unknown-some' | 'ok';

export interface Headline {
  kind: HeadlineKind;
  /** Services the sentence names, with their status (outage) or just ids (suspected, unknown). */
  services: { id: ServiceId; status: ComponentStatus }[];
  /** Number of services watched (for "all N services"). */
  total: number;
  isStale: boolean;
}

const PROBLEM_STATUSES: ReadonlySet<ComponentStatus> = new Set([
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
]);
const SEVERITY: Record<ComponentStatus, number> = {
  major_outage: 0,
  partial_outage: 1,
  degraded_performance: 2,
  under_maintenance: 3,
  unknown: 4,
  operational: 5,
};

/**
 * The answer to "is Microsoft down?", as data: confirmed problems first, then unconfirmed
 * reports, then blind spots, and "no" only when every service is seen and operational.
 */
export function composeHeadline(
  services: { id: ServiceId; status: ComponentStatus }[],
  suspectedServiceIds: ReadonlySet<ServiceId>,
  freshness: Freshness,
  hasSnapshot: boolean,
): Headline {
  const base = { total: services.length, isStale: freshness.isStale };
  if (!hasSnapshot) return { kind: 'no-data', services: [], ...base };
  const problems = services
    .filter((s) => PROBLEM_STATUSES.has(s.status))
    .sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status]);
  if (problems.length > 0) return { kind: 'outage', services: problems, ...base };
  const suspected = services.filter((s) => suspectedServiceIds.has(s.id));
  if (suspected.length > 0) return { kind: 'suspected', services: suspected, ...base };
  const unknown = services.filter((s) => s.status === 'unknown');
  if (unknown.length === services.length) return { kind: 'unknown-all', services: unknown, ...base };
  if (unknown.length > 0) return { kind: 'unknown-some', services: unknown, ...base };
  return { kind: 'ok', services: [], ...base };
}
