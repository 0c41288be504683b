/**
 * The outage tape format, version 1 (docs/tapes.md explains it with an example; the JSON Schema in
 * schemas/tape.schema.json is generated from these schemas by `npm run replay -- --write-schema`).
 *
 * A tape is a header plus timed events: what Microsoft's sources answered (official), what press
 * feeds carried (press), Mastodon posts (community), visitor reports (crowd), and optional
 * expectations (expect) so a tape doubles as a test. Pure data; no I/O here.
 */
import { z } from 'zod';
import { HttpUrlSchema, IsoDateSchema, ServiceIdSchema } from '../domain/schemas.ts';
import {
  CLASSIFICATIONS,
  COMPONENT_STATUSES,
  CONFIDENCES,
  INCIDENT_STATUSES,
  LANGUAGES,
  PROBLEM_TYPES,
} from '../domain/vocabulary.ts';

export const TAPE_VERSION = 1;

/**
 * Official channels a tape can script. `status-cloud-microsoft-mac` is one post served two ways
 * (JSON at /api/posts/mac and RSS at /api/feed/mac), as Microsoft does.
 */
export const OFFICIAL_CHANNELS = [
  'status-cloud-microsoft-mac',
  'status-cloud-microsoft-consumer',
  'azure-status-rss',
  'graph-service-health',
] as const;
export type OfficialChannel = (typeof OFFICIAL_CHANNELS)[number];

export const TAPE_KINDS = ['outage', 'advisory', 'blind', 'quiet'] as const;

const SlugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,80}$/, 'lowercase letters, digits and dashes');
const Text = (max: number) => z.string().max(max);
/** Share of reports (0–1) per key; the rest carry none. */
const SharesSchema = <K extends z.ZodType<string>>(key: K) =>
  z
    .partialRecord(key, z.number().min(0).max(1))
    .refine((r) => Object.values(r).reduce<number>((a, b) => a + (b ?? 0), 0) <= 1.000001, 'shares must sum to at most 1');

// ─── official answers ──────────────────────────────────────────────────────────────────────────

export const PostAnswerSchema = z
  .strictObject({
    kind: z.literal('post'),
    /** Microsoft's status word verbatim ("Available", "Service degradation", "ServiceRestored", …). */
    status: Text(80),
    title: Text(500).default(''),
    /** HTML as Microsoft writes it; defaults to the healthy boilerplate. */
    message: Text(20_000).optional(),
    /** Post GUID; by default a new one per event (Microsoft changes it with every update). */
    postId: Text(80).optional(),
  })
  .meta({ description: 'status.cloud.microsoft post (mac): the one current post, served as JSON and RSS' });

export const ConsumerRowSchema = z.strictObject({
  status: Text(80),
  title: Text(500).default(''),
  /** Plain text with "User impact:", "More info:", "Start time:" sections, as Microsoft writes it. */
  message: Text(20_000).default(''),
});

export const ConsumerAnswerSchema = z
  .strictObject({
    kind: z.literal('consumer'),
    /** Rows that are not Operational, by ServiceWorkloadName (e.g. "Outlook.com"); `{}` = all Operational. */
    workloads: z.record(Text(80), ConsumerRowSchema),
  })
  .meta({ description: 'status.cloud.microsoft m365Consumer: the whole current table' });

export const AzureItemSchema = z.strictObject({
  guid: Text(200),
  title: Text(500),
  categories: z.array(Text(120)).default([]),
  /** HTML, escaped into the feed as Azure does. */
  description: Text(20_000),
  /** Azure keeps the first pubDate across updates; defaults to the event time. */
  pubDate: IsoDateSchema.optional(),
});

export const AzureItemsAnswerSchema = z
  .strictObject({ kind: z.literal('azure-items'), items: z.array(AzureItemSchema).max(50) })
  .meta({ description: 'Azure status RSS: the whole current item list ([] = healthy, an empty channel)' });

