import path from 'node:path';
import { expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { loadTape } from '../../src/tapes/load.ts';
import { createVirtualClock, demoConfig, demoWindow, describeEvent, speedFor } from '../../scrapers/demo/plan.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MIN = 60_000;

test('the demo window runs from 30 min before the first evidence to an hour after the last word', async () => {
  const tape = await loadTape(path.join(ROOT, 'test/tapes/outages/2026-07-23-azure-west-us-network.tape.jsonl'));
  const w = demoWindow(tape);
  expect(new Date(w.start).toISOString()).toBe('2026-07-23T14:20:00.000Z');
  expect(new Date(w.end).toISOString()).toBe('2026-07-23T23:30:00.000Z');
  expect(speedFor(w, 5)).toBe(110);
});

test('the virtual clock runs fast through the window, then at real speed', () => {
  const w = { start: Date.parse('2026-07-23T14:00:00Z'), end: Date.parse('2026-07-23T16:00:00Z') };
  let wall = 1_000_000;
  const clock = createVirtualClock(w, 120, wall, () => wall);
  expect(clock().toISOString()).toBe('2026-07-23T14:00:00.000Z');
  wall += 30_000;
  expect(clock().toISOString()).toBe('2026-07-23T15:00:00.000Z');
  wall += 30_000;
  expect(clock().toISOString()).toBe('2026-07-23T16:00:00.000Z');
  wall += 10 * MIN;
  expect(clock().toISOString()).toBe('2026-07-23T16:10:00.000Z');
});

test('the generated config is valid, local, quiet and keeps the operator thresholds', () => {
  const base = parseConfig({ sources: [], correlation: { pressWindowMinutes: 99 } }, '/x/outage-radar.config.ts', {});
  const sources = [{ id: 'heise-atom', adapter: 'news-feed' as const, enabled: true, url: 'http://127.0.0.1:5000/rss/heise-atom.xml', intervalMinutes: 10, readArticles: false }];
  const config = ConfigSchema.parse(demoConfig({ base, sources, dataDir: '/tmp/demo/data', siteUrl: 'http://127.0.0.1:4321', schedule: '*/4 * * * * *' }));
  expect(config.sources).toEqual(sources);
  expect(config.site.url).toBe('http://127.0.0.1:4321');
  expect(config.selfCheck.enabled).toBe(false);
  expect(config.notifications.targets).toEqual([]);
  expect(config.correlation.pressWindowMinutes).toBe(99);
  expect(config.site.staleAfterMinutes).toBeGreaterThan(365 * 24 * 60);
});

test.each([
  [{ type: 'press', at: '2026-07-23T15:35:00Z', outlet: 'The Register', title: 'Azure wobbles', link: 'https://x.example/', lang: 'en', summary: '', categories: [] }, 'press     The Register: Azure wobbles'],
  [{ type: 'official', at: '2026-07-23T15:58:00Z', source: 'status-cloud-microsoft-mac', answer: { kind: 'post', status: 'Service degradation', title: 'NA access' } }, 'official  status.cloud.microsoft mac: Service degradation - NA access'],
  [{ type: 'official', at: '2026-07-23T20:30:00Z', source: 'azure-status-rss', answer: { kind: 'azure-items', items: [] } }, 'official  Azure status RSS: no items (healthy)'],
  [{ type: 'expect', at: '2026-07-23T20:30:00Z', label: 'x', noOutage: { services: [] } }, null],
])('narrates %j', (event, line) => {
  expect(describeEvent(event as never)).toBe(line);
});
