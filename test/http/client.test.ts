import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { HttpConfigSchema } from '../../src/config/schema.ts';
import { createHttpClient, type HttpClientOptions, type HttpLogEntry, type OwnedHttpClient } from '../../scrapers/http/index.ts';
import { SourceError, type SourceErrorCode } from '../../scrapers/http/errors.ts';
import type { HttpRequest } from '../../scrapers/http/types.ts';
import { startFaultServer, type FaultServer } from './_fault-server.ts';

const config = HttpConfigSchema.parse({
  userAgent: 'OutageRadarTest/1.0 (+https://example.test/outage-radar)',
  deadlineMs: 1_500,
  connectTimeoutMs: 500,
  headersTimeoutMs: 700,
  bodyTimeoutMs: 5_000,
  maxBytes: 64 * 1024,
  maxRedirects: 3,
  retries: 1,
  maxRetryAfterMinutes: 60,
});

const T0 = new Date('2026-11-25T10:00:00.000Z');
let now = T0;
const clock = () => now;

let server: FaultServer;
const clients: OwnedHttpClient[] = [];

function client(extra: Partial<HttpClientOptions> = {}): OwnedHttpClient {
  const c = createHttpClient({ config, clock, random: () => 0, ...extra });
  clients.push(c);
  return c;
}

/** Runs a request that must fail; returns the error and how long it took. */
async function failure(c: OwnedHttpClient, req: HttpRequest): Promise<{ err: SourceError; ms: number }> {
  const started = performance.now();
  try {
    await c.request(req);
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    return { err: err as SourceError, ms: performance.now() - started };
  }
  throw new Error(`expected ${req.url} to fail`);
}

// The bounds prove "fails at its deadline, not at the 300 s default or after a Retry-After wait";
// a shared 2-core CI machine can stall a process for a few hundred ms, so they get headroom.
const TIMING_SLACK = 4;

async function expectCode(c: OwnedHttpClient, req: HttpRequest, code: SourceErrorCode, withinMs: number) {
  const { err, ms } = await failure(c, req);
  expect(err.code, err.message).toBe(code);
  expect(ms).toBeLessThan(withinMs * TIMING_SLACK);
  return err;
}

beforeAll(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  now = T0;
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await server.close();
});

