/**
 * A local stand-in for the world: a node:http server on 127.0.0.1 that serves named routes from a
 * mutable script, so the real scrapers can be pointed at it (every source URL is configurable).
 * Each path serves a body (with content type, headers, ETag / Last-Modified → 304) or a fault
 * (hang, slow drip, any status, 429/503 with Retry-After, empty 200, HTML instead of a feed,
 * malformed, truncated, oversized, wrong charset, redirect loop, connection reset). Routes can be
 * changed between cycles; every request is recorded, to assert conditional GETs and politeness.
 * Used by the integration tests, the offline demo and the outage-tape replay.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface BodyRoute {
  body: string | Uint8Array;
  /** Default `application/octet-stream` for bytes, `text/plain; charset=utf-8` for strings. */
  contentType?: string;
  status?: number;
  headers?: Record<string, string>;
  /** ETag to send (`'auto'`: a hash of the body); a matching If-None-Match gets a 304. */
  etag?: string | 'auto' | null;
  /** Last-Modified to send; an equal If-Modified-Since gets a 304. */
  lastModified?: string | null;
}

export type FaultRoute =
  /** Accept the request and never answer. */
  | { fault: 'hang' }
  /** Headers at once, then `chunkBytes` every `intervalMs` (a body that stalls a deadline). */
  | { fault: 'drip'; body: string; contentType?: string; chunkBytes?: number; intervalMs?: number }
  /** Any status with an optional body (500, 404, 403…). */
  | { fault: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /** 429 (default) or 503 with Retry-After in seconds, or as an HTTP date when given a Date. */
  | { fault: 'rate-limit'; status?: 429 | 503; retryAfter: number | Date }
  /** 200 with an empty body. */
  | { fault: 'empty'; contentType?: string }
  /** An HTML page (default: a bot-protection interstitial) where a feed or JSON was expected. */
  | { fault: 'html'; body?: string }
  /** A body cut in the middle of an element, with a feed content type. */
  | { fault: 'malformed'; body?: string; contentType?: string }
  /** Content-Length promises more than is sent, then the connection closes. */
  | { fault: 'truncated'; body: string; contentType?: string }
  /** A stream of `bytes` bytes (default 8 MiB), bigger than any sane cap. */
  | { fault: 'oversized'; bytes?: number; contentType?: string }
  /** `body` encoded as `encoding` while the header declares `declared`. */
  | { fault: 'wrong-charset'; body: string; declared: string; encoding: 'latin1' | 'utf-8'; contentType?: string }
  /** Redirects that never end (a self-loop by default, or to `to`). */
  | { fault: 'redirect-loop'; to?: string; status?: 301 | 302 | 307 | 308 }
  /** One redirect to `location`. */
  | { fault: 'redirect'; location: string; status?: 301 | 302 | 303 | 307 | 308 }
  /** TCP reset before any response. */
  | { fault: 'reset' };

export type FixtureRoute = BodyRoute | FaultRoute;
/** One route, or a sequence served in order (the last one repeats). */
export type FixtureScript = FixtureRoute | readonly FixtureRoute[];

export interface RecordedRequest {
  /** Wall-clock ms. */
  at: number;
  method: string;
  /** Path with query. */
  path: string;
  headers: Record<string, string>;
  /** Status sent (0 for hang and reset). */
  status: number;
  fault: FaultRoute['fault'] | null;
}

export interface FixtureServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  url(path: string): string;
  set(path: string, script: FixtureScript): void;
  setAll(routes: Record<string, FixtureScript>): void;
  remove(path: string): void;
  readonly requests: readonly RecordedRequest[];
  requestsFor(path: string): RecordedRequest[];
  clearRequests(): void;
  /** Stops listening and destroys open connections (hanging ones included). */
  close(): Promise<void>;
}

export interface FixtureServerOptions {
  routes?: Record<string, FixtureScript>;
  /** Default 0: any free port. */
  port?: number;
}

const DEFAULT_INTERSTITIAL =
  '<!DOCTYPE html><html lang="en"><head><title>Just a moment...</title></head><body><h1>Checking your browser before accessing the site.</h1><noscript>Enable JavaScript and cookies to continue</noscript></body></html>';
const DEFAULT_MALFORMED = '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Feed</title><item><title>Outlook-Stör';

/** Bytes of `text` in ISO-8859-1 (for feeds like golem's). Characters outside Latin-1 become `?`. */
export function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c <= 0xff ? c : 0x3f;
  }
  return out;
}

const isFault = (r: FixtureRoute): r is FaultRoute => 'fault' in r;

function bodyBytes(body: string | Uint8Array): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
}

