/**
 * Writes one built file as an HTTP response: content-coding by Accept-Encoding, ETag /
 * If-None-Match and Last-Modified / If-Modified-Since → 304, HEAD without a body. Headers were
 * computed when the build was loaded (static-site.ts); this is the per-request hot path.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chooseCoding } from './encoding.ts';
import type { StaticEntry, StaticVariant } from './static-site.ts';

/** True when an If-None-Match header names one of the file's tags (weak comparison, RFC 9110 §13.1.2). */
export function matchesIfNoneMatch(header: string, etags: ReadonlySet<string>): boolean {
  if (etags.has(header)) return true;
  for (const part of header.split(',')) {
    const tag = part.trim();
    if (tag === '*') return true;
    if (etags.has(tag.startsWith('W/') ? tag.slice(2) : tag)) return true;
  }
  return false;
}

/** True when the request's validators say the client's copy is current. */
export function isNotModified(req: IncomingMessage, entry: StaticEntry): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return matchesIfNoneMatch(inm, entry.etags);
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && entry.lastModifiedMs <= since;
  }
  return false;
}

function variantFor(req: IncomingMessage, entry: StaticEntry): StaticVariant {
  if (!entry.br && !entry.gzip) return entry.identity;
  const coding = chooseCoding(req.headers['accept-encoding'], { br: entry.br !== null, gzip: entry.gzip !== null });
  return (coding === 'br' ? entry.br : coding === 'gzip' ? entry.gzip : null) ?? entry.identity;
}

/**
 * Sends `entry` with `status` (200, or 404 for the not-found page). Conditional requests only apply
 * to 200s. The request must be GET or HEAD.
 */
export function sendStatic(req: IncomingMessage, res: ServerResponse, entry: StaticEntry, status = 200): void {
  const v = variantFor(req, entry);
  if (status === 200 && isNotModified(req, entry)) {
    res.writeHead(304, v.notModifiedHeaders);
    res.end();
    return;
  }
  res.writeHead(status, v.headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  if (v.body) {
    res.end(v.body);
    return;
  }
  const stream = createReadStream(v.file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
