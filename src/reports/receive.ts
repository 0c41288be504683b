/**
 * Receiving one crowd report, independent of the HTTP framework: the Astro routes
 * (`/api/reports`, `/<lang>/report/`) and the plain node:http fast path (`node-handler.ts`) all
 * call `receiveReport` and map its outcome to a response.
 *
 * Order of checks, cheapest first: enabled → method → content type → Origin/Referer → declared
 * size → body read under the size cap → parse → validate → client id → store (rate limit, dedup,
 * durable insert). Bad input always ends in a 4xx with a stable code; only a store that cannot
 * commit answers 503.
 */
import { Readable } from 'node:stream';
import { LANGUAGES, type Lang } from '../domain/vocabulary.ts';
import type { Logger } from '../lib/log.ts';
import type { ClientHasher } from './client-id.ts';
import { pickClientAddress } from './client-id.ts';
import { validateReportInput, type FieldError, type ReportInput } from './report.ts';
import type { ReportStore } from './store.ts';

export const RECEIVE_ERROR_CODES = [
  'REPORTS_DISABLED',
  'METHOD_NOT_ALLOWED',
  'UNSUPPORTED_MEDIA_TYPE',
  'ORIGIN_REQUIRED',
  'ORIGIN_MISMATCH',
  'PAYLOAD_TOO_LARGE',
  'BODY_INCOMPLETE',
  'BODY_ENCODING',
  'INVALID_JSON',
  'FIELD_REPEATED',
  'INVALID_REPORT',
  'CLIENT_UNKNOWN',
  'RATE_LIMITED',
  'STORE_UNAVAILABLE',
] as const;
export type ReceiveErrorCode = (typeof RECEIVE_ERROR_CODES)[number];

const STATUS: Record<ReceiveErrorCode, number> = {
  REPORTS_DISABLED: 404,
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ORIGIN_REQUIRED: 403,
  ORIGIN_MISMATCH: 403,
  PAYLOAD_TOO_LARGE: 413,
  BODY_INCOMPLETE: 400,
  BODY_ENCODING: 400,
  INVALID_JSON: 400,
  FIELD_REPEATED: 400,
  INVALID_REPORT: 400,
  CLIENT_UNKNOWN: 400,
  RATE_LIMITED: 429,
  STORE_UNAVAILABLE: 503,
};

const MESSAGES: Record<ReceiveErrorCode, string> = {
  REPORTS_DISABLED: 'This site does not accept problem reports.',
  METHOD_NOT_ALLOWED: 'Send reports with POST.',
  UNSUPPORTED_MEDIA_TYPE: 'Send application/json or application/x-www-form-urlencoded (UTF-8).',
  ORIGIN_REQUIRED: 'Reports must come from this site (no Origin or Referer header).',
  ORIGIN_MISMATCH: 'Reports must come from this site (Origin or Referer names another site).',
  PAYLOAD_TOO_LARGE: 'The report is too large.',
  BODY_INCOMPLETE: 'The request body ended early.',
  BODY_ENCODING: 'The request body is not valid UTF-8.',
  INVALID_JSON: 'The request body is not valid JSON.',
  FIELD_REPEATED: 'A form field appears more than once.',
  INVALID_REPORT: 'The report has invalid or missing fields.',
  CLIENT_UNKNOWN: 'The client address could not be determined.',
  RATE_LIMITED: 'Too many reports from this address; try again later.',
  STORE_UNAVAILABLE: 'Reports cannot be stored right now; try again shortly.',
};

/** What `receiveReport` needs of a request. */
export interface ReceiveRequest {
  method: string;
  /** The URL as this server sees it (scheme + Host): its origin is one of the allowed origins. */
  url: Pick<URL, 'origin'>;
  header(name: string): string | null;
  /** Body chunks; read only after the cheap checks passed. */
  body: AsyncIterable<Uint8Array> | null;
  socketAddress: string | null;
}

export interface ReceiveContext {
  siteUrl: string;
  enabled: boolean;
  maxBodyBytes: number;
  store: ReportStore;
  hasher: ClientHasher;
  trustProxy: boolean;
  now: () => Date;
  log: Logger;
}

export type BodyFormat = 'json' | 'form';

export type ReceiveOutcome =
  | { ok: true; status: 202 | 200; result: 'accepted' | 'duplicate'; report: ReportInput; format: BodyFormat }
  | {
      ok: false;
      status: number;
      code: ReceiveErrorCode;
      message: string;
      format: BodyFormat | null;
      fields?: FieldError[];
      retryAfter?: number;
      /** What could be read of the report (to refill the form and pick the page language). */
      partial?: { service?: string; problemType?: string; code?: string; lang?: Lang };
    };

