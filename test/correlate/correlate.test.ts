import { describe, expect, test } from 'vitest';
import { correlateSignals, type CorrelateResult } from '../../scrapers/correlate/correlate.ts';
import { IncidentSchema, type Incident, type Signal } from '../../src/domain/schemas.ts';
import type { ServiceId } from '../../src/domain/services.ts';
import type { IncidentStatus } from '../../src/domain/vocabulary.ts';
import { crowd, official, press, settings, shuffle, t } from './signals.ts';

const NOW = new Date(t('12:00'));

function run(signals: Signal[], incidents: Incident[] = [], now = NOW, over = {}): CorrelateResult {
  return correlateSignals({ incidents, signals, settings: settings(over), now });
}

function only(result: CorrelateResult): Incident {
  expect(result.incidents).toHaveLength(1);
  return result.incidents[0]!;
}

describe('official ids join first', () => {
  test('updates with the same ref from two sources and two languages form one incident', () => {
    const r = run([
      official({ at: t('08:00'), ref: 'EX1151485', status: 'investigating' }),
      official({ at: t('08:40'), ref: 'EX1151485', source: 'status-cloud-microsoft-mac', key: 'post-77', title: 'Outlook: Zugriff gestört' }),
      official({ at: t('09:30'), ref: 'EX1151485', status: 'identified' }),
    ]);
    const incident = only(r);
    expect(incident.officialRefs).toEqual(['EX1151485']);
    expect(incident.evidence.map((e) => e.source.id)).toEqual(['graph-service-health', 'status-cloud-microsoft-mac', 'graph-service-health']);
    expect(incident.status).toBe('identified');
    expect(incident.confidence).toBe('official');
  });

  test('a source without ids joins its updates by key', () => {
    const r = run([
      official({ at: t('08:00'), ref: null, key: 'outlook.com|sign-in|0800', source: 'status-cloud-microsoft-consumer', services: ['outlook-com'] }),
      official({ at: t('08:30'), ref: null, key: 'outlook.com|sign-in|0800', source: 'status-cloud-microsoft-consumer', services: ['outlook-com'], status: 'monitoring' }),
      official({ at: t('08:30'), ref: null, key: 'other', source: 'status-cloud-microsoft-consumer', services: ['outlook-com'], title: 'Another problem' }),
    ]);
    expect(r.incidents).toHaveLength(2);
    const joined = r.incidents.find((i) => i.evidence.length === 2)!;
    expect(joined.status).toBe('monitoring');
    expect(joined.officialRefs).toEqual([]);
  });

  test('an id-less key rejoins its record shortly after "resolved", but the same title hours later is a new incident', () => {
    const post = (at: string, over = {}) =>
      official({ at, ref: null, key: 'scm-same-title', source: 'status-cloud-microsoft-consumer', services: ['outlook-com'], ...over });
    const day = [post(t('06:00')), post(t('07:00'), { status: 'resolved', endedAt: t('07:00') })];
    const flapped = only(run([...day, post(t('08:30'))]));
    expect(flapped.status).toBe('investigating');
    expect(flapped.evidence).toHaveLength(3);
    const later = run([...day, post(t('11:30'))]);
    expect(later.incidents).toHaveLength(2);
    expect(later.incidents.map((i) => i.status).sort()).toEqual(['investigating', 'resolved']);
    // Later updates of the new incident go to the new record, not the resolved one.
    const more = run([...day, post(t('11:30')), post(t('11:50'), { status: 'monitoring' })]);
    expect(more.incidents.map((i) => `${i.status}:${i.evidence.length}`).sort()).toEqual(['monitoring:2', 'resolved:2']);
  });

  test('the same key from the posts JSON and the RSS feed of one status site joins', () => {
    const r = run([
      official({ at: t('08:00'), ref: null, key: 'scm-e408135f48d89e4ca129', source: 'status-cloud-microsoft-mac' }),
      official({ at: t('08:00'), ref: null, key: 'scm-e408135f48d89e4ca129', source: 'status-cloud-microsoft-feed' }),
    ]);
    expect(only(r).evidence.map((e) => e.source.id)).toEqual(['status-cloud-microsoft-feed', 'status-cloud-microsoft-mac']);
  });

  test('an official post without an id of its own that names one joins that incident, in either order', () => {
    const post = official({ at: t('08:00'), ref: null, key: 'scm-1', source: 'status-cloud-microsoft-mac', text: 'More info: tracked as EX1300001 in the admin center.' });
    const graph = official({ at: t('08:20'), ref: 'EX1300001' });
    expect(run([post, graph]).incidents).toHaveLength(1);
    expect(run([{ ...post, observedAt: t('08:40') }, graph]).incidents).toHaveLength(1);
    const article = press({ outlet: 'heise online', at: t('08:30'), refs: ['EX1300001'], services: ['teams'] });
    expect(only(run([post, article])).evidence).toHaveLength(2);
  });

  test('different refs for the same service stay separate incidents', () => {
    const r = run([official({ at: t('08:00'), ref: 'EX1000001' }), official({ at: t('08:10'), ref: 'EX1000002' })]);
    expect(r.incidents.map((i) => i.officialRefs)).toEqual(expect.arrayContaining([['EX1000001'], ['EX1000002']]));
  });

  test.each([
    ['German article', 'heise online', 'de'],
    ['English article', 'BleepingComputer', 'en'],
  ] as const)('a %s citing the ref joins the official incident even long after the window', (_name, outlet, lang) => {
    const r = run(
      [official({ at: t('08:00'), ref: 'MO1068615', services: ['m365-apps'], status: 'resolved', endedAt: t('09:00') }), press({ outlet, lang, at: t('+1d 11:00'), refs: ['MO1068615'], kind: 'followup', services: [] })],
      [],
      new Date(t('+1d 12:00')),
    );
    const incident = only(r);
    expect(incident.evidence.map((e) => e.outlet)).toEqual([null, outlet]);
  });

  test('an official update joins the suspected incident whose article already cited its ref', () => {
    const r = run([
      press({ outlet: 'heise online', at: t('07:00'), refs: ['EX2000001'] }),
      press({ outlet: 'Golem.de', at: t('07:20') }),
      official({ at: t('10:00'), ref: 'EX2000001', startedAt: t('10:00'), services: ['exchange-online'] }),
    ]);
    const incident = only(r);
    expect(incident.confidence).toBe('official');
    expect(incident.acknowledgedAt).toBe(t('10:00'));
    expect(incident.startedAt).toBe(t('07:00'));
  });
});

