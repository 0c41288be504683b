/**
 * Zod schemas for every record in `data/`. Types are derived from the schemas, never written twice.
 * Scrapers validate before they write; the site validates when it reads.
 */
import { z } from 'zod';
import { SERVICE_IDS } from './services.ts';
import {
  CLASSIFICATIONS,
  COMPONENT_STATUSES,
  CONFIDENCES,
  IMPACTS,
  INCIDENT_STATUSES,
  PRESS_KINDS,
  PROBLEM_TYPES,
  SOURCE_KINDS,
  SOURCE_STATES,
} from './vocabulary.ts';

/** ISO-8601 UTC timestamp with a `Z` zone, as every `…At` field in data is written. */
export const IsoDateSchema = z.iso.datetime({ offset: false, precision: undefined });
export const ServiceIdSchema = z.enum(SERVICE_IDS);
/** An absolute http(s) URL; anything else (javascript:, data:, relative) is rejected. */
export const HttpUrlSchema = z
  .string()
  .max(2048)
  .refine((u) => {
    try {
      const p = new URL(u).protocol;
      return p === 'http:' || p === 'https:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

export const SourceRefSchema = z.object({
  id: z.string().min(1).max(80),
  kind: z.enum(SOURCE_KINDS),
});
export type SourceRef = z.output<typeof SourceRefSchema>;

export const OfficialFactsSchema = z.object({
  /** Microsoft's id (EX1151485) when the source exposes one. */
  ref: z.string().max(40).nullable(),
  /**
   * Stable key of the official incident within its source (the ref, or for sources without ids a
   * hash of workload + title + first start time), so updates of one incident join each other.
   */
  key: z.string().min(1).max(200),
  /** Incident status in our vocabulary, derived from Microsoft's status word. */
  status: z.enum(INCIDENT_STATUSES),
  /** Component status the source implies for its services; `unknown` for words we do not know. */
  componentStatus: z.enum(COMPONENT_STATUSES),
  impact: z.enum(IMPACTS),
  classification: z.enum(CLASSIFICATIONS),
  /** Microsoft's own status word, verbatim, for the record. */
  rawStatus: z.string().max(80),
  isResolved: z.boolean(),
  startedAt: IsoDateSchema.nullable(),
  endedAt: IsoDateSchema.nullable(),
});

export const PressFactsSchema = z.object({
  outlet: z.string().max(120),
  canonicalUrl: HttpUrlSchema,
  kind: z.enum(PRESS_KINDS),
  /** Microsoft ids found in the headline, summary or article page. */
  refs: z.array(z.string().max(40)).max(20),
});

export const CrowdFactsSchema = z.object({
  bucketStart: IsoDateSchema,
  /** Start of the spike this bucket belongs to (as judged when the signal was first stored). */
  spikeStartedAt: IsoDateSchema.optional(),
  bucketMinutes: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  baseline: z.number().nonnegative(),
  /** Detector score (e.g. Poisson tail as -log10 p). */
  score: z.number(),
  problemTypes: z.partialRecord(z.enum(PROBLEM_TYPES), z.number().int().nonnegative()).default({}),
  codes: z.record(z.string().max(40), z.number().int().nonnegative()).default({}),
});

/** One observation by one source. Immutable evidence, appended to `data/signals/YYYY-MM-DD.jsonl`. */
export const SignalSchema = z.object({
  /** Stable: the same observation fetched twice gets the same id. */
  id: z.string().min(1).max(200),
  source: SourceRefSchema,
  observedAt: IsoDateSchema,
  fetchedAt: IsoDateSchema,
  services: z.array(ServiceIdSchema),
  title: z.string().max(500),
  /** Short plain text (official post text, feed summary); never an article body. */
  text: z.string().max(8000).default(''),
  url: HttpUrlSchema.nullable().default(null),
  lang: z.string().max(10).nullable().default(null),
  official: OfficialFactsSchema.optional(),
  press: PressFactsSchema.optional(),
  crowd: CrowdFactsSchema.optional(),
});
export type Signal = z.output<typeof SignalSchema>;
export type SignalInput = z.input<typeof SignalSchema>;

export const IncidentUpdateSchema = z.object({
  /** Stable id (signal id it came from, or a derived one). */
  id: z.string().min(1).max(200),
  at: IsoDateSchema,
  status: z.enum(INCIDENT_STATUSES),
  text: z.string().max(8000),
  source: SourceRefSchema,
  url: HttpUrlSchema.nullable().default(null),
});
export type IncidentUpdate = z.output<typeof IncidentUpdateSchema>;

export const EvidenceSchema = z.object({
  signalId: z.string().min(1).max(200),
  source: SourceRefSchema,
  observedAt: IsoDateSchema,
  title: z.string().max(500),
  url: HttpUrlSchema.nullable().default(null),
  outlet: z.string().max(120).nullable().default(null),
  ref: z.string().max(40).nullable().default(null),
});
export type Evidence = z.output<typeof EvidenceSchema>;

export const CrowdSummarySchema = z.object({
  spikeStartedAt: IsoDateSchema,
  peakAt: IsoDateSchema,
  peakCount: z.number().int().nonnegative(),
  baselineAtPeak: z.number().nonnegative(),
  total: z.number().int().nonnegative(),
});

/** The normalized record users see: one file `data/incidents/YYYY/<id>.json`. */
export const IncidentSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,99}$/, 'lowercase letters, digits and dashes'),
  title: z.string().min(1).max(500),
  services: z.array(ServiceIdSchema).min(1),
  impact: z.enum(IMPACTS),
  status: z.enum(INCIDENT_STATUSES),
  confidence: z.enum(CONFIDENCES),
  classification: z.enum(CLASSIFICATIONS),
  /** First evidence of the problem (earliest signal of any kind). */
  startedAt: IsoDateSchema,
  /** First official word, null while Microsoft has said nothing. */
  acknowledgedAt: IsoDateSchema.nullable(),
  resolvedAt: IsoDateSchema.nullable(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
  officialRefs: z.array(z.string().max(40)),
  /** Latest official text (Microsoft's words), when one exists. */
  officialText: z.string().max(8000).nullable().default(null),
  /** Timeline, newest first. */
  updates: z.array(IncidentUpdateSchema),
  evidence: z.array(EvidenceSchema),
  crowd: CrowdSummarySchema.nullable().default(null),
  /** Ids of incidents merged into this one (kept so old links resolve). */
  mergedIds: z.array(z.string()).default([]),
});
export type Incident = z.output<typeof IncidentSchema>;
export type IncidentInput = z.input<typeof IncidentSchema>;

