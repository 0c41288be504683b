import { describe, expect, test } from 'vitest';
import { diffIncidents } from '../../scrapers/notify/diff.ts';
import { NotificationEventSchema } from '../../scrapers/notify/types.ts';
import { makeIncident, outageDay, teamsIncident } from './helpers.ts';

const { suspected, press, confirmed, identified, resolved } = outageDay;

describe('diffIncidents', () => {
  test.each([
    ['a new unconfirmed incident is suspected', [], [suspected], ['suspected']],
    ['a new incident with official word is opened', [], [confirmed], ['opened']],
    ['press evidence on a suspected incident is an update', [suspected], [press], ['updated']],
    ['official word on a suspected incident opens it', [press], [confirmed], ['opened']],
    ['a status and impact change with a new entry is an update', [confirmed], [identified], ['updated']],
    ['resolution is resolved', [identified], [resolved], ['resolved']],
    ['suspected straight to resolved is resolved', [suspected], [makeIncident({ status: 'resolved', resolvedAt: '2026-11-24T13:50:00Z', updatedAt: '2026-11-24T13:50:00Z' })], ['resolved']],
    ['an unchanged incident raises nothing', [identified], [identified], []],
    ['an incident first seen already resolved (backfill) raises nothing', [], [resolved], []],
    ['a resolved incident that reopens is opened again', [resolved], [makeIncident({ ...identified, updatedAt: '2026-11-24T11:00:00Z' })], ['opened']],
    ['an incident that disappears raises nothing', [confirmed], [], []],
  ] as const)('%s', (_name, before, after, types) => {
    const events = diffIncidents([...before], [...after]);
    expect(events.map((e) => e.type)).toEqual(types);
    for (const e of events) expect(NotificationEventSchema.safeParse(e).success).toBe(true);
  });

  test('an update names the status and impact change and only the new timeline entries', () => {
    const [event] = diffIncidents([confirmed], [identified]);
    expect(event!.changes).toEqual({
      status: { from: 'investigating', to: 'identified' },
      impact: { from: 'major', to: 'critical' },
      newUpdateIds: ['status-cloud-microsoft-mac:EX1190021:2026-11-24T09:02'],
      previousId: null,
    });
    expect(event!.at).toBe('2026-11-24T09:02:00Z');
  });

  test('ids are stable: the same change diffed twice gives the same id, another change another id', () => {
    const first = diffIncidents([confirmed], [identified]).map((e) => e.id);
    const again = diffIncidents([structuredClone(confirmed)], [structuredClone(identified)]).map((e) => e.id);
    expect(again).toEqual(first);
    expect(first[0]).toMatch(/^evt_[0-9a-f]{24}$/);
    const ids = [
      ...diffIncidents([], [suspected]),
      ...diffIncidents([suspected], [press]),
      ...diffIncidents([press], [confirmed]),
      ...diffIncidents([confirmed], [identified]),
      ...diffIncidents([identified], [resolved]),
    ].map((e) => e.id);
    expect(new Set(ids).size).toBe(5);
  });

  test('confirmation is announced once even when the diff is recomputed with more entries', () => {
    const later = makeIncident({ ...confirmed, updatedAt: '2026-11-24T08:20:00Z', updates: [{ ...confirmed.updates[0]!, id: 'x-later', at: '2026-11-24T08:20:00Z' }, ...confirmed.updates] });
    expect(diffIncidents([press], [later])[0]!.id).toBe(diffIncidents([press], [confirmed])[0]!.id);
  });

  test('a suspected incident merged into an official one is announced as opened, not suspected again', () => {
    const official = makeIncident({ ...confirmed, id: 'inc-2026-11-24-ex1190021', mergedIds: [suspected.id] });
    const events = diffIncidents([suspected], [official]);
    expect(events.map((e) => [e.type, e.incidentId, e.changes.previousId])).toEqual([['opened', official.id, suspected.id]]);
  });

  test('a merged-away record still present in the list speaks only through the survivor', () => {
    const survivor = makeIncident({ ...press, id: 'inc-survivor', mergedIds: [suspected.id] });
    const events = diffIncidents([suspected], [suspected, survivor]);
    expect(events.map((e) => [e.type, e.incidentId])).toEqual([['updated', 'inc-survivor']]);
  });

  test('events are ordered by time of change, one per incident', () => {
    const events = diffIncidents([confirmed], [teamsIncident, identified]);
    expect(events.map((e) => [e.incidentId, e.type])).toEqual([
      [identified.id, 'updated'],
      [teamsIncident.id, 'opened'],
    ]);
  });
});
