/**
 * The operator's configuration: one typed file (`outage-radar.config.ts` by default). Secrets never
 * live here; they come from the environment (see README). Every source URL can be pointed elsewhere,
 * so tests and the offline demo run the real scrapers against a local server.
 */
import { z } from 'zod';
import { LANGUAGES } from '../domain/vocabulary.ts';
import { ServiceIdSchema } from '../domain/schemas.ts';

export const SOURCE_ADAPTERS = [
  'status-cloud-microsoft-posts',
  'status-cloud-microsoft-feed',
  'azure-status-rss',
  'graph-service-health',
  'news-feed',
  'mastodon-tag',
  'reddit',
] as const;
export type SourceAdapterName = (typeof SOURCE_ADAPTERS)[number];

const UrlSchema = z.url({ protocol: /^https?$/ });

export const SourceConfigSchema = z.object({
  /** Stable id = adapter file stem + channel, e.g. `heise-atom`; used in data file names. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/),
  adapter: z.enum(SOURCE_ADAPTERS),
  enabled: z.boolean().default(true),
  url: UrlSchema,
  /** Minimum minutes between two fetches of this source. */
  intervalMinutes: z.number().positive().default(5),
  /** Press / community: display name of the outlet. */
  outlet: z.string().max(120).optional(),
  /** Press / community: language of the items when the feed does not say. */
  lang: z.enum(LANGUAGES).optional(),
  /** Press: read article pages (canonical URL, publish time, incident ids) when robots.txt allows. */
  readArticles: z.boolean().default(false),
  /** Graph: token endpoint base (the tenant id is appended from the environment). */
  tokenUrl: UrlSchema.optional(),
  /** Services this source can see (for "unknown when blind"); defaults per adapter. */
  services: z.array(ServiceIdSchema).optional(),
});
export type SourceConfig = z.output<typeof SourceConfigSchema>;
export type SourceConfigInput = z.input<typeof SourceConfigSchema>;

export const HttpConfigSchema = z.object({
  userAgent: z
    .string()
    .default('OutageRadar/0.1 (+https://github.com/outage-radar/outage-radar; independent status aggregator)'),
  /** Whole-request deadline, connect to last body byte. */
  deadlineMs: z.number().int().positive().default(15_000),
  connectTimeoutMs: z.number().int().positive().default(5_000),
  headersTimeoutMs: z.number().int().positive().default(10_000),
  bodyTimeoutMs: z.number().int().positive().default(10_000),
  maxBytes: z.number().int().positive().default(5 * 1024 * 1024),
  maxRedirects: z.number().int().nonnegative().default(5),
  /** Retries for idempotent requests on connection errors and 5xx (not 4xx). */
  retries: z.number().int().nonnegative().default(1),
  /** Longest Retry-After we honour; a longer one is clamped (and logged). */
  maxRetryAfterMinutes: z.number().positive().default(24 * 60),
});

export const CorrelationConfigSchema = z.object({
  /** Press or crowd evidence attaches to an open incident of the same service within this window. */
  attachWindowMinutes: z.number().positive().default(6 * 60),
  /** Independent outlets needed to open a suspected incident without official word. */
  minOutletsForSuspected: z.number().int().positive().default(2),
  /** Window in which those outlets must publish. */
  pressWindowMinutes: z.number().positive().default(3 * 60),
  /** A suspected incident with no new evidence for this long is closed as resolved. */
  suspectedExpiryMinutes: z.number().positive().default(6 * 60),
  /** An official incident that disappears from a source that lists only active ones resolves after this. */
  officialVanishGraceMinutes: z.number().nonnegative().default(30),
  /**
   * Two official sources describing one event without a shared id (the status site's post and
   * Graph's issue) join when their first words are this close, services overlap and titles agree.
   */
  officialTwinWindowMinutes: z.number().nonnegative().default(120),
});