describe('one event reported by two official sources without a shared id', () => {
  const graph = (at: string, over: Partial<Parameters<typeof official>[0]> = {}) =>
    official({ at, ref: 'MO941162', services: ['exchange-online', 'teams'], title: 'Users may be unable to access Outlook or Teams calendars', ...over });
  const post = (at: string, over: Partial<Parameters<typeof official>[0]> = {}) =>
    official({ at, ref: null, key: 'scm-3339', source: 'status-cloud-microsoft-mac', services: ['exchange-online', 'teams', 'm365-admin'], title: 'Outlook and Teams calendar access', ...over });

  test.each([
    ['Graph first, the status site 15 minutes later', [graph(t('09:05')), post(t('09:20'))], 1],
    ['the status site first, Graph 40 minutes later', [post(t('09:05')), graph(t('09:45'))], 1],
    ['first words more than two hours apart', [graph(t('09:05')), post(t('11:30'))], 2],
    ['titles about different problems', [graph(t('09:05')), post(t('09:20'), { title: 'Delays sending mail to external recipients' })], 2],
    ['an advisory and an incident', [graph(t('09:05'), { classification: 'advisory' }), post(t('09:20'))], 2],
    ['the same source with another key', [post(t('09:05')), post(t('09:20'), { key: 'scm-other' })], 2],
    ['two different Microsoft ids', [graph(t('09:05')), graph(t('09:20'), { ref: 'MO941163' })], 2],
    ['Microsoft resolved the first before the second began', [graph(t('06:00')), graph(t('07:00'), { status: 'resolved', endedAt: t('07:00') }), post(t('08:00'))], 2],
    [
      'titles from different worlds with the same stated start time',
      [graph(t('09:05'), { startedAt: t('08:44') }), post(t('09:20'), { title: 'North America: access to multiple services', startedAt: t('08:44') })],
      1,
    ],
    [
      'titles from different worlds, start times an hour apart',
      [graph(t('09:05'), { startedAt: t('07:44') }), post(t('09:20'), { title: 'North America: access to multiple services', startedAt: t('08:44') })],
      2,
    ],
    [
      'a start time stated only in a later update still joins the two',
      [graph(t('09:05'), { startedAt: t('08:44') }), post(t('09:20'), { title: 'North America: access to multiple services', startedAt: null }), post(t('11:40'), { title: 'North America: access to multiple services', startedAt: t('08:40') })],
      1,
    ],
  ])('%s → %s incident(s)', (_name, signals, count) => {
    expect(run(signals).incidents).toHaveLength(count);
  });

  test('two id-less reports that are each other\'s only counterpart join; a second candidate keeps them apart', () => {
    const azure = (at: string, over: Partial<Parameters<typeof official>[0]> = {}) =>
      official({ at, ref: null, key: 'azure-west-us', source: 'azure-status-rss', services: ['azure', 'entra-id'], title: 'Issues connecting to resources in West US', startedAt: null, ...over });
    const mac = post(t('09:20'), { services: ['teams', 'sharepoint', 'azure'], title: 'North America: access to multiple Microsoft 365 services', startedAt: null });
    expect(run([azure(t('09:05')), mac]).incidents).toHaveLength(1);
    // Another open Azure item the post could belong to: no guessing.
    const other = azure(t('09:10'), { key: 'azure-east-us', title: 'Storage errors in East US' });
    expect(run([azure(t('09:05')), other, mac]).incidents).toHaveLength(3);
    // With a Microsoft id on one side the titles or start times must agree, as before.
    expect(run([graph(t('09:05'), { services: ['teams'], title: 'Users cannot join meetings' }), post(t('09:20'), { title: 'North America: access to multiple services', startedAt: null })]).incidents).toHaveLength(2);
  });

  test('the joined record carries the id, both sources, and follows the newest official word', () => {
    const day = [graph(t('09:05')), post(t('09:20')), graph(t('13:00'), { status: 'identified' }), post(t('18:12'), { status: 'resolved', endedAt: t('18:00') })];
    // The status site says resolved; Graph's report is still open: not over yet.
    expect(only(run(day, [], new Date(t('19:00'))))).toMatchObject({ status: 'identified', resolvedAt: null });
    const incident = only(run([...day, graph(t('18:40'), { status: 'resolved', endedAt: t('18:05') })], [], new Date(t('19:00'))));
    expect(incident).toMatchObject({ officialRefs: ['MO941162'], acknowledgedAt: t('09:05'), status: 'resolved', resolvedAt: t('18:05') });
    expect(new Set(incident.evidence.map((e) => e.source.id))).toEqual(new Set(['graph-service-health', 'status-cloud-microsoft-mac']));
  });

  test('records that become twins later (a clearer title in an update) are merged; the older survives', () => {
    const vague = post(t('09:20'), { title: 'Service degradation', id: 'post-1' });
    const step1 = run([graph(t('09:05')), vague], [], new Date(t('09:30')));
    expect(step1.incidents).toHaveLength(2);
    const graphId = step1.incidents.find((i) => i.officialRefs.length > 0)!.id;
    const postId = step1.incidents.find((i) => i.officialRefs.length === 0)!.id;
    const clearer = post(t('10:35'), { id: 'post-2' });
    const step2 = run([graph(t('09:05')), vague, clearer], step1.incidents, new Date(t('10:40')));
    const merged = only(step2);
    // Both were created in the same run: the tie goes to the smaller id.
    const [older, younger] = [graphId, postId].sort();
    expect(merged.id).toBe(older);
    expect(merged.mergedIds).toEqual([younger]);
    expect(merged.evidence).toHaveLength(3);
  });
});

