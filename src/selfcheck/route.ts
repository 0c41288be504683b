/**
 * What the /check page does with a request, apart from rendering: parse the query, refuse bad input
 * before any look-up, send addresses and bounce texts to a canonical URL that holds only the domain
 * and the codes, apply the per-client rate limit, run the check. Pure except for the runtime calls.
 */
import type { Lang } from '../domain/vocabulary.ts';
import type { CheckResult } from './check.ts';
import { isSelfCheckInputError, parseSymptom, parseTarget, type SelfCheckInputError, type Symptom } from './parse.ts';
import { checkPaths } from './paths.ts';
import { presentCheck, type CheckView } from './present.ts';
import { buildEvidenceRecord, encodeRecord } from './record.ts';
import type { SelfCheckRuntime } from './runtime.ts';

export type CheckOutcome =
  | { kind: 'form'; q: string; code: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'invalid'; status: 400; q: string; code: string; error: SelfCheckInputError }
  | { kind: 'rate-limited'; status: 429; q: string; code: string; retryAfterSeconds: number }
  | { kind: 'result'; q: string; code: string; result: CheckResult; view: CheckView; recordHref: string };

/** The code field as it goes into URLs: only the codes, never the pasted text. */
export function canonicalCode(symptoms: readonly Symptom[]): string {
  return symptoms.map((s) => (s.kind === 'aadsts' ? `AADSTS${s.code}` : s.code)).join(' ');
}

export async function handleCheckRequest(input: {
  lang: Lang;
  url: URL;
  clientAddress: string | null;
  forwardedFor: string | null;
  getRuntime: () => Promise<SelfCheckRuntime>;
}): Promise<CheckOutcome> {
  const rawQ = input.url.searchParams.get('q');
  const rawCode = input.url.searchParams.get('code') ?? '';
  if (rawQ === null) return { kind: 'form', q: '', code: rawCode.slice(0, 2000) };

  let target;
  let symptoms;
  try {
    target = parseTarget(rawQ);
    symptoms = parseSymptom(rawCode);
  } catch (err) {
    if (!isSelfCheckInputError(err)) throw err;
    // Echo the visitor's text back into the form only when it is the field without the error and short.
    return { kind: 'invalid', status: 400, q: err.field === 'target' ? '' : rawQ.slice(0, 320), code: err.field === 'symptom' ? '' : rawCode.slice(0, 2000), error: err };
  }
  const code = canonicalCode(symptoms);
  if (rawQ !== target.displayDomain || rawCode !== code) {
    return { kind: 'redirect', location: checkPaths.check(input.lang, { q: target.displayDomain, code }) };
  }

  const runtime = await input.getRuntime();
  const decision = runtime.limiter.take(runtime.clientKey({ socketAddress: input.clientAddress, forwardedFor: input.forwardedFor }), runtime.now());
  if (!decision.allowed) return { kind: 'rate-limited', status: 429, q: rawQ, code, retryAfterSeconds: decision.retryAfterSeconds };

  const result = await runtime.service.check({ target, symptoms });
  const token = encodeRecord(buildEvidenceRecord(result), runtime.recordSecret);
  return { kind: 'result', q: rawQ, code, result, view: presentCheck(result, input.lang), recordHref: checkPaths.record(input.lang, token) };
}