export const CrowdConfigSchema = z.object({
  bucketMinutes: z.number().int().positive().default(5),
  /** Same time of week over this many past weeks forms the baseline. */
  baselineWeeks: z.number().int().positive().default(4),
  /** Minimum reports in a bucket before a spike can count. */
  minCount: z.number().int().positive().default(8),
  /** Poisson tail threshold, as -log10(p). */
  minScore: z.number().positive().default(6),
  /** Consecutive elevated buckets needed. */
  minBuckets: z.number().int().positive().default(2),
  /** Reports return to baseline for this long → the crowd signal ends. */
  quietBucketsToClose: z.number().int().positive().default(6),
  /** An elevated bucket also needs this multiple of its baseline (3× at least while history is short). */
  minRatio: z.number().min(1).default(2),
  /**
   * A spike bucket whose typed reports are at least this share "sign-in" also counts as evidence
   * about Entra ID sign-in (the identity platform every service signs in through), so sign-in
   * spikes on several services become one incident with Entra ID. null switches it off.
   */
  identitySignInShare: z.number().gt(0).max(1).nullable().default(0.6),
});

export const ReportsConfigSchema = z.object({
  /** Accept crowd reports (needs `npm start`; always off on static hosting). */
  enabled: z.boolean().default(true),
  /** Only the first report per client per service per window counts. */
  dedupWindowMinutes: z.number().positive().default(60),
  /** Max reports per client per minute across services. */
  rateLimitPerMinute: z.number().int().positive().default(10),
  /** How often the salt that hashes client addresses rotates. */
  saltRotationHours: z.number().positive().default(24),
  maxBodyBytes: z.number().int().positive().default(4096),
  /**
   * SQLite store: `full` syncs every commit to disk (an acknowledged report survives a power cut);
   * `normal` survives a killed process but a power cut may lose the last commits (much faster on a
   * busy disk).
   */
  sqliteSynchronous: z.enum(['full', 'normal']).default('full'),
  /**
   * SQLite store: most distinct clients kept in memory for one dedup window (~100 bytes each);
   * past it, reports from new clients are refused with 503 until the window ends.
   */
  maxTrackedClients: z.number().int().positive().default(2_000_000),
});

export const SiteConfigSchema = z.object({
  url: UrlSchema.default('http://localhost:4321'),
  title: z.string().default('Outage Radar'),
  defaultLang: z.enum(LANGUAGES).default('en'),
  /** The page warns when the last successful cycle is older than this. */
  staleAfterMinutes: z.number().positive().default(30),
  /** A service whose covering sources all failed for this long shows `unknown`. */
  blindAfterMinutes: z.number().positive().default(20),
  /** Static hosting: no server, so no report form and no on-demand routes. */
  staticHosting: z.boolean().default(false),
  historyPageSize: z.number().int().positive().default(50),
});

/** Payload formats a notification target can receive. */
export const NOTIFICATION_FORMATS = ['json', 'teams', 'slack', 'discord'] as const;
export type NotificationFormat = (typeof NOTIFICATION_FORMATS)[number];

/** What happened to an incident, as a notification announces it. */
export const NOTIFICATION_EVENT_TYPES = ['suspected', 'opened', 'updated', 'resolved'] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENT_TYPES)[number];

const EnvNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name');

/** One outgoing webhook. Webhook URLs are secrets: prefer `urlEnv` over `url`. */
export const NotificationTargetSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/),
    format: z.enum(NOTIFICATION_FORMATS),
    url: UrlSchema.optional(),
    /** Name of the environment variable holding the webhook URL. */
    urlEnv: EnvNameSchema.optional(),
    /** Only incidents that touch one of these services; every service when absent. */
    services: z.array(ServiceIdSchema).min(1).optional(),
    /** Only these event types; all when absent. */
    events: z.array(z.enum(NOTIFICATION_EVENT_TYPES)).min(1).optional(),
    /** Language of chat messages; `site.defaultLang` when absent. */
    lang: z.enum(LANGUAGES).optional(),
    /** json format: environment variable holding a secret that signs each body (HMAC-SHA256). */
    secretEnv: EnvNameSchema.optional(),
    enabled: z.boolean().default(true),
  })
  .refine((t) => (t.url === undefined) !== (t.urlEnv === undefined), {
    message: 'set exactly one of url or urlEnv',
    path: ['url'],
  });
export type NotificationTarget = z.output<typeof NotificationTargetSchema>;

