import { describe, expect, test } from 'vitest';
import { checkExpectation, clusterOfficialIncidents, findDuplicatePairs, findGreenWhileBlind, recordSightings, type IncidentSighting } from '../../scrapers/replay/evaluate.ts';
import { planSources, ReplayPlanError } from '../../scrapers/replay/plan.ts';
import { listTapeOfficialIncidents } from '../../scrapers/replay/player.ts';
import { cycleMinutesFromSchedule } from '../../scrapers/replay/engine.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import type { Incident, SourceHealth, StatusSnapshot } from '../../src/domain/schemas.ts';
import { parseTape } from '../../src/tapes/load.ts';
import type { ExpectEvent } from '../../src/tapes/schema.ts';

const T = (hhmm: string) => `2026-01-05T${hhmm}:00.000Z`;

function incident(id: string, over: Partial<Incident> = {}): Incident {
  return {
    id,
    title: id,
    services: ['exchange-online'],
    impact: 'major',
    status: 'suspected',
    confidence: 'crowd',
    classification: 'incident',
    startedAt: T('08:00'),
    acknowledgedAt: null,
    resolvedAt: null,
    createdAt: T('08:10'),
    updatedAt: T('08:10'),
    officialRefs: [],
    officialText: null,
    updates: [],
    evidence: [],
    crowd: null,
    mergedIds: [],
    ...over,
  };
}

const expectEvent = (over: Partial<ExpectEvent>): ExpectEvent => ({ type: 'expect', at: T('09:00'), label: 'x', ...over }) as ExpectEvent;

function snapshot(services: Record<string, string>): StatusSnapshot {
  return {
    generatedAt: T('09:00'),
    lastCycleAt: T('09:00'),
    lastSuccessfulCycleAt: T('09:00'),
    indicator: 'none',
    services: Object.entries(services).map(([id, status]) => ({ id, status, reason: '', activeIncidentIds: [], lastOfficialSuccessAt: null, crowdElevated: false })),
    activeIncidentIds: [],
    sources: [],
  } as StatusSnapshot;
}

describe('checkExpectation', () => {
  const list = [incident('a', { services: ['exchange-online', 'teams'], status: 'investigating', confidence: 'official', officialRefs: ['EX1151485'] }), incident('b', { services: ['teams'], classification: 'advisory', status: 'investigating' })];
  test.each([
    [{ incident: { services: ['exchange-online'] } }, true],
    [{ incident: { services: ['exchange-online', 'teams'], officialRef: 'EX1151485' } }, true],
    [{ incident: { services: ['exchange-online'], status: ['suspected'] } }, false],
    [{ incident: { services: ['outlook-com'] } }, false],
    [{ noOutage: { services: ['outlook-com'] } }, true],
    [{ noOutage: { services: ['teams'] } }, false],
    [{ noOutage: { services: [] } }, false],
  ] as const)('%j → %s', (part, ok) => {
    const r = checkExpectation(expectEvent(part as unknown as Partial<ExpectEvent>), list, null);
    expect(r.ok).toBe(ok);
    if (!ok) expect(r.reason).toBeTruthy();
  });

  test('an advisory alone is not an outage', () => {
    expect(checkExpectation(expectEvent({ noOutage: { services: ['teams'] } }), [list[1]!], null).ok).toBe(true);
  });

  test('service statuses: is / not', () => {
    const s = snapshot({ 'outlook-com': 'unknown' });
    expect(checkExpectation(expectEvent({ services: { 'outlook-com': { not: ['operational'] } } }), [], s).ok).toBe(true);
    expect(checkExpectation(expectEvent({ services: { 'outlook-com': { is: ['operational'] } } }), [], s).reason).toContain('outlook-com is unknown');
    expect(checkExpectation(expectEvent({ services: { teams: { is: ['operational'] } } }), [], s).reason).toContain('no status yet');
  });
});

