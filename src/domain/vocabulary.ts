/**
 * Closed vocabularies shared by scrapers, correlation and site. Statuspage's words are used
 * wherever Statuspage has one, so the v2 API maps 1:1.
 */
export const LANGUAGES = ['en', 'de'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Kind of evidence a source provides. */
export const SOURCE_KINDS = ['official', 'press', 'crowd'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Statuspage incident statuses plus our own `suspected` (unconfirmed, from press or crowd). */
export const INCIDENT_STATUSES = ['suspected', 'investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuspage incident impact, ordered from least to most severe. */
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];

/** Statuspage component statuses plus `unknown`: what we show when our sources are blind. */
export const COMPONENT_STATUSES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
  'unknown',
] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** How strong the evidence behind an incident is, weakest first. */
export const CONFIDENCES = ['crowd', 'press', 'official'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Microsoft's own split: advisories are not outages. */
export const CLASSIFICATIONS = ['incident', 'advisory', 'unknown'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** What a press item is about; only `outage` may open an incident. */
export const PRESS_KINDS = ['outage', 'resolution', 'followup', 'explainer', 'unrelated'] as const;
export type PressKind = (typeof PRESS_KINDS)[number];

/** Outcome of one source in one cycle. */
export const SOURCE_STATES = ['ok', 'not_modified', 'skipped', 'failed', 'disabled', 'never_run'] as const;
export type SourceState = (typeof SOURCE_STATES)[number];

/** Problem types a visitor can report. */
export const PROBLEM_TYPES = [
  'sign-in',
  'receiving-mail',
  'sending-mail',
  'mail-bounces',
  'outlook-desktop',
  'mobile-app',
  'web-access',
  'teams-calls-chat',
  'other',
] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];

const IMPACT_RANK: Record<Impact, number> = { none: 0, minor: 1, major: 2, critical: 3 };
const COMPONENT_RANK: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  unknown: 2,
  degraded_performance: 3,
  partial_outage: 4,
  major_outage: 5,
};
const CONFIDENCE_RANK: Record<Confidence, number> = { crowd: 0, press: 1, official: 2 };

/** The more severe of two impacts. */
export function maxImpact(a: Impact, b: Impact): Impact {
  return IMPACT_RANK[a] >= IMPACT_RANK[b] ? a : b;
}

/** The worse of two component statuses (`unknown` ranks above operational, below any outage). */
export function worseComponentStatus(a: ComponentStatus, b: ComponentStatus): ComponentStatus {
  return COMPONENT_RANK[a] >= COMPONENT_RANK[b] ? a : b;
}

/** The stronger of two confidences. */
export function maxConfidence(a: Confidence, b: Confidence): Confidence {
  return CONFIDENCE_RANK[a] >= CONFIDENCE_RANK[b] ? a : b;
}

/** Component status implied by an open incident's impact (Statuspage convention). */
export function componentStatusForImpact(impact: Impact): ComponentStatus {
  switch (impact) {
    case 'critical':
      return 'major_outage';
    case 'major':
      return 'partial_outage';
    case 'minor':
      return 'degraded_performance';
    case 'none':
      return 'operational';
  }
}

/** Statuspage page indicator for the worst component status. */
export function indicatorFor(status: ComponentStatus): Impact {
  switch (status) {
    case 'major_outage':
      return 'critical';
    case 'partial_outage':
      return 'major';
    case 'degraded_performance':
    case 'unknown':
      return 'minor';
    case 'under_maintenance':
    case 'operational':
      return 'none';
  }
}
