/**
 * What a visitor submits ("I have a problem with Outlook") and what the report store keeps.
 * Pure: no I/O. The store never sees a raw IP address, only `clientId` (see client-id.ts).
 */
import { z } from 'zod';
import { ServiceIdSchema } from '../domain/schemas.ts';
import type { ServiceId } from '../domain/services.ts';
import { LANGUAGES, PROBLEM_TYPES, type ProblemType } from '../domain/vocabulary.ts';

/** Longest bounce-code input we look at (before normalising). */
export const MAX_BOUNCE_CODE_INPUT = 40;

const BASIC = String.raw`([245])\d\d`;
const ENHANCED = String.raw`([245])\.(\d{1,3})\.(\d{1,3})`;
const BOUNCE_CODE_RE = new RegExp(String.raw`^(?:${BASIC}(?:[ -]+${ENHANCED})?|${ENHANCED})$`);

/**
 * Normalises an SMTP bounce code as people paste it from a non-delivery report: a basic reply code
 * (`550`), an RFC 3463 enhanced status (`5.7.1`, `4.7.500`), or both (`550 5.1.10`, `550-5.7.1`).
 * Returns the canonical form (`550 5.1.10`) or null when the text is not such a code, including a
 * basic and an enhanced code of different classes (`550 4.7.1`).
 */
export function normalizeBounceCode(raw: string): string | null {
  if (raw.length > MAX_BOUNCE_CODE_INPUT) return null;
  const text = raw.trim().replace(/\s+/g, ' ');
  const m = BOUNCE_CODE_RE.exec(text);
  if (!m) return null;
  const [, basicClass, enhancedClass, subject, detail, onlyClass, onlySubject, onlyDetail] = m;
  if (basicClass !== undefined) {
    const basic = text.slice(0, 3);
    if (enhancedClass === undefined) return basic;
    if (enhancedClass !== basicClass) return null;
    return `${basic} ${enhancedClass}.${Number(subject)}.${Number(detail)}`;
  }
  return `${onlyClass}.${Number(onlySubject)}.${Number(onlyDetail)}`;
}

/** Stable codes of the per-field validation problems (also used as i18n keys). */
export const FIELD_ERROR_CODES = [
  'SERVICE_MISSING',
  'SERVICE_UNKNOWN',
  'PROBLEM_TYPE_MISSING',
  'PROBLEM_TYPE_UNKNOWN',
  'BOUNCE_CODE_INVALID',
  'LANG_UNKNOWN',
  'FIELD_UNKNOWN',
  'FIELD_NOT_TEXT',
  'BODY_NOT_OBJECT',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

const BounceCodeFieldSchema = z
  .string()
  .transform((s, ctx) => {
    if (s.trim() === '') return null;
    const code = normalizeBounceCode(s);
    if (code === null) {
      ctx.addIssue({ code: 'custom', message: 'BOUNCE_CODE_INVALID', input: s });
      return z.NEVER;
    }
    return code;
  })
  .nullable()
  .optional();

/** The body of a report, from JSON or a form. Unknown fields are refused, not ignored. */
export const ReportInputSchema = z.strictObject({
  service: ServiceIdSchema,
  problemType: z.enum(PROBLEM_TYPES),
  /** Optional SMTP bounce code; empty means none. */
  code: BounceCodeFieldSchema,
  /** Language of the page the form was on (for the confirmation page). */
  lang: z.enum(LANGUAGES).optional(),
});
export type ReportInput = z.output<typeof ReportInputSchema>;

export interface FieldError {
  field: string;
  code: FieldErrorCode;
}

/** Validates a parsed body; returns the report or every field problem with a stable code. */
export function validateReportInput(raw: unknown): { ok: true; value: ReportInput } | { ok: false; errors: FieldError[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ field: '(body)', code: 'BODY_NOT_OBJECT' }] };
  }
  const parsed = ReportInputSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: { ...parsed.data, code: parsed.data.code ?? null } };
  const given = raw as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ field: key.slice(0, 60), code: 'FIELD_UNKNOWN' });
      continue;
    }
    const field = String(issue.path[0] ?? '');
    const missing = given[field] === undefined;
    if (field === 'service') errors.push({ field, code: missing ? 'SERVICE_MISSING' : 'SERVICE_UNKNOWN' });
    else if (field === 'problemType') errors.push({ field, code: missing ? 'PROBLEM_TYPE_MISSING' : 'PROBLEM_TYPE_UNKNOWN' });
    else if (field === 'code') errors.push({ field, code: issue.code === 'invalid_type' ? 'FIELD_NOT_TEXT' : 'BOUNCE_CODE_INVALID' });
    else if (field === 'lang') errors.push({ field, code: 'LANG_UNKNOWN' });
    else errors.push({ field: field || '(body)', code: 'FIELD_NOT_TEXT' });
  }
  return { ok: false, errors };
}

/** A validated report as the store receives it. */
export interface NewReport {
  service: ServiceId;
  problemType: ProblemType;
  /** Normalised bounce code or null. */
  code: string | null;
  /** Salted hash of the client address (client-id.ts); never an address. */
  clientId: string;
  receivedAt: Date;
}

/** Outcome of `ReportStore.add`, known only after the store committed durably. */
export interface AddResult {
  /** Stored and counted. */
  accepted: boolean;
  /** The same client already reported this service in the current window (not counted). */
  duplicate: boolean;
  /** Rate limited: seconds until the client may report again. */
  retryAfter?: number;
  /** Store row id of an accepted report. */
  id?: string;
}

/** Counts of one service over a time range, grouped by problem type and bounce code. */
export interface ReportAggregate {
  count: number;
  problemTypes: Partial<Record<ProblemType, number>>;
  codes: Record<string, number>;
}

/** Counts per bucket: `counts[i]` covers `[from + i·bucket, from + (i+1)·bucket)`. */
export interface BucketCounts {
  /** `from` aligned down to a multiple of the bucket length since the epoch. */
  from: Date;
  bucketMinutes: number;
  counts: number[];
}

/** Rate limit and duplicate suppression settings (from `config.reports`). */
export interface ReportPolicy {
  dedupWindowMinutes: number;
  rateLimitPerMinute: number;
}

const MINUTE = 60_000;

/** Window keys both stores use, so SQLite and PostgreSQL agree on every boundary. */
export function policyKeys(policy: ReportPolicy, at: Date): { minute: number; window: number; retryAfter: number } {
  const ms = at.getTime();
  const minute = Math.floor(ms / MINUTE);
  const window = Math.floor(ms / (policy.dedupWindowMinutes * MINUTE));
  const retryAfter = Math.max(1, Math.ceil(((minute + 1) * MINUTE - ms) / 1000));
  return { minute, window, retryAfter };
}

/** Aligns `at` down to a bucket boundary (multiples of the bucket since the epoch, UTC). */
export function alignToBucket(at: Date, bucketMinutes: number): Date {
  const size = bucketMinutes * MINUTE;
  return new Date(Math.floor(at.getTime() / size) * size);
}

/** Number of buckets from aligned `from` up to (excluding) `to`. */
export function bucketCount(from: Date, to: Date, bucketMinutes: number): number {
  const size = bucketMinutes * MINUTE;
  return Math.max(0, Math.ceil((to.getTime() - alignToBucket(from, bucketMinutes).getTime()) / size));
}

export class ReportStoreError extends Error {
  readonly code: 'STORE_UNAVAILABLE' | 'STORE_CLOSED' | 'STORE_SCHEMA';
  constructor(code: ReportStoreError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReportStoreError';
    this.code = code;
  }
}