describe('duplicates', () => {
  const sightings = new Map<string, IncidentSighting>();
  const end = Date.parse(T('23:00'));
  test.each([
    ['same ref', incident('a', { officialRefs: ['EX1'], confidence: 'official' }), incident('b', { officialRefs: ['EX1'], confidence: 'official', services: ['teams'] }), 1],
    ['overlap on a shared service, one unconfirmed', incident('a'), incident('b', { officialRefs: ['EX2'], confidence: 'official' }), 1],
    ['two different Microsoft refs are two incidents', incident('a', { officialRefs: ['EX1'] }), incident('b', { officialRefs: ['EX2'] }), 0],
    ['no shared service', incident('a'), incident('b', { services: ['teams'] }), 0],
    ['one ended before the other began', incident('a', { resolvedAt: T('09:00'), updatedAt: T('09:00') }), incident('b', { createdAt: T('10:00') }), 0],
    ['advisories aside', incident('a', { classification: 'advisory' }), incident('b'), 0],
  ] as const)('%s', (_name, a, b, n) => {
    expect(findDuplicatePairs([a, b], sightings, end)).toHaveLength(n);
  });

  test('sightings follow merges: a merged record keeps its first sighting', () => {
    const s = new Map<string, IncidentSighting>();
    recordSightings(s, [incident('suspected-1')], Date.parse(T('08:10')));
    recordSightings(s, [incident('official-1', { confidence: 'official', mergedIds: ['suspected-1'] })], Date.parse(T('09:00')));
    expect(s.get('suspected-1')!.firstSeenAt).toBe(Date.parse(T('08:10')));
    expect(s.get('official-1')!.officialAt).toBe(Date.parse(T('09:00')));
  });
});

describe('green while blind', () => {
  const health = (id: string, state: SourceHealth['state'], lastSuccessAt: string | null): SourceHealth => ({
    id,
    kind: 'official',
    services: ['outlook-com'],
    state,
    lastAttemptAt: T('09:00'),
    lastSuccessAt,
    lastError: null,
    consecutiveFailures: 3,
    etag: null,
    lastModified: null,
    notBefore: null,
    lastDurationMs: null,
    itemsLastRun: 0,
    bodyHash: null,
  });
  const now = Date.parse(T('09:00'));
  test('operational while every covering source failed for long enough is a violation', () => {
    const h = new Map([['a', health('a', 'failed', T('08:00'))]]);
    expect(findGreenWhileBlind(snapshot({ 'outlook-com': 'operational' }), h, now, 20)).toHaveLength(1);
    expect(findGreenWhileBlind(snapshot({ 'outlook-com': 'unknown' }), h, now, 20)).toHaveLength(0);
  });
  test('not yet blind, or one source still reading, is fine', () => {
    expect(findGreenWhileBlind(snapshot({ 'outlook-com': 'operational' }), new Map([['a', health('a', 'failed', T('08:50'))]]), now, 20)).toHaveLength(0);
    expect(findGreenWhileBlind(snapshot({ 'outlook-com': 'operational' }), new Map([['a', health('a', 'failed', T('08:00'))], ['b', health('b', 'ok', T('09:00'))]]), now, 20)).toHaveLength(0);
  });
});

