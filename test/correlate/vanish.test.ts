import { describe, expect, test } from 'vitest';
import { correlateSignals } from '../../scrapers/correlate/correlate.ts';
import { detectVanished } from '../../scrapers/correlate/vanish.ts';
import { updateObservation, type SourceObservation } from '../../scrapers/status/observations.ts';
import { SignalSchema } from '../../src/domain/schemas.ts';
import { official, settings, t } from './signals.ts';

const SRC = 'status-cloud-microsoft-mac';
const post = official({ at: t('08:00'), ref: 'EX1234567', source: SRC, key: 'EX1234567' });

function observe(keys: string[], at: string, prev: SourceObservation | null = null): SourceObservation {
  return updateObservation(prev, SRC, { outcome: 'ok', serviceStatus: { 'exchange-online': 'partial_outage' }, activeKeys: keys }, new Set(['EX1234567']), new Date(at));
}

describe('observations track when a known key stopped being listed', () => {
  test('a key missing from the list gets the time of the first read without it, and keeps it', () => {
    const a = observe(['EX1234567'], t('08:00'));
    expect(a.missingSince).toEqual({});
    const b = observe([], t('08:05'), a);
    expect(b.missingSince).toEqual({ EX1234567: t('08:05') });
    const c = observe([], t('08:10'), b);
    expect(c.missingSince).toEqual({ EX1234567: t('08:05') });
    expect(observe(['EX1234567'], t('08:15'), c).missingSince).toEqual({});
  });

  test('a 304 re-asserts the last picture as of now', () => {
    const a = observe([], t('08:05'));
    const b = updateObservation(a, SRC, { outcome: 'not_modified', serviceStatus: {}, activeKeys: null }, new Set(), new Date(t('08:20')));
    expect(b).toEqual({ ...a, at: t('08:20') });
  });

  test('keys no longer among the loaded signals are not tracked', () => {
    const a = updateObservation(null, SRC, { outcome: 'ok', serviceStatus: {}, activeKeys: [] }, new Set(['old']), new Date(t('08:00')));
    expect(a.missingSince).toEqual({ old: t('08:00') });
    const b = updateObservation(a, SRC, { outcome: 'ok', serviceStatus: {}, activeKeys: [] }, new Set(), new Date(t('08:05')));
    expect(b.missingSince).toEqual({});
  });
});

describe('an open official incident whose key vanished resolves after the grace period', () => {
  const incidents = correlateSignals({ incidents: [], signals: [post], settings: settings(), now: new Date(t('08:01')) }).incidents;
  const observations = new Map([[SRC, observe([], t('08:05'), observe(['EX1234567'], t('08:00')))]]);

  test.each([
    ['within the grace period', t('08:34'), 0],
    ['after the grace period', t('08:35'), 1],
  ])('%s → %s vanish signal(s)', (_name, now, count) => {
    const found = detectVanished({ incidents, signals: [post], observations, settings: settings(), now: new Date(now) });
    expect(found).toHaveLength(count);
    for (const s of found) expect(() => SignalSchema.parse(s)).not.toThrow();
  });

  test('the vanish signal resolves the incident at the first read without it and joins by key', () => {
    const [vanished] = detectVanished({ incidents, signals: [post], observations, settings: settings(), now: new Date(t('08:40')) });
    expect(vanished!.official).toMatchObject({ key: 'EX1234567', status: 'resolved', endedAt: t('08:05') });
    const after = correlateSignals({ incidents, signals: [post, vanished!], settings: settings(), now: new Date(t('08:40')) });
    expect(after.incidents).toHaveLength(1);
    expect(after.incidents[0]).toMatchObject({ status: 'resolved', resolvedAt: t('08:05') });
    expect(after.incidents[0]!.updates[0]!.text).toContain('No longer listed');
  });

  test('the same finding yields the same signal id on every run', () => {
    const a = detectVanished({ incidents, signals: [post], observations, settings: settings(), now: new Date(t('08:40')) });
    const b = detectVanished({ incidents, signals: [post], observations, settings: settings(), now: new Date(t('09:40')) });
    expect(a.map((s) => s.id)).toEqual(b.map((s) => s.id));
  });

  test.each([
    ['the source keeps history (no active list)', { activeKeys: null }],
    ['the key is still listed', { activeKeys: ['EX1234567'], missingSince: {} }],
  ])('nothing vanishes when %s', (_name, over) => {
    const obs = new Map([[SRC, { ...observations.get(SRC)!, ...over }]]);
    expect(detectVanished({ incidents, signals: [post], observations: obs, settings: settings(), now: new Date(t('10:00')) })).toEqual([]);
  });

  test('an incident Microsoft already resolved gets no vanish signal', () => {
    const resolved = official({ at: t('08:03'), ref: 'EX1234567', source: SRC, key: 'EX1234567', status: 'resolved' });
    const inc = correlateSignals({ incidents: [], signals: [post, resolved], settings: settings(), now: new Date(t('08:04')) }).incidents;
    expect(detectVanished({ incidents: inc, signals: [post, resolved], observations, settings: settings(), now: new Date(t('10:00')) })).toEqual([]);
  });
});
