/**
 * Microsoft's status words (Graph `serviceHealthStatus`, status.cloud.microsoft `Status`, Graph
 * `classification`) mapped to our vocabulary. Pure and table-driven.
 *
 * Fail closed: a word not in the table maps to component status `unknown` and an open incident,
 * never to operational. Words are matched after lower-casing and stripping everything but letters
 * and digits, so `ServiceDegradation`, `serviceDegradation` and `Service degradation` are one word.
 *
 * The mapping follows research/anchors.md §10 with these choices of ours:
 * - `serviceDegradation` and `serviceInterruption` say how bad, not how far along: the incident is
 *   `investigating` until a progress word (restoring → identified, verifying → monitoring) arrives.
 * - `postIncidentReviewPublished` is `resolved` (our vocabulary has no `postmortem`).
 * - `falsePositive` is `resolved` with component `operational`.
 * - `investigationSuspended` (waiting on customers) stays open at `degraded_performance`; Graph's
 *   own `isResolved` closes it when Microsoft does.
 */
import type { Classification, ComponentStatus, Impact, IncidentStatus } from '../../src/domain/vocabulary.ts';

export interface OfficialStatusMapping {
  status: IncidentStatus;
  componentStatus: ComponentStatus;
  impact: Impact;
  isResolved: boolean;
  /** False when the word is not in the table (mapped fail-closed). */
  known: boolean;
}

/** Lower-cases and strips everything but letters and digits. */
export function normalizeStatusWord(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const row = (status: IncidentStatus, componentStatus: ComponentStatus, impact: Impact): Omit<OfficialStatusMapping, 'known'> => ({
  status,
  componentStatus,
  impact,
  isResolved: status === 'resolved',
});

/** Normalized word → mapping. Graph and status.cloud.microsoft share one table. */
export const OFFICIAL_STATUS_TABLE: Readonly<Record<string, Omit<OfficialStatusMapping, 'known'>>> = {
  // Healthy
  serviceoperational: row('resolved', 'operational', 'none'),
  operational: row('resolved', 'operational', 'none'),
  available: row('resolved', 'operational', 'none'),
  // Open, not yet confirmed or progressing
  investigating: row('investigating', 'degraded_performance', 'minor'),
  confirmed: row('investigating', 'degraded_performance', 'minor'),
  reported: row('investigating', 'degraded_performance', 'minor'),
  investigationsuspended: row('investigating', 'degraded_performance', 'minor'),
  // Severity words
  servicedegradation: row('investigating', 'degraded_performance', 'minor'),
  degradation: row('investigating', 'degraded_performance', 'minor'),
  degraded: row('investigating', 'degraded_performance', 'minor'),
  serviceinterruption: row('investigating', 'major_outage', 'major'),
  interruption: row('investigating', 'major_outage', 'major'),
  // Progress
  restoringservice: row('identified', 'degraded_performance', 'minor'),
  extendedrecovery: row('identified', 'degraded_performance', 'minor'),
  verifyingservice: row('monitoring', 'degraded_performance', 'minor'),
  // Closed
  servicerestored: row('resolved', 'operational', 'none'),
  restored: row('resolved', 'operational', 'none'),
  resolved: row('resolved', 'operational', 'none'),
  resolvedexternal: row('resolved', 'operational', 'none'),
  mitigated: row('resolved', 'operational', 'none'),
  mitigatedexternal: row('resolved', 'operational', 'none'),
  postincidentreviewpublished: row('resolved', 'operational', 'none'),
  falsepositive: row('resolved', 'operational', 'none'),
};

const UNKNOWN: OfficialStatusMapping = {
  status: 'investigating',
  componentStatus: 'unknown',
  impact: 'minor',
  isResolved: false,
  known: false,
};

/** Maps one Microsoft status word; unknown words (and `unknown`, `unknownFutureValue`) fail closed. */
export function mapOfficialStatus(word: string | null | undefined): OfficialStatusMapping {
  const hit = word == null ? undefined : OFFICIAL_STATUS_TABLE[normalizeStatusWord(word)];
  return hit ? { ...hit, known: true } : { ...UNKNOWN };
}

/** True when the word means "nothing wrong" (Available, Operational, serviceOperational). */
export function isHealthyWord(word: string | null | undefined): boolean {
  const n = word == null ? '' : normalizeStatusWord(word);
  return n === 'available' || n === 'operational' || n === 'serviceoperational';
}

/** Graph `classification`: `incident`, `advisory`, anything else `unknown`. */
export function mapClassification(word: string | null | undefined): Classification {
  const n = word == null ? '' : normalizeStatusWord(word);
  if (n === 'incident') return 'incident';
  if (n === 'advisory') return 'advisory';
  return 'unknown';
}

/**
 * What an advisory means for a component: advisories are not outages, so they leave the component
 * `operational` with impact `none`, except a service interruption (users cannot get in), which
 * counts whatever Microsoft calls it. Unknown words stay unknown.
 */
export function applyClassification(mapping: OfficialStatusMapping, classification: Classification): OfficialStatusMapping {
  if (classification !== 'advisory' || !mapping.known || mapping.isResolved) return mapping;
  if (mapping.componentStatus === 'major_outage') return mapping;
  return { ...mapping, componentStatus: 'operational', impact: 'none' };
}