describe("the tape's official incidents", () => {
  const header = { tapeVersion: 1, id: 'tt', title: 't', kind: 'outage', summary: 's', start: '2026-01-05T00:00:00Z', end: '2026-01-06T00:00:00Z', reconstruction: 'r' };
  const jsonl = (...lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n');
  const tape = parseTape(
    jsonl(
      header,
      { type: 'official', at: '2026-01-05T09:00:00Z', source: 'graph-service-health', answer: { kind: 'graph-issue', id: 'EX1000001', service: 'Exchange Online', title: 'Mail', status: 'investigating' } },
      { type: 'official', at: '2026-01-05T09:20:00Z', source: 'status-cloud-microsoft-mac', answer: { kind: 'post', status: 'Service degradation', title: 'Outlook access' } },
      { type: 'official', at: '2026-01-05T10:00:00Z', source: 'status-cloud-microsoft-mac', answer: { kind: 'post', status: 'Service degradation', title: 'Outlook access' } },
      { type: 'official', at: '2026-01-05T11:00:00Z', source: 'status-cloud-microsoft-mac', answer: { kind: 'post', status: 'Available' } },
      { type: 'official', at: '2026-01-05T12:00:00Z', source: 'graph-service-health', answer: { kind: 'graph-issue', id: 'EX1000001', service: 'Exchange Online', title: 'Mail', status: 'serviceRestored', isResolved: true } },
      { type: 'official', at: '2026-01-05T13:00:00Z', source: 'graph-service-health', answer: { kind: 'graph-issue', id: 'EX1000002', service: 'Exchange Online', title: 'IMAP migration', classification: 'advisory', status: 'serviceDegradation' } },
      { type: 'official', at: '2026-01-05T20:00:00Z', source: 'azure-status-rss', answer: { kind: 'azure-items', items: [{ guid: 'afd', title: 'Azure Front Door', description: '<p>x</p>' }] } },
    ),
    't.tape.jsonl',
  );
  const list = listTapeOfficialIncidents(tape);

  test('lists each with its first and last time, advisories marked', () => {
    expect(list.map((o) => [o.channel, o.key, o.classification, new Date(o.firstAt).toISOString().slice(11, 16), new Date(o.lastAt).toISOString().slice(11, 16)])).toEqual([
      ['graph-service-health', 'EX1000001', 'incident', '09:00', '12:00'],
      ['status-cloud-microsoft-mac', 'outlook access', 'incident', '09:20', '11:00'],
      ['graph-service-health', 'EX1000002', 'advisory', '13:00', '00:00'],
      ['azure-status-rss', 'afd', 'incident', '20:00', '00:00'],
    ]);
  });

  test('overlapping channels form one real-world incident; advisories none', () => {
    expect(clusterOfficialIncidents(list).map((c) => c.map((o) => o.key))).toEqual([['EX1000001', 'outlook access'], ['afd']]);
  });
});

describe('source plan', () => {
  const config = ConfigSchema.parse({
    sources: [
      { id: 'heise-atom', adapter: 'news-feed', url: 'https://www.heise.de/rss/heise-atom.xml', outlet: 'heise online', lang: 'de' },
      { id: 'status-cloud-microsoft-mac', adapter: 'status-cloud-microsoft-posts', url: 'https://status.cloud.microsoft/api/posts/mac' },
      { id: 'status-cloud-microsoft-feed', adapter: 'status-cloud-microsoft-feed', url: 'https://status.cloud.microsoft/api/feed/mac' },
    ],
  });
  const header = { tapeVersion: 1, id: 'tt', title: 't', kind: 'outage', summary: 's', start: '2026-01-05T00:00:00Z', end: '2026-01-06T00:00:00Z', reconstruction: 'r' };
  const press = (outlet: string, extra: object = {}) => ({ type: 'press', at: '2026-01-05T09:00:00Z', outlet, title: 'x', link: 'https://www.connect.de/news/x.html', lang: 'de', ...extra });

  test('moves every source to the fixture server of its host and adds feeds for outlets the config does not read', () => {
    const tape = parseTape([header, press('heise online'), press('connect')].map((l) => JSON.stringify(l)).join('\n'), 't.tape.jsonl');
    const plan = planSources(config.sources, tape, (host) => `http://local-${host}`);
    expect(plan.sources.map((s) => s.url)).toEqual([
      'http://local-www.heise.de/rss/heise-atom.xml',
      'http://local-status.cloud.microsoft/api/posts/mac',
      'http://local-status.cloud.microsoft/api/feed/mac',
      'http://local-www.connect.de/tape-feed.xml',
    ]);
    expect(plan.pressFeedByOutlet.get('connect')).toBe('tape-connect');
    expect(plan.routes.find((r) => r.sourceId === 'status-cloud-microsoft-feed')!.binding).toEqual({ kind: 'mac', endpoint: 'feed' });
  });

  test('a press event naming a feed the config lacks is an error', () => {
    const tape = parseTape([header, press('heise online', { feed: 'heise-rdf' })].map((l) => JSON.stringify(l)).join('\n'), 't.tape.jsonl');
    expect(() => planSources(config.sources, tape, (h) => h)).toThrow(ReplayPlanError);
  });

  test('the cycle interval comes from the schedule', () => {
    expect(cycleMinutesFromSchedule('*/2 * * * *')).toBe(2);
    expect(cycleMinutesFromSchedule('* * * * *')).toBe(1);
    expect(() => cycleMinutesFromSchedule('0 * * * *')).toThrow(/cycle interval/);
  });
});
