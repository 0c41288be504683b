/**
 * Cache-Control per built file, the same plan as deploy/nginx/outage-radar.conf. Pure.
 *
 * - `/_astro/…`: fingerprinted assets, never change under their name → a year, immutable;
 * - API JSON and badges: read by machines every minute, change every cycle → 60 s;
 * - feeds: polled by readers → 5 min;
 * - incident pages: an open incident gains updates every cycle, so they get the same 60 s as pages;
 * - everything else (home, service, history pages) → 60 s.
 * `stale-while-revalidate` lets caches keep answering while they re-check with us (ETag → 304).
 */

export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_SHORT = 'public, max-age=60, stale-while-revalidate=60';
export const CACHE_FEED = 'public, max-age=300, stale-while-revalidate=60';
export const CACHE_NONE = 'no-store';

/** Cache-Control for a built file's URL path (`/de/history.rss`, `/en/incidents/x/`). */
export function cacheControlFor(pathname: string): string {
  if (pathname.startsWith('/_astro/')) return CACHE_IMMUTABLE;
  if (pathname.startsWith('/api/') || pathname.startsWith('/badges/')) return CACHE_SHORT;
  if (/\.(rss|atom|xml)$/.test(pathname)) return CACHE_FEED;
  return CACHE_SHORT;
}
