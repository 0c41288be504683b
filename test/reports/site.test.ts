import net from 'node:net';
/**
 * The report path on the real built site: `astro build` into a temp dir, the built standalone
 * server, real HTTP, real SQLite, real Chromium (with and without JavaScript).
 */
import { DatabaseSync } from 'node:sqlite';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestSite, startBuiltServer, type RunningServer, type TestSite } from './built-server.ts';

const SITE_URL = 'https://status.example.test';
const RATE = 20;
let site: TestSite;
let trusted: RunningServer; // OUTAGE_RADAR_TRUST_PROXY=1: tests pick their client with X-Forwarded-For
let direct: RunningServer; // the socket address only (a data dir of its own: one process writes a SQLite store)
let browser: Browser;
let clientSeq = 0;
/** A fresh client address per test, so dedup and limits of one test never touch another. */
const nextClient = () => `198.51.100.${++clientSeq}`;

beforeAll(async () => {
  site = await buildTestSite(
    { site: { url: SITE_URL }, reports: { rateLimitPerMinute: RATE, maxBodyBytes: 1024 } },
    { OUTAGE_RADAR_REPORT_SECRET: 'site-test-secret-0123456789' },
  );
  const directData = path.join(site.root, 'data-direct');
  await mkdir(directData, { recursive: true });
  [trusted, direct] = await Promise.all([startBuiltServer(site, { OUTAGE_RADAR_TRUST_PROXY: '1' }), startBuiltServer(site, { OUTAGE_RADAR_DATA_DIR: directData })]);
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([trusted?.stop(), direct?.stop()]);
  await site?.remove();
});

interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => { status?: string; error?: { code: string; fields?: { field: string; code: string }[]; retryAfter?: number } };
}

