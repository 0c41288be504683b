/**
 * The embeds on someone else's page: widget.js on a host origin with a strict CSP, and the
 * framable widget page next to a page that must refuse framing.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HOSTILE } from '../../bench/generate-data.ts';
import { launchBrowser } from './helpers/browser.ts';
import { getBuiltSite, type BuiltTestSite } from './helpers/built-site.ts';
import { startStaticServer, type StaticServer } from './helpers/static-server.ts';

let site: BuiltTestSite;
let status: StaticServer;
let host: StaticServer;
let browser: Browser;
let hostHtml = '';

beforeAll(async () => {
  site = await getBuiltSite();
  status = await startStaticServer(site.clientDir);
  // The host: another origin whose CSP allows only the status site for scripts, fetches and frames.
  host = await startStaticServer(site.clientDir, (pathname) =>
    pathname === '/host.html'
      ? {
          status: 200,
          type: 'text/html; charset=utf-8',
          body: hostHtml,
          headers: { 'Content-Security-Policy': `default-src 'none'; script-src ${status.origin}; connect-src ${status.origin}; frame-src ${status.origin}; style-src 'none'; img-src 'none'` },
        }
      : null,
  );
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await status?.close();
});

async function openHost(body: string): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
  hostHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title></head><body><h1>Intranet</h1>${body}</body></html>`;
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${host.origin}/host.html`);
  await page.waitForLoadState('networkidle');
  return { page, errors, dialogs };
}

const script = (attrs: string) => `<script src="${status.origin}/widget.js" ${attrs} async></script>`;

describe('widget.js on a host page with a strict CSP', () => {
  test('shows a banner for an active confirmed incident, linking to our incident page', async () => {
    const { page, errors } = await openHost(script('data-lang="en"'));
    const banner = page.locator('[data-outage-radar]');
    await banner.waitFor();
    expect(await banner.getAttribute('role')).toBe('status');
    expect(await banner.innerText()).toMatch(/^Microsoft outage:/);
    expect(await banner.locator('a').getAttribute('href')).toMatch(new RegExp(`^${status.origin}/en/incidents/[a-z0-9-]+/$`));
    expect(errors).toEqual([]);
    await banner.locator('button').click();
    expect(await banner.count()).toBe(0);
    await page.reload();
    await page.waitForLoadState('networkidle');
    expect(await page.locator('[data-outage-radar]').count()).toBe(0);
  });

  test('per service and language: unconfirmed reports for Teams, nothing for a quiet service', async () => {
    const teams = await openHost(script('data-lang="de" data-service="teams"'));
    await teams.page.locator('[data-outage-radar]').waitFor();
    expect(await teams.page.locator('[data-outage-radar] strong').innerText()).toBe('Unbestätigte Meldungen über eine Microsoft-Störung:');
    const azure = await openHost(script('data-service="azure"'));
    expect(await azure.page.locator('[data-outage-radar]').count()).toBe(0);
    expect([...teams.errors, ...azure.errors]).toEqual([]);
  });

  test('a hostile title is shown as text: no markup, no script, no dialog', async () => {
    const { page, errors, dialogs } = await openHost(script('data-service="sharepoint"'));
    const banner = page.locator('[data-outage-radar]');
    await banner.waitFor();
    expect(await banner.locator('span').textContent()).toBe(HOSTILE.title.slice(0, 200));
    expect(await page.locator('img, [data-outage-radar] script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('framing', () => {
  test('the widget page can be framed by another site; other pages refuse', async () => {
    const { page } = await openHost(`<iframe src="${status.origin}/en/widget/teams/" title="Status"></iframe>`);
    const frame = page.frameLocator('iframe[title="Status"]');
    expect(await frame.locator('h1').innerText()).toBe('Microsoft Teams');
    const res = await fetch(`${status.origin}/en/widget/`);
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *');
    const home = await fetch(`${status.origin}/en/`);
    expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(home.headers.get('x-frame-options')).toBe('DENY');

    const blocked = await openHost(`<iframe src="${status.origin}/en/" title="Home"></iframe>`);
    expect(blocked.errors.join('\n')).toMatch(/frame-ancestors/);
    expect(await blocked.page.frameLocator('iframe[title="Home"]').getByText('Is Microsoft down?').count()).toBe(0);
  });
});
