import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { latin1, startFixtureServer, type FixtureServer } from '../../scrapers/testing/fixture-server.ts';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({ routes: { '/feed': { body: '<rss/>', contentType: 'application/rss+xml', etag: 'auto', lastModified: 'Tue, 25 Nov 2026 08:00:00 GMT' } } });
});
afterAll(() => server.close());

/** Raw GET with node:http (no client smarts in the way): status, headers, body or the socket error. */
function get(path: string, headers: Record<string, string> = {}, timeoutMs = 2_000): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer } | { error: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(server.url(path), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
      res.on('aborted', () => resolve({ error: 'aborted' }));
    });
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ error: 'timeout' });
    });
    req.end();
  });
}

describe('fixture server', () => {
  test('serves a body with validators and answers a conditional GET with 304', async () => {
    const first = await get('/feed');
    if ('error' in first) throw new Error(first.error);
    expect(first.status).toBe(200);
    expect(first.body.toString()).toBe('<rss/>');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    const second = await get('/feed', { 'if-none-match': etag });
    expect(second).toMatchObject({ status: 304 });
    const byDate = await get('/feed', { 'if-modified-since': 'Tue, 25 Nov 2026 08:00:00 GMT' });
    expect(byDate).toMatchObject({ status: 304 });
    expect(server.requestsFor('/feed').map((r) => [r.status, r.headers['if-none-match'] ?? null])).toEqual([
      [200, null],
      [304, etag],
      [304, null],
    ]);
  });

  test('a changed body gets a new ETag, so the old one no longer matches', async () => {
    const before = await get('/feed');
    server.set('/feed', { body: '<rss><channel/></rss>', contentType: 'application/rss+xml', etag: 'auto' });
    const after = await get('/feed', { 'if-none-match': (before as { headers: Record<string, string> }).headers.etag! });
    expect(after).toMatchObject({ status: 200 });
  });

  test('a sequence is served in order and its last step repeats', async () => {
    server.set('/seq', [{ fault: 'status', status: 500 }, { body: 'ok' }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(((await get('/seq')) as { status: number }).status);
    expect(statuses).toEqual([500, 200, 200]);
  });

  test.each([
    ['seconds', 120, '120'],
    ['an HTTP date', new Date('2026-11-25T09:00:00Z'), 'Wed, 25 Nov 2026 09:00:00 GMT'],
  ])('429 with Retry-After as %s', async (_name, retryAfter, header) => {
    server.set('/limited', { fault: 'rate-limit', retryAfter });
    const res = await get('/limited');
    expect(res).toMatchObject({ status: 429, headers: { 'retry-after': header } });
  });

  test('503 with Retry-After', async () => {
    server.set('/busy', { fault: 'rate-limit', status: 503, retryAfter: 30 });
    expect(await get('/busy')).toMatchObject({ status: 503, headers: { 'retry-after': '30' } });
  });

  test.each([
    ['empty 200', { fault: 'empty' } as const, 200, 0],
    ['HTML instead of a feed', { fault: 'html' } as const, 200, -1],
    ['malformed XML', { fault: 'malformed' } as const, 200, -1],
  ])('%s', async (_name, route, status, length) => {
    server.set('/f', route);
    const res = await get('/f');
    if ('error' in res) throw new Error(res.error);
    expect(res.status).toBe(status);
    if (length >= 0) expect(res.body.length).toBe(length);
    if (route.fault === 'html') expect(res.headers['content-type']).toMatch(/^text\/html/);
    if (route.fault === 'malformed') expect(res.body.toString()).not.toContain('</rss>');
  });

  test('a hanging route never answers', async () => {
    server.set('/hang', { fault: 'hang' });
    expect(await get('/hang', {}, 300)).toEqual({ error: 'timeout' });
  });

  test('a dripping body arrives slowly', async () => {
    server.set('/drip', { fault: 'drip', body: 'x'.repeat(40), chunkBytes: 10, intervalMs: 50 });
    const started = Date.now();
    const res = await get('/drip');
    expect((res as { body: Buffer }).body.length).toBe(40);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test.each([
    ['a truncated body', { fault: 'truncated', body: '<rss><channel><item/></channel></rss>' } as const],
    ['a connection reset', { fault: 'reset' } as const],
  ])('%s fails on the client side', async (_name, route) => {
    server.set('/broken', route);
    const res = await get('/broken');
    expect(res).toHaveProperty('error');
  });

  test('an oversized body streams the promised number of bytes', async () => {
    server.set('/big', { fault: 'oversized', bytes: 300_000 });
    const res = await get('/big');
    expect((res as { body: Buffer }).body.length).toBe(300_000);
  });

  test('a redirect loop points back at itself', async () => {
    server.set('/loop', { fault: 'redirect-loop' });
    expect(await get('/loop?x=1')).toMatchObject({ status: 302, headers: { location: '/loop?x=1' } });
  });

  test('wrong charset: ISO-8859-1 bytes declared as UTF-8', async () => {
    server.set('/latin', { fault: 'wrong-charset', body: 'Störung', declared: 'utf-8', encoding: 'latin1' });
    const res = (await get('/latin')) as { body: Buffer; headers: Record<string, string> };
    expect([...res.body]).toEqual([...latin1('Störung')]);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
  });

  test('an unknown path is a 404 and every request is recorded', async () => {
    server.clearRequests();
    expect(await get('/nope')).toMatchObject({ status: 404 });
    expect(server.requests).toEqual([expect.objectContaining({ method: 'GET', path: '/nope', status: 404 })]);
  });
});
