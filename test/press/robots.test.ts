import { describe, expect, test } from 'vitest';
import { SourceError } from '../../scrapers/http/errors.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../scrapers/http/types.ts';
import { createRobotsChecker } from '../../scrapers/press/robots.ts';

const NOW = new Date('2026-11-24T12:00:00Z');

/** A fake client: answers robots.txt per host from a table, counts requests. */
function fakeHttp(answers: Record<string, string | SourceError>): HttpClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async request(req: HttpRequest): Promise<HttpResponse> {
      calls.push(req.url);
      const a = answers[new URL(req.url).host];
      if (a === undefined) throw new Error(`unexpected ${req.url}`);
      if (a instanceof SourceError) throw a;
      return { status: 200, notModified: false, url: req.url, headers: {}, text: a, bytes: a.length, charset: 'utf-8', etag: null, lastModified: null, bodyHash: null };
    },
    async flush() {},
  };
}

const ROBOTS = ['User-agent: *', 'Disallow: /private/', '', 'User-agent: OutageRadar', 'Disallow: /no-radar/', 'Allow: /no-radar/ok', ''].join('\n');

describe('robots.txt checker', () => {
  test.each([
    ['https://a.example/news/1', true],
    ['https://a.example/no-radar/1', false],
    ['https://a.example/no-radar/ok', true],
    // Our own group replaces "*", so its Disallow of /private/ does not apply to us.
    ['https://a.example/private/1', true],
  ])('%s allowed=%s (our group wins over *)', async (url, allowed) => {
    const robots = createRobotsChecker({ http: fakeHttp({ 'a.example': ROBOTS }) });
    expect((await robots.check(url, NOW)).allowed).toBe(allowed);
  });

  test('"*" rules apply when no group names us', async () => {
    const robots = createRobotsChecker({ http: fakeHttp({ 'b.example': 'User-agent: *\nDisallow: /\n' }) });
    expect(await robots.check('https://b.example/news/1', NOW)).toEqual({ allowed: false, reason: 'disallowed by robots.txt' });
  });

  test.each([
    [new SourceError('SOURCE_HTTP_STATUS', '404', { status: 404 }), true],
    [new SourceError('SOURCE_HTTP_STATUS', '410', { status: 410 }), true],
    [new SourceError('SOURCE_HTTP_STATUS', '401', { status: 401 }), true],
    [new SourceError('SOURCE_EMPTY', 'empty', { status: 200 }), true],
    [new SourceError('SOURCE_HTTP_STATUS', '500', { status: 500 }), false],
    [new SourceError('SOURCE_HTTP_STATUS', '503', { status: 503 }), false],
    [new SourceError('SOURCE_TIMEOUT', 'slow'), false],
    [new SourceError('SOURCE_NETWORK', 'refused'), false],
    [new SourceError('SOURCE_RATE_LIMITED', '429', { status: 429 }), false],
  ])('a robots.txt failure %s → allowed=%s', async (err, allowed) => {
    const robots = createRobotsChecker({ http: fakeHttp({ 'c.example': err }) });
    const d = await robots.check('https://c.example/a', NOW);
    expect(d.allowed).toBe(allowed);
    expect(d.reason).toMatch(allowed ? /no robots|without rules/ : /unreachable/);
  });

  test('robots.txt is fetched once per host and cached until its TTL, failures for a shorter time', async () => {
    const http = fakeHttp({ 'a.example': ROBOTS, 'c.example': new SourceError('SOURCE_TIMEOUT', 'slow') });
    const robots = createRobotsChecker({ http, ttlMinutes: 60, failureTtlMinutes: 10 });
    await Promise.all([robots.check('https://a.example/1', NOW), robots.check('https://a.example/2', NOW)]);
    await robots.check('https://a.example/3', new Date(NOW.getTime() + 59 * 60_000));
    expect(http.calls.filter((u) => u.includes('a.example'))).toEqual(['https://a.example/robots.txt']);
    await robots.check('https://a.example/4', new Date(NOW.getTime() + 61 * 60_000));
    expect(http.calls.filter((u) => u.includes('a.example'))).toHaveLength(2);
    await robots.check('https://c.example/1', NOW);
    await robots.check('https://c.example/1', new Date(NOW.getTime() + 11 * 60_000));
    expect(http.calls.filter((u) => u.includes('c.example'))).toHaveLength(2);
  });

  test('non-http URLs are never allowed', async () => {
    const robots = createRobotsChecker({ http: fakeHttp({}) });
    expect((await robots.check('javascript:alert(1)', NOW)).allowed).toBe(false);
    expect((await robots.check('not a url', NOW)).allowed).toBe(false);
  });
});