export const GraphIssueAnswerSchema = z
  .strictObject({
    kind: z.literal('graph-issue'),
    id: z.string().regex(/^[A-Z]{2}\d{5,8}$/, 'a Microsoft issue id such as EX1151485'),
    /** Graph service display name ("Exchange Online", "Microsoft 365 suite", …). */
    service: Text(120),
    title: Text(500),
    classification: Text(40).default('incident'),
    /** Graph serviceHealthStatus verbatim (casing drift allowed: "serviceDegradation", "ServiceRestored"). */
    status: Text(80),
    impactDescription: Text(2000).default(''),
    feature: Text(200).default(''),
    featureGroup: Text(200).default(''),
    /** Defaults to the time of the issue's first event. */
    startDateTime: IsoDateSchema.optional(),
    endDateTime: IsoDateSchema.nullable().optional(),
    isResolved: z.boolean().default(false),
    /** Appended to the issue's posts with createdDateTime = the event time. */
    post: Text(20_000).optional(),
  })
  .meta({ description: 'Graph service health: creates or updates one issue (fields replace, posts append)' });

export const RawAnswerSchema = z
  .strictObject({
    kind: z.literal('raw'),
    status: z.number().int().min(200).max(599).default(200),
    contentType: Text(200),
    /** Exactly one of body or file (a path relative to the tape). */
    body: z.string().max(5_000_000).optional(),
    file: Text(500).optional(),
    headers: z.record(Text(80), Text(2000)).default({}),
  })
  .refine((a) => (a.body === undefined) !== (a.file === undefined), {
    message: 'give exactly one of body or file',
    path: ['body'],
  })
  .meta({ description: 'A verbatim response' });

export const FaultAnswerSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('hang') }).meta({ description: 'accepts the connection, never answers' }),
    z.strictObject({ kind: z.literal('reset') }).meta({ description: 'destroys the connection' }),
    z.strictObject({ kind: z.literal('http-error'), status: z.number().int().min(400).max(599) }),
    z.strictObject({
      kind: z.literal('rate-limited'),
      status: z.union([z.literal(429), z.literal(503)]).default(429),
      retryAfterSeconds: z.number().int().nonnegative(),
    }),
    z.strictObject({ kind: z.literal('html'), status: z.number().int().min(200).max(599).default(200) }).meta({
      description: 'an HTML page (SPA shell, sign-in, interstitial) where JSON or a feed is expected',
    }),
    z.strictObject({ kind: z.literal('empty') }).meta({ description: '200 with an empty body' }),
    z.strictObject({ kind: z.literal('restore') }).meta({ description: 'ends a fault: the channel answers its content again' }),
  ])
  .meta({ description: 'A fault; it lasts until the next event for the same channel' });

export const OfficialAnswerSchema = z.discriminatedUnion('kind', [
  PostAnswerSchema,
  ConsumerAnswerSchema,
  AzureItemsAnswerSchema,
  GraphIssueAnswerSchema,
  RawAnswerSchema,
  ...FaultAnswerSchema.options,
]);
export type OfficialAnswer = z.output<typeof OfficialAnswerSchema>;

const CONTENT_KIND_FOR: Record<OfficialChannel, string> = {
  'status-cloud-microsoft-mac': 'post',
  'status-cloud-microsoft-consumer': 'consumer',
  'azure-status-rss': 'azure-items',
  'graph-service-health': 'graph-issue',
};
const CONTENT_KINDS = new Set(Object.values(CONTENT_KIND_FOR));

// ─── events ──────────────────────────────────────────────────────────────────────────────────────

const EventBase = {
  /** When the source starts answering this (official), the item appears (press, community), the reports arrive (crowd). */
  at: IsoDateSchema,
  /** Why this event is on the tape (provenance, or "noise: explainer"). */
  note: Text(1000).optional(),
};