function fail(
  code: ReceiveErrorCode,
  format: BodyFormat | null,
  extra: Partial<Extract<ReceiveOutcome, { ok: false }>> = {},
): Extract<ReceiveOutcome, { ok: false }> {
  return { ok: false, status: STATUS[code], code, message: MESSAGES[code], format, ...extra };
}

/** The body format named by a Content-Type header, or null for anything else (or a non-UTF-8 charset). */
export function bodyFormatOf(contentType: string | null): BodyFormat | null {
  if (!contentType) return null;
  const [type = '', ...params] = contentType.toLowerCase().split(';').map((p) => p.trim());
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') return null;
  if (type === 'application/json') return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return null;
}

function originOf(value: string): string | null {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * Same-origin check for a state-changing request: the Origin header (or, when a browser sent none,
 * the Referer's origin) must be the site's public origin or the origin this server was reached at.
 */
export function checkOrigin(req: Pick<ReceiveRequest, 'header' | 'url'>, siteUrl: string): ReceiveErrorCode | null {
  const allowed = (candidate: string) => {
    // A browser's Origin is exactly scheme://host[:port]: compare strings before parsing anything.
    if (candidate === req.url.origin || candidate === siteOriginOf(siteUrl)) return true;
    const o = originOf(candidate);
    return o !== null && (o === req.url.origin || o === siteOriginOf(siteUrl));
  };
  const origin = req.header('origin');
  if (origin !== null) return allowed(origin) ? null : 'ORIGIN_MISMATCH';
  const referer = req.header('referer');
  if (referer !== null) return allowed(referer) ? null : 'ORIGIN_MISMATCH';
  return 'ORIGIN_REQUIRED';
}

const SITE_ORIGINS = new Map<string, string | null>();
function siteOriginOf(siteUrl: string): string | null {
  let o = SITE_ORIGINS.get(siteUrl);
  if (o === undefined) {
    o = originOf(siteUrl);
    SITE_ORIGINS.set(siteUrl, o);
  }
  return o;
}

class BodyTooLarge extends Error {}

/**
 * A node:http request body read with its events: no async iterator per request (the fast path
 * serves tens of thousands of reports a second). Past the cap it stops reading (the stream is
 * paused, not destroyed, so the 413 can still be sent; the caller closes the connection).
 */
function readStreamCapped(stream: Readable, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > max) {
        cleanup();
        stream.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('request closed before its body ended'));
    };
    if (stream.readableEnded) {
      resolve(Buffer.alloc(0));
      return;
    }
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** Reads at most `max` bytes; throws BodyTooLarge as soon as the body passes the cap. */
async function readCapped(body: AsyncIterable<Uint8Array>, max: number): Promise<Buffer> {
  if (body instanceof Readable) return readStreamCapped(body, max);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function parseForm(text: string): { value: Record<string, string> } | { repeated: string } {
  const value: Record<string, string> = {};
  for (const [key, v] of new URLSearchParams(text)) {
    if (Object.hasOwn(value, key)) return { repeated: key };
    value[key] = v;
  }
  return { value };
}

function partialOf(raw: unknown): Extract<ReceiveOutcome, { ok: false }>['partial'] {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 60) : undefined);
  const lang = LANGUAGES.find((l) => l === r.lang);
  return { service: text(r.service), problemType: text(r.problemType), code: text(r.code), lang };
}

