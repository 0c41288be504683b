import { describe, expect, test } from 'vitest';
import type { StatusSnapshot } from '../../../src/domain/schemas.ts';
import type { ServiceId } from '../../../src/domain/services.ts';
import type { ComponentStatus } from '../../../src/domain/vocabulary.ts';
import { assessFreshness, composeHeadline, effectiveServiceStatus, pageIndicator } from '../../../src/lib/status.ts';

const now = new Date('2026-11-20T12:00:00Z');
function snapshot(lastSuccess: string | null, services: [ServiceId, ComponentStatus][]): StatusSnapshot {
  return {
    generatedAt: '2026-11-20T11:58:00Z',
    lastCycleAt: '2026-11-20T11:58:00Z',
    lastSuccessfulCycleAt: lastSuccess,
    indicator: 'none',
    services: services.map(([id, status]) => ({ id, status, reason: 'test', activeIncidentIds: [], lastOfficialSuccessAt: null, crowdElevated: false })),
    activeIncidentIds: [],
    sources: [],
  };
}

describe('freshness and effective status', () => {
  test.each<[string, string | null, boolean]>([
    ['2 minutes old is fresh', '2026-11-20T11:58:00Z', false],
    ['exactly the threshold is fresh', '2026-11-20T11:30:00Z', false],
    ['31 minutes old is stale', '2026-11-20T11:29:00Z', true],
    ['no successful cycle ever is stale', null, true],
  ])('%s', (_name, last, stale) => {
    expect(assessFreshness(snapshot(last, []), now, 30).isStale).toBe(stale);
  });

  test('no snapshot or a missing service is unknown, never operational', () => {
    const fresh = assessFreshness(snapshot('2026-11-20T11:58:00Z', []), now, 30);
    expect(effectiveServiceStatus('teams', null, assessFreshness(null, now, 30)).status).toBe('unknown');
    expect(effectiveServiceStatus('teams', snapshot('2026-11-20T11:58:00Z', [['azure', 'operational']]), fresh).status).toBe('unknown');
  });

  test('stale data turns operational into unknown but keeps a known outage', () => {
    const snap = snapshot('2026-11-20T09:00:00Z', [
      ['teams', 'operational'],
      ['azure', 'major_outage'],
    ]);
    const freshness = assessFreshness(snap, now, 30);
    expect(effectiveServiceStatus('teams', snap, freshness)).toMatchObject({ status: 'unknown', reasonCode: 'stale' });
    expect(effectiveServiceStatus('azure', snap, freshness)).toMatchObject({ status: 'major_outage' });
  });

  test('the page indicator is at least what the effective statuses imply', () => {
    expect(pageIndicator(snapshot('x', []), ['operational', 'unknown'])).toBe('minor');
    expect(pageIndicator(snapshot('x', []), ['operational'])).toBe('none');
    expect(pageIndicator(null, ['operational'])).toBe('minor');
    expect(pageIndicator({ ...snapshot('x', []), indicator: 'critical' }, ['operational'])).toBe('critical');
  });
});

describe('composeHeadline', () => {
  const fresh = { lastSuccessfulCycleAt: 'x', ageMinutes: 1, isStale: false };
  const s = (pairs: [ServiceId, ComponentStatus][]) => pairs.map(([id, status]) => ({ id, status }));
  test.each<[string, [ServiceId, ComponentStatus][], ServiceId[], string, ServiceId[]]>([
    ['all operational: no', [['teams', 'operational'], ['azure', 'operational']], [], 'ok', []],
    ['a confirmed outage comes first, worst first', [['teams', 'degraded_performance'], ['azure', 'major_outage']], ['teams'], 'outage', ['azure', 'teams']],
    ['unconfirmed reports when nothing is confirmed', [['teams', 'operational'], ['azure', 'operational']], ['teams'], 'suspected', ['teams']],
    ['some services blind', [['teams', 'unknown'], ['azure', 'operational']], [], 'unknown-some', ['teams']],
    ['all blind', [['teams', 'unknown'], ['azure', 'unknown']], [], 'unknown-all', ['teams', 'azure']],
  ])('%s', (_name, services, suspected, kind, named) => {
    const h = composeHeadline(s(services), new Set(suspected), fresh, true);
    expect(h.kind).toBe(kind);
    expect(h.services.map((x) => x.id)).toEqual(named);
  });

  test('no snapshot at all says we have no data', () => {
    expect(composeHeadline(s([['teams', 'unknown']]), new Set(), { lastSuccessfulCycleAt: null, ageMinutes: null, isStale: true }, false).kind).toBe('no-data');
  });
});
