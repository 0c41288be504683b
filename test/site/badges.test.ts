import * as cheerio from 'cheerio';
import { validateXML } from 'xmllint-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { promises as fs } from 'node:fs';
import { getBuiltSite, type BuiltTestSite } from './helpers/built-site.ts';
import { listBuiltFiles, readBuilt } from './helpers/files.ts';

let site: BuiltTestSite;
beforeAll(async () => {
  site = await getBuiltSite();
}, 180_000);

describe('SVG badges', () => {
  test('every badge is well-formed SVG with role="img", an aria-label and a matching <title>', async () => {
    const files = await listBuiltFiles(`${site.clientDir}/badges`, '.svg');
    expect(files).toHaveLength(2 * 11);
    const svgs = await Promise.all(files.map((f) => fs.readFile(f, 'utf8')));
    const parsed = await validateXML({ xml: svgs.map((contents, k) => ({ fileName: `badge${k}.svg`, contents })), normalization: 'format' });
    expect(parsed.errors).toEqual([]);
    for (const svg of svgs) {
      const $ = cheerio.load(svg, { xml: true });
      const root = $('svg').first();
      expect(root.attr('xmlns')).toBe('http://www.w3.org/2000/svg');
      expect(root.attr('role')).toBe('img');
      const label = root.attr('aria-label') ?? '';
      expect(label).toMatch(/^.+: .+$/);
      expect(root.children('title').first().text()).toBe(label);
      expect($('script, foreignObject').length).toBe(0);
    }
  });

  test('badges say what the page says, in both languages', async () => {
    const label = async (rel: string) => cheerio.load(await readBuilt(site.clientDir, rel), { xml: true })('svg').attr('aria-label');
    expect(await label('badges/en/exchange-online.svg')).toBe('Outlook & Exchange Online (work): Partial outage');
    expect(await label('badges/en/teams.svg')).toBe('Microsoft Teams: unconfirmed reports');
    expect(await label('badges/en/copilot.svg')).toBe('Copilot: Unknown');
    expect(await label('badges/en/azure.svg')).toBe('Azure: Operational');
    expect(await label('badges/en/all.svg')).toBe('Microsoft: Partial outage');
    expect(await label('badges/de/all.svg')).toBe('Microsoft: Teilausfall');
  });
});

describe('shields.io endpoint JSON', () => {
  test('every endpoint document follows the shields schema', async () => {
    const files = await listBuiltFiles(`${site.clientDir}/badges`, '.json');
    expect(files).toHaveLength(22);
    const colours = new Set(['brightgreen', 'yellow', 'orange', 'red', 'blue', 'lightgrey', 'blueviolet']);
    for (const file of files) {
      const doc = JSON.parse(await fs.readFile(file, 'utf8'));
      expect(Object.keys(doc).sort()).toEqual(['cacheSeconds', 'color', 'label', 'message', 'schemaVersion']);
      expect(doc.schemaVersion).toBe(1);
      expect(doc.message.length).toBeGreaterThan(0);
      expect(colours.has(doc.color)).toBe(true);
      expect(doc.cacheSeconds).toBeGreaterThanOrEqual(300);
    }
    expect(JSON.parse(await readBuilt(site.clientDir, 'badges/en/copilot.json'))).toMatchObject({ message: 'Unknown', color: 'lightgrey' });
  });
});