/** Runs every check and, when they pass, stores the report. Never throws for bad input. */
export async function receiveReport(req: ReceiveRequest, ctx: ReceiveContext): Promise<ReceiveOutcome> {
  if (!ctx.enabled) return fail('REPORTS_DISABLED', null);
  if (req.method !== 'POST') return fail('METHOD_NOT_ALLOWED', null);
  const format = bodyFormatOf(req.header('content-type'));
  if (format === null) return fail('UNSUPPORTED_MEDIA_TYPE', null);
  const originError = checkOrigin(req, ctx.siteUrl);
  if (originError) return fail(originError, format);

  const declared = req.header('content-length');
  if (declared !== null && Number(declared) > ctx.maxBodyBytes) return fail('PAYLOAD_TOO_LARGE', format);
  let bytes: Buffer;
  try {
    bytes = req.body ? await readCapped(req.body, ctx.maxBodyBytes) : Buffer.alloc(0);
  } catch (err) {
    if (err instanceof BodyTooLarge) return fail('PAYLOAD_TOO_LARGE', format);
    return fail('BODY_INCOMPLETE', format);
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return fail('BODY_ENCODING', format);
  }

  let raw: unknown;
  if (format === 'json') {
    try {
      raw = JSON.parse(text);
    } catch {
      return fail('INVALID_JSON', format);
    }
  } else {
    const form = parseForm(text);
    if ('repeated' in form) return fail('FIELD_REPEATED', format, { fields: [{ field: form.repeated.slice(0, 60), code: 'FIELD_UNKNOWN' }] });
    raw = form.value;
  }
  const checked = validateReportInput(raw);
  if (!checked.ok) return fail('INVALID_REPORT', format, { fields: checked.errors, partial: partialOf(raw) });
  const report = checked.value;

  const now = ctx.now();
  const address = pickClientAddress({
    socketAddress: req.socketAddress,
    forwardedFor: req.header('x-forwarded-for'),
    trustProxy: ctx.trustProxy,
  });
  const clientId = address === null ? null : ctx.hasher.hash(address, now);
  if (clientId === null) return fail('CLIENT_UNKNOWN', format, { partial: partialOf(raw) });

  let result;
  try {
    result = await ctx.store.add({ service: report.service, problemType: report.problemType, code: report.code ?? null, clientId, receivedAt: now });
  } catch (err) {
    // The store's error is the operator's business (it names the database); the client gets 503.
    ctx.log.error('report store failed', { err });
    return fail('STORE_UNAVAILABLE', format, { retryAfter: 5, partial: partialOf(raw) });
  }
  if (result.accepted) return { ok: true, status: 202, result: 'accepted', report, format };
  if (result.duplicate) return { ok: true, status: 200, result: 'duplicate', report, format };
  return fail('RATE_LIMITED', format, { retryAfter: result.retryAfter ?? 60, partial: partialOf(raw) });
}

/** A response independent of the framework. */
export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The JSON answer of `/api/reports` (no personal data: the report is echoed without the client). */
export function jsonResponseFor(outcome: ReceiveOutcome): PlainResponse {
  // nosniff: this JSON is never to be read as anything else (npm start answers it before the site's header plan).
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  if (outcome.ok) {
    return {
      status: outcome.status,
      headers,
      body: JSON.stringify({ status: outcome.result, service: outcome.report.service, problemType: outcome.report.problemType, code: outcome.report.code ?? null }),
    };
  }
  if (outcome.retryAfter !== undefined) headers['retry-after'] = String(outcome.retryAfter);
  if (outcome.code === 'METHOD_NOT_ALLOWED') headers.allow = 'POST';
  const error: Record<string, unknown> = { code: outcome.code, message: outcome.message };
  if (outcome.fields) error.fields = outcome.fields;
  if (outcome.retryAfter !== undefined) error.retryAfter = outcome.retryAfter;
  return { status: outcome.status, headers, body: JSON.stringify({ error }) };
}

/**
 * True when a request is a browser's form post that wants a page, not JSON: decided from the
 * headers alone, before the body is read, so the page route can read the body itself.
 */
export function wantsPage(header: (name: string) => string | null): boolean {
  return bodyFormatOf(header('content-type')) === 'form' && (header('accept') ?? '').includes('text/html');
}

/**
 * The language of the page answering a browser form post: `?lang=` on the form's action, the
 * language folder of the page the form was on (Referer), else the site's default.
 */
export function pageLangFor(url: URL, referer: string | null, fallback: Lang): Lang {
  const fromQuery = LANGUAGES.find((l) => l === url.searchParams.get('lang'));
  if (fromQuery) return fromQuery;
  if (referer) {
    try {
      const first = new URL(referer).pathname.split('/')[1];
      const lang = LANGUAGES.find((l) => l === first);
      if (lang) return lang;
    } catch {
      return fallback;
    }
  }
  return fallback;
}

/** Static confirmation page after an accepted or duplicate report (post/redirect/get target). */
export function confirmationPath(outcome: Extract<ReceiveOutcome, { ok: true }>, lang: Lang): string {
  return `/${lang}/report/${outcome.result}/${outcome.report.service}/`;
}

/** The on-demand page that receives browser form posts and renders errors with their status. */
export function formHandlerPath(lang: Lang): string {
  return `/${lang}/report/send/`;
}