export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const routes = new Map<string, { script: readonly FixtureRoute[]; served: number }>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const set = (p: string, script: FixtureScript) => {
    const list = Array.isArray(script) ? [...(script as readonly FixtureRoute[])] : [script as FixtureRoute];
    if (list.length === 0) throw new Error(`fixture route ${p}: empty script`);
    routes.set(p, { script: list, served: 0 });
  };
  for (const [p, s] of Object.entries(options.routes ?? {})) set(p, s);

  const pick = (pathWithQuery: string): FixtureRoute | null => {
    const entry = routes.get(pathWithQuery) ?? routes.get(pathWithQuery.split('?')[0]!);
    if (!entry) return null;
    const route = entry.script[Math.min(entry.served, entry.script.length - 1)]!;
    entry.served++;
    return route;
  };

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const serveBody = (req: IncomingMessage, res: ServerResponse, route: BodyRoute): number => {
    const bytes = bodyBytes(route.body);
    const headers: Record<string, string> = {
      'content-type': route.contentType ?? (typeof route.body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream'),
      ...route.headers,
    };
    const etag = route.etag === 'auto' ? `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"` : (route.etag ?? null);
    if (etag) headers.etag = etag;
    if (route.lastModified) headers['last-modified'] = route.lastModified;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const etagHit = etag !== null && typeof inm === 'string' && inm.split(',').some((v) => v.trim() === etag || v.trim() === '*');
    const dateHit = inm === undefined && route.lastModified && ims === route.lastModified;
    if ((route.status ?? 200) === 200 && (etagHit || dateHit)) {
      const { 'content-type': _type, ...rest } = headers;
      res.writeHead(304, rest).end();
      return 304;
    }
    headers['content-length'] = String(bytes.length);
    res.writeHead(route.status ?? 200, headers).end(req.method === 'HEAD' ? undefined : bytes);
    return route.status ?? 200;
  };

  const serveFault = (req: IncomingMessage, res: ServerResponse, route: FaultRoute, pathWithQuery: string): number => {
    switch (route.fault) {
      case 'hang':
        return 0;
      case 'drip': {
        const bytes = Buffer.from(route.body, 'utf8');
        const size = route.chunkBytes ?? 16;
        const every = route.intervalMs ?? 1_000;
        res.writeHead(200, { 'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8', 'content-length': String(bytes.length) });
        let offset = 0;
        const tick = () => {
          if (res.destroyed) return;
          res.write(bytes.subarray(offset, offset + size));
          offset += size;
          if (offset >= bytes.length) res.end();
          else later(every, tick);
        };
        tick();
        return 200;
      }
      case 'status':
        res.writeHead(route.status, { 'content-type': route.contentType ?? 'text/plain; charset=utf-8', ...route.headers }).end(route.body ?? '');
        return route.status;
      case 'rate-limit': {
        const status = route.status ?? 429;
        const retryAfter = route.retryAfter instanceof Date ? route.retryAfter.toUTCString() : String(route.retryAfter);
        res.writeHead(status, { 'retry-after': retryAfter, 'content-type': 'text/plain; charset=utf-8' }).end('Too Many Requests');
        return status;
      }
      case 'empty':
        res.writeHead(200, { 'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8', 'content-length': '0' }).end();
        return 200;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(route.body ?? DEFAULT_INTERSTITIAL);
        return 200;
      case 'malformed':
        res.writeHead(200, { 'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8' }).end(route.body ?? DEFAULT_MALFORMED);
        return 200;
      case 'truncated': {
        const bytes = Buffer.from(route.body, 'utf8');
        res.writeHead(200, { 'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8', 'content-length': String(bytes.length * 2 + 100) });
        res.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), () => req.socket.destroy());
        return 200;
      }
      case 'oversized': {
        let left = route.bytes ?? 8 * 1024 * 1024;
        res.writeHead(200, { 'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8', 'content-length': String(left) });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        chunk.write('<?xml version="1.0"?><rss><channel>');
        const pump = () => {
          while (left > 0 && !res.destroyed) {
            const piece = chunk.subarray(0, Math.min(chunk.length, left));
            left -= piece.length;
            if (!res.write(piece)) {
              res.once('drain', pump);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        pump();
        return 200;
      }
      case 'wrong-charset': {
        const bytes = route.encoding === 'latin1' ? Buffer.from(latin1(route.body)) : Buffer.from(route.body, 'utf8');
        const type = route.contentType ?? 'application/rss+xml';
        res.writeHead(200, { 'content-type': `${type}; charset=${route.declared}`, 'content-length': String(bytes.length) }).end(bytes);
        return 200;
      }
      case 'redirect-loop': {
        const status = route.status ?? 302;
        res.writeHead(status, { location: route.to ?? pathWithQuery }).end();
        return status;
      }
      case 'redirect': {
        const status = route.status ?? 302;
        res.writeHead(status, { location: route.location }).end();
        return status;
      }
      case 'reset':
        req.socket.resetAndDestroy();
        return 0;
    }
  };

  const server = createServer((req, res) => {
    const pathWithQuery = req.url ?? '/';
    const record: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path: pathWithQuery,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      status: 0,
      fault: null,
    };
    requests.push(record);
    // Drain any request body so POSTs (token endpoints) behave like the real thing.
    req.resume();
    const route = pick(pathWithQuery);
    if (!route) {
      record.status = 404;
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`no fixture route for ${pathWithQuery}`);
      return;
    }
    if (isFault(route)) {
      record.fault = route.fault;
      record.status = serveFault(req, res, route, pathWithQuery);
    } else {
      record.status = serveBody(req, res, route);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A reset or truncated response raises errors on the server side too; they are the point.
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    port,
    url: (p) => `${origin}${p.startsWith('/') ? p : `/${p}`}`,
    set,
    setAll: (all) => {
      for (const [p, s] of Object.entries(all)) set(p, s);
    },
    remove: (p) => {
      routes.delete(p);
    },
    get requests() {
      return requests;
    },
    requestsFor: (p) => requests.filter((r) => r.path === p || r.path.split('?')[0] === p),
    clearRequests: () => {
      requests.length = 0;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
