/**
 * Every page type in real Chromium, in both languages: content, structure, axe (WCAG 2.2 AA),
 * keyboard access, zero-JavaScript reading, and the optional enhancements.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findAxeViolations, launchBrowser } from './helpers/browser.ts';
import { getBuiltSite, NOW, type BuiltTestSite } from './helpers/built-site.ts';
import { startStaticServer, type StaticServer } from './helpers/static-server.ts';

let site: BuiltTestSite;
let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  site = await getBuiltSite();
  server = await startStaticServer(site.clientDir);
  browser = await launchBrowser();
  context = await browser.newContext();
  await context.clock.setFixedTime(new Date(NOW));
  page = await context.newPage();
  page.on('console', (m) => {
    // The 404 test's own response is the one expected error.
    if (m.type() === 'error' && !page.url().endsWith('/nope/')) problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e}`));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<void> {
  const response = await page.goto(`${server.origin}${path}`);
  expect(response?.status(), path).toBe(path.startsWith('/nope') ? 404 : 200);
}

async function expectAccessible(path: string): Promise<void> {
  expect(await findAxeViolations(page), path).toEqual([]);
}

async function expectFrame(lang: string): Promise<void> {
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  expect(await page.locator('header nav').count()).toBe(1);
  expect(await page.locator('main#main').count()).toBe(1);
  expect(await page.locator('footer').count()).toBe(1);
  expect(await page.locator('h1').count()).toBe(1);
}

describe.each(['en', 'de'] as const)('pages in %s', (lang) => {
  test('home: the answer, freshness, incidents with evidence kinds, every service with status and bars', async () => {
    await open(`/${lang}/`);
    await expectFrame(lang);
    const answer = await page.locator('.answer').innerText();
    expect(answer).toMatch(lang === 'en' ? /^Yes, partly: / : /^Ja, teilweise: /);
    expect(answer).toContain(lang === 'en' ? 'Outlook & Exchange Online (work)' : 'Outlook & Exchange Online (Arbeit)');
    expect(await page.locator('.asof time').getAttribute('datetime')).toBe('2026-11-20T11:58:00Z');
    expect(await page.locator('[data-stale-warning]').isVisible()).toBe(false);
    const active = page.locator('section[aria-labelledby="h-active"] article');
    expect(await active.count()).toBe(site.data.activeIds.length);
    const suspected = page.locator('section[aria-labelledby="h-suspected"] article');
    expect(await suspected.count()).toBe(1);
    expect(await suspected.locator('.kind').allInnerTexts()).toEqual(lang === 'en' ? ['Press', 'Crowd reports'] : ['Presse', 'Nutzermeldungen']);
    expect(await page.locator('.services > li').count()).toBe(10);
    expect(await page.locator('.services svg.bars').count()).toBe(10);
    // Unknown is never green.
    expect(await page.locator('[data-service-status="copilot"]').innerText()).toBe(lang === 'en' ? 'Unknown' : 'Unbekannt');
    expect(await page.locator('[data-service-status="copilot"]').getAttribute('class')).toContain('st-unknown');
    await expectAccessible(`/${lang}/`);
  });

  test('service page: status, 30/90-day uptime, bars with a day table reachable by keyboard', async () => {
    await open(`/${lang}/services/exchange-online/`);
    await expectFrame(lang);
    expect(await page.locator('main .uptime dd').allInnerTexts()).toEqual([expect.stringMatching(/%$/), expect.stringMatching(/%$/)]);
    const table = page.locator('details table');
    expect(await table.isVisible()).toBe(false);
    await page.locator('details summary').focus();
    await page.keyboard.press('Enter');
    expect(await table.isVisible()).toBe(true);
    expect(await table.locator('tbody tr').count()).toBe(90);
    expect(await table.locator('tbody tr').first().locator('th time').getAttribute('datetime')).toBe('2026-11-20');
    expect(await page.locator('section[aria-labelledby="h-active"] article').count()).toBe(1);
    await expectAccessible(`/${lang}/services/exchange-online/`);
  });

  test('incident page: facts, lead time, timeline newest first with sources, evidence links', async () => {
    const id = site.data.activeIds[0]!;
    await open(`/${lang}/incidents/${id}/`);
    await expectFrame(lang);
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toMatch(lang === 'en' ? /Crowd reports \d+ min before Microsoft's first word/ : /Nutzermeldungen \d+ Min\. vor Microsofts erster Meldung/);
    expect(facts).toMatch(/EX\d{7}/);
    const stamps = await page.locator('.timeline time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    expect(stamps.length).toBeGreaterThan(3);
    expect([...stamps].sort().reverse()).toEqual(stamps);
    expect(await page.locator('.timeline .source').count()).toBe(stamps.length);
    const external = page.locator('.evidence a[href^="http"]');
    expect(await external.count()).toBeGreaterThan(0);
    for (const rel of await external.evaluateAll((els) => els.map((e) => e.getAttribute('rel')))) expect(rel).toBe('noopener noreferrer');
    await expectAccessible(`/${lang}/incidents/${id}/`);
  });

  test('suspected incident page says it is unconfirmed', async () => {
    await open(`/${lang}/incidents/${site.data.suspectedIds[0]}/`);
    expect(await page.locator('.note-warn').innerText()).toMatch(lang === 'en' ? /^Unconfirmed/ : /^Unbestätigt/);
    await expectAccessible(`/${lang}/incidents/suspected`);
  });

  test('history: every incident by month, filter by service, pagination', async () => {
    await open(`/${lang}/history/`);
    await expectFrame(lang);
    expect(await page.locator('ul.history > li').count()).toBe(50);
    expect(await page.locator('main section h2').count()).toBeGreaterThan(1);
    expect(await page.locator('nav.filter a').count()).toBe(11);
    await page.locator('nav.pager a[rel="next"]').click();
    // The click returns once the navigation commits; axe must see the page with its stylesheet.
    await page.waitForLoadState('load');
    expect(page.url()).toBe(`${server.origin}/${lang}/history/2/`);
    await expectAccessible(`/${lang}/history/2/`);
    await open(`/${lang}/services/teams/history/`);
    expect(await page.locator('nav.filter a[aria-current="page"]').innerText()).toBe('Microsoft Teams');
    await expectAccessible(`/${lang}/services/teams/history/`);
  });

  test('about, embed and widget pages', async () => {
    await open(`/${lang}/about/`);
    await expectFrame(lang);
    expect(await page.locator('main').innerText()).toContain('100 %');
    await expectAccessible(`/${lang}/about/`);
    await open(`/${lang}/embed/`);
    expect(await page.locator('main pre').first().innerText()).toContain(`/badges/${lang}/all.svg`);
    await expectAccessible(`/${lang}/embed/`);
    await open(`/${lang}/widget/`);
    expect(await page.locator('header').count()).toBe(0);
    expect(await page.locator('main li').count()).toBeGreaterThan(0);
    await expectAccessible(`/${lang}/widget/`);
  });
});

describe('site-wide behaviour', () => {
  test('/ shows the default language with a canonical link to /en/; unknown paths get the 404 page', async () => {
    await open('/');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toMatch(/\/en\/$/);
    await open('/nope/');
    expect(await page.locator('h1').innerText()).toBe('Page not found');
    await expectAccessible('/404');
  });

  test('dark mode passes axe too, by system preference and by the toggle (persisted)', async () => {
    const dark = await browser.newContext({ colorScheme: 'dark' });
    await dark.clock.setFixedTime(new Date(NOW));
    const p = await dark.newPage();
    await p.goto(`${server.origin}/en/incidents/${site.data.activeIds[0]}/`);
    expect(await findAxeViolations(p)).toEqual([]);
    await p.goto(`${server.origin}/de/`);
    expect(await findAxeViolations(p)).toEqual([]);
    await dark.close();

    await open('/en/');
    const toggle = page.locator('button.theme-toggle');
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    expect(await findAxeViolations(page)).toEqual([]);
    await page.locator('button.theme-toggle').click();
  });

  test('everything reads without JavaScript', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const p = await noJs.newPage();
    await p.goto(`${server.origin}/de/`);
    expect(await p.locator('.answer').innerText()).toMatch(/^Ja, teilweise/);
    expect(await p.locator('.services > li').count()).toBe(10);
    expect(await p.locator('button.theme-toggle').isVisible()).toBe(false);
    expect(await p.locator('time[data-local]').first().innerText()).toMatch(/UTC$/);
    await p.goto(`${server.origin}/de/services/teams/`);
    await p.locator('details summary').click();
    expect(await p.locator('details tbody tr').count()).toBe(90);
    await noJs.close();
  });

  test('with JavaScript, times show in the local zone and an aging page warns that it is stale', async () => {
    const berlin = await browser.newContext({ timezoneId: 'Europe/Berlin' });
    await berlin.clock.setFixedTime(new Date(Date.parse(NOW) + 3 * 3_600_000));
    const p = await berlin.newPage();
    await p.goto(`${server.origin}/de/`);
    const text = await p.locator('.asof time').innerText();
    expect(text).toContain('12:58');
    expect(text).not.toContain('UTC');
    const warning = p.locator('[data-stale-warning]');
    await warning.waitFor({ state: 'visible' });
    expect(await warning.innerText()).toContain('3 Std.');
    expect(await findAxeViolations(p)).toEqual([]);
    await berlin.close();
  });

  test('no page logged an error', () => {
    expect(problems).toEqual([]);
  });
});
