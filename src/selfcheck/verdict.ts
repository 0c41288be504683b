/**
 * The verdict rules: pure functions from gathered facts to one plain answer. Rules are tried in
 * order and the first that matches decides; the result names that rule so the page can show why.
 * Every rule is only as certain as its evidence: when our own status sources are blind we never
 * say "not Microsoft", and a failed look-up never counts as healthy.
 */
import type { ServiceId } from '../domain/services.ts';
import type { CatalogEntry } from './catalog/schema.ts';
import type { CrowdContext, DomainSummary, IncidentBrief, StatusContext } from './facts.ts';
import type { Symptom } from './parse.ts';

export const VERDICT_KINDS = ['microsoft-wide', 'unconfirmed-spike', 'tenant', 'mailbox', 'cannot-tell'] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];

export const VERDICT_RULES = [
  'official-incident',
  'status-blind',
  'suspected-incident',
  'crowd-spike-code',
  'crowd-spike-service',
  'status-degraded-unconfirmed',
  'domain-does-not-exist',
  'domain-unknown-to-microsoft',
  'domain-not-at-microsoft',
  'sender-side-code',
  'mx-not-at-microsoft',
  'tenant-side-code',
  'one-mailbox-code',
  'domain-facts-blind',
  'service-side-code-quiet',
  'code-side-unclear',
  'unknown-code',
  'nothing-found',
] as const;
export type VerdictRule = (typeof VERDICT_RULES)[number];

export interface VerdictInput {
  symptom: Symptom | null;
  /** Catalog entry of the symptom, or null for no symptom or a code we do not describe. */
  entry: CatalogEntry | null;
  domain: DomainSummary;
  status: StatusContext;
  crowd: CrowdContext;
}

export interface Verdict {
  kind: VerdictKind;
  rule: VerdictRule;
  /** Services the symptom touches, whose status decided. */
  services: ServiceId[];
  /** Incidents the verdict points to (official for microsoft-wide, suspected for unconfirmed-spike). */
  incidents: IncidentBrief[];
  /** Extra observations worth saying next to the verdict (message keys). */
  notes: string[];
}

const DEFAULT_SERVICES: ServiceId[] = ['exchange-online', 'entra-id'];
const OFFICIAL_OPEN = new Set(['investigating', 'identified', 'monitoring']);

/** Services whose health matters for this symptom: the code's, or mail and sign-in when there is none. */
export function servicesForSymptom(symptom: Symptom | null, entry: CatalogEntry | null): ServiceId[] {
  if (entry) return [...entry.services];
  if (symptom?.kind === 'aadsts') return ['entra-id'];
  if (symptom?.kind === 'ndr') return ['exchange-online'];
  return DEFAULT_SERVICES;
}

function touches(incident: IncidentBrief, services: ServiceId[]): boolean {
  return incident.services.some((s) => services.includes(s));
}

/** Applies the rules in order; see VERDICT_RULES and README § Self-check for the table. */
export function decideVerdict(input: VerdictInput): Verdict {
  const { symptom, entry, domain, status, crowd } = input;
  const services = servicesForSymptom(symptom, entry);
  const notes: string[] = [];
  const make = (kind: VerdictKind, rule: VerdictRule, incidents: IncidentBrief[] = []): Verdict => ({
    kind,
    rule,
    services,
    incidents,
    notes,
  });

  const side = entry?.side ?? null;
  const relevant = status.incidents.filter((i) => touches(i, services));
  const official = relevant.filter((i) => i.confidence === 'official' && OFFICIAL_OPEN.has(i.status));
  const suspected = relevant.filter((i) => !official.includes(i) && i.status !== 'resolved');

  if (domain.directory === 'unknown-to-microsoft') notes.push('note-directory-unknown');

  // 1. Microsoft says so. A sender-side code (your SPF, your tenant's sending ban) is not explained by
  //    an incident, so it falls through to the later rules with a note instead.
  if (official.length > 0) {
    if (side === 'sender') notes.push('note-incident-but-local-code');
    else return make('microsoft-wide', 'official-incident', official);
  }

  const serviceRows = status.services.filter((s) => services.includes(s.id));
  const statusBlind =
    !status.available || serviceRows.length < services.length || serviceRows.some((s) => s.status === 'unknown');
  const codeSpike = crowd.available && crowd.code?.elevated === true;
  const serviceSpike =
    (crowd.available && crowd.services.some((s) => services.includes(s.id) && s.elevated)) ||
    serviceRows.some((s) => s.crowdElevated);

  // 2. Independent of our status feed: other people report the same right now.
  if (suspected.length > 0) return make('unconfirmed-spike', 'suspected-incident', suspected);
  if (codeSpike) return make('unconfirmed-spike', 'crowd-spike-code');
  if (serviceSpike && side !== 'sender') return make('unconfirmed-spike', 'crowd-spike-service');

  // 3. Without a trustworthy picture of Microsoft's services we cannot rule an outage out.
  if (statusBlind) return make('cannot-tell', 'status-blind');
  if (serviceRows.some((s) => s.status !== 'operational' && s.status !== 'under_maintenance') && side !== 'sender') {
    return make('unconfirmed-spike', 'status-degraded-unconfirmed');
  }
  if (!crowd.available) notes.push('note-crowd-unavailable');

  // 4. Microsoft looks healthy: the answer is in the domain, the tenant or the account.
  if (domain.domainExists === false) return make('tenant', 'domain-does-not-exist');
  if (domain.directory === 'unknown-to-microsoft') {
    if (domain.microsoftDnsTraces === true || symptom !== null) return make('tenant', 'domain-unknown-to-microsoft');
    if (domain.microsoftDnsTraces === false) return make('tenant', 'domain-not-at-microsoft');
    return make('cannot-tell', 'domain-facts-blind');
  }
  if (side === 'sender') return make('tenant', 'sender-side-code');

  const directoryKnown = domain.directory === 'managed' || domain.directory === 'federated' || domain.directory === 'exists';
  const mailSymptom = symptom === null || symptom.kind === 'ndr';
  if (mailSymptom && directoryKnown && domain.mxAtMicrosoft === false && side !== 'microsoft-wide') {
    return make('tenant', 'mx-not-at-microsoft');
  }
  if (side === 'recipient-tenant') return make('tenant', 'tenant-side-code');
  if (side === 'one-mailbox') {
    const mailOk = symptom?.kind === 'aadsts' || domain.mxAtMicrosoft === true;
    if (directoryKnown && mailOk) return make('mailbox', 'one-mailbox-code');
    return make('cannot-tell', 'domain-facts-blind');
  }
  if (side === 'microsoft-wide') return make('cannot-tell', 'service-side-code-quiet');
  if (entry !== null) return make('cannot-tell', 'code-side-unclear');
  if (symptom !== null) return make('cannot-tell', 'unknown-code');
  if (domain.directory === 'unavailable' || domain.mxAtMicrosoft === null) return make('cannot-tell', 'domain-facts-blind');
  return make('cannot-tell', 'nothing-found');
}

/**
 * A crowd count is elevated when it is not a handful (`minCount`) and at least `minRatio` times the
 * usual level (a usual level below one report counts as one).
 */
export function isCrowdElevated(count: number, baseline: number, minCount: number, minRatio = 3): boolean {
  return count >= minCount && count >= minRatio * Math.max(baseline, 1);
}
