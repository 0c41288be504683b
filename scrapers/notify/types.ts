/**
 * Records of the notification pipeline: the event a diff produces, the outbox that keeps
 * undelivered events across restarts (`data/notifications/outbox.json`) and one line of the
 * delivery log (`data/notifications/deliveries.jsonl`).
 */
import { z } from 'zod';
import { IncidentSchema, IsoDateSchema } from '../../src/domain/schemas.ts';
import { IMPACTS, INCIDENT_STATUSES } from '../../src/domain/vocabulary.ts';
import { NOTIFICATION_EVENT_TYPES } from '../../src/config/schema.ts';

const ChangeSchema = <T extends readonly [string, ...string[]]>(values: T) =>
  z.object({ from: z.enum(values), to: z.enum(values) }).nullable();

/** One thing worth telling a receiver about one incident. */
export const NotificationEventSchema = z.object({
  /** Stable: the same change of the same incident always gets the same id (`evt_` + 24 hex). */
  id: z.string().regex(/^evt_[0-9a-f]{24}$/),
  type: z.enum(NOTIFICATION_EVENT_TYPES),
  incidentId: z.string().min(1),
  /** When the change happened (the incident's `updatedAt`). */
  at: IsoDateSchema,
  /** The incident as it is after the change. */
  incident: IncidentSchema,
  changes: z.object({
    status: ChangeSchema(INCIDENT_STATUSES),
    impact: ChangeSchema(IMPACTS),
    /** Timeline entries that are new with this change, newest first. */
    newUpdateIds: z.array(z.string()),
    /** Id of the incident this one continues (a merge), when it was known under another id. */
    previousId: z.string().nullable(),
  }),
});
export type NotificationEvent = z.output<typeof NotificationEventSchema>;

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** Stable codes of delivery failures; they land in the delivery log and the outbox. */
export const NOTIFY_ERROR_CODES = [
  'NOTIFY_TIMEOUT', // no answer within the attempt deadline (connect, headers or body)
  'NOTIFY_NETWORK', // refused, reset, DNS failure
  'NOTIFY_ABORTED', // cut short by drain's deadline or shutdown
  'NOTIFY_RATE_LIMITED', // 429 (or 503 with Retry-After): retried after the time the receiver asked for
  'NOTIFY_HTTP_STATUS', // 5xx, 408, 425 (retried) or a redirect (not followed, not retried)
  'NOTIFY_REJECTED', // any other 4xx: the receiver refuses this payload or URL; not retried
  'NOTIFY_NOT_CONFIGURED', // the target's urlEnv is unset or not an http(s) URL
  'NOTIFY_GAVE_UP', // attempts or age exhausted
  'NOTIFY_TARGET_REMOVED', // the target left the config while the event was pending
  'NOTIFY_OUTBOX_INVALID', // the outbox file could not be parsed (it is kept aside)
  'NOTIFY_OUTBOX_WRITE', // the outbox or log could not be written
] as const;
export type NotifyErrorCode = (typeof NOTIFY_ERROR_CODES)[number];

export class NotifyError extends Error {
  readonly code: NotifyErrorCode;
  constructor(code: NotifyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotifyError';
    this.code = code;
  }
}

export const DeliveryErrorSchema = z.object({
  code: z.enum(NOTIFY_ERROR_CODES),
  message: z.string().max(1000),
});
export type DeliveryError = z.output<typeof DeliveryErrorSchema>;

/** An event as queued: kept once however many targets receive it. */
export const OutboxEventSchema = z.object({
  event: NotificationEventSchema,
  /** Page indicator when the event was queued (Statuspage `page.status_indicator`). */
  indicator: z.enum(IMPACTS),
  queuedAt: IsoDateSchema,
});
export type OutboxEvent = z.output<typeof OutboxEventSchema>;

/** One event for one target. Entries of a target are delivered in queue order. */
export const OutboxEntrySchema = z.object({
  eventId: z.string(),
  targetId: z.string(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int().nonnegative(),
  queuedAt: IsoDateSchema,
  /** Not before this time (backoff, Retry-After). */
  nextAttemptAt: IsoDateSchema,
  lastAttemptAt: IsoDateSchema.nullable(),
  /** HTTP status of the last attempt, null when none came back. */
  lastStatus: z.number().int().nullable(),
  lastError: DeliveryErrorSchema.nullable(),
  /** When it was delivered or given up. */
  doneAt: IsoDateSchema.nullable(),
});
export type OutboxEntry = z.output<typeof OutboxEntrySchema>;

export const OutboxSchema = z.object({
  version: z.literal(1),
  events: z.record(z.string(), OutboxEventSchema),
  entries: z.array(OutboxEntrySchema),
});
export type Outbox = z.output<typeof OutboxSchema>;

export const DELIVERY_OUTCOMES = ['delivered', 'retry', 'gave_up', 'skipped', 'outbox_reset'] as const;

/** One line of `deliveries.jsonl`: one attempt (or one decision not to attempt). */
export const DeliveryLogLineSchema = z.object({
  at: IsoDateSchema,
  eventId: z.string().nullable(),
  eventType: z.enum(NOTIFICATION_EVENT_TYPES).nullable(),
  incidentId: z.string().nullable(),
  targetId: z.string().nullable(),
  /** 1-based attempt number; 0 when no request was made. */
  attempt: z.number().int().nonnegative(),
  outcome: z.enum(DELIVERY_OUTCOMES),
  status: z.number().int().nullable(),
  error: DeliveryErrorSchema.nullable(),
  durationMs: z.number().nonnegative().nullable(),
  nextAttemptAt: IsoDateSchema.nullable(),
});
export type DeliveryLogLine = z.output<typeof DeliveryLogLineSchema>;