describe('press attaches to an open incident of the same service within the window', () => {
  const base = [official({ at: t('08:00'), ref: 'EX3000001', services: ['exchange-online'] })];
  test.each<[string, boolean, { at: string; services?: ServiceId[] }]>([
    ['same service, during the incident', true, { at: t('09:00') }],
    ['published before Microsoft spoke, inside the window', true, { at: t('03:00') }],
    ['published before the window', false, { at: t('01:30') }],
    ['another service', false, { at: t('09:00'), services: ['teams'] }],
  ])('%s → attached: %s', (_name, attached, opts) => {
    const r = run([...base, press({ outlet: 'The Register', ...opts })]);
    const incident = r.incidents.find((i) => i.officialRefs.includes('EX3000001'))!;
    expect(incident.evidence.some((e) => e.outlet === 'The Register')).toBe(attached);
  });

  const resolved = [
    official({ at: t('06:00'), ref: 'EX3000002' }),
    official({ at: t('07:00'), ref: 'EX3000002', status: 'resolved', endedAt: t('07:00') }),
  ];
  test.each([
    ['outage report 2 h after the end (press lag)', true, 'outage', t('09:00')],
    ['outage report 4 h after the end (a new problem)', false, 'outage', t('11:00')],
    ['follow-up 4 h after the end', true, 'followup', t('11:00')],
    ['explainer 7 h after the end', false, 'explainer', '2026-11-25T14:00:00.000Z'],
  ] as const)('after resolution: %s → attached: %s', (_name, attached, kind, at) => {
    const r = run([...resolved, press({ outlet: 'Neowin', at, kind })], [], new Date('2026-11-25T15:00:00Z'));
    const incident = r.incidents.find((i) => i.officialRefs.includes('EX3000002'))!;
    expect(incident.evidence.some((e) => e.outlet === 'Neowin')).toBe(attached);
  });

  test('press never attaches to an advisory, and an advisory is recorded as such', () => {
    const r = run([
      official({ at: t('08:00'), ref: 'EX3000003', classification: 'advisory', impact: 'minor' }),
      press({ outlet: 'Neowin', at: t('08:30') }),
    ]);
    const advisory = r.incidents.find((i) => i.officialRefs.includes('EX3000003'))!;
    expect(advisory.classification).toBe('advisory');
    expect(advisory.evidence).toHaveLength(1);
  });

  test('an official incident is preferred over a suspected one', () => {
    const r = run([
      press({ outlet: 'heise online', at: t('08:00'), services: ['teams'] }),
      press({ outlet: 'Golem.de', at: t('08:10'), services: ['teams'] }),
      official({ at: t('08:20'), ref: 'TM4000001', services: ['teams'], classification: 'incident', startedAt: t('08:20') }),
      press({ outlet: 'Dr. Windows', at: t('09:00'), services: ['teams'] }),
    ]);
    // The official signal confirmed the suspected incident, so there is one record holding everything.
    const incident = only(r);
    expect(incident.evidence.map((e) => e.outlet ?? e.ref)).toEqual(['heise online', 'Golem.de', 'TM4000001', 'Dr. Windows']);
  });
});

