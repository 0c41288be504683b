import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../scrapers/replay/cli.ts';
import { replayTape, type ProviderFactory, type TapeResult } from '../../scrapers/replay/engine.ts';
import { loadConfig, type LoadedConfig } from '../../src/config/load.ts';
import { loadTape, parseTape } from '../../src/tapes/load.ts';

const jsonl = (...lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
/** Tapes in this file carry no crowd reports: no crowd provider is needed to replay them. */
const noCrowd: ProviderFactory = async () => [];
const minutes = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 60_000;

let config: LoadedConfig;
beforeAll(async () => {
  config = await loadConfig(path.resolve('outage-radar.config.ts'), {});
});

const header = (id: string, kind: string, start: string, end: string) => ({
  tapeVersion: 1,
  id,
  title: id,
  kind,
  summary: 'test tape',
  start,
  end,
  reconstruction: 'synthetic test tape',
});

const macPost = (at: string, status: string, title = '', message?: string) => ({
  type: 'official',
  at,
  source: 'status-cloud-microsoft-mac',
  answer: { kind: 'post', status, title, ...(message ? { message } : {}) },
});

describe('press before Microsoft, then Microsoft', () => {
  let result: TapeResult;
  beforeAll(async () => {
    const tape = parseTape(
      jsonl(
        header('test-press-then-official', 'outage', '2026-01-06T06:00:00Z', '2026-01-06T14:00:00Z'),
        { type: 'press', at: '2026-01-06T09:00:00Z', outlet: 'heise online', title: 'Outlook-Störung: Microsoft-365-Nutzer können keine Mails abrufen', link: 'https://www.heise.de/news/test-outlook-stoerung-1.html', lang: 'de' },
        { type: 'press', at: '2026-01-06T09:06:00Z', outlet: 'BleepingComputer', title: "Outlook down: users can't access Exchange Online mailboxes", link: 'https://www.bleepingcomputer.com/news/microsoft/test-outlook-down/', lang: 'en' },
        { type: 'expect', at: '2026-01-06T09:30:00Z', label: 'press opens a suspected incident', incident: { services: ['exchange-online'], status: ['suspected'] } },
        macPost('2026-01-06T09:40:00Z', 'Service degradation', 'Exchange Online access', '<div>Title: Exchange Online access<br><br>User impact: Users may be unable to access Exchange Online mailboxes with Outlook.</div>'),
        { type: 'expect', at: '2026-01-06T10:00:00Z', label: 'confirmed by Microsoft', incident: { services: ['exchange-online'], confidence: ['official'] } },
        macPost('2026-01-06T11:00:00Z', 'Service restored', 'Exchange Online access', '<div>Title: Exchange Online access<br><br>Final status: Access is restored.</div>'),
        macPost('2026-01-06T11:30:00Z', 'Available'),
      ),
      'press-then-official.tape.jsonl',
    );
    result = await replayTape({ tape, config, providers: noCrowd });
  });

  test('one incident: suspected from two outlets, merged when Microsoft posts', () => {
    const outages = result.incidents.filter((i) => i.classification !== 'advisory');
    expect(outages).toHaveLength(1);
    const i = outages[0]!;
    expect(i.services).toContain('exchange-online');
    expect(i.firstSuspectedAt).not.toBeNull();
    // The second outlet published at 09:06; cycles run every 2 minutes and feeds are read every 10–15.
    expect(minutes('2026-01-06T09:06:00Z', i.firstSuspectedAt!)).toBeGreaterThanOrEqual(0);
    expect(minutes('2026-01-06T09:06:00Z', i.firstSuspectedAt!)).toBeLessThanOrEqual(20);
    expect(i.microsoftFirstAt).toBe('2026-01-06T09:40:00.000Z');
    expect(minutes('2026-01-06T09:40:00Z', i.mergedAt!)).toBeGreaterThanOrEqual(0);
    expect(minutes('2026-01-06T09:40:00Z', i.mergedAt!)).toBeLessThanOrEqual(12);
    expect(i.leadMinutes).toBe(Math.round(minutes(i.firstShownAt!, '2026-01-06T09:40:00Z')));
    expect(i.leadMinutes!).toBeGreaterThanOrEqual(14);
    expect(i.earlyEvidence).toBe(true);
    expect(i.verdict).toBe('confirmed');
  });

  test('nothing duplicated, missed or falsely alarmed; every expectation holds', () => {
    expect(result.duplicates).toEqual([]);
    expect(result.misses).toEqual([]);
    expect(result.falseAlarms).toEqual([]);
    expect(result.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(result.microsoftFirstAt).toBe('2026-01-06T09:40:00.000Z');
  });
});

describe('a repository tape: the Teams outage Microsoft never acknowledged', () => {
  test('crowd reports alone raise a suspected incident within minutes; it expires on its own and is no false alarm', async () => {
    const tape = await loadTape(path.resolve('test/tapes/outages/2025-12-19-teams-unacknowledged.tape.jsonl'));
    const result = await replayTape({ tape, config });
    expect(result.incidents).toHaveLength(1);
    const i = result.incidents[0]!;
    expect(i.services).toEqual(['teams']);
    expect(i.confidence).toBe('crowd');
    // First reports 19:08 (StatusGator alerted at 19:13): two complete 5-minute buckets, then the next cycle.
    expect(minutes('2025-12-19T19:08:00Z', i.firstSuspectedAt!)).toBeGreaterThanOrEqual(5);
    expect(minutes('2025-12-19T19:08:00Z', i.firstSuspectedAt!)).toBeLessThanOrEqual(20);
    expect(i.microsoftFirstAt).toBeNull();
    expect(i.leadMinutes).toBeNull();
    expect(i.finalStatus).toBe('resolved');
    expect(i.verdict).toBe('expected');
    expect(result.falseAlarms).toEqual([]);
    expect(result.expectations.every((e) => e.ok)).toBe(true);
  }, 120_000);
});

describe('a quiet day with press noise', () => {
  test('explainers, offers, patch days and a single outlet open nothing', async () => {
    const press = (at: string, outlet: string, title: string, link: string, lang: string) => ({ type: 'press', at, outlet, title, link, lang });
    const tape = parseTape(
      jsonl(
        header('test-quiet-noise', 'quiet', '2026-01-07T06:00:00Z', '2026-01-07T18:00:00Z'),
        press('2026-01-07T08:00:00Z', 'heise online', 'heise-Angebot: iX-Workshop: Microsoft 365 Copilot sicher einführen', 'https://www.heise.de/news/test-angebot.html', 'de'),
        press('2026-01-07T09:00:00Z', 'Windows Central', 'How to check if Outlook is down (and what to do if it is)', 'https://www.windowscentral.com/test-how-to-check', 'en'),
        press('2026-01-07T10:00:00Z', 'Golem.de', 'Patchday: Microsoft schließt kritische Lücke in Outlook (CVE-2026-12345)', 'https://www.golem.de/news/test-patchday.html', 'de'),
        press('2026-01-07T11:00:00Z', 'The Register', 'Outlook outage hits one UK council, Microsoft says it is a local problem', 'https://www.theregister.com/2026/01/07/test_council/', 'en'),
        { type: 'expect', at: '2026-01-07T06:10:00Z', until: '2026-01-07T17:50:00Z', label: 'nothing opens', noOutage: { services: [] } },
      ),
      'quiet-noise.tape.jsonl',
    );
    const result = await replayTape({ tape, config, providers: noCrowd });
    expect(result.incidents.filter((i) => i.verdict === 'false-alarm')).toEqual([]);
    expect(result.falseAlarms).toEqual([]);
    expect(result.falseAlarmsPer30Days).toBe(0);
    expect(result.expectations.every((e) => e.ok)).toBe(true);
  });
});

describe('a source that goes blind mid-outage', () => {
  let result: TapeResult;
  const statuses: { at: string; status: string }[] = [];
  beforeAll(async () => {
    const consumer = (at: string, workloads: Record<string, unknown>) => ({ type: 'official', at, source: 'status-cloud-microsoft-consumer', answer: { kind: 'consumer', workloads } });
    const fault = (at: string, source: string, answer: Record<string, unknown>) => ({ type: 'official', at, source, answer });
    const tape = parseTape(
      jsonl(
        header('test-blind', 'blind', '2026-01-08T05:00:00Z', '2026-01-08T10:00:00Z'),
        consumer('2026-01-08T05:30:00Z', { 'Outlook.com': { status: 'Service degradation', title: 'Outlook.com mail access', message: 'User impact: Users may be unable to access Outlook.com.' } }),
        fault('2026-01-08T06:00:00Z', 'status-cloud-microsoft-consumer', { kind: 'html' }),
        fault('2026-01-08T06:00:00Z', 'status-cloud-microsoft-mac', { kind: 'html' }),
        fault('2026-01-08T06:40:00Z', 'status-cloud-microsoft-consumer', { kind: 'hang' }),
        fault('2026-01-08T06:40:00Z', 'status-cloud-microsoft-mac', { kind: 'http-error', status: 503 }),
        { type: 'expect', at: '2026-01-08T06:30:00Z', until: '2026-01-08T07:59:00Z', label: 'never green while blind', services: { 'outlook-com': { not: ['operational'] } } },
        consumer('2026-01-08T08:00:00Z', {}),
        fault('2026-01-08T08:00:00Z', 'status-cloud-microsoft-mac', { kind: 'restore' }),
        { type: 'expect', at: '2026-01-08T09:30:00Z', label: 'green again once Microsoft is readable and says so', services: { 'outlook-com': { is: ['operational'] } } },
      ),
      'blind.tape.jsonl',
    );
    result = await replayTape({
      tape,
      config,
      providers: noCrowd,
      httpDeadlineMs: 500,
      onCycle: ({ at, status }) => statuses.push({ at: at.toISOString(), status: status.services.find((s) => s.id === 'outlook-com')!.status }),
    });
  });

  test('Outlook.com is never shown green while its official sources are blind', () => {
    const blind = statuses.filter((s) => s.at >= '2026-01-08T06:30' && s.at < '2026-01-08T08:00');
    expect(blind.length).toBeGreaterThan(10);
    expect(blind.filter((s) => s.status === 'operational')).toEqual([]);
    expect(result.greenWhileBlind).toEqual([]);
    expect(result.expectations.find((e) => e.label === 'never green while blind')!.ok).toBe(true);
  });

  test('and turns green again once Microsoft is readable and says so', () => {
    expect(result.expectations.find((e) => e.label.startsWith('green again'))!.ok).toBe(true);
  });
});

describe('skipping cycles', () => {
  test('changes nothing that matters: the same incidents and times with and without skipping', async () => {
    const tape = parseTape(
      jsonl(
        {
          ...header('test-skip', 'outage', '2026-01-09T03:00:00Z', '2026-01-09T12:00:00Z'),
          crowd: { baseline: { seed: 9, perHour: { teams: 1, 'exchange-online': 1.5, azure: 0.2 }, dispersion: 0.3, bursts: { perWeek: 3, minSize: 2, maxSize: 5, spreadMinutes: 20 } } },
        },
        { type: 'press', at: '2026-01-09T03:10:00Z', outlet: 'Golem.de', title: 'Microsoft 365: Neue Funktionen für Outlook', link: 'https://www.golem.de/news/test-neue-funktionen.html', lang: 'de' },
        { type: 'crowd-curve', at: '2026-01-09T06:40:00Z', service: 'teams', points: [[0, 0.2], [15, 2.5], [40, 3], [90, 1], [120, 0]] },
        { type: 'press', at: '2026-01-09T07:00:00Z', outlet: 'heise online', title: 'Teams-Störung: Besprechungen brechen ab', link: 'https://www.heise.de/news/test-teams-stoerung.html', lang: 'de' },
        { type: 'press', at: '2026-01-09T07:05:00Z', outlet: 'The Verge', title: 'Microsoft Teams is down for many users', link: 'https://www.theverge.com/news/test-teams-down', lang: 'en' },
        macPost('2026-01-09T07:30:00Z', 'Service degradation', 'Microsoft Teams meetings', '<div>Title: Microsoft Teams meetings<br><br>User impact: Users may be unable to join Microsoft Teams meetings.</div>'),
        macPost('2026-01-09T09:00:00Z', 'Available'),
        {
          type: 'official',
          at: '2026-01-09T10:00:00Z',
          source: 'azure-status-rss',
          answer: { kind: 'azure-items', items: [{ guid: 'test-azure-front-door', title: 'Azure Front Door - West Europe - Connectivity issues', categories: ['Azure Front Door', 'West Europe'], description: '<p>Starting at 09:50 UTC we began investigating connection failures.</p>' }] },
        },
        { type: 'official', at: '2026-01-09T10:40:00Z', source: 'azure-status-rss', answer: { kind: 'azure-items', items: [] } },
      ),
      'skip.tape.jsonl',
    );
    const skipped = await replayTape({ tape, config });
    const full = await replayTape({ tape, config, skip: false });
    expect(skipped.cycles.run).toBeLessThan(full.cycles.run / 2);
    const view = (r: TapeResult) =>
      r.incidents.map((i) => ({ id: i.id, services: i.services, shown: i.firstShownAt, merged: i.mergedAt, lead: i.leadMinutes, status: i.finalStatus, resolved: i.resolvedAt, evidence: i.evidence }));
    expect(view(skipped)).toEqual(view(full));
    expect(view(full).length).toBeGreaterThanOrEqual(2);
    expect(skipped.expectations).toEqual(full.expectations);
  }, 120_000);
});

describe('npm run replay', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'replay-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a malformed tape stops it with an error naming the line and the field', async () => {
    const file = path.join(dir, 'broken.tape.jsonl');
    await writeFile(
      file,
      jsonl(header('broken', 'outage', '2026-01-06T00:00:00Z', '2026-01-06T06:00:00Z'), { type: 'crowd', at: '2026-01-06T01:00:00Z', service: 'teams' }, { type: 'crowd', at: '2026-01-06T02:00:00Z', service: 'hotmail' }),
    );
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main([file, '--out', path.join(dir, 'out.json')])).toBe(1);
      const text = err.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toContain(`${file}:3: service: Invalid option`);
    } finally {
      err.mockRestore();
    }
  });
});