describe('success paths', () => {
  test('a JSON body is returned decoded, hashed, with an honest User-Agent', async () => {
    server.route('/ok.json', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', etag: '"e1"', 'last-modified': 'Wed, 25 Nov 2026 09:00:00 GMT' });
      res.end('{"Status":"Available","t":"Störung"}');
    });
    const r = await client().request({ url: `${server.base}/ok.json`, expect: 'json' });
    expect(r.status).toBe(200);
    expect(r.notModified).toBe(false);
    expect(JSON.parse(r.text)).toEqual({ Status: 'Available', t: 'Störung' });
    expect(r.charset).toBe('utf-8');
    expect(r.etag).toBe('"e1"');
    expect(r.lastModified).toBe('Wed, 25 Nov 2026 09:00:00 GMT');
    expect(r.bodyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.bytes).toBe(Buffer.byteLength('{"Status":"Available","t":"Störung"}'));
    expect(server.lastHeaders('/ok.json')?.['user-agent']).toBe(config.userAgent);
    expect(server.lastHeaders('/ok.json')?.accept).toContain('application/json');
  });

  test('a gzip body is decompressed and the hash covers the decoded bytes', async () => {
    const xml = '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>';
    server.route('/gz.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
      res.end(gzipSync(xml));
    });
    const r = await client().request({ url: `${server.base}/gz.xml`, expect: 'feed' });
    expect(r.text).toBe(xml);
    expect(server.lastHeaders('/gz.xml')?.['accept-encoding']).toContain('gzip');
  });

  test('a malformed body passes through: parsing is the adapter’s job', async () => {
    server.route('/broken.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss><channel><item><title>unclosed');
    });
    server.route('/broken.json', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"Status": ');
    });
    const c = client();
    expect((await c.request({ url: `${server.base}/broken.xml`, expect: 'feed' })).text).toBe('<rss><channel><item><title>unclosed');
    expect((await c.request({ url: `${server.base}/broken.json`, expect: 'json' })).text).toBe('{"Status": ');
  });

  test('redirects within the limit are followed and the final URL is reported', async () => {
    server.route('/hop1', (_req, res) => res.writeHead(301, { location: '/hop2' }).end());
    server.route('/hop2', (_req, res) => res.writeHead(302, { location: `${server.base}/final.json` }).end());
    server.route('/final.json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
    const r = await client().request({ url: `${server.base}/hop1`, expect: 'json' });
    expect(r.url).toBe(`${server.base}/final.json`);
    expect(r.text).toBe('[]');
  });

  test('credentials are not carried to another origin on redirect', async () => {
    const other = await startFaultServer();
    try {
      other.route('/landing.json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
      server.route('/to-other', (_req, res) => res.writeHead(307, { location: `${other.base}/landing.json` }).end());
      await client().request({ url: `${server.base}/to-other`, expect: 'json', headers: { Authorization: 'Bearer secret' } });
      expect(server.lastHeaders('/to-other')?.authorization).toBe('Bearer secret');
      expect(other.lastHeaders('/landing.json')?.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe('timeouts and aborts', () => {
  test('a connection that never sends headers fails with SOURCE_TIMEOUT at the headers timeout', async () => {
    server.route('/hang', () => undefined);
    const err = await expectCode(client(), { url: `${server.base}/hang`, expect: 'feed' }, 'SOURCE_TIMEOUT', config.headersTimeoutMs + 600);
    expect(err.message).toMatch(/headers/);
    expect(server.hits('/hang')).toBe(1);
  });

  test('the whole-request deadline bounds a hang even with generous phase timeouts', async () => {
    server.route('/hang2', () => undefined);
    const c = client({ config: { ...config, headersTimeoutMs: 60_000 } });
    const err = await expectCode(c, { url: `${server.base}/hang2`, expect: 'json', deadlineMs: 400 }, 'SOURCE_TIMEOUT', 1_000);
    expect(err.message).toMatch(/deadline/);
  });

  test('a slow-drip body past the deadline fails with SOURCE_TIMEOUT', async () => {
    server.route('/drip', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss>');
      const t = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(t));
    });
    const err = await expectCode(client(), { url: `${server.base}/drip`, expect: 'feed', deadlineMs: 600 }, 'SOURCE_TIMEOUT', 1_200);
    expect(err.message).toMatch(/600 ms deadline/);
  });

  test('the caller’s AbortSignal aborts the request', async () => {
    server.route('/hang3', () => undefined);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('cycle deadline')), 100);
    const err = await expectCode(client(), { url: `${server.base}/hang3`, expect: 'json', signal: ac.signal }, 'SOURCE_TIMEOUT', 600);
    expect(err.message).toMatch(/aborted by the caller/);
  });
});

describe('retries', () => {
  test('a 500 is retried once, then fails with SOURCE_HTTP_STATUS', async () => {
    server.route('/500', (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'));
    const err = await expectCode(client(), { url: `${server.base}/500`, expect: 'json' }, 'SOURCE_HTTP_STATUS', 1_500);
    expect(err.status).toBe(500);
    expect(err.message).toContain('boom');
    expect(server.hits('/500')).toBe(2);
  });

  test('a 502 followed by a 200 succeeds on the retry', async () => {
    server.route('/flaky', (_req, res, hit) => {
      if (hit === 1) res.writeHead(502).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const r = await client().request({ url: `${server.base}/flaky`, expect: 'json' });
    expect(r.text).toBe('{"ok":true}');
    expect(server.hits('/flaky')).toBe(2);
  });

  test('a POST is never retried', async () => {
    server.route('/post500', (_req, res) => res.writeHead(500).end());
    await expectCode(client(), { url: `${server.base}/post500`, expect: 'json', method: 'POST', body: 'a=1' }, 'SOURCE_HTTP_STATUS', 1_000);
    expect(server.hits('/post500')).toBe(1);
  });

  test('a retry never starts when its backoff would pass the deadline', async () => {
    server.route('/500b', (_req, res) => res.writeHead(500).end());
    await expectCode(client(), { url: `${server.base}/500b`, expect: 'json', deadlineMs: 300 }, 'SOURCE_HTTP_STATUS', 300);
    expect(server.hits('/500b')).toBe(1);
  });

  test('a 404 is not retried', async () => {
    server.route('/404', (_req, res) => res.writeHead(404).end('gone'));
    const err = await expectCode(client(), { url: `${server.base}/404`, expect: 'json' }, 'SOURCE_HTTP_STATUS', 500);
    expect(err.status).toBe(404);
    expect(server.hits('/404')).toBe(1);
  });
});

describe('network faults', () => {
  test('a connection reset fails with SOURCE_NETWORK after one retry', async () => {
    server.route('/reset', (req) => req.socket.destroy());
    await expectCode(client(), { url: `${server.base}/reset`, expect: 'json' }, 'SOURCE_NETWORK', 1_500);
    expect(server.hits('/reset')).toBe(2);
  });

  test('a truncated body (Content-Length larger than sent) fails with SOURCE_NETWORK', async () => {
    server.route('/truncated', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"Status":"Avail');
      setTimeout(() => res.socket?.end(), 20);
    });
    const err = await expectCode(client(), { url: `${server.base}/truncated`, expect: 'json' }, 'SOURCE_NETWORK', 1_500);
    expect(server.hits('/truncated')).toBe(2);
    expect(err.cause).toBeDefined();
  });

  test('a refused connection fails with SOURCE_NETWORK', async () => {
    const gone = await startFaultServer();
    const url = `${gone.base}/x`;
    await gone.close();
    await expectCode(client(), { url, expect: 'json' }, 'SOURCE_NETWORK', 1_500);
  });
});

describe('size cap', () => {
  test('a streamed body over the cap is aborted with SOURCE_TOO_LARGE', async () => {
    let written = 0;
    server.route('/huge', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed && written < 50 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    await expectCode(client(), { url: `${server.base}/huge`, expect: 'feed' }, 'SOURCE_TOO_LARGE', 1_500);
    // The client stopped reading long before the server's 50 MiB were sent.
    expect(written).toBeLessThan(10 * 1024 * 1024);
  });

  test('an announced Content-Length over the cap fails before reading', async () => {
    server.route('/big-announced', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
      res.write('[');
    });
    const err = await expectCode(client(), { url: `${server.base}/big-announced`, expect: 'json' }, 'SOURCE_TOO_LARGE', 500);
    expect(err.message).toMatch(/announced/);
  });

  test('a per-request maxBytes overrides the configured cap', async () => {
    server.route('/small', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify('x'.repeat(200))));
    await expectCode(client(), { url: `${server.base}/small`, expect: 'json', maxBytes: 100 }, 'SOURCE_TOO_LARGE', 500);
  });
});

describe('content checks', () => {
  test('an empty 200 fails with SOURCE_EMPTY', async () => {
    server.route('/empty', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end());
    server.route('/blank', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('  \r\n '));
    const c = client();
    await expectCode(c, { url: `${server.base}/empty`, expect: 'json' }, 'SOURCE_EMPTY', 500);
    await expectCode(c, { url: `${server.base}/blank`, expect: 'feed' }, 'SOURCE_EMPTY', 500);
  });

  test('an HTML page where a feed was expected fails with SOURCE_WRONG_TYPE', async () => {
    server.route('/spa', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><head><title>Status</title></head><body><div id="root"></div></body></html>');
    });
    const c = client();
    await expectCode(c, { url: `${server.base}/spa`, expect: 'feed' }, 'SOURCE_WRONG_TYPE', 500);
    await expectCode(c, { url: `${server.base}/spa`, expect: 'json' }, 'SOURCE_WRONG_TYPE', 500);
    expect((await c.request({ url: `${server.base}/spa`, expect: 'html' })).text).toContain('id="root"');
  });

  test('a bot-protection interstitial fails with SOURCE_BLOCKED, on 200 and on 403', async () => {
    const page =
      '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>';
    server.route('/challenge200', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    server.route('/challenge403', (_req, res) => res.writeHead(403, { 'content-type': 'text/html' }).end(page));
    const c = client();
    await expectCode(c, { url: `${server.base}/challenge200`, expect: 'feed' }, 'SOURCE_BLOCKED', 500);
    await expectCode(c, { url: `${server.base}/challenge403`, expect: 'json' }, 'SOURCE_BLOCKED', 500);
    expect(server.hits('/challenge403')).toBe(1);
  });

  test('JSON expected but XML served fails with SOURCE_WRONG_TYPE', async () => {
    server.route('/xml-not-json', (_req, res) => res.writeHead(200, { 'content-type': 'application/xml' }).end('<error>no</error>'));
    await expectCode(client(), { url: `${server.base}/xml-not-json`, expect: 'json' }, 'SOURCE_WRONG_TYPE', 500);
  });
});

describe('redirect faults', () => {
  test('a redirect loop fails with SOURCE_REDIRECT_LOOP', async () => {
    server.route('/loop-a', (_req, res) => res.writeHead(302, { location: '/loop-b' }).end());
    server.route('/loop-b', (_req, res) => res.writeHead(302, { location: '/loop-a' }).end());
    const err = await expectCode(client(), { url: `${server.base}/loop-a`, expect: 'feed' }, 'SOURCE_REDIRECT_LOOP', 500);
    expect(err.message).toMatch(/loop/);
    expect(server.hits('/loop-a')).toBe(1);
  });

  test('too many redirects fail with SOURCE_REDIRECT_LOOP', async () => {
    for (let i = 1; i <= 6; i++) server.route(`/chain${i}`, (_req, res) => res.writeHead(301, { location: `/chain${i + 1}` }).end());
    const err = await expectCode(client(), { url: `${server.base}/chain1`, expect: 'feed' }, 'SOURCE_REDIRECT_LOOP', 500);
    expect(err.message).toMatch(/more than 3 redirects/);
    expect(server.hits('/chain5')).toBe(0);
  });
});

describe('conditional GET', () => {
  test('304 with validators returns notModified and empty text', async () => {
    server.route('/cond.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"' && req.headers['if-modified-since'] === 'Wed, 25 Nov 2026 08:00:00 GMT') {
        res.writeHead(304, { etag: '"v1"' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Wed, 25 Nov 2026 08:00:00 GMT' });
      res.end('<rss version="2.0"><channel><title>t</title></channel></rss>');
    });
    const c = client();
    const first = await c.request({ url: `${server.base}/cond.xml`, expect: 'feed' });
    expect(first.notModified).toBe(false);
    const second = await c.request({
      url: `${server.base}/cond.xml`,
      expect: 'feed',
      etag: first.etag,
      lastModified: first.lastModified,
    });
    expect(second).toMatchObject({ status: 304, notModified: true, text: '', etag: '"v1"', lastModified: 'Wed, 25 Nov 2026 08:00:00 GMT', bodyHash: null });
  });

  test('a 304 to a request without validators is an error, not silent success', async () => {
    server.route('/bogus304', (_req, res) => res.writeHead(304).end());
    await expectCode(client(), { url: `${server.base}/bogus304`, expect: 'feed' }, 'SOURCE_HTTP_STATUS', 500);
  });
});

describe('Retry-After and per-host politeness', () => {
  const tmp = () => mkdtemp(path.join(tmpdir(), 'or-http-'));

  test('503 with Retry-After seconds → SOURCE_RATE_LIMITED with retryAfter; the host is then skipped without network', async () => {
    server.route('/busy', (_req, res) => res.writeHead(503, { 'retry-after': '120' }).end());
    server.route('/other', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const c = client();
    const err = await expectCode(c, { url: `${server.base}/busy`, expect: 'json' }, 'SOURCE_RATE_LIMITED', 500);
    expect(err.status).toBe(503);
    expect(err.retryAfter?.toISOString()).toBe(new Date(T0.getTime() + 120_000).toISOString());
    expect(server.hits('/busy')).toBe(1);
    const again = await expectCode(c, { url: `${server.base}/other`, expect: 'json' }, 'SOURCE_RATE_LIMITED', 50);
    expect(again.retryAfter?.getTime()).toBe(T0.getTime() + 120_000);
    expect(server.hits('/other')).toBe(0);
    now = new Date(T0.getTime() + 121_000);
    await c.request({ url: `${server.base}/other`, expect: 'json' });
    expect(server.hits('/other')).toBe(1);
  });

  test('429 with an HTTP-date Retry-After is measured against the server’s Date header', async () => {
    server.route('/limited', (_req, res) => {
      const serverNow = Date.now();
      res.setHeader('date', new Date(serverNow).toUTCString());
      res.writeHead(429, { 'retry-after': new Date(serverNow + 300_000).toUTCString() }).end();
    });
    const err = await expectCode(client(), { url: `${server.base}/limited`, expect: 'json' }, 'SOURCE_RATE_LIMITED', 500);
    const waited = (err.retryAfter?.getTime() ?? 0) - T0.getTime();
    expect(waited).toBeGreaterThanOrEqual(299_000);
    expect(waited).toBeLessThanOrEqual(301_000);
  });

  test('429 without Retry-After waits the default minute', async () => {
    server.route('/limited-bare', (_req, res) => res.writeHead(429).end());
    const err = await expectCode(client(), { url: `${server.base}/limited-bare`, expect: 'json' }, 'SOURCE_RATE_LIMITED', 500);
    expect(err.retryAfter?.getTime()).toBe(T0.getTime() + 60_000);
  });

  test('an absurd Retry-After is clamped to maxRetryAfterMinutes and logged', async () => {
    server.route('/forever', (_req, res) => res.writeHead(429, { 'retry-after': '999999999' }).end());
    const logs: HttpLogEntry[] = [];
    const err = await expectCode(
      client({ log: (e) => logs.push(e) }),
      { url: `${server.base}/forever`, expect: 'json' },
      'SOURCE_RATE_LIMITED',
      500,
    );
    expect(err.retryAfter?.getTime()).toBe(T0.getTime() + config.maxRetryAfterMinutes * 60_000);
    expect(logs.some((l) => l.event === 'retry-after-clamped')).toBe(true);
  });

  test('the not-before time persists in the hosts file and a second client (next run) honours it', async () => {
    const file = path.join(await tmp(), 'hosts.json');
    server.route('/persist', (_req, res) => res.writeHead(429, { 'retry-after': '600' }).end());
    server.route('/persist-ok', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const first = client({ hostsFile: file });
    await expectCode(first, { url: `${server.base}/persist`, expect: 'json' }, 'SOURCE_RATE_LIMITED', 500);
    await first.close();
    const stored = JSON.parse(await readFile(file, 'utf8')) as { hosts: Record<string, { notBefore: string; status: number }> };
    expect(stored.hosts[server.host]).toMatchObject({ notBefore: new Date(T0.getTime() + 600_000).toISOString(), status: 429 });

    const second = client({ hostsFile: file });
    const err = await expectCode(second, { url: `${server.base}/persist-ok`, expect: 'json' }, 'SOURCE_RATE_LIMITED', 100);
    expect(err.retryAfter?.toISOString()).toBe(new Date(T0.getTime() + 600_000).toISOString());
    expect(server.hits('/persist-ok')).toBe(0);

    now = new Date(T0.getTime() + 601_000);
    const third = client({ hostsFile: file });
    await third.request({ url: `${server.base}/persist-ok`, expect: 'json' });
    expect(server.hits('/persist-ok')).toBe(1);
    await third.flush();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, hosts: {} });
  });

  test('an unreadable hosts file is reported and replaced, never blocks fetching', async () => {
    const file = path.join(await tmp(), 'hosts.json');
    await writeFile(file, '{"version":1,"hosts":{"x":');
    server.route('/after-corrupt', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const logs: HttpLogEntry[] = [];
    const c = client({ hostsFile: file, log: (e) => logs.push(e) });
    await c.request({ url: `${server.base}/after-corrupt`, expect: 'json' });
    expect(logs.map((l) => l.event)).toContain('hosts-file-unreadable');
    await c.flush();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, hosts: {} });
  });
});