describe('suspected incidents from independent outlets', () => {
  test.each([
    ['two outlets within the press window', [['heise online', '08:00'], ['Golem.de', '09:30']], 1],
    ['two articles from the same outlet', [['heise online', '08:00'], ['heise online', '08:30']], 0],
    ['two outlets further apart than the press window', [['heise online', '08:00'], ['Golem.de', '11:30']], 0],
    ['two Mastodon instances (community counts once)', [['mastodon.social #outlookdown', '08:00', 'mastodon-social-outlookdown'], ['chaos.social #outlookdown', '08:10', 'chaos-social-outlookdown']], 0],
    ['community plus one outlet', [['mastodon.social #outlookdown', '08:00', 'mastodon-social-outlookdown'], ['Golem.de', '08:10']], 1],
  ] as const)('%s → %s incident(s)', (_name, items, count) => {
    const r = run(items.map(([outlet, at, source], i) => press({ outlet, at: t(at), source, id: `p${i}` })));
    expect(r.incidents).toHaveLength(count);
    if (count) {
      const incident = r.incidents[0]!;
      expect(incident.status).toBe('suspected');
      expect(incident.confidence).toBe('press');
      expect(incident.impact).toBe('minor');
      expect(incident.acknowledgedAt).toBeNull();
      expect(incident.classification).toBe('unknown');
      expect(incident.id).toMatch(/^2026-11-25-exchange-online-[0-9a-f]{8}$/);
    }
  });

  test.each(['explainer', 'followup', 'resolution', 'unrelated'] as const)('%s articles never open an incident', (kind) => {
    const r = run([press({ outlet: 'heise online', at: t('08:00'), kind }), press({ outlet: 'Golem.de', at: t('08:10'), kind })]);
    expect(r.incidents).toEqual([]);
    expect(r.unassigned).toBe(2);
  });

  test('the same article reached through two feeds counts once', () => {
    const url = 'https://www.heise.de/news/outlook-stoerung-123.html';
    const r = run([press({ outlet: 'heise online', at: t('08:00'), url }), press({ outlet: 'heise via mirror', source: 'mirror', at: t('08:05'), url })]);
    expect(r.incidents).toEqual([]);
  });

  test('an explainer attaches to the suspected incident that exists', () => {
    const r = run([
      press({ outlet: 'heise online', at: t('08:00') }),
      press({ outlet: 'Golem.de', at: t('08:10') }),
      press({ outlet: 'Borns IT-Blog', at: t('08:40'), kind: 'explainer' }),
    ]);
    expect(only(r).evidence).toHaveLength(3);
  });

  test('a later official signal confirms the suspected incident, whose id survives', () => {
    const first = run([press({ outlet: 'heise online', at: t('07:00') }), press({ outlet: 'Golem.de', at: t('07:30') })], [], new Date(t('07:45')));
    const suspected = only(first);
    const second = run(
      [press({ outlet: 'heise online', at: t('07:00') }), press({ outlet: 'Golem.de', at: t('07:30') }), official({ at: t('09:00'), ref: 'EX5000001', startedAt: t('08:45') })],
      first.incidents,
      new Date(t('09:05')),
    );
    const confirmed = only(second);
    expect(confirmed.id).toBe(suspected.id);
    expect(confirmed).toMatchObject({
      status: 'investigating',
      confidence: 'official',
      impact: 'major',
      classification: 'incident',
      startedAt: t('07:00'),
      acknowledgedAt: t('09:00'),
      officialRefs: ['EX5000001'],
      title: 'Users may be unable to access their mailbox',
      createdAt: t('07:45'),
      updatedAt: t('09:05'),
    });
    expect(second.changed.map((i) => i.id)).toEqual([suspected.id]);
  });

  test('an advisory later reclassified as an incident absorbs the suspected incident; the old id stays in mergedIds', () => {
    const press2 = [press({ outlet: 'heise online', at: t('08:10') }), press({ outlet: 'Golem.de', at: t('08:20') })];
    const advisory = official({ id: 'adv-1', at: t('08:00'), ref: 'EX6000001', classification: 'advisory', impact: 'minor' });
    const step1 = run([advisory, ...press2], [], new Date(t('08:30')));
    expect(step1.incidents).toHaveLength(2);
    const suspectedId = step1.incidents.find((i) => i.status === 'suspected')!.id;
    const advisoryId = step1.incidents.find((i) => i.classification === 'advisory')!.id;
    const reclassified = official({ id: 'adv-2', at: t('09:00'), ref: 'EX6000001', classification: 'incident', impact: 'major' });
    const step2 = run([advisory, ...press2, reclassified], step1.incidents, new Date(t('09:05')));
    const survivor = only(step2);
    expect(survivor.id).toBe(advisoryId);
    expect(survivor.mergedIds).toEqual([suspectedId]);
    expect(survivor.evidence).toHaveLength(4);
    expect(survivor.classification).toBe('incident');
    expect(step2.merged).toEqual([{ into: advisoryId, from: suspectedId }]);
  });

  test('a suspected incident without new evidence closes as resolved after the expiry', () => {
    const signals = [press({ outlet: 'heise online', at: t('08:00') }), press({ outlet: 'Golem.de', at: t('08:30') })];
    expect(only(run(signals, [], new Date(t('14:29')))).status).toBe('suspected');
    const closed = only(run(signals, [], new Date(t('14:30'))));
    expect(closed.status).toBe('resolved');
    expect(closed.resolvedAt).toBe(t('14:30'));
    expect(closed.updates[0]).toMatchObject({ status: 'resolved', source: { id: 'outage-radar', kind: 'press' } });
  });

  test('an outage report after a suspected incident expired opens nothing on its own and does not revive it', () => {
    const signals = [press({ outlet: 'heise online', at: t('01:00') }), press({ outlet: 'Golem.de', at: t('01:30') }), press({ outlet: 'Neowin', at: t('09:00') })];
    const r = run(signals);
    const incident = only(r);
    expect(incident.status).toBe('resolved');
    expect(incident.evidence).toHaveLength(2);
  });
});

