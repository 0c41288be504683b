/**
 * The facts a self-check gathers, as plain data shared by the look-ups, the verdict rules, the
 * renderers and the evidence record. A fact is ✓ (`yes`), ✗ (`no`) or `unknown`; a look-up that
 * failed or timed out is always `unknown`, never `yes`.
 */
import { z } from 'zod';
import { SERVICE_IDS } from '../domain/services.ts';
import { COMPONENT_STATUSES, CONFIDENCES, IMPACTS, INCIDENT_STATUSES } from '../domain/vocabulary.ts';

export const FACT_STATES = ['yes', 'no', 'unknown'] as const;
export type FactState = (typeof FACT_STATES)[number];

/** One row of evidence about the domain, in display order. */
export const FACT_IDS = ['dns-mx', 'dns-spf', 'dns-autodiscover', 'dns-dkim', 'dns-ms-txt', 'dir-realm', 'dir-openid'] as const;
export type FactId = (typeof FACT_IDS)[number];

/** Every kind of outgoing look-up; the cache and the benchmark count per kind. */
export const LOOKUP_KINDS = ['mx', 'txt', 'autodiscover', 'dkim1', 'dkim2', 'realm', 'userrealm', 'openid'] as const;
export type LookupKind = (typeof LOOKUP_KINDS)[number];

export const FactSchema = z.object({
  id: z.enum(FACT_IDS),
  state: z.enum(FACT_STATES),
  /** Message key explaining the state (see messages.ts); never free text from outside. */
  reason: z.string().max(60),
  /** Observed values (MX hosts, record text, tenant id); external text, escaped wherever shown. */
  values: z.array(z.string().max(300)).max(12).default([]),
});
export type Fact = z.output<typeof FactSchema>;

/** `exists`: the tenant answered (OpenID) but the realm look-up failed, so managed/federated is open. */
export const DIRECTORY_STATES = ['managed', 'federated', 'exists', 'unknown-to-microsoft', 'unavailable'] as const;
export type DirectoryState = (typeof DIRECTORY_STATES)[number];

export const DomainSummarySchema = z.object({
  /** false when DNS says the domain does not exist (NXDOMAIN); null when DNS could not tell. */
  domainExists: z.boolean().nullable(),
  /** Lowest-preference MX at Exchange Online Protection (any Microsoft cloud). */
  mxAtMicrosoft: z.boolean().nullable(),
  /** Any DNS record that only a Microsoft 365 customer would publish. */
  microsoftDnsTraces: z.boolean().nullable(),
  directory: z.enum(DIRECTORY_STATES),
  tenantId: z.string().max(40).nullable(),
  /** Microsoft cloud instance (microsoftonline.com, microsoftonline.us, …) when known. */
  cloud: z.string().max(80).nullable(),
});
export type DomainSummary = z.output<typeof DomainSummarySchema>;

export const DomainFactsSchema = z.object({
  domain: z.string().max(253),
  /** When the look-ups ran (cached results keep their original time). */
  checkedAt: z.string(),
  facts: z.array(FactSchema),
  summary: DomainSummarySchema,
});
export type DomainFacts = z.output<typeof DomainFactsSchema>;

export const IncidentBriefSchema = z.object({
  id: z.string().max(100),
  title: z.string().max(500),
  status: z.enum(INCIDENT_STATUSES),
  confidence: z.enum(CONFIDENCES),
  impact: z.enum(IMPACTS),
  services: z.array(z.enum(SERVICE_IDS)),
  officialRefs: z.array(z.string().max(40)).default([]),
  startedAt: z.string(),
});
export type IncidentBrief = z.output<typeof IncidentBriefSchema>;

/** Our own picture of the services at the time of the check (from data/status.json and incidents). */
export const StatusContextSchema = z.object({
  /** A snapshot exists and the last successful cycle is recent enough to trust. */
  available: z.boolean(),
  generatedAt: z.string().nullable(),
  lastSuccessfulCycleAt: z.string().nullable(),
  services: z.array(
    z.object({
      id: z.enum(SERVICE_IDS),
      status: z.enum(COMPONENT_STATUSES),
      crowdElevated: z.boolean(),
    }),
  ),
  /** Unresolved incidents (official and suspected). */
  incidents: z.array(IncidentBriefSchema),
});
export type StatusContext = z.output<typeof StatusContextSchema>;

export const CrowdCountSchema = z.object({
  count: z.number().int().nonnegative(),
  /** Usual number of reports for the same window. */
  baseline: z.number().nonnegative(),
  elevated: z.boolean(),
});
export type CrowdCount = z.output<typeof CrowdCountSchema>;

/** Crowd reports in the last hour for the symptom's services and for its code. */
export const CrowdContextSchema = z.object({
  available: z.boolean(),
  windowMinutes: z.number().int().positive(),
  services: z.array(CrowdCountSchema.extend({ id: z.enum(SERVICE_IDS) })),
  code: CrowdCountSchema.extend({ code: z.string().max(20) }).nullable(),
});
export type CrowdContext = z.output<typeof CrowdContextSchema>;