export const OfficialEventSchema = z
  .strictObject({
    type: z.literal('official'),
    ...EventBase,
    source: z.enum(OFFICIAL_CHANNELS),
    /** status-cloud-microsoft-mac only: limit this answer to the JSON posts or the RSS feed endpoint. */
    endpoint: z.enum(['posts', 'feed']).optional(),
    answer: OfficialAnswerSchema,
  })
  .superRefine((e, ctx) => {
    if (CONTENT_KINDS.has(e.answer.kind) && CONTENT_KIND_FOR[e.source] !== e.answer.kind) {
      ctx.addIssue({
        code: 'custom',
        path: ['answer', 'kind'],
        message: `"${e.answer.kind}" does not fit source ${e.source} (use "${CONTENT_KIND_FOR[e.source]}", "raw" or a fault)`,
      });
    }
    if (e.endpoint && e.source !== 'status-cloud-microsoft-mac') {
      ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'only status-cloud-microsoft-mac has two endpoints' });
    }
  });

export const PressEventSchema = z.strictObject({
  type: z.literal('press'),
  ...EventBase,
  /** Display name; matches a configured news source by its `outlet`, else a feed is added for it. */
  outlet: Text(120),
  /** Source id of the feed that carries the item (default: the configured source of this outlet). */
  feed: SlugSchema.optional(),
  title: Text(500),
  link: HttpUrlSchema,
  /** The item's own publish time (feeds lag: may be earlier than `at`); defaults to `at`. */
  published: IsoDateSchema.optional(),
  lang: z.enum(LANGUAGES),
  summary: Text(2000).default(''),
  categories: z.array(Text(80)).default([]),
});

export const CommunityEventSchema = z.strictObject({
  type: z.literal('community'),
  ...EventBase,
  /** Source id of the Mastodon tag feed (default: the first configured mastodon-tag source). */
  feed: SlugSchema.optional(),
  author: Text(80).default('someone'),
  /** The post's text (plain; rendered as HTML paragraphs with hashtag links like Mastodon). */
  text: Text(2000),
  link: HttpUrlSchema.optional(),
  tags: z.array(z.string().regex(/^[\p{L}\p{N}_]{1,60}$/u, 'a hashtag without #')).default([]),
});

const CrowdShares = {
  /** Share of reports per problem type (0–1, sum ≤ 1; the rest name none). */
  problemTypes: SharesSchema(z.enum(PROBLEM_TYPES)).optional(),
  /** Share of reports carrying a bounce / sign-in code (0–1, sum ≤ 1). */
  codes: SharesSchema(Text(40)).optional(),
};

export const CrowdEventSchema = z.strictObject({
  type: z.literal('crowd'),
  ...EventBase,
  service: ServiceIdSchema,
  reports: z.number().int().positive().max(100_000).default(1),
  problemType: z.enum(PROBLEM_TYPES).optional(),
  code: Text(40).optional(),
});

export const CrowdCountsEventSchema = z.strictObject({
  type: z.literal('crowd-counts'),
  ...EventBase,
  service: ServiceIdSchema,
  bucketMinutes: z.number().int().positive().max(60).default(1),
  /** Reports per bucket from `at` on, spread evenly inside each bucket. */
  counts: z.array(z.number().int().nonnegative().max(100_000)).min(1).max(100_000),
  ...CrowdShares,
});

export const CrowdCurveEventSchema = z
  .strictObject({
    type: z.literal('crowd-curve'),
    ...EventBase,
    service: ServiceIdSchema,
    /** [minutes after `at`, reports per minute], linear in between, sampled as Poisson with the tape seed. */
    points: z
      .array(z.tuple([z.number().nonnegative(), z.number().nonnegative().max(100_000)]))
      .min(2)
      .max(1000),
    ...CrowdShares,
  })
  .superRefine((e, ctx) => {
    if (e.points[0]![0] !== 0)
      ctx.addIssue({ code: 'custom', path: ['points', 0, 0], message: 'the first point must be at minute 0' });
    for (let i = 1; i < e.points.length; i++) {
      if (e.points[i]![0] <= e.points[i - 1]![0]) {
        ctx.addIssue({ code: 'custom', path: ['points', i, 0], message: 'minutes must increase' });
      }
    }
  });