describe('crowd signals', () => {
  test('a spike with nothing open opens a suspected incident on its own', () => {
    const incident = only(run([crowd({ at: t('07:45'), count: 42, baseline: 2.5 })]));
    expect(incident).toMatchObject({ status: 'suspected', confidence: 'crowd', services: ['outlook-com'], startedAt: t('07:40') });
    expect(incident.crowd).toEqual({ spikeStartedAt: t('07:40'), peakAt: t('07:40'), peakCount: 42, baselineAtPeak: 2.5, total: 42 });
  });

  test('spikes attach to the open official incident of the same service and sum up', () => {
    const r = run([
      official({ at: t('08:00'), ref: null, key: 'oc-1', source: 'status-cloud-microsoft-consumer', services: ['outlook-com'] }),
      crowd({ at: t('08:05'), count: 30 }),
      crowd({ at: t('08:10'), count: 55 }),
    ]);
    const incident = only(r);
    expect(incident.crowd).toMatchObject({ peakCount: 55, total: 85, spikeStartedAt: t('08:00') });
    expect(incident.updates.filter((u) => u.source.kind === 'crowd').map((u) => u.status)).toEqual(['investigating', 'investigating']);
  });

  test('crowd and press suspected incidents for the same service become one', () => {
    const r = run([crowd({ at: t('07:45'), services: ['teams'] }), press({ outlet: 'heise online', at: t('08:00'), services: ['teams'] })]);
    const incident = only(r);
    expect(incident.confidence).toBe('press');
    expect(incident.evidence).toHaveLength(2);
  });

  test('a spike after Microsoft resolved opens a new suspected incident', () => {
    const r = run([
      official({ at: t('06:00'), ref: 'EX7000001', services: ['outlook-com'] }),
      official({ at: t('07:00'), ref: 'EX7000001', services: ['outlook-com'], status: 'resolved', endedAt: t('07:00') }),
      crowd({ at: t('07:30') }),
    ]);
    expect(r.incidents.map((i) => i.status).sort()).toEqual(['resolved', 'suspected']);
  });

  test('the tail of a spike that began before Microsoft resolved stays with the resolved incident', () => {
    const day = [
      official({ at: t('06:00'), ref: 'EX7000001', services: ['outlook-com'] }),
      crowd({ at: t('06:10'), spikeStartedAt: t('06:00') }),
      official({ at: t('07:00'), ref: 'EX7000001', services: ['outlook-com'], status: 'resolved', endedAt: t('07:00') }),
    ];
    const tail = run([...day, crowd({ at: t('07:30'), spikeStartedAt: t('06:00') })]);
    expect(only(tail)).toMatchObject({ status: 'resolved', resolvedAt: t('07:00') });
    expect(only(tail).evidence).toHaveLength(4);
    const recurrence = run([...day, crowd({ at: t('07:30'), spikeStartedAt: t('07:20') })]);
    expect(recurrence.incidents.map((i) => i.status).sort()).toEqual(['resolved', 'suspected']);
  });
});

