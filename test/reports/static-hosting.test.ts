/** On static hosting there is no server to receive reports: no form, no crowd chart, no island calls. */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestSite, type TestSite } from './built-server.ts';

let site: TestSite;
beforeAll(async () => {
  site = await buildTestSite({ site: { url: 'https://status.example.test', staticHosting: true } });
}, 180_000);
afterAll(async () => {
  await site?.remove();
});

test.each(['en/index.html', 'de/index.html', 'index.html', 'en/services/exchange-online/index.html', 'de/services/teams/index.html'])(
  '%s has no report form and no crowd chart',
  async (file) => {
    const html = await readFile(path.join(site.outDir, 'client', file), 'utf8');
    expect(html.includes('data-report-form')).toBe(false);
    expect(html.includes('class="crowd"')).toBe(false);
    expect(html.includes('/en/report/') || html.includes('/de/report/')).toBe(false);
  },
);

test('no report pages are built', async () => {
  for (const file of ['en/report/index.html', 'de/report/accepted/teams/index.html']) {
    await expect(access(path.join(site.outDir, 'client', file))).rejects.toThrow();
  }
});