export const ExpectIncidentSchema = z.strictObject({
  /** The incident must cover at least these services. */
  services: z.array(ServiceIdSchema).min(1),
  status: z.array(z.enum(INCIDENT_STATUSES)).min(1).optional(),
  confidence: z.array(z.enum(CONFIDENCES)).min(1).optional(),
  classification: z.array(z.enum(CLASSIFICATIONS)).min(1).optional(),
  officialRef: z
    .string()
    .regex(/^[A-Z]{2}\d{5,8}$/)
    .optional(),
});

export const ExpectServiceSchema = z
  .strictObject({
    is: z.array(z.enum(COMPONENT_STATUSES)).min(1).optional(),
    not: z.array(z.enum(COMPONENT_STATUSES)).min(1).optional(),
  })
  .refine((s) => s.is || s.not, 'give is or not');

export const ExpectEventSchema = z
  .strictObject({
    type: z.literal('expect'),
    ...EventBase,
    /** Names the expectation in reports; an incident matching it is never a false alarm. */
    label: Text(200),
    /** Checked at every cycle from `at` to `until` (default: only the first cycle at or after `at`). */
    until: IsoDateSchema.optional(),
    /** An open or resolved incident matching this exists. */
    incident: ExpectIncidentSchema.optional(),
    /** No open incident that is not an advisory touches these services (all services when empty). */
    noOutage: z.strictObject({ services: z.array(ServiceIdSchema).default([]) }).optional(),
    /** Component statuses in data/status.json. */
    services: z.partialRecord(ServiceIdSchema, ExpectServiceSchema).optional(),
  })
  .refine((e) => e.incident || e.noOutage || e.services, 'give incident, noOutage or services')
  .refine((e) => !e.until || e.until >= e.at, { message: 'until must not be before at', path: ['until'] });

export const TapeEventSchema = z.discriminatedUnion('type', [
  OfficialEventSchema,
  PressEventSchema,
  CommunityEventSchema,
  CrowdEventSchema,
  CrowdCountsEventSchema,
  CrowdCurveEventSchema,
  ExpectEventSchema,
]);
export type TapeEvent = z.output<typeof TapeEventSchema>;
export type TapeEventInput = z.input<typeof TapeEventSchema>;
export type OfficialEvent = z.output<typeof OfficialEventSchema>;
export type PressEvent = z.output<typeof PressEventSchema>;
export type CommunityEvent = z.output<typeof CommunityEventSchema>;
export type ExpectEvent = z.output<typeof ExpectEventSchema>;
export type CrowdCurveEvent = z.output<typeof CrowdCurveEventSchema>;
export type CrowdCountsEvent = z.output<typeof CrowdCountsEventSchema>;
export type CrowdEvent = z.output<typeof CrowdEventSchema>;

// ─── header ──────────────────────────────────────────────────────────────────────────────────────

export const TapeSourceSchema = z.strictObject({
  title: Text(300),
  url: HttpUrlSchema.optional(),
  /** Where we read it (e.g. "research/anchors.md §11"). */
  via: Text(300).optional(),
  /** Facts taken from it, as stated there. */
  facts: z.array(Text(1000)).min(1),
});

