/**
 * deploy/nginx/*.conf, checked by the real nginx: `nginx -t`, then served on loopback ports with
 * a built-site stand-in and a stand-in for `npm start`, so Content-Types, caching, security
 * headers, precompressed files and the proxied routes are what the docs promise.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contentTypeFor } from '../../src/lib/content-types.ts';
import { securityHeadersFor } from '../../src/lib/security-headers.ts';
import { freePort } from '../../src/lib/free-port.ts';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? null;
const BROTLI_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';
const HAS_BROTLI = existsSync(BROTLI_MODULE);
const DEPLOY = path.resolve('deploy/nginx');

if (!NGINX) {
  // Visible in the run output: .ci/run installs nginx, so this only happens on a bare machine.
  console.warn('test/deploy/nginx.test.ts: nginx not installed; skipping (apt-get install -y nginx libnginx-mod-http-brotli-static)');
}


interface Upstream {
  server: Server;
  port: number;
  seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[];
}

async function startUpstream(): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ servedBy: 'app', url: req.url }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, seen };
}

/** A few files shaped like the built site. */
function writeSite(root: string): void {
  const files: Record<string, string> = {
    'index.html': '<!doctype html><title>Outage Radar</title>',
    '404.html': '<!doctype html><title>Not found</title>',
    'en/index.html': '<!doctype html><title>Outage Radar</title>',
    'en/incidents/inc-2026-11-24-exchange-online-owa/index.html': '<!doctype html><title>Incident</title>',
    'en/history.rss': '<?xml version="1.0"?><rss version="2.0"><channel><title>History</title></channel></rss>',
    'en/history.atom': '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>History</title></feed>',
    'en/feed.xml': '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title></channel></rss>',
    'en/atom.xml': '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Feed</title></feed>',
    'badges/en/exchange-online.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    'badges/en/exchange-online.json': '{"schemaVersion":1,"label":"Exchange Online","message":"operational"}',
    'en/widget/index.html': '<!doctype html><title>Widget</title>',
    'widget.js': 'void 0',
    'sitemap.xml': '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>',
    'api/v2/summary.json': JSON.stringify({ status: { indicator: 'none', description: 'All Systems Operational' } }),
    'status.json': '{"indicator":"none"}',
    '_astro/client.Ab12Cd.js': 'console.log(1)',
  };
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  // Precompressed twins, as a build step may write them; distinct content proves which one was sent.
  const summary = JSON.stringify({ status: { indicator: 'none', description: 'All Systems Operational' }, precompressed: true });
  writeFileSync(path.join(root, 'api/v2/summary.json.gz'), gzipSync(summary));
  writeFileSync(path.join(root, 'api/v2/summary.json.br'), brotliCompressSync(summary));
}

