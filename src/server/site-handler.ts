/**
 * The request router of `npm start`, in this order:
 *   1. `/healthz` (liveness and freshness, JSON, never cached);
 *   2. extra routes mounted first (the crowd-report fast path; the test-only cycle trigger);
 *   3. a file of the current build (GET/HEAD; any other method gets 405);
 *   4. an on-demand route of the build → Astro's handler (with our security headers);
 *   5. the build's 404 page.
 * Before the first build exists, everything but 1–2 answers 503 with Retry-After.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { securityHeadersFor } from '../lib/security-headers.ts';
import type { Logger } from '../lib/log.ts';
import type { OnDemandApp } from './on-demand.ts';
import { isPlainPath, normalizeRequestPath, pathOf } from './paths.ts';
import { sendStatic } from './serve-static.ts';
import type { StaticSite } from './static-site.ts';

/** A route that claims a request by returning true (and then answers it). */
export type RouteHook = (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean;

export interface SiteHandlerOptions {
  getSite(): StaticSite | null;
  getOnDemand(): OnDemandApp | null;
  /** Body and status of /healthz. */
  health(): { status: number; body: string };
  hooks?: readonly RouteHook[];
  log: Logger;
}

function sendPlain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  res.end(body);
}

function sendHealth(req: IncomingMessage, res: ServerResponse, health: { status: number; body: string }): void {
  res.writeHead(health.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(health.body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : health.body);
}

export function createSiteHandler(options: SiteHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { log } = options;
  const hooks = options.hooks ?? [];

  const route = (req: IncomingMessage, res: ServerResponse): void => {
    const rawPath = pathOf(req.url ?? '/');
    if (rawPath === '/healthz') {
      sendHealth(req, res, options.health());
      return;
    }
    for (const hook of hooks) if (hook(req, res, rawPath)) return;

    let pathname = rawPath;
    if (!isPlainPath(rawPath)) {
      const norm = normalizeRequestPath(rawPath);
      if (!norm.ok) {
        sendPlain(res, 400, `Bad request: ${norm.code} (${norm.message})`);
        return;
      }
      pathname = norm.pathname;
    }
    const method = req.method ?? 'GET';
    const isRead = method === 'GET' || method === 'HEAD';
    const site = options.getSite();
    if (!site) {
      sendPlain(res, 503, 'Outage Radar is starting: the first build of the site is being made.', { 'Retry-After': '5' });
      return;
    }
    const entry = site.entries.get(pathname);
    if (entry) {
      if (isRead) sendStatic(req, res, entry);
      else sendPlain(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
      return;
    }
    const app = options.getOnDemand();
    if (app && app.matches(pathname)) {
      for (const [k, v] of Object.entries(securityHeadersFor(pathname))) res.setHeader(k, v);
      void Promise.resolve(app.handle(req, res)).catch((err: unknown) => {
        log.error('on-demand route failed', { path: pathname, err });
        if (!res.headersSent) sendPlain(res, 500, 'Internal server error');
        else res.destroy();
      });
      return;
    }
    if (!isRead) {
      sendPlain(res, 404, 'Not found');
      return;
    }
    if (site.notFound) sendStatic(req, res, site.notFound, 404);
    else sendPlain(res, 404, 'Not found');
  };

  return (req, res) => {
    try {
      route(req, res);
    } catch (err) {
      log.error('request failed', { url: req.url, err });
      if (!res.headersSent) sendPlain(res, 500, 'Internal server error');
      else res.destroy();
    }
  };
}