export const BaselineGeneratorSchema = z
  .strictObject({
    seed: z.number().int(),
    /** Mean reports per hour per service at weight 1 (weekly × daily). */
    perHour: z.partialRecord(ServiceIdSchema, z.number().nonnegative().max(10_000)),
    /** Weight per weekday, Monday first. */
    weekly: z.array(z.number().nonnegative()).length(7).default([1, 1, 1, 1, 0.9, 0.45, 0.4]),
    /** Weight per UTC hour 0–23. */
    daily: z
      .array(z.number().nonnegative())
      .length(24)
      .default([
        0.15, 0.1, 0.1, 0.1, 0.15, 0.3, 0.7, 1.3, 1.8, 2, 2, 1.9, 1.7, 1.8, 1.8, 1.7, 1.5, 1.2, 0.9, 0.7, 0.6, 0.5, 0.35, 0.2,
      ]),
    /** 0 = Poisson; > 0 = over-dispersed (gamma-Poisson, variance μ + dispersion·μ²) per bucket. */
    dispersion: z.number().nonnegative().max(10).default(0),
    /** Local clusters (one office's broken client): reports from several people within minutes. */
    bursts: z
      .strictObject({
        perWeek: z.number().nonnegative().max(1000),
        minSize: z.number().int().positive(),
        maxSize: z.number().int().positive(),
        spreadMinutes: z.number().positive().max(240),
      })
      .refine((b) => b.maxSize >= b.minSize, { message: 'maxSize must be ≥ minSize', path: ['maxSize'] })
      .optional(),
    problemTypes: SharesSchema(z.enum(PROBLEM_TYPES)).optional(),
    /** Weeks of history before `start` (default: the config's crowd.baselineWeeks + 2, what the crowd provider looks back). */
    historyWeeks: z.number().int().positive().max(60).optional(),
  })
  .meta({ description: 'Background crowd traffic, generated from `start - historyWeeks` to `end`' });

export const CrowdHistorySchema = z.strictObject({
  service: ServiceIdSchema,
  start: IsoDateSchema,
  bucketMinutes: z.number().int().positive().max(1440),
  counts: z.array(z.number().int().nonnegative()).min(1).max(200_000),
  problemTypes: SharesSchema(z.enum(PROBLEM_TYPES)).optional(),
});

const TapeHeaderObject = z.strictObject({
  tapeVersion: z.literal(TAPE_VERSION),
  id: SlugSchema,
  title: Text(300),
  /** outage: official incidents or real trouble; advisory: Microsoft posts something that is not an outage; blind: a source goes blind; quiet: nothing happens. */
  kind: z.enum(TAPE_KINDS),
  summary: Text(4000),
  start: IsoDateSchema,
  end: IsoDateSchema,
  /** Public reports this tape is built from; empty only for synthetic quiet tapes. */
  sources: z.array(TapeSourceSchema).default([]),
  /** What is reconstructed or invented, and how (times, crowd scale, texts). */
  reconstruction: Text(4000),
  /** Graph credentials are configured for this replay (the graph-service-health source runs). */
  graph: z.boolean().default(false),
  /** Seed for crowd-curve sampling and report identities. */
  seed: z.number().int().default(1),
  crowd: z
    .strictObject({
      baseline: BaselineGeneratorSchema.optional(),
      history: z.array(CrowdHistorySchema).default([]),
    })
    .prefault({}),
});

const endAfterStart = (h: { start: string; end: string }): boolean => h.end > h.start;

export const TapeHeaderSchema = TapeHeaderObject.refine(endAfterStart, { message: 'end must be after start', path: ['end'] });
export type TapeHeader = z.output<typeof TapeHeaderSchema>;
export type BaselineGenerator = z.output<typeof BaselineGeneratorSchema>;

/** The JSON form: the header plus `events`. (JSONL: the header on line 1, one event per line after.) */
export const TapeSchema = TapeHeaderObject.extend({ events: z.array(TapeEventSchema) })
  .refine(endAfterStart, { message: 'end must be after start', path: ['end'] })
  .meta({
    title: 'Outage Radar tape',
    description:
      'A recorded or reconstructed day (or month) of official, press, community and crowd evidence. See docs/tapes.md.',
  });

export interface Tape {
  header: TapeHeader;
  /** Sorted by time; events at the same time keep their order in the file. */
  events: TapeEvent[];
  /** Absolute path of the tape file (null for tapes parsed from a string). */
  file: string | null;
}
