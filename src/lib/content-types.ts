/**
 * Content-Type per built file, by extension. Astro's static server drops the type a prerendered
 * endpoint declares (a feed comes out as application/xml), so whoever serves `dist/client/` sets
 * it from this map. Unknown extensions get application/octet-stream (with nosniff, never sniffed).
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The Content-Type for a request path or file path (`/de/history.rss` → application/rss+xml). */
export function contentTypeFor(filePath: string): string {
  const clean = filePath.split(/[?#]/, 1)[0]!;
  if (clean.endsWith('/')) return TYPES['.html']!;
  const slash = clean.lastIndexOf('/');
  const dot = clean.lastIndexOf('.');
  if (dot <= slash) return TYPES['.html']!;
  return TYPES[clean.slice(dot).toLowerCase()] ?? 'application/octet-stream';
}