export const NotificationsConfigSchema = z
  .object({
    targets: z.array(NotificationTargetSchema).default([]),
    /** Attempts per event and target before it is given up. */
    maxAttempts: z.number().int().positive().default(10),
    /** An event still undelivered this long after it was queued is given up. */
    maxAgeHours: z.number().positive().default(24),
    /** Deadline of one delivery attempt, connect to response. */
    timeoutMs: z.number().int().positive().default(10_000),
    /** Deliveries in flight at once (never more than one per target, so order holds). */
    concurrency: z.number().int().positive().default(4),
    /** First retry delay; doubles per attempt (with jitter) up to `maxBackoffMs`. */
    backoffBaseMs: z.number().int().positive().default(5_000),
    maxBackoffMs: z.number().int().positive().default(30 * 60_000),
    /** Longest Retry-After (429/503) honoured; a longer one is clamped. */
    maxRetryAfterSeconds: z.number().positive().default(3_600),
    /** Delivered and given-up entries stay in the outbox this long, so a replayed event is not sent twice. */
    keepDays: z.number().positive().default(7),
  })
  .superRefine((n, ctx) => {
    const seen = new Set<string>();
    n.targets.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', message: `target id "${t.id}" appears twice`, path: ['targets', i, 'id'] });
      seen.add(t.id);
    });
  });
export type NotificationsConfig = z.output<typeof NotificationsConfigSchema>;

/** The self-check ("is it me?"): where look-ups go and how hard they may be used. */
export const SelfCheckConfigSchema = z.object({
  /** Serve /check (needs `npm start`; on static hosting the page points to `npm run check`). */
  enabled: z.boolean().default(true),
  /** DNS servers as `ip` or `ip:port`; empty = the system's resolvers. */
  dnsServers: z.array(z.string().min(1)).default([]),
  /** Per DNS try, in milliseconds. */
  timeoutMs: z.number().int().positive().default(3_000),
  tries: z.number().int().positive().max(5).default(2),
  /** Whole-request deadline for one directory look-up. */
  httpTimeoutMs: z.number().int().positive().default(5_000),
  /** Bases of Microsoft's public directory endpoints (tests point them at a local server). */
  directory: z
    .object({
      realmBaseUrl: UrlSchema.default('https://login.microsoftonline.com'),
      userRealmBaseUrl: UrlSchema.default('https://login.microsoftonline.com'),
      openIdBaseUrl: UrlSchema.default('https://login.microsoftonline.com'),
    })
    .prefault({}),
  /** How long one domain's facts are reused. */
  cacheSeconds: z.number().int().nonnegative().default(300),
  /** Shorter reuse for results with a failed look-up or a domain Microsoft does not know. */
  negativeCacheSeconds: z.number().int().nonnegative().default(60),
  /** Outgoing look-ups (DNS and HTTP together) in flight at once, across all visitors. */
  maxConcurrentLookups: z.number().int().positive().default(16),
  /** Look-ups allowed to wait for a slot; beyond that a look-up is reported as unknown at once. */
  maxQueuedLookups: z.number().int().nonnegative().default(256),
  /** Checks per client per minute. */
  rateLimitPerMinute: z.number().int().positive().default(10),
  /** Checks per client per UTC day: the check must not become a tenant-enumeration service. */
  rateLimitPerDay: z.number().int().positive().default(100),
  /** Local part sent where an endpoint wants a login name; never the visitor's. */
  placeholderMailbox: z.string().regex(/^[a-z0-9._-]{1,32}$/).default('nobody'),
});

export const ConfigSchema = z.object({
  site: SiteConfigSchema.prefault({}),
  /** Where records live; relative to the config file's folder. */
  dataDir: z.string().default('data'),
  http: HttpConfigSchema.prefault({}),
  sources: z.array(SourceConfigSchema),
  correlation: CorrelationConfigSchema.prefault({}),
  crowd: CrowdConfigSchema.prefault({}),
  reports: ReportsConfigSchema.prefault({}),
  selfCheck: SelfCheckConfigSchema.prefault({}),
  /** Cron expression for `npm start`'s cycle. */
  schedule: z.string().default('*/2 * * * *'),
  /** Outgoing webhooks on incident changes (README § Notifications). */
  notifications: NotificationsConfigSchema.prefault({}),
});
export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** Identity helper that gives a config file types and editor completion. */
export function defineConfig(config: ConfigInput): ConfigInput {
  return config;
}
