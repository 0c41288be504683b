/**
 * The one HTTP client every source uses (contract: `types.ts`). undici 8 with an Agent of its own
 * (never the global dispatcher): a whole-request deadline on top of connect/headers/body timeouts,
 * a streaming size cap, redirects with loop detection, polite retries for GET only, Retry-After
 * remembered per host across runs, conditional GET, charset decoding and content sniffing.
 *
 * Redirects are followed here rather than by `interceptors.redirect`: every hop must honour its
 * host's not-before time, credentials must not travel to another origin, and a loop must surface
 * as SOURCE_REDIRECT_LOOP (the interceptor reports it as a generic InvalidArgumentError).
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import type { HttpConfigSchema } from '../../src/config/schema.ts';
import { decodeBody } from './charset.ts';
import { SourceError, type SourceErrorCode } from './errors.ts';
import { NotBeforeStore } from './not-before.ts';
import { parseRetryAfter } from './retry-after.ts';
import { firstSignificantChar, isBotInterstitial, looksLikeHtml } from './sniff.ts';
import type { ExpectedBody, HttpClient, HttpRequest, HttpResponse } from './types.ts';

export type HttpConfig = z.output<typeof HttpConfigSchema>;

export interface HttpLogEntry {
  level: 'info' | 'warn';
  event: 'retry' | 'rate-limited' | 'retry-after-clamped' | 'hosts-file-unreadable';
  message: string;
  host?: string;
  sourceId?: string | null;
}

export interface HttpClientOptions {
  config: HttpConfig;
  /** JSON file for per-host not-before times (e.g. `data/hosts.json`); null or absent: memory only. */
  hostsFile?: string | null;
  /** Wall clock for not-before comparisons and Retry-After dates. */
  clock?: () => Date;
  log?: (entry: HttpLogEntry) => void;
  /** A dispatcher to use instead of the client's own Agent (tests); the client does not close it. */
  dispatcher?: Dispatcher;
  /** Source of jitter for retry backoff, in [0, 1). */
  random?: () => number;
}

export interface OwnedHttpClient extends HttpClient {
  /** Closes the client's own connections. Pending requests fail. */
  close(): Promise<void>;
}

/** Wait for a 429 without Retry-After. */
export const DEFAULT_RATE_LIMIT_SECONDS = 60;
/** First retry backoff; doubles per attempt, plus up to the same again as jitter. */
export const RETRY_BASE_MS = 250;
/** A retry starts only if at least this much of the deadline is left after the backoff. */
const RETRY_MIN_REMAINING_MS = 200;
const ERROR_SNIPPET_BYTES = 64 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const ACCEPT: Record<ExpectedBody, string> = {
  json: 'application/json, text/json;q=0.9, */*;q=0.1',
  feed: 'application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1',
  xml: 'application/xml, text/xml;q=0.9, */*;q=0.1',
  html: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1',
  text: 'text/plain, */*;q=0.5',
};

const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'Z_DATA_ERROR',
  'Z_BUF_ERROR',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Errors worth one more try within the same request (network trouble, 5xx). */
const retryable = new WeakSet<SourceError>();

