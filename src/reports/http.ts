/**
 * `/api/reports` over HTTP, twice over one core (`receive.ts`):
 *  - `handleReportApi` for Web `Request`s: the Astro on-demand route `src/pages/api/reports.ts`;
 *  - `createReportFastPath` for node:http: `npm start` mounts it in front of Astro's handler, so a
 *    report skips Astro's per-request pipeline (routing, middleware, Web stream adapters), which
 *    costs several times the work of the report itself under load (see bench/reports.ts).
 * Both answer byte-for-byte the same.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lang } from '../domain/vocabulary.ts';
import { createLogger } from '../lib/log.ts';
import { jsonResponseFor, receiveReport, wantsPage, type PlainResponse, type ReceiveContext, type ReceiveRequest } from './receive.ts';

export const REPORT_API_PATH = '/api/reports';

/**
 * The URL the client used, as far as this server can tell: Host header and socket scheme, with
 * X-Forwarded-Proto only behind a trusted proxy (a TLS-terminating proxy speaks http to us).
 */
export function effectiveUrl(url: URL, forwardedProto: string | null, trustProxy: boolean): URL {
  const proto = forwardedProto?.split(',')[0]?.trim().toLowerCase();
  if (!trustProxy || (proto !== 'http' && proto !== 'https') || `${proto}:` === url.protocol) return url;
  const out = new URL(url);
  out.protocol = `${proto}:`;
  return out;
}

/**
 * The Astro route's handler for JSON (and for form posts from scripts). Browser form posts go to
 * the form page instead (see src/pages/api/reports.ts). `clientAddress`: the socket peer.
 */
export async function handleReportApi(request: Request, clientAddress: string | null, ctx: ReceiveContext): Promise<Response> {
  const headers = request.headers;
  const req: ReceiveRequest = {
    method: request.method,
    url: effectiveUrl(new URL(request.url), headers.get('x-forwarded-proto'), ctx.trustProxy),
    header: (name) => headers.get(name),
    body: request.body as AsyncIterable<Uint8Array> | null,
    socketAddress: clientAddress,
  };
  const plain = jsonResponseFor(await receiveReport(req, ctx));
  // A body refused unread (too large) is not drained: tell the client not to reuse the connection.
  if (plain.status === 413) plain.headers.connection = 'close';
  return new Response(plain.body === '' ? null : plain.body, { status: plain.status, headers: plain.headers });
}

const log = createLogger({ name: 'reports' });

/** 503 for a report intake that could not be opened (details go to the log, not the client). */
export function unavailable(): PlainResponse {
  return jsonResponseFor({ ok: false, status: 503, code: 'STORE_UNAVAILABLE', message: 'Reports cannot be stored right now; try again shortly.', format: null, retryAfter: 5 });
}

/**
 * The origin a node:http request reached this server at (what `effectiveUrl` gives for it),
 * remembered per scheme, Host and X-Forwarded-Proto: nearly every request repeats the same three,
 * and parsing a URL per report costs more than the rest of the origin check.
 */
const originCache = new Map<string, string>();
function requestOrigin(encrypted: boolean, host: string, forwardedProto: string | null, trustProxy: boolean): string {
  const key = `${encrypted ? 's' : ''}|${trustProxy ? forwardedProto ?? '' : ''}|${host}`;
  let origin = originCache.get(key);
  if (origin === undefined) {
    let url: URL;
    try {
      url = new URL(`${encrypted ? 'https' : 'http'}://${host}${REPORT_API_PATH}`);
    } catch {
      url = new URL(`${encrypted ? 'https' : 'http'}://localhost${REPORT_API_PATH}`);
    }
    origin = effectiveUrl(url, forwardedProto, trustProxy).origin;
    // Hosts are the client's to choose: keep the cache small.
    if (originCache.size >= 64) originCache.clear();
    originCache.set(key, origin);
  }
  return origin;
}

function firstHeader(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

/**
 * A node:http handler for `/api/reports` only: returns false (and touches nothing) for any other
 * path and for browser form posts (Astro renders those as pages), so the caller passes the request
 * on. `getContext` resolves the process's report intake (null when reports are off).
 * `_defaultLang` is unused: the form pages take their language from the request.
 */
export function createReportFastPath(getContext: () => Promise<ReceiveContext | null>, _defaultLang?: Lang): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
    if (pathname !== REPORT_API_PATH && pathname !== `${REPORT_API_PATH}/`) return false;
    if (wantsPage((name) => firstHeader(req.headers[name]))) return false;
    void serve(req, res);
    return true;
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let plain: PlainResponse;
    try {
      const ctx = await getContext();
      if (!ctx) {
        plain = jsonResponseFor({ ok: false, status: 404, code: 'REPORTS_DISABLED', message: 'This site does not accept problem reports.', format: null });
      } else {
        const encrypted = 'encrypted' in req.socket && Boolean(req.socket.encrypted);
        const origin = requestOrigin(encrypted, firstHeader(req.headers.host) ?? 'localhost', firstHeader(req.headers['x-forwarded-proto']), ctx.trustProxy);
        const outcome = await receiveReport(
          {
            method: req.method ?? 'GET',
            url: { origin },
            header: (name) => firstHeader(req.headers[name]),
            body: req,
            socketAddress: req.socket.remoteAddress ?? null,
          },
          ctx,
        );
        plain = jsonResponseFor(outcome);
      }
    } catch (err) {
      // Only the runtime failing to open lands here (receiveReport itself never throws for input).
      log.error('report intake unavailable', { err });
      plain = unavailable();
    }
    if (res.headersSent || res.destroyed) return;
    // A body we refused early may still be arriving; close the connection instead of reading it.
    if (!req.readableEnded && plain.status >= 400) res.setHeader('connection', 'close');
    res.writeHead(plain.status, { ...plain.headers, 'content-length': Buffer.byteLength(plain.body) });
    res.end(plain.body);
  }
}
