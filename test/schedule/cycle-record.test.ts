import { expect, test } from 'vitest';
import { decideBuild, toSourceRecord, type BuildDecisionInput } from '../../scrapers/schedule/cycle-record.ts';

const base: BuildDecisionInput = {
  changed: false,
  served: { dataAsOf: '2026-11-25T08:00:00.000Z', fingerprint: 'f1' },
  lastBuildFailed: false,
  dataAsOf: '2026-11-25T08:04:00.000Z',
  refreshMinutes: 10,
  fingerprint: 'f1',
};

test.each([
  ['nothing changed, served data recent', {}, null],
  ['no build is served', { served: null }, 'no-build'],
  ['the cycle changed incidents or status', { changed: true }, 'changed'],
  ['the last build failed', { lastBuildFailed: true }, 'retry'],
  ['the code changed since the served build', { fingerprint: 'f2' }, 'code-changed'],
  ['an unknown fingerprint is no reason', { fingerprint: null }, null],
  ['"data as of" lags by the refresh interval', { dataAsOf: '2026-11-25T08:10:00.000Z' }, 'refresh'],
  ['"data as of" lags by less', { dataAsOf: '2026-11-25T08:09:59.000Z' }, null],
  ['the served build has no data time, the data has one', { served: { dataAsOf: null, fingerprint: 'f1' } }, 'refresh'],
  ['no successful cycle yet and nothing changed', { dataAsOf: null, served: { dataAsOf: null, fingerprint: 'f1' } }, null],
  ['changed wins over refresh', { changed: true, dataAsOf: '2026-11-25T09:00:00.000Z' }, 'changed'],
] as const)('%s → %s', (_label, patch, expected) => {
  expect(decideBuild({ ...base, ...patch } as BuildDecisionInput)).toBe(expected);
});

test('source records are compact and say why', () => {
  const common = { adapter: 'news-feed', kind: 'press' as const, items: 0, rejected: 0, newSignals: 0, until: null, reason: null, error: null, durationMs: null };
  expect(toSourceRecord({ ...common, id: 'a', outcome: 'failed', error: { code: 'SOURCE_TIMEOUT', message: 'x' }, durationMs: 1500.4 })).toEqual({
    id: 'a',
    outcome: 'failed',
    ms: 1500,
    items: 0,
    newSignals: 0,
    detail: 'SOURCE_TIMEOUT',
  });
  expect(toSourceRecord({ ...common, id: 'b', outcome: 'skipped', reason: 'Retry-After', until: '2026-11-25T09:00:00.000Z' }).detail).toBe('Retry-After until 2026-11-25T09:00:00.000Z');
  expect(toSourceRecord({ ...common, id: 'c', outcome: 'ok', items: 3, newSignals: 1, durationMs: 57 })).toMatchObject({ detail: null, items: 3, newSignals: 1, ms: 57 });
});