describe('status, impact and timeline follow Microsoft', () => {
  const updates = [
    official({ at: t('08:00'), status: 'investigating', impact: 'minor' }),
    official({ at: t('08:30'), status: 'identified', impact: 'critical' }),
    official({ at: t('09:00'), status: 'monitoring', impact: 'major' }),
    official({ at: t('09:45'), status: 'resolved', impact: 'none', endedAt: t('09:40') }),
  ];
  test.each([
    [1, 'investigating', 'minor', null],
    [2, 'identified', 'critical', null],
    [3, 'monitoring', 'critical', null],
    [4, 'resolved', 'critical', t('09:40')],
  ] as const)('after %s official update(s): %s, impact %s, resolvedAt %s', (n, status, impact, resolvedAt) => {
    const incident = only(run(updates.slice(0, n)));
    expect(incident).toMatchObject({ status, impact, resolvedAt, acknowledgedAt: t('08:00') });
  });

  test('a new active update after "resolved" reopens the incident', () => {
    const incident = only(run([...updates, official({ at: t('10:30'), status: 'investigating' })]));
    expect(incident.status).toBe('investigating');
    expect(incident.resolvedAt).toBeNull();
  });

  test('a record holding two reports of Microsoft is resolved only when both are, unless one fell silent long before', () => {
    const post = (at: string, status: IncidentStatus) =>
      official({ at, ref: null, key: 'scm-mac-1', source: 'status-cloud-microsoft-mac', status, text: `Current status: ${status}. Tracked as MO941162.` });
    const graph = (at: string, status: IncidentStatus, endedAt?: string) => official({ at, ref: 'MO941162', status, ...(endedAt ? { endedAt } : {}) });
    const base = [post(t('08:00'), 'investigating'), graph(t('08:10'), 'investigating'), graph(t('09:30'), 'monitoring')];
    // The status post goes back to "Available" (resolved) while Graph still monitors recovery.
    const early = only(run([...base, post(t('10:00'), 'resolved')]));
    expect(early).toMatchObject({ status: 'monitoring', resolvedAt: null });
    const both = only(run([...base, post(t('10:00'), 'resolved'), graph(t('11:00'), 'resolved', t('10:50'))]));
    expect(both).toMatchObject({ status: 'resolved', resolvedAt: t('10:50') });
    // A report silent for more than the suspected expiry (6 h here) before the resolution does not hold it open.
    const silent = only(run([post(t('01:00'), 'investigating'), graph(t('01:10'), 'investigating'), graph(t('08:00'), 'resolved', t('08:00'))]));
    expect(silent).toMatchObject({ status: 'resolved', resolvedAt: t('08:00') });
  });

  test('the timeline keeps every source, newest first, ids from the signals; press entries carry the status in force', () => {
    const signals = [...updates.slice(0, 2), press({ id: 'art-1', outlet: 'heise online', at: t('08:10') }), crowd({ id: 'cr-1', at: t('07:55'), services: ['exchange-online'] })];
    const incident = only(run(signals));
    expect(incident.updates.map((u) => [u.id, u.status, u.source.kind])).toEqual([
      [signals[1]!.id, 'identified', 'official'],
      ['art-1', 'investigating', 'press'],
      [signals[0]!.id, 'investigating', 'official'],
      ['cr-1', 'suspected', 'crowd'],
    ]);
    expect(incident.startedAt).toBe(t('07:50'));
  });
});

