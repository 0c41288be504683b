/**
 * Shape of one entry of the code catalog: an Exchange Online delivery code (NDR) or an Entra ID
 * sign-in code (AADSTS), explained in our own words in both languages.
 */
import { z } from 'zod';
import { ServiceIdSchema } from '../../domain/schemas.ts';

/** Whose side a code points to. Only `microsoft-wide` codes can be caused by an outage. */
export const CODE_SIDES = ['sender', 'recipient-tenant', 'one-mailbox', 'microsoft-wide', 'unknown'] as const;
export type CodeSide = (typeof CODE_SIDES)[number];

export const CODE_KINDS = ['ndr', 'aadsts'] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

const Sentence = z.string().min(8).max(600);

export const CodeTextSchema = z.object({
  /** Short name, e.g. "Recipient not found". */
  title: z.string().min(3).max(120),
  /** What the code means, one or two sentences. */
  meaning: Sentence,
  /** Usual causes, most likely first. */
  causes: z.array(Sentence).min(1).max(6),
  /** What the person who sent the mail (or tried to sign in) can do. */
  userSteps: z.array(Sentence).min(1).max(6),
  /** What the administrator of the affected tenant can do. */
  adminSteps: z.array(Sentence).min(1).max(6),
});
export type CodeText = z.output<typeof CodeTextSchema>;

export const CatalogEntrySchema = z
  .object({
    /** URL slug and key: `5.1.10`, `4.7.500-699`, `aadsts50034`, `aadsts80001-80014`. */
    id: z.string().regex(/^(?:[245]\.\d{1,3}\.\d{1,3}(?:-\d{1,3})?|aadsts\d{4,7}(?:-\d{4,7})?)$/),
    kind: z.enum(CODE_KINDS),
    /** How the code is written in the wild: `5.1.10`, `4.7.500–699`, `AADSTS50034`. */
    label: z.string().min(3).max(40),
    /** Typical basic SMTP reply code (`550`, `451`), NDR only. */
    smtp: z.string().regex(/^[245]\d\d$/).nullable().default(null),
    /** Other codes that mean the same and lead here (`5.7.135` → `5.7.13`, `4.7.321` → `5.7.321`). */
    aliases: z.array(z.string().regex(/^(?:[245]\.\d{1,3}\.\d{1,3}|\d{4,7})$/)).default([]),
    side: z.enum(CODE_SIDES),
    /** Temporary (4.x.x, transient sign-in errors): the sender's server or the app retries. */
    temporary: z.boolean(),
    /** Services the code concerns: whose status and crowd reports matter for it. */
    services: z.array(ServiceIdSchema).min(1),
    /** Microsoft Learn article for this code (path below the NDR folder), when one exists. */
    learnSlug: z.string().regex(/^[a-z0-9-]+$/).nullable().default(null),
    en: CodeTextSchema,
    de: CodeTextSchema,
  })
  .superRefine((e, ctx) => {
    const isNdr = /^[245]\./.test(e.id);
    if (isNdr !== (e.kind === 'ndr')) ctx.addIssue({ code: 'custom', message: `id ${e.id} does not match kind ${e.kind}` });
    if (e.kind === 'ndr' && e.temporary !== e.id.startsWith('4.')) {
      ctx.addIssue({ code: 'custom', message: `${e.id}: 4.x.x codes are temporary, 5.x.x permanent` });
    }
  });
export type CatalogEntry = z.output<typeof CatalogEntrySchema>;
export type CatalogEntryInput = z.input<typeof CatalogEntrySchema>;
