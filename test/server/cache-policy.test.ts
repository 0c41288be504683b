import { expect, test } from 'vitest';
import { CACHE_FEED, CACHE_IMMUTABLE, CACHE_SHORT, cacheControlFor } from '../../src/server/cache-policy.ts';

test.each([
  ['/_astro/BaseLayout.NKpiy9Jp.css', CACHE_IMMUTABLE],
  ['/api/status.json', CACHE_SHORT],
  ['/api/v2/summary.json', CACHE_SHORT],
  ['/badges/en/teams.svg', CACHE_SHORT],
  ['/de/history.rss', CACHE_FEED],
  ['/en/services/teams/history.atom', CACHE_FEED],
  ['/en/incidents/inc-2026-07-23-teams-1a2b/index.html', CACHE_SHORT],
  ['/en/index.html', CACHE_SHORT],
  ['/widget.js', CACHE_SHORT],
])('%s → %s', (p, expected) => {
  expect(cacheControlFor(p)).toBe(expected);
});