async function send(server: RunningServer, p: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer | Readable } = {}): Promise<Sent> {
  const res = await request(`${server.url}${p}`, { method: (init.method ?? 'POST') as 'POST', headers: init.headers, body: init.body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

function postJson(server: RunningServer, body: unknown, client: string, headers: Record<string, string> = {}): Promise<Sent> {
  return send(server, '/api/reports', {
    headers: { 'content-type': 'application/json', origin: server.url, 'x-forwarded-for': client, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function summary(server: RunningServer): Promise<{ generatedAt: string; services: Record<string, { lastHour: number; problemTypes: Record<string, number>; codes: Record<string, number> }> }> {
  // The summary is cached for 5 s per process; wait it out so the counts are current.
  await new Promise((r) => setTimeout(r, 5_100));
  return (await send(server, '/api/reports/summary.json', { method: 'GET' })).json() as never;
}

/** Waits until the current minute has at least `seconds` left (rate limits count per minute). */
async function awayFromMinuteEnd(seconds: number): Promise<void> {
  const left = 60 - new Date().getUTCSeconds();
  if (left < seconds) await new Promise((r) => setTimeout(r, left * 1000 + 200));
}

describe('JSON reports', () => {
  test('a report is accepted once per client and service, and counted in the live summary', async () => {
    const client = nextClient();
    const first = await postJson(trusted, { service: 'exchange-online', problemType: 'mail-bounces', code: '550-5.7.1' }, client);
    expect(first.status).toBe(202);
    expect(first.json()).toEqual({ status: 'accepted', service: 'exchange-online', problemType: 'mail-bounces', code: '550 5.7.1' });
    expect(first.headers['cache-control']).toBe('no-store');
    const again = await postJson(trusted, { service: 'exchange-online', problemType: 'sending-mail' }, client);
    expect(again.status).toBe(200);
    expect(again.json().status).toBe('duplicate');
    expect((await postJson(trusted, { service: 'exchange-online', problemType: 'sign-in' }, nextClient())).status).toBe(202);

    const s = await summary(trusted);
    expect(s.services['exchange-online']).toMatchObject({ lastHour: 2, problemTypes: { 'mail-bounces': 1, 'sign-in': 1 }, codes: { '550 5.7.1': 1 } });
  });

  test.each([
    ['GET is not a way to report', { method: 'GET' }, 405, 'METHOD_NOT_ALLOWED'],
    ['text/plain is refused', { headers: { 'content-type': 'text/plain' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a missing content type is refused', { headers: { 'content-type': '' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a non-UTF-8 charset is refused', { headers: { 'content-type': 'application/json; charset=iso-8859-1' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['no Origin and no Referer', { headers: { origin: '' } }, 403, 'ORIGIN_REQUIRED'],
    ['a foreign Origin', { headers: { origin: 'https://evil.example' } }, 403, 'ORIGIN_MISMATCH'],
    ['a foreign Referer without Origin', { headers: { origin: '', referer: 'https://evil.example/x' } }, 403, 'ORIGIN_MISMATCH'],
    ['Origin "null"', { headers: { origin: 'null' } }, 403, 'ORIGIN_MISMATCH'],
    ['a declared body over the cap', { headers: { 'content-length': '5000' }, body: 'x'.repeat(5000) }, 413, 'PAYLOAD_TOO_LARGE'],
    ['malformed JSON', { body: '{"service":' }, 400, 'INVALID_JSON'],
    ['bytes that are not UTF-8', { body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }, 400, 'BODY_ENCODING'],
    ['a JSON array', { body: '[]' }, 400, 'INVALID_REPORT'],
    ['an empty object', { body: '{}' }, 400, 'INVALID_REPORT'],
    ['an unknown service', { body: '{"service":"gmail","problemType":"other"}' }, 400, 'INVALID_REPORT'],
    ['an unknown problem type', { body: '{"service":"teams","problemType":"slow"}' }, 400, 'INVALID_REPORT'],
    ['a malformed bounce code', { body: '{"service":"teams","problemType":"other","code":"550 4.7.1"}' }, 400, 'INVALID_REPORT'],
    ['a bounce code that is a number', { body: '{"service":"teams","problemType":"other","code":550}' }, 400, 'INVALID_REPORT'],
    ['an unexpected field', { body: '{"service":"teams","problemType":"other","email":"a@b.c"}' }, 400, 'INVALID_REPORT'],
  ] as const)('%s (%j) → %i %s, never a 5xx', async (_name, init, status, code) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', origin: trusted.url, 'x-forwarded-for': nextClient() };
    for (const [k, v] of Object.entries('headers' in init ? init.headers : {})) {
      if (v === '') delete headers[k];
      else headers[k] = v;
    }
    const res = await send(trusted, '/api/reports', {
      method: 'method' in init ? init.method : 'POST',
      headers,
      body: 'body' in init ? init.body : JSON.stringify({ service: 'teams', problemType: 'other' }),
    });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().error?.code).toBe(code);
    if (status === 405) expect(res.headers.allow).toBe('POST');
  });

  test('field errors name every field with a stable code', async () => {
    const res = await postJson(trusted, { service: 'gmail', code: 'abc', extra: 1 }, nextClient());
    expect(res.status).toBe(400);
    const fields = res.json().error?.fields ?? [];
    expect(new Map(fields.map((f) => [f.field, f.code]))).toEqual(
      new Map([
        ['extra', 'FIELD_UNKNOWN'],
        ['service', 'SERVICE_UNKNOWN'],
        ['problemType', 'PROBLEM_TYPE_MISSING'],
        ['code', 'BOUNCE_CODE_INVALID'],
      ]),
    );
  });

  test('a chunked body is cut off at the cap while it is read', async () => {
    // A raw socket and one write: the server may answer and close before it read everything, and a
    // client still writing would see EPIPE instead of the answer (a race, not the behaviour under test).
    const { hostname, port } = new URL(trusted.url);
    const chunks = Array.from({ length: 40 }, () => 'x'.repeat(100));
    const body = chunks.map((c) => `${c.length.toString(16)}\r\n${c}\r\n`).join('') + '0\r\n\r\n';
    const head =
      `POST /api/reports HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nOrigin: ${trusted.url}\r\n` +
      `X-Forwarded-For: ${nextClient()}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(port), hostname);
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (data += d));
      socket.on('error', () => {});
      socket.on('close', () => resolve(data));
      socket.write(head + body);
      socket.setTimeout(10_000, () => socket.destroy());
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('"code":"PAYLOAD_TOO_LARGE"');
  });

  test('the site URL (behind a proxy) and a same-origin Referer are accepted origins', async () => {
    expect((await postJson(trusted, { service: 'sharepoint', problemType: 'web-access' }, nextClient(), { origin: SITE_URL })).status).toBe(202);
    const viaReferer = await send(trusted, '/api/reports', {
      headers: { 'content-type': 'application/json', referer: `${trusted.url}/en/`, 'x-forwarded-for': nextClient() },
      body: JSON.stringify({ service: 'sharepoint', problemType: 'web-access' }),
    });
    expect(viaReferer.status).toBe(202);
  });
});

describe('abuse limits', () => {
  test('a client over the per-minute limit gets 429 with Retry-After; others do not', async () => {
    await awayFromMinuteEnd(15);
    const client = nextClient();
    const services = ['outlook-com', 'exchange-online', 'teams', 'sharepoint', 'onedrive', 'm365-apps', 'entra-id', 'copilot', 'azure', 'm365-admin'];
    const statuses: number[] = [];
    for (let i = 0; i < RATE; i++) statuses.push((await postJson(trusted, { service: services[i % 10], problemType: 'other' }, client)).status);
    // Ten services: ten accepted, then duplicates; every attempt counts toward the limit.
    expect(statuses.filter((s) => s === 202)).toHaveLength(10);
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE - 10);
    const limited = await postJson(trusted, { service: 'teams', problemType: 'other' }, client);
    expect(limited.status).toBe(429);
    const retry = Number(limited.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(limited.json().error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: retry });
    expect((await postJson(trusted, { service: 'teams', problemType: 'other' }, nextClient())).status).toBe(202);
  });

  test('without OUTAGE_RADAR_TRUST_PROXY a forged X-Forwarded-For does not make a new client', async () => {
    const first = await postJson(direct, { service: 'm365-admin', problemType: 'web-access' }, '203.0.113.1');
    const second = await postJson(direct, { service: 'm365-admin', problemType: 'web-access' }, '203.0.113.2');
    expect([first.json().status, second.json().status]).toEqual(['accepted', 'duplicate']);
  });

  test('neither the database nor the summary holds a client address', async () => {
    await postJson(trusted, { service: 'entra-id', problemType: 'sign-in' }, '192.0.2.77');
    const db = new DatabaseSync(path.join(site.dataDir, 'reports.db'), { readOnly: true });
    const dump: string[] = [];
    for (const { name } of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]) {
      dump.push(JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all()));
    }
    db.close();
    const text = dump.join('\n');
    expect(text).not.toMatch(/192\.0\.2\.77|198\.51\.100\.|127\.0\.0\.1/);
    expect(text).toMatch(/entra-id/);
    const s = JSON.stringify(await summary(trusted));
    expect(s).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
    expect((await readFile(path.join(site.dataDir, 'reports.db'))).includes(Buffer.from('192.0.2.77'))).toBe(false);
  });
});

describe('form posts without JavaScript', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  const browser = (client: string) => ({ 'content-type': 'application/x-www-form-urlencoded', origin: trusted.url, accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'x-forwarded-for': client });

  test('a browser form post to /api/reports lands on the static confirmation in its language (303)', async () => {
    const client = nextClient();
    const ok = await send(trusted, '/api/reports?lang=de', { headers: browser(client), body: form({ service: 'azure', problemType: 'web-access', lang: 'de' }) });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/de/report/accepted/azure/');
    const page = await send(trusted, String(ok.headers.location), { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Danke, Ihre Meldung wurde gezählt.');
    expect(page.text).toContain('href="/de/services/azure/"');
    const dup = await send(trusted, '/api/reports?lang=de', { headers: browser(client), body: form({ service: 'azure', problemType: 'sign-in' }) });
    expect(dup.headers.location).toBe('/de/report/duplicate/azure/');
    // Without ?lang the page the form was on decides.
    const viaReferer = await send(trusted, '/api/reports', { headers: { ...browser(nextClient()), referer: `${trusted.url}/de/services/azure/` }, body: form({ service: 'azure', problemType: 'other' }) });
    expect(viaReferer.headers.location).toBe('/de/report/accepted/azure/');
    // A form post from a script (no text/html in Accept) gets JSON.
    const api = await send(trusted, '/api/reports', { headers: { ...browser(client), accept: 'application/json' }, body: form({ service: 'azure', problemType: 'other' }) });
    expect(api.json().status).toBe('duplicate');
  });

  test('behind a TLS-terminating proxy (Origin is the public https site URL) the form post is accepted', async () => {
    const res = await send(trusted, '/api/reports?lang=en', {
      headers: { ...browser(nextClient()), origin: SITE_URL, 'x-forwarded-proto': 'https' },
      body: form({ service: 'teams', problemType: 'sign-in' }),
    });
    expect(res.status, res.text.slice(0, 200)).toBe(303);
    expect(res.headers.location).toBe('/en/report/accepted/teams/');
  });

  test('a refused browser form post is answered with an error page and its 4xx status, the form refilled', async () => {
    const headers = browser(nextClient());
    const bad = await send(trusted, '/api/reports?lang=de', { headers, body: form({ service: 'azure', problemType: 'web-access', code: '550 4.7.1' }) });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^text\/html/);
    expect(bad.text).toContain('data-error="INVALID_REPORT"');
    expect(bad.text).toContain('Der Fehlercode sieht aus wie 550 5.1.10, 550 oder 5.7.1.');
    // The form comes back filled in, escaped, still posting to /api/reports.
    expect(bad.text).toContain('value="550 4.7.1"');
    expect(bad.text).toMatch(/value="web-access"[^>]*checked/);
    expect(bad.text).toContain('action="/api/reports?lang=de"');

    const repeated = await send(trusted, '/api/reports?lang=en', { headers, body: 'service=azure&service=teams&problemType=other' });
    expect(repeated.status).toBe(400);
    expect(repeated.text).toContain('data-error="FIELD_REPEATED"');

    const hostile = await send(trusted, '/api/reports?lang=en', { headers, body: form({ service: '<script>alert(1)</script>', problemType: 'other' }) });
    expect(hostile.status).toBe(400);
    expect(hostile.text).not.toContain('<script>alert(1)</script>');
    expect(hostile.text).toContain('data-field-error="SERVICE_UNKNOWN"');

    const huge = await send(trusted, '/api/reports?lang=en', { headers, body: form({ service: 'azure', problemType: 'other', code: 'x'.repeat(2000) }) });
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('The report is too large.');
  });

  test('rate limiting in the form flow answers 429 with Retry-After and says when to retry', async () => {
    await awayFromMinuteEnd(15);
    const headers = browser(nextClient());
    for (let i = 0; i < RATE; i++) await send(trusted, '/api/reports?lang=en', { headers, body: form({ service: 'copilot', problemType: 'other' }) });
    const limited = await send(trusted, '/api/reports?lang=en', { headers, body: form({ service: 'copilot', problemType: 'other' }) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.text).toContain('Too many reports from your address.');
    expect(limited.text).toMatch(/Please try again in \d+ seconds\./);
  });

  test('cross-site form posts are refused', async () => {
    for (const p of ['/api/reports?lang=en', '/en/report/send/']) {
      const res = await send(trusted, p, {
        headers: { ...browser(nextClient()), origin: 'https://evil.example' },
        body: form({ service: 'teams', problemType: 'other' }),
      });
      expect(res.status, p).toBe(403);
    }
  });
});

describe('in Chromium', () => {
  test('without JavaScript: the plain form posts and lands on the confirmation page', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { 'x-forwarded-for': nextClient() } });
    const page = await context.newPage();
    await page.goto(`${trusted.url}/en/report/`);
    await page.selectOption('select[name="service"]', 'copilot');
    await page.check('input[name="problemType"][value="sign-in"]');
    await Promise.all([page.waitForURL(/\/en\/report\/accepted\/copilot\/$/), page.click('button[type="submit"]')]);
    await expect(page.locator('.report-result').textContent()).resolves.toBe('Thank you, your report was counted.');
    await page.goBack();
    await page.selectOption('select[name="service"]', 'copilot');
    await page.check('input[name="problemType"][value="other"]');
    await Promise.all([page.waitForURL(/\/en\/report\/duplicate\/copilot\/$/), page.click('button[type="submit"]')]);
    await context.close();
  });

  test('with JavaScript: submits without a reload and shows the last hour', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': nextClient() } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // Chromium logs every 4xx answer to fetch; the refused code below is one on purpose.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded with a status of 400')) errors.push(m.text());
    });
    await page.goto(`${trusted.url}/de/report/`);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    await page.selectOption('select[name="service"]', 'm365-apps');
    const count = page.locator('[data-report-count]');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toMatch(/^\d+ Meldung(en)? in der letzten Stunde$/);
    const before = Number.parseInt((await count.textContent())!, 10);
    await page.check('input[name="problemType"][value="mail-bounces"]');
    await page.fill('input[name="code"]', '550 5.1.10');
    await page.click('button[type="submit"]');
    const status = page.locator('[data-report-status]');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('Danke, Ihre Meldung wurde gezählt.');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe(before === 0 ? '1 Meldung in der letzten Stunde' : `${before + 1} Meldungen in der letzten Stunde`);
    expect(navigations).toBe(0);
    expect(page.url()).toBe(`${trusted.url}/de/report/`);
    // Again: the island says it counts once.
    await page.click('button[type="submit"]');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('schon gemeldet');
    // An invalid code the browser's own check lets through (no pattern for this one) is refused by the server.
    await page.$eval('input[name="code"]', (el) => el.removeAttribute('pattern'));
    await page.fill('input[name="code"]', '999');
    await page.click('button[type="submit"]');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('Der Fehlercode sieht aus wie');
    expect(await page.locator('form[data-report-form]').getAttribute('data-phase')).toBe('error');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the report page has no accessibility violations (axe, WCAG 2.2 AA)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${trusted.url}/en/report/`);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
    await context.close();
  });
});
