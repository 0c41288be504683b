import { mkdtemp } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeWorldConfig } from './_config.ts';
import { buildSite, findAxeViolations, launchBrowser, startBuiltServer, type RunningSite } from './_site.ts';
import { makeDataDir, operationalSnapshot } from './_status.ts';
import { startWorld, type World } from './_world.ts';

let world: World;
let site: RunningSite;
let browser: Browser;
let removeBuild: () => Promise<void>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await startWorld();
  const dataDir = await makeDataDir(operationalSnapshot(new Date()));
  const dir = await mkdtemp(path.join(tmpdir(), 'selfcheck-pages-'));
  const config = await writeWorldConfig(dir, dataDir, world, { rateLimitPerMinute: 20 });
  env = { ...process.env, OUTAGE_RADAR_CONFIG: config, OUTAGE_RADAR_DATA_DIR: dataDir, OUTAGE_RADAR_TRUST_PROXY: '1', OUTAGE_RADAR_STATIC: '' };
  const build = await buildSite(env);
  removeBuild = build.remove;
  site = await startBuiltServer(build.outDir, env);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await removeBuild?.();
  await world?.close();
});

/** A request from its own (forwarded) client address, so rate limits of other tests do not interfere. */
let client = 1;
function get(pathAndQuery: string, ip = `198.51.100.${client++}`) {
  return fetch(`${site.baseUrl}${pathAndQuery}`, { redirect: 'manual', headers: { 'x-forwarded-for': ip } });
}

describe('/check on the built node server', () => {
  test('an address and a bounce text redirect to a URL with only the domain and the code', async () => {
    const res = await get(`/en/check/?q=${encodeURIComponent('partner@gone-tenant.de')}&code=${encodeURIComponent('550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient partner@gone-tenant.de not found')}`);
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toBe('/en/check/?q=gone-tenant.de&code=5.1.10');
    expect(location).not.toContain('partner');
  });

  test('the partner case renders the tenant verdict server-side, with evidence and a record link', async () => {
    const res = await get('/en/check/?q=gone-tenant.de&code=5.1.10');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('Looks specific to your domain or tenant');
    expect(html).toContain('domain-unknown-to-microsoft');
    expect(html).toContain('Microsoft does not know the domain');
    expect(html).toMatch(/href="\/en\/check\/record\/\?r=[A-Za-z0-9_%.-]+"/);
  });

  test('the record link opens a verified printable record; an altered one is refused', async () => {
    const html = await (await get('/de/check/?q=healthy-managed.de&code=5.1.10')).text();
    const href = /href="(\/de\/check\/record\/\?r=[^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&');
    const ok = await get(href);
    expect(ok.status).toBe(200);
    const record = await ok.text();
    expect(record).toContain('healthy-managed.de');
    expect(record).toContain('Von dieser Seite ausgestellt und signiert');
    const token = decodeURIComponent(new URL(href, site.baseUrl).searchParams.get('r')!);
    const tampered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    const bad = await get(`/de/check/record/?r=${encodeURIComponent(tampered)}`);
    expect(bad.status).toBe(400);
  });

  test.each([
    ['<script>alert(1)</script>', 'INPUT_BAD_CHARS'],
    ['../../etc/passwd', 'INPUT_BAD_CHARS'],
    ['127.0.0.1', 'INPUT_IP_LITERAL'],
    ['a@b@evil.example', 'INPUT_BAD_ADDRESS'],
    ['contoso.com\r\nSet-Cookie: x=1', 'INPUT_CONTROL_CHARS'],
    [`${'a'.repeat(300)}.de`, 'INPUT_LABEL_TOO_LONG'],
    ['localhost', 'INPUT_RESERVED_DOMAIN'],
  ])('hostile input %j → 400 %s, escaped, and nothing sent to DNS or HTTP', async (input, code) => {
    const dnsBefore = world.dns.log.length;
    const httpBefore = world.microsoft.log.length;
    const res = await get(`/en/check/?q=${encodeURIComponent(input)}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(code);
    expect(html).not.toContain('<script>alert');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(world.dns.log.length).toBe(dnsBefore);
    expect(world.microsoft.log.length).toBe(httpBefore);
  });

  test('a bounce text with markup is never echoed, only its code', async () => {
    const res = await get(`/en/check/?q=healthy-managed.de&code=${encodeURIComponent('<img src=x onerror=alert(1)> 5.7.1')}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/en/check/?q=healthy-managed.de&code=5.7.1');
  });

  test('the per-client rate limit answers 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await get('/en/check/?q=healthy-managed.de', '203.0.113.77')).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const res = await get('/en/check/?q=healthy-managed.de', '203.0.113.77');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test.each(['/en/', '/de/services/exchange-online/'])('%s links to the self-check', async (page) => {
    const html = await (await get(page)).text();
    expect(html).toMatch(/href="\/(en|de)\/check\/"/);
  });

  test('an unknown language is 404', async () => {
    expect((await get('/fr/check/')).status).toBe(404);
  });
});