describe('determinism and safety', () => {
  const day = [
    press({ outlet: 'heise online', at: t('06:50') }),
    press({ outlet: 'Golem.de', at: t('07:05'), lang: 'de' }),
    crowd({ at: t('06:45'), services: ['exchange-online'] }),
    official({ at: t('07:30'), ref: 'EX8000001', startedAt: t('07:10') }),
    official({ at: t('08:30'), ref: 'EX8000001', status: 'identified' }),
    press({ outlet: 'The Register', at: t('09:00'), refs: ['EX8000001'] }),
    official({ at: t('07:00'), ref: 'TM8000002', services: ['teams'], classification: 'advisory', impact: 'minor' }),
    press({ outlet: 'Neowin', at: t('10:00'), kind: 'explainer', services: ['teams'] }),
    crowd({ at: t('11:00'), services: ['onedrive'] }),
    press({ outlet: 'The Verge', at: t('11:10'), services: ['copilot'] }),
  ];

  test.each([1, 2, 3, 4, 5])('the same signals in any order give the same incidents (seed %s)', (seed) => {
    expect(run(shuffle(day, seed)).incidents).toEqual(run(day).incidents);
  });

  test('re-running over its own output changes nothing', () => {
    const first = run(day);
    const second = run(day, first.incidents);
    expect(second.changed).toEqual([]);
    expect(second.incidents).toEqual(first.incidents);
    for (const incident of second.incidents) expect(() => IncidentSchema.parse(incident)).not.toThrow();
  });

  test('feeding the day in cycles keeps every incident and all evidence', () => {
    let stored: Incident[] = [];
    const seen = new Set<string>();
    for (let hour = 7; hour <= 12; hour++) {
      const now = new Date(t(`${String(hour).padStart(2, '0')}:00`));
      const loaded = day.filter((s) => s.observedAt <= now.toISOString());
      const result = run(loaded, stored, now);
      for (const id of stored.map((i) => i.id)) {
        expect(result.incidents.some((i) => i.id === id || i.mergedIds.includes(id))).toBe(true);
      }
      const evidence = new Set(result.incidents.flatMap((i) => i.evidence.map((e) => e.signalId)));
      for (const id of seen) expect(evidence.has(id)).toBe(true);
      for (const id of evidence) seen.add(id);
      stored = result.incidents;
    }
    expect(stored.find((i) => i.officialRefs.includes('EX8000001'))!.evidence).toHaveLength(6);
  });

  test('an incident whose signals are outside the horizon is kept as stored', () => {
    const old = only(run([official({ at: '2026-10-01T08:00:00.000Z', ref: 'EX9000001', status: 'resolved' })], [], new Date('2026-10-01T09:00:00Z')));
    const r = run([crowd({ at: t('08:00') })], [old]);
    expect(r.incidents).toHaveLength(2);
    expect(r.incidents.find((i) => i.id === old.id)).toBe(old);
  });

  test('a new signal folds into a record whose older evidence is outside the horizon', () => {
    const start = [official({ at: '2026-11-20T08:00:00.000Z', ref: 'EX9000002', status: 'investigating', impact: 'critical' })];
    const old = only(run(start, [], new Date('2026-11-20T09:00:00Z')));
    const later = official({ at: t('08:00'), ref: 'EX9000002', status: 'monitoring', impact: 'minor' });
    const incident = only(run([later], [old]));
    expect(incident).toMatchObject({
      id: old.id,
      status: 'monitoring',
      impact: 'critical',
      startedAt: '2026-11-20T08:00:00.000Z',
      acknowledgedAt: '2026-11-20T08:00:00.000Z',
    });
    expect(incident.evidence.map((e) => e.signalId)).toEqual([start[0]!.id, later.id]);
    expect(incident.updates.map((u) => u.id)).toEqual([later.id, start[0]!.id]);
  });

  test('ids are URL-safe and carry the start day and the first service', () => {
    const r = run(day);
    for (const incident of r.incidents) expect(incident.id).toMatch(/^2026-11-25-[a-z0-9-]+-[0-9a-f]{8}$/);
  });
});