export const SourceErrorInfoSchema = z.object({
  code: z.string().max(60),
  message: z.string().max(1000),
  at: IsoDateSchema,
});

/** Per-source health, `data/sources/<id>.json`. */
export const SourceHealthSchema = z.object({
  id: z.string().min(1).max(80),
  kind: z.enum(SOURCE_KINDS),
  /** Services this source can see; they turn unknown when it is blind. */
  services: z.array(ServiceIdSchema),
  state: z.enum(SOURCE_STATES),
  lastAttemptAt: IsoDateSchema.nullable(),
  lastSuccessAt: IsoDateSchema.nullable(),
  lastError: SourceErrorInfoSchema.nullable(),
  consecutiveFailures: z.number().int().nonnegative(),
  etag: z.string().max(500).nullable(),
  lastModified: z.string().max(200).nullable(),
  /** Do not fetch before this time (Retry-After, interval). */
  notBefore: IsoDateSchema.nullable(),
  lastDurationMs: z.number().nonnegative().nullable(),
  itemsLastRun: z.number().int().nonnegative(),
  /** Hash of the last body, to tell a changed 200 from an unchanged one. */
  bodyHash: z.string().max(128).nullable().default(null),
});
export type SourceHealth = z.output<typeof SourceHealthSchema>;

export const ServiceSnapshotSchema = z.object({
  id: ServiceIdSchema,
  status: z.enum(COMPONENT_STATUSES),
  /** Why the status is what it is (e.g. "official: serviceDegradation", "sources blind"). */
  reason: z.string().max(300),
  activeIncidentIds: z.array(z.string()),
  /** Latest time an official source that covers this service was read successfully. */
  lastOfficialSuccessAt: IsoDateSchema.nullable(),
  /** Crowd reports elevated over baseline right now. */
  crowdElevated: z.boolean().default(false),
});
export type ServiceSnapshot = z.output<typeof ServiceSnapshotSchema>;

/** `data/status.json`: the current picture, written at the end of every cycle. */
export const StatusSnapshotSchema = z.object({
  generatedAt: IsoDateSchema,
  lastCycleAt: IsoDateSchema.nullable(),
  lastSuccessfulCycleAt: IsoDateSchema.nullable(),
  indicator: z.enum(IMPACTS),
  services: z.array(ServiceSnapshotSchema),
  activeIncidentIds: z.array(z.string()),
  sources: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(SOURCE_KINDS),
      state: z.enum(SOURCE_STATES),
      lastSuccessAt: IsoDateSchema.nullable(),
      lastError: z.string().nullable(),
    }),
  ),
});
export type StatusSnapshot = z.output<typeof StatusSnapshotSchema>;
