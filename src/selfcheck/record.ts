/**
 * The printable evidence record of one check, and its permalink. The record travels inside the
 * link itself (deflated, base64url) with an HMAC signature, so the server stores nothing about the
 * visitor and a forged or altered record is refused. It holds the domain, never a mailbox.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { SERVICE_IDS } from '../domain/services.ts';
import { COMPONENT_STATUSES } from '../domain/vocabulary.ts';
import type { CheckResult } from './check.ts';
import { DIRECTORY_STATES, FactSchema } from './facts.ts';
import { VERDICT_KINDS, VERDICT_RULES } from './verdict.ts';

export const EvidenceRecordSchema = z.strictObject({
  v: z.literal(1),
  checkedAt: z.string().max(40),
  /** When the domain look-ups ran (earlier than checkedAt when served from the cache). */
  lookedUpAt: z.string().max(40),
  domain: z.string().max(253).regex(/^[a-z0-9.-]+$/),
  code: z.string().max(20).nullable(),
  verdict: z.enum(VERDICT_KINDS),
  rule: z.enum(VERDICT_RULES),
  incidents: z.array(z.strictObject({ id: z.string().max(100), title: z.string().max(300) })).max(10),
  statusAt: z.string().max(40).nullable(),
  statusAvailable: z.boolean(),
  services: z.array(z.strictObject({ id: z.enum(SERVICE_IDS), status: z.enum(COMPONENT_STATUSES) })).max(20),
  crowd: z.strictObject({
    available: z.boolean(),
    codeCount: z.number().int().nonnegative().nullable(),
    codeBaseline: z.number().nonnegative().nullable(),
  }),
  directory: z.enum(DIRECTORY_STATES),
  tenantId: z.string().max(40).nullable(),
  facts: z.array(FactSchema).max(12),
});
export type EvidenceRecord = z.output<typeof EvidenceRecordSchema>;

export class RecordError extends Error {
  readonly code: 'RECORD_MALFORMED' | 'RECORD_SIGNATURE';
  constructor(code: 'RECORD_MALFORMED' | 'RECORD_SIGNATURE', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordError';
    this.code = code;
  }
}

/** The record of a check result: our status for the symptom's services at that moment, the facts, the verdict. */
export function buildEvidenceRecord(result: CheckResult): EvidenceRecord {
  const code = result.symptom ? (result.symptom.kind === 'aadsts' ? `AADSTS${result.symptom.code}` : result.symptom.code) : null;
  const codeRow = result.crowd.available ? result.crowd.code : null;
  return EvidenceRecordSchema.parse({
    v: 1,
    checkedAt: result.checkedAt,
    lookedUpAt: result.domainFacts.checkedAt,
    domain: result.domain,
    code,
    verdict: result.verdict.kind,
    rule: result.verdict.rule,
    incidents: result.verdict.incidents.slice(0, 10).map((i) => ({ id: i.id, title: i.title.slice(0, 300) })),
    statusAt: result.status.generatedAt,
    statusAvailable: result.status.available,
    services: result.status.services.filter((s) => result.services.includes(s.id)).map((s) => ({ id: s.id, status: s.status })),
    crowd: { available: result.crowd.available, codeCount: codeRow?.count ?? null, codeBaseline: codeRow ? Math.round(codeRow.baseline * 10) / 10 : null },
    directory: result.domainFacts.summary.directory,
    tenantId: result.domainFacts.summary.tenantId,
    facts: result.domainFacts.facts,
  });
}

const SIG_BYTES = 16;
const MAX_TOKEN_CHARS = 8_000;

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(`outage-radar/selfcheck-record/v1.${payload}`).digest().subarray(0, SIG_BYTES).toString('base64url');
}

/** `<deflated JSON, base64url>.<signature>`: the `r` parameter of the record's permalink. */
export function encodeRecord(record: EvidenceRecord, secret: string): string {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(EvidenceRecordSchema.parse(record)))).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

/** Verifies and decodes a permalink token. Throws RecordError. */
export function decodeRecord(token: string, secret: string): EvidenceRecord {
  if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    throw new RecordError('RECORD_MALFORMED', 'not an evidence record link');
  }
  const [payload, signature] = token.split('.') as [string, string];
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new RecordError('RECORD_SIGNATURE', 'this record was not issued by this site or was changed');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(inflateRawSync(Buffer.from(payload, 'base64url'), { maxOutputLength: 64 * 1024 }).toString('utf8'));
  } catch (cause) {
    throw new RecordError('RECORD_MALFORMED', 'the record cannot be read', { cause });
  }
  const parsed = EvidenceRecordSchema.safeParse(raw);
  if (!parsed.success) throw new RecordError('RECORD_MALFORMED', 'the record has an unknown shape', { cause: parsed.error });
  return parsed.data;
}

export const RECORD_SECRET_FILE = '.selfcheck-secret';

/**
 * The signing secret: OUTAGE_RADAR_SELFCHECK_SECRET, else a random one kept in
 * `<dataDir>/.selfcheck-secret` (mode 0600; a concurrent creator's file wins).
 */
export async function resolveRecordSecret(env: NodeJS.ProcessEnv, dataDir: string): Promise<string> {
  const fromEnv = env.OUTAGE_RADAR_SELFCHECK_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error('OUTAGE_RADAR_SELFCHECK_SECRET must have at least 16 characters');
    return fromEnv;
  }
  const file = path.join(dataDir, RECORD_SECRET_FILE);
  await fs.mkdir(dataDir, { recursive: true });
  try {
    const handle = await fs.open(file, 'wx', 0o600);
    try {
      await handle.writeFile(randomBytes(32).toString('hex'));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = (await fs.readFile(file, 'utf8')).trim();
  if (secret.length < 16) throw new Error(`${file} holds no usable secret; delete it to create a new one`);
  return secret;
}