describe.skipIf(!NGINX)('nginx server block (deploy/nginx)', () => {
  let dir: string;
  let nginx: ChildProcess | null = null;
  let upstream: Upstream;
  let httpsPort: number;
  let httpPort: number;
  const agent = new Agent({ connect: { rejectUnauthorized: false } });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'outage-radar-nginx-'));
    for (const sub of ['conf/snippets', 'conf/sites', 'site', 'logs', 'temp', 'acme']) mkdirSync(path.join(dir, sub), { recursive: true });
    writeSite(path.join(dir, 'site'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=status.example.org', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    upstream = await startUpstream();
    httpsPort = await freePort();
    httpPort = await freePort();

    let site = readFileSync(path.join(DEPLOY, 'outage-radar.conf'), 'utf8')
      .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
      .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
      .replace(/^\s*listen \[::\]:.*$/gm, '')
      .replace('/etc/letsencrypt/live/status.example.org/fullchain.pem', path.join(dir, 'cert.pem'))
      .replace('/etc/letsencrypt/live/status.example.org/privkey.pem', path.join(dir, 'key.pem'))
      .replace('/srv/outage-radar/builds/current/client', path.join(dir, 'site'))
      .replace('/var/www/letsencrypt', path.join(dir, 'acme'))
      .replace('server 127.0.0.1:4321;', `server 127.0.0.1:${upstream.port};`);
    if (!HAS_BROTLI) site = site.replace(/^\s*brotli_static on;.*$/m, '');
    writeFileSync(path.join(dir, 'conf/sites/outage-radar.conf'), site);
    writeFileSync(path.join(dir, 'conf/snippets/outage-radar-proxy.conf'), readFileSync(path.join(DEPLOY, 'outage-radar-proxy.conf'), 'utf8'));
    const temp = (name: string) => `${name}_temp_path ${path.join(dir, 'temp', name)};`;
    writeFileSync(
      path.join(dir, 'conf/nginx.conf'),
      [
        process.getuid?.() === 0 ? 'user root;' : '',
        'worker_processes 1;',
        `pid ${path.join(dir, 'nginx.pid')};`,
        `error_log ${path.join(dir, 'logs/error.log')} warn;`,
        HAS_BROTLI ? `load_module ${BROTLI_MODULE};` : '',
        'events { worker_connections 64; }',
        'http {',
        '  include /etc/nginx/mime.types;',
        '  default_type application/octet-stream;',
        `  access_log ${path.join(dir, 'logs/access.log')};`,
        `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
        '  include sites/outage-radar.conf;',
        '}',
      ].join('\n'),
    );
  }, 60_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGTERM');
      await once(nginx, 'exit');
    }
    await agent.close();
    if (upstream) {
      upstream.server.close();
      await once(upstream.server, 'close');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('nginx -t accepts the configuration', () => {
    const check = spawnSync(NGINX!, ['-t', '-p', dir, '-c', path.join(dir, 'conf/nginx.conf')], { encoding: 'utf8' });
    expect(check.stderr).toContain('syntax is ok');
    expect(check.stderr).toContain('test is successful');
    expect(check.status).toBe(0);
  });

  describe('served for real', () => {
    beforeAll(async () => {
      nginx = spawn(NGINX!, ['-p', dir, '-c', path.join(dir, 'conf/nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
      for (let i = 0; i < 100; i++) {
        try {
          const res = await request(`https://127.0.0.1:${httpsPort}/`, { dispatcher: agent });
          await res.body.dump();
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      const log = path.join(dir, 'logs/error.log');
      throw new Error(`nginx did not start: ${existsSync(log) ? readFileSync(log, 'utf8') : 'no error log'}`);
    }, 30_000);

    async function get(pathname: string, init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {}) {
      const res = await request(`https://127.0.0.1:${httpsPort}${pathname}`, {
        dispatcher: agent,
        method: init.method ?? 'GET',
        headers: { host: 'status.example.org', ...init.headers },
        body: init.body,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      return { status: res.statusCode, headers: res.headers, body };
    }

    test.each([
      ['/en/history.rss', 'application/rss+xml; charset=utf-8'],
      ['/en/history.atom', 'application/atom+xml; charset=utf-8'],
      ['/en/feed.xml', 'application/rss+xml; charset=utf-8'],
      ['/en/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/badges/en/exchange-online.svg', 'image/svg+xml; charset=utf-8'],
      ['/api/v2/summary.json', 'application/json; charset=utf-8'],
      ['/status.json', 'application/json; charset=utf-8'],
      ['/badges/en/exchange-online.json', 'application/json; charset=utf-8'],
      ['/sitemap.xml', 'application/xml; charset=utf-8'],
      ['/en/', 'text/html; charset=utf-8'],
    ])('%s is served as %s', async (pathname, type) => {
      const res = await get(pathname);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    });

    test.each([
      ['/api/v2/summary.json', 'public, max-age=60, stale-while-revalidate=60'],
      ['/badges/en/exchange-online.svg', 'public, max-age=60, stale-while-revalidate=60'],
      ['/en/history.rss', 'public, max-age=300, stale-while-revalidate=60'],
      ['/en/incidents/inc-2026-11-24-exchange-online-owa/', 'public, max-age=60, stale-while-revalidate=60'],
      ['/en/', 'public, max-age=60, stale-while-revalidate=60'],
      ['/_astro/client.Ab12Cd.js', 'public, max-age=31536000, immutable'],
    ])('%s has Cache-Control %s', async (pathname, cacheControl) => {
      const res = await get(pathname);
      expect(res.headers['cache-control']).toBe(cacheControl);
    });

    test.each([
      ['/api/v2/summary.json', '*', 'cross-origin'],
      ['/badges/en/exchange-online.svg', '*', 'cross-origin'],
      ['/en/history.atom', '*', 'cross-origin'],
      ['/widget.js', '*', 'cross-origin'],
      ['/en/', undefined, 'same-origin'],
      ['/api/reports', undefined, 'same-origin'],
    ])('%s: Access-Control-Allow-Origin %s, Cross-Origin-Resource-Policy %s', async (pathname, acao, corp) => {
      const res = await get(pathname, pathname === '/api/reports' ? { method: 'POST', body: '{}' } : {});
      expect(res.headers['access-control-allow-origin']).toBe(acao);
      expect(res.headers['cross-origin-resource-policy']).toBe(corp);
    });

    test.each(['/en/', '/en/widget/', '/_astro/client.Ab12Cd.js', '/en/incidents/inc-2026-11-24-exchange-online-owa/', '/api/v2/summary.json', '/badges/en/exchange-online.svg', '/en/history.rss', '/en/history.atom', '/widget.js', '/status.json'])(
      '%s carries exactly the site header plan (src/lib/security-headers.ts, content-types.ts)',
      async (pathname) => {
        const res = await get(pathname);
        for (const [name, value] of Object.entries(securityHeadersFor(pathname))) expect(res.headers[name.toLowerCase()], name).toBe(value);
        expect(res.headers['content-type']).toBe(contentTypeFor(pathname));
      },
    );

    test('pages refuse frames; widget pages may be framed by anyone', async () => {
      const page = await get('/en/');
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'$/);
      expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'self' 'sha256-/);
      const widget = await get('/en/widget/');
      expect(widget.headers['x-frame-options']).toBeUndefined();
      expect(widget.headers['content-security-policy']).toMatch(/frame-ancestors \*$/);
    });

    test('precompressed files are sent as they are (gzip, and brotli when the module is there)', async () => {
      const gz = await get('/api/v2/summary.json', { headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(JSON.parse(gunzipSync(gz.body).toString())).toMatchObject({ precompressed: true });
      if (HAS_BROTLI) {
        const br = await get('/api/v2/summary.json', { headers: { 'accept-encoding': 'br, gzip' } });
        expect(br.headers['content-encoding']).toBe('br');
        expect(JSON.parse(brotliDecompressSync(br.body).toString())).toMatchObject({ precompressed: true });
      }
      const plain = await get('/api/v2/summary.json');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(plain.body.toString())).not.toHaveProperty('precompressed');
    });

    test.each([
      ['GET', '/healthz'],
      ['POST', '/api/reports'],
      ['GET', '/api/reports/summary'],
      ['GET', '/en/check?domain=contoso.com'],
      ['GET', '/de/check/'],
    ] as const)('%s %s goes to the app with the client address, its own caching and the security headers', async (method, pathname) => {
      const before = upstream.seen.length;
      const res = await get(pathname, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{"service":"teams"}' } : {}) });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body.toString())).toEqual({ servedBy: 'app', url: pathname });
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      const seen = upstream.seen[before]!;
      expect(seen.method).toBe(method);
      expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(seen.headers['x-forwarded-proto']).toBe('https');
      expect(seen.headers.host).toBe('status.example.org');
    });

    test('a static page is never proxied, and a missing one gets the site 404 page', async () => {
      const before = upstream.seen.length;
      expect((await get('/en/')).body.toString()).toContain('Outage Radar');
      const missing = await get('/en/nothing-here/');
      expect(missing.status).toBe(404);
      expect(missing.body.toString()).toContain('Not found');
      expect(upstream.seen.length).toBe(before);
    });

    test('an oversized report body is refused before it reaches the app', async () => {
      const before = upstream.seen.length;
      const res = await get('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(9 * 1024) });
      expect(res.status).toBe(413);
      expect(upstream.seen.length).toBe(before);
    });

    test('plain HTTP redirects to HTTPS', async () => {
      const res = await request(`http://127.0.0.1:${httpPort}/en/?x=1`, { headers: { host: 'status.example.org' } });
      await res.body.dump();
      expect(res.statusCode).toBe(301);
      expect(res.headers.location).toBe('https://status.example.org/en/?x=1');
    });
  });
});
