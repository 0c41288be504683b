import { promises as fs } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../src/lib/log.ts';
import type { OnDemandApp } from '../../src/server/on-demand.ts';
import { createSiteHandler } from '../../src/server/site-handler.ts';
import { loadStaticSite, type StaticSite } from '../../src/server/static-site.ts';

/** A raw HTTP exchange: no decompression, no path normalization (unlike fetch). */
function raw(port: number, method: string, target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const PAGE = (title: string) => `<!DOCTYPE html><html><head><title>${title}</title></head><body>${'<p>Outage Radar status page content. </p>'.repeat(40)}</body></html>`;
const RSS = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>History</title>${'<item><title>Incident</title></item>'.repeat(20)}</channel></rss>`;

let root: string;
let client: string;
let site: StaticSite;
let server: Server;
let port: number;
const onDemandCalls: string[] = [];

async function write(rel: string, content: string | Buffer): Promise<void> {
  const file = path.join(client, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'or-static-'));
  client = path.join(root, 'b1', 'client');
  await write('index.html', PAGE('root'));
  await write('en/index.html', PAGE('home'));
  await write('en/widget/teams/index.html', PAGE('widget'));
  await write('en/incidents/inc-1/index.html', PAGE('incident'));
  await write('404.html', PAGE('not found'));
  await write('de/history.rss', RSS);
  await write('de/history.atom', RSS.replace('rss', 'feed'));
  await write('badges/en/teams.svg', `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(100)}</svg>`);
  await write('api/status.json', JSON.stringify({ services: Array.from({ length: 30 }, (_, i) => ({ id: `s${i}`, status: 'operational' })) }));
  await write('_astro/app.abc123.js', `console.log(${JSON.stringify('x'.repeat(2000))});`);
  await write('tiny.txt', 'hi');
  await write('.env', 'SECRET=1');
  await fs.writeFile(path.join(root, 'outside.txt'), 'outside the build');
  await fs.symlink(path.join(root, 'outside.txt'), path.join(client, 'link.txt'));
  await fs.symlink(root, path.join(client, 'linkdir'));
  site = await loadStaticSite({ id: 'b1', dir: client, now: new Date('2026-11-25T08:00:00Z') });
  await site.persistVariants();
  const app: OnDemandApp = {
    buildDir: path.join(root, 'b1'),
    fingerprint: null,
    routes: ['/[lang]/check'],
    matches: (p) => /^\/[^/]+\/check\/?$/.test(p),
    handle: (req, res) => {
      onDemandCalls.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('<p>on demand</p>');
    },
  };
  const handler = createSiteHandler({
    getSite: () => site,
    getOnDemand: () => app,
    health: () => ({ status: 200, body: '{"status":"ok"}' }),
    log: silentLogger,
  });
  server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await fs.rm(root, { recursive: true, force: true });
});

describe('content types', () => {
  test.each([
    ['/de/history.rss', 'application/rss+xml; charset=utf-8'],
    ['/de/history.atom', 'application/atom+xml; charset=utf-8'],
    ['/badges/en/teams.svg', 'image/svg+xml; charset=utf-8'],
    ['/api/status.json', 'application/json; charset=utf-8'],
    ['/_astro/app.abc123.js', 'text/javascript; charset=utf-8'],
    ['/en/', 'text/html; charset=utf-8'],
    ['/tiny.txt', 'text/plain; charset=utf-8'],
  ])('%s is served as %s', async (p, type) => {
    const r = await raw(port, 'GET', p);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(type);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
  });
});

describe('directory indexes', () => {
  test.each(['/en/', '/en', '/en/index.html'])('%s serves en/index.html', async (p) => {
    const r = await raw(port, 'GET', p);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain('<title>home</title>');
  });
  test('/ serves the root index', async () => {
    expect((await raw(port, 'GET', '/')).body.toString()).toContain('<title>root</title>');
  });
});

describe('caching', () => {
  test('Cache-Control follows the kind of file', async () => {
    expect((await raw(port, 'GET', '/_astro/app.abc123.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await raw(port, 'GET', '/api/status.json')).headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60');
    expect((await raw(port, 'GET', '/badges/en/teams.svg')).headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60');
    expect((await raw(port, 'GET', '/de/history.rss')).headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=60');
    expect((await raw(port, 'GET', '/en/incidents/inc-1/')).headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60');
  });

  test('an ETag comes back as 304 without a body, with the validators repeated', async () => {
    const first = await raw(port, 'GET', '/api/status.json');
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    const again = await raw(port, 'GET', '/api/status.json', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
  });

  test('If-None-Match accepts lists, weak tags and the tag of a compressed variant', async () => {
    const br = await raw(port, 'GET', '/en/', { 'Accept-Encoding': 'br' });
    expect(br.headers.etag).toMatch(/-br"$/);
    expect((await raw(port, 'GET', '/en/', { 'If-None-Match': `"nope", W/${br.headers.etag}` })).status).toBe(304);
    expect((await raw(port, 'GET', '/en/', { 'Accept-Encoding': 'gzip', 'If-None-Match': br.headers.etag! })).status).toBe(304);
    expect((await raw(port, 'GET', '/en/', { 'If-None-Match': '"something-else"' })).status).toBe(200);
  });

  test('If-Modified-Since is honoured when there is no If-None-Match', async () => {
    const r = await raw(port, 'GET', '/de/history.rss');
    expect(r.headers['last-modified']).toBe('Wed, 25 Nov 2026 08:00:00 GMT');
    expect((await raw(port, 'GET', '/de/history.rss', { 'If-Modified-Since': 'Wed, 25 Nov 2026 08:00:00 GMT' })).status).toBe(304);
    expect((await raw(port, 'GET', '/de/history.rss', { 'If-Modified-Since': 'Wed, 25 Nov 2026 07:59:59 GMT' })).status).toBe(200);
    expect((await raw(port, 'GET', '/de/history.rss', { 'If-Modified-Since': 'Wed, 25 Nov 2026 09:00:00 GMT', 'If-None-Match': '"x"' })).status).toBe(200);
  });
});

describe('precompressed variants', () => {
  test('br and gzip are chosen by Accept-Encoding and decode to the same bytes', async () => {
    const plain = await raw(port, 'GET', '/en/');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    const br = await raw(port, 'GET', '/en/', { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await raw(port, 'GET', '/en/', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
  });

  test('persistVariants wrote the variants next to the files, and writes nothing twice', async () => {
    expect(await site.persistVariants()).toBe(0);
    const onDisk = zlib.brotliDecompressSync(await fs.readFile(path.join(client, 'en/index.html.br')));
    expect(onDisk.toString()).toContain('<title>home</title>');
    expect(zlib.gunzipSync(await fs.readFile(path.join(client, 'de/history.rss.gz'))).toString()).toBe(RSS);
  });

  test('tiny files get no variant and no Vary', async () => {
    const r = await raw(port, 'GET', '/tiny.txt', { 'Accept-Encoding': 'br, gzip' });
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers.vary).toBeUndefined();
    expect(r.body.toString()).toBe('hi');
  });

  test('a variant file is not a URL of its own', async () => {
    expect((await raw(port, 'GET', '/en/index.html.br')).status).toBe(404);
  });

  test('the next build reuses variants and Last-Modified of unchanged files and recompresses changed ones', async () => {
    const next = path.join(root, 'b2', 'client');
    await fs.cp(client, next, { recursive: true, filter: (src) => !/\.(br|gz)$/.test(src) && !src.includes('link') });
    await fs.writeFile(path.join(next, 'en/index.html'), PAGE('home, changed'));
    const site2 = await loadStaticSite({ id: 'b2', dir: next, previous: site, now: new Date('2026-11-25T09:00:00Z') });
    const changed = site2.entries.get('/en/')!;
    const same = site2.entries.get('/de/history.rss')!;
    expect(changed.lastModified).toBe('Wed, 25 Nov 2026 09:00:00 GMT');
    expect(same.lastModified).toBe('Wed, 25 Nov 2026 08:00:00 GMT');
    expect(same.identity.etag).toBe(site.entries.get('/de/history.rss')!.identity.etag);
    expect(site2.stats.compressed).toBe(2);
    expect(site2.stats.reused).toBeGreaterThan(10);
    // Reused variants are written into the new build too (for a proxy's gzip_static).
    expect(await site2.persistVariants()).toBe(site2.stats.compressed + site2.stats.reused);
    expect(zlib.gunzipSync(await fs.readFile(path.join(next, 'de/history.rss.gz'))).toString()).toBe(RSS);
  });
});

describe('methods', () => {
  test('HEAD sends the headers of GET and no body', async () => {
    const get = await raw(port, 'GET', '/api/status.json');
    const head = await raw(port, 'HEAD', '/api/status.json');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.headers.etag).toBe(get.headers.etag);
  });

  test('POST to a file is 405 with Allow', async () => {
    const r = await raw(port, 'POST', '/api/status.json');
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD');
  });
});

describe('paths that must not be served', () => {
  test.each(['/../outside.txt', '/%2e%2e/outside.txt', '/en/%2e%2e/%2e%2e/outside.txt', '/..%2foutside.txt', '/a%00b', '/%zz'])('%s is refused with 400', async (p) => {
    const r = await raw(port, 'GET', p);
    expect(r.status).toBe(400);
    expect(r.body.toString()).not.toContain('outside the build');
  });

  test.each(['/link.txt', '/linkdir/outside.txt', '/.env', '/%2eenv'])('%s (symlink or dot file) is a 404', async (p) => {
    const r = await raw(port, 'GET', p);
    expect(r.status).toBe(404);
    expect(r.body.toString()).not.toContain('outside the build');
    expect(r.body.toString()).not.toContain('SECRET');
  });

  test('dot segments inside the site are resolved before the lookup', async () => {
    const r = await raw(port, 'GET', '/de/../en/./index.html');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain('<title>home</title>');
  });

  test('percent-encoded names are decoded', async () => {
    expect((await raw(port, 'GET', '/%61pi/status.json')).status).toBe(200);
  });
});

describe('security headers', () => {
  test('pages refuse frames; widget pages may be framed by anyone', async () => {
    const home = await raw(port, 'GET', '/en/');
    expect(home.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(home.headers['content-security-policy']).toContain("default-src 'none'");
    expect(home.headers['x-frame-options']).toBe('DENY');
    expect(home.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    const widget = await raw(port, 'GET', '/en/widget/teams/');
    expect(widget.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(widget.headers['x-frame-options']).toBeUndefined();
  });

  test('API, badges and feeds are readable cross-origin; pages are not', async () => {
    for (const p of ['/api/status.json', '/badges/en/teams.svg', '/de/history.rss']) {
      const r = await raw(port, 'GET', p);
      expect(r.headers['access-control-allow-origin'], p).toBe('*');
      expect(r.headers['cross-origin-resource-policy'], p).toBe('cross-origin');
    }
    const page = await raw(port, 'GET', '/en/');
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
  });
});

describe('routing', () => {
  test('unknown paths get the built 404 page with status 404', async () => {
    const r = await raw(port, 'GET', '/en/incidents/does-not-exist/');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body.toString()).toContain('<title>not found</title>');
    expect(onDemandCalls).not.toContain('/en/incidents/does-not-exist/');
  });

  test('on-demand routes go to the build handler with security headers set', async () => {
    const r = await raw(port, 'GET', '/de/check?q=example.com');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('<p>on demand</p>');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(onDemandCalls).toContain('/de/check?q=example.com');
  });

  test('/healthz answers JSON, never cached', async () => {
    const r = await raw(port, 'GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(r.body.toString())).toEqual({ status: 'ok' });
  });
});

test('before the first build every page is 503 with Retry-After', async () => {
  const handler = createSiteHandler({ getSite: () => null, getOnDemand: () => null, health: () => ({ status: 503, body: '{}' }), log: silentLogger });
  const s = createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  try {
    const r = await raw(p, 'GET', '/en/');
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('5');
    expect((await raw(p, 'GET', '/healthz')).status).toBe(503);
  } finally {
    await new Promise<void>((r) => s.close(() => r()));
  }
});