/** axe needs JavaScript in the page, so it looks at the same URL in a context with scripts on. */
async function axeAt(url: string, headers: Record<string, string> = {}): Promise<string[]> {
  const context = await browser.newContext({ extraHTTPHeaders: headers });
  try {
    const page = await context.newPage();
    await page.goto(url);
    return await findAxeViolations(page);
  } finally {
    await context.close();
  }
}

describe('in Chromium without JavaScript', () => {
  test('the form submits and shows the verdict; axe finds no violations', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.baseUrl}/en/check/`);
    expect(await axeAt(`${site.baseUrl}/en/check/`)).toEqual([]);
    await page.fill('#check-q', 'someone@healthy-managed.de');
    await page.fill('#check-code', '550 5.1.10 RESOLVER.ADR.RecipientNotFound');
    await Promise.all([page.waitForURL(/q=healthy-managed\.de/), page.click('button[type=submit]')]);
    expect(page.url()).not.toContain('someone');
    await expect(page.locator('#verdict-title').textContent()).resolves.toBe('Looks specific to one mailbox or account');
    expect(await axeAt(page.url(), { 'x-forwarded-for': '192.0.2.201' })).toEqual([]);
    await context.close();
  });

  test('the German error page is accessible too', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { 'x-forwarded-for': '192.0.2.200' } });
    const page = await context.newPage();
    const res = await page.goto(`${site.baseUrl}/de/check/?q=${encodeURIComponent('a@b@evil.example')}`);
    expect(res?.status()).toBe(400);
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('INPUT_BAD_ADDRESS');
    expect(await axeAt(page.url(), { 'x-forwarded-for': '192.0.2.202' })).toEqual([]);
    await context.close();
  });

  test.each(['en', 'de'])('/%s/codes/5.1.10 exists, links to /check with the code prefilled, and is accessible', async (lang) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const res = await page.goto(`${site.baseUrl}/${lang}/codes/5.1.10/`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toContain('5.1.10');
    const link = page.locator(`a[href="/${lang}/check/?code=5.1.10"]`);
    await expect(link.count()).resolves.toBe(1);
    expect(await axeAt(page.url())).toEqual([]);
    await link.click();
    await expect(page.locator('#check-code').inputValue()).resolves.toBe('5.1.10');
    await context.close();
  });

  test('the codes index lists every code in both groups', async () => {
    const html = await (await get('/en/codes/')).text();
    expect((html.match(/href="\/en\/codes\/[^"]+\/"/g) ?? []).length).toBeGreaterThanOrEqual(60);
  });
});

describe('static hosting', () => {
  test('the check page is prerendered as a notice that points to the command', async () => {
    const build = await buildSite({ ...env, OUTAGE_RADAR_STATIC: '1' });
    try {
      const html = await readFile(path.join(build.outDir, 'client/en/check/index.html'), 'utf8');
      expect(html).toContain('static files');
      expect(html).toContain('npm run check');
      expect(html).not.toContain('<form');
      const de = await readFile(path.join(build.outDir, 'client/de/codes/5.1.10/index.html'), 'utf8');
      expect(de).toContain('Empfänger nicht gefunden');
    } finally {
      await build.remove();
    }
  });
});