function fail(
  code: SourceErrorCode,
  message: string,
  req: HttpRequest,
  extra: { cause?: unknown; status?: number | null; retryAfter?: Date | null; retry?: boolean } = {},
): SourceError {
  const err = new SourceError(code, req.sourceId ? `${req.sourceId}: ${message}` : message, {
    sourceId: req.sourceId ?? null,
    cause: extra.cause,
    status: extra.status ?? null,
    retryAfter: extra.retryAfter ?? null,
  });
  if (extra.retry) retryable.add(err);
  return err;
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const v = headers[name];
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function mimeOf(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function snippetOf(text: string): string {
  const s = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

class BodyTooLarge extends Error {
  readonly bytes: number;
  constructor(bytes: number) {
    super(`body exceeds ${bytes} bytes`);
    this.bytes = bytes;
  }
}

/**
 * Drops a body we no longer want and closes its connection. undici reports destroying an unread
 * body as a RequestAbortedError on the stream; that error is the expected outcome here, so the
 * listener only keeps it from surfacing as an uncaught exception.
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Reads the body, destroying the stream (and so the connection) as soon as it passes `max` bytes. */
async function readCapped(body: Dispatcher.ResponseData['body'], max: number, throwOnExceed: boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > max) {
      discard(body);
      if (throwOnExceed) throw new BodyTooLarge(max);
      chunks.push(chunk.subarray(0, chunk.length - (n - max)));
      return Buffer.concat(chunks);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, n);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function errorCodeOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

interface Attempt {
  req: HttpRequest;
  signal: AbortSignal;
  deadlineSignal: AbortSignal;
  deadlineMs: number;
  maxBytes: number;
}

/** Creates a client with its own undici Agent. Call `close()` when done. */
export function createHttpClient(options: HttpClientOptions): OwnedHttpClient {
  const { config } = options;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const random = options.random ?? Math.random;
  const ownAgent = options.dispatcher
    ? null
    : new Agent({
        connectTimeout: config.connectTimeoutMs,
        headersTimeout: config.headersTimeoutMs,
        bodyTimeout: config.bodyTimeoutMs,
        keepAliveTimeout: 4_000,
        // Politeness: never more than two parallel connections to one origin.
        connections: 2,
      }).compose(interceptors.decompress());
  const dispatcher: Dispatcher = options.dispatcher ?? (ownAgent as Dispatcher);
  const notBefore = new NotBeforeStore({
    file: options.hostsFile ?? null,
    clock,
    onCorruptFile: (file, cause) =>
      log({ level: 'warn', event: 'hosts-file-unreadable', message: `${file} is unreadable (${String(cause)}); starting empty` }),
  });

  function classifyThrown(err: unknown, a: Attempt, url: URL): SourceError {
    if (err instanceof SourceError) return err;
    if (err instanceof BodyTooLarge) {
      return fail('SOURCE_TOO_LARGE', `body from ${url.host} is larger than ${a.maxBytes} bytes`, a.req, { cause: err });
    }
    if (a.deadlineSignal.aborted) {
      return fail('SOURCE_TIMEOUT', `no complete response from ${url.host} within the ${a.deadlineMs} ms deadline`, a.req, {
        cause: err,
      });
    }
    if (a.req.signal?.aborted) {
      return fail('SOURCE_TIMEOUT', `request to ${url.host} aborted by the caller`, a.req, { cause: a.req.signal.reason ?? err });
    }
    const code = errorCodeOf(err);
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return fail('SOURCE_TIMEOUT', `connect to ${url.host} timed out`, a.req, { cause: err, retry: true });
      case 'UND_ERR_HEADERS_TIMEOUT':
        return fail('SOURCE_TIMEOUT', `no response headers from ${url.host} in time`, a.req, { cause: err });
      case 'UND_ERR_BODY_TIMEOUT':
        return fail('SOURCE_TIMEOUT', `body from ${url.host} stalled`, a.req, { cause: err });
      case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
        return fail('SOURCE_NETWORK', `body from ${url.host} was truncated`, a.req, { cause: err, retry: true });
      default:
        if (code && (NETWORK_ERROR_CODES.has(code) || code.startsWith('HPE_'))) {
          return fail('SOURCE_NETWORK', `${code} talking to ${url.host}`, a.req, { cause: err, retry: true });
        }
        return fail('SOURCE_NETWORK', `request to ${url.host} failed: ${(err as Error)?.message ?? String(err)}`, a.req, {
          cause: err,
        });
    }
  }

  async function rateLimited(
    a: Attempt,
    url: URL,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<SourceError> {
    const now = clock();
    const parsed = parseRetryAfter(headerValue(headers, 'retry-after'), {
      now,
      serverDate: headerValue(headers, 'date'),
      maxSeconds: config.maxRetryAfterMinutes * 60,
    });
    const until = parsed?.notBefore ?? new Date(now.getTime() + DEFAULT_RATE_LIMIT_SECONDS * 1000);
    if (parsed?.clamped) {
      log({
        level: 'warn',
        event: 'retry-after-clamped',
        message: `${url.host} asked for ${parsed.requestedSeconds} s; clamped to ${config.maxRetryAfterMinutes} min`,
        host: url.host,
        sourceId: a.req.sourceId ?? null,
      });
    }
    if (until.getTime() > now.getTime()) await notBefore.set(url.host, until, status);
    log({
      level: 'info',
      event: 'rate-limited',
      message: `${url.host} answered ${status}; not before ${until.toISOString()}`,
      host: url.host,
      sourceId: a.req.sourceId ?? null,
    });
    return fail('SOURCE_RATE_LIMITED', `${url.host} answered ${status}; retry after ${until.toISOString()}`, a.req, {
      status,
      retryAfter: until,
    });
  }

  /** One attempt: follows redirects, returns the final response or throws SourceError. */
  async function attempt(a: Attempt): Promise<HttpResponse> {
    const { req } = a;
    let url = new URL(req.url);
    let method: 'GET' | 'POST' = req.method ?? 'GET';
    let body = req.body;
    const headers: Record<string, string> = {
      'user-agent': config.userAgent,
      accept: ACCEPT[req.expect],
      'accept-encoding': 'gzip, deflate, br',
    };
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
    const conditional = Boolean(req.etag || req.lastModified);
    if (req.etag) headers['if-none-match'] = req.etag;
    if (req.lastModified) headers['if-modified-since'] = req.lastModified;
    const visited = new Set<string>();

    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw fail('SOURCE_HTTP_STATUS', `unsupported URL scheme ${url.protocol}`, req);
      }
      visited.add(url.href.replace(/#.*$/, ''));
      const wait = notBefore.get(url.host);
      if (wait) {
        throw fail('SOURCE_RATE_LIMITED', `${url.host} asked us to wait until ${wait.toISOString()}`, req, { retryAfter: wait });
      }

      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          dispatcher,
          method,
          headers,
          body: body ?? null,
          signal: a.signal,
          headersTimeout: config.headersTimeoutMs,
          bodyTimeout: config.bodyTimeoutMs,
        });
      } catch (err) {
        throw classifyThrown(err, a, url);
      }

      const status = res.statusCode;
      const location = headerValue(res.headers, 'location');
      try {
        if (REDIRECT_STATUSES.has(status) && location) {
          discard(res.body);
          let next: URL;
          try {
            next = new URL(location, url);
          } catch (cause) {
            throw fail('SOURCE_HTTP_STATUS', `${url.host} redirected to an invalid location`, req, { status, cause });
          }
          if (visited.has(next.href.replace(/#.*$/, ''))) {
            throw fail('SOURCE_REDIRECT_LOOP', `redirect loop: ${next.href} was already visited`, req, { status });
          }
          if (hop + 1 > config.maxRedirects) {
            throw fail('SOURCE_REDIRECT_LOOP', `more than ${config.maxRedirects} redirects`, req, { status });
          }
          if (url.protocol === 'https:' && next.protocol === 'http:') {
            throw fail('SOURCE_HTTP_STATUS', `${url.host} redirected from https to plain http`, req, { status });
          }
          if (next.origin !== url.origin) {
            delete headers.authorization;
            delete headers.cookie;
          }
          if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
            delete headers['content-type'];
          }
          url = next;
          continue;
        }

        if (status === 304) {
          discard(res.body);
          if (!conditional) {
            throw fail('SOURCE_HTTP_STATUS', `${url.host} answered 304 to an unconditional request`, req, { status });
          }
          return {
            status,
            notModified: true,
            url: url.href,
            headers: flattenHeaders(res.headers),
            text: '',
            bytes: 0,
            charset: 'utf-8',
            etag: headerValue(res.headers, 'etag') ?? req.etag ?? null,
            lastModified: headerValue(res.headers, 'last-modified') ?? req.lastModified ?? null,
            bodyHash: null,
          };
        }

        if (status === 429 || (status === 503 && headerValue(res.headers, 'retry-after') !== null)) {
          discard(res.body);
          throw await rateLimited(a, url, status, res.headers);
        }

        if (status < 200 || status >= 300) {
          const raw = await readCapped(res.body, ERROR_SNIPPET_BYTES, false);
          const { text } = decodeBody(raw, headerValue(res.headers, 'content-type'));
          if (looksLikeHtml(text) && isBotInterstitial(text)) {
            throw fail('SOURCE_BLOCKED', `${url.host} answered ${status} with a bot-protection page`, req, { status });
          }
          const snippet = snippetOf(text);
          throw fail('SOURCE_HTTP_STATUS', `${url.host} answered ${status}${snippet ? `: ${snippet}` : ''}`, req, {
            status,
            retry: status >= 500 && status !== 501,
          });
        }

        const contentType = headerValue(res.headers, 'content-type');
        const declaredLength = Number(headerValue(res.headers, 'content-length'));
        if (Number.isFinite(declaredLength) && declaredLength > a.maxBytes) {
          discard(res.body);
          throw fail('SOURCE_TOO_LARGE', `${url.host} announced ${declaredLength} bytes, over the ${a.maxBytes} byte cap`, req, {
            status,
          });
        }
        const raw = await readCapped(res.body, a.maxBytes, true);
        if (raw.byteLength === 0 || status === 204 || status === 205) {
          throw fail('SOURCE_EMPTY', `${url.host} answered ${status} with an empty body`, req, { status });
        }
        const decoded = decodeBody(raw, contentType);
        if (decoded.text.trim() === '') {
          throw fail('SOURCE_EMPTY', `${url.host} answered ${status} with a blank body`, req, { status });
        }
        checkType(req, url, status, contentType, decoded.text);
        return {
          status,
          notModified: false,
          url: url.href,
          headers: flattenHeaders(res.headers),
          text: decoded.text,
          bytes: raw.byteLength,
          charset: decoded.charset,
          etag: headerValue(res.headers, 'etag'),
          lastModified: headerValue(res.headers, 'last-modified'),
          bodyHash: createHash('sha256').update(raw).digest('hex'),
        };
      } catch (err) {
        discard(res.body);
        throw classifyThrown(err, a, url);
      }
    }
  }

  function checkType(req: HttpRequest, url: URL, status: number, contentType: string | null, text: string): void {
    const html = looksLikeHtml(text);
    if (html && isBotInterstitial(text)) {
      throw fail('SOURCE_BLOCKED', `${url.host} served a bot-protection page instead of the ${req.expect}`, req, { status });
    }
    if (req.expect === 'json' || req.expect === 'feed' || req.expect === 'xml') {
      if (html) {
        throw fail('SOURCE_WRONG_TYPE', `${url.host} served an HTML page where ${req.expect} was expected`, req, { status });
      }
      if (req.expect === 'json' && (mimeOf(contentType) === 'text/html' || firstSignificantChar(text) === '<')) {
        throw fail('SOURCE_WRONG_TYPE', `${url.host} served ${mimeOf(contentType) || 'markup'} where JSON was expected`, req, {
          status,
        });
      }
    }
  }

  async function requestWithRetries(req: HttpRequest): Promise<HttpResponse> {
    const deadlineMs = req.deadlineMs ?? config.deadlineMs;
    const maxBytes = req.maxBytes ?? config.maxBytes;
    const started = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`deadline of ${deadlineMs} ms passed`)), deadlineMs);
    const signal = req.signal ? AbortSignal.any([deadline.signal, req.signal]) : deadline.signal;
    const a: Attempt = { req, signal, deadlineSignal: deadline.signal, deadlineMs, maxBytes };
    const attempts = (req.method ?? 'GET') === 'GET' ? config.retries + 1 : 1;
    try {
      if (req.signal?.aborted) throw fail('SOURCE_TIMEOUT', 'request aborted by the caller before it started', req);
      await notBefore.load();
      for (let n = 1; ; n++) {
        try {
          return await attempt(a);
        } catch (err) {
          const e = err instanceof SourceError ? err : classifyThrown(err, a, new URL(req.url));
          if (n >= attempts || !retryable.has(e)) throw e;
          const backoff = RETRY_BASE_MS * 2 ** (n - 1) * (1 + random());
          const remaining = deadlineMs - (performance.now() - started);
          if (remaining - backoff < RETRY_MIN_REMAINING_MS) throw e;
          log({
            level: 'info',
            event: 'retry',
            message: `${e.code}${e.status ? ` ${e.status}` : ''}; retry ${n} in ${Math.round(backoff)} ms`,
            host: new URL(req.url).host,
            sourceId: req.sourceId ?? null,
          });
          try {
            await sleep(backoff, signal);
          } catch (cause) {
            throw classifyThrown(cause, a, new URL(req.url));
          }
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      let parsed: URL;
      try {
        parsed = new URL(req.url);
      } catch (cause) {
        throw fail('SOURCE_NETWORK', `invalid URL ${JSON.stringify(req.url)}`, req, { cause });
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw fail('SOURCE_NETWORK', `unsupported URL scheme ${parsed.protocol}`, req);
      }
      return requestWithRetries(req);
    },
    flush: () => notBefore.flush(),
    async close(): Promise<void> {
      await notBefore.flush();
      if (ownAgent) await ownAgent.destroy();
    },
  };
}
