import { expect, test } from 'vitest';
import type { StatusSnapshot } from '../../src/domain/schemas.ts';
import { buildHealthReport, type HealthInput } from '../../src/server/health.ts';
import type { CycleRecord } from '../../scrapers/schedule/cycle-record.ts';

const status: StatusSnapshot = {
  generatedAt: '2026-11-25T08:00:00.000Z',
  lastCycleAt: '2026-11-25T08:00:00.000Z',
  lastSuccessfulCycleAt: '2026-11-25T07:58:00.000Z',
  indicator: 'none',
  services: [],
  activeIncidentIds: [],
  sources: [{ id: 'heise-atom', kind: 'press', state: 'failed', lastSuccessAt: '2026-11-25T07:00:00.000Z', lastError: 'SOURCE_TIMEOUT' }],
};
const cycle: CycleRecord = {
  at: '2026-11-25T08:00:00.000Z',
  startedAt: '2026-11-25T08:00:00.100Z',
  durationMs: 900,
  reason: 'schedule',
  outcome: 'ok',
  error: null,
  scrapeMs: 800,
  changed: false,
  indicator: 'none',
  counts: null,
  sources: [{ id: 'heise-atom', outcome: 'failed', ms: 15000, items: 0, newSignals: 0, detail: 'SOURCE_TIMEOUT' }],
  notifications: null,
  build: null,
};
const input: HealthInput = {
  wall: new Date('2026-11-25T08:05:00Z'),
  now: new Date('2026-11-25T08:05:00Z'),
  startedAt: new Date('2026-11-25T07:00:00Z'),
  staleAfterMinutes: 30,
  build: { id: 'b1', builtAt: '2026-11-25T08:00:05.000Z', dataAsOf: '2026-11-25T07:58:00.000Z', files: 300, handlerBuild: 'b0' },
  lastCycle: cycle,
  lastBuildError: null,
  status,
  cycleRunning: false,
  nextCycleAt: new Date('2026-11-25T08:06:00Z'),
  schedule: '*/2 * * * *',
};

test.each([
  ['a served build with recent data', {}, 200, 'ok'],
  ['no build yet', { build: null }, 503, 'starting'],
  ['data older than staleAfterMinutes', { now: new Date('2026-11-25T08:29:00Z') }, 200, 'stale'],
  ['no successful cycle ever', { status: { ...status, lastSuccessfulCycleAt: null } }, 200, 'stale'],
  ['the last cycle failed', { lastCycle: { ...cycle, outcome: 'failed' as const, error: { code: 'DATA_INVALID', message: 'x' } } }, 200, 'degraded'],
  ['the last build failed', { lastBuildError: { code: 'BUILD_FAILED', message: 'x', at: '2026-11-25T08:00:09.000Z' } }, 200, 'degraded'],
] as const)('%s → HTTP %i, %s', (_l, patch, http, state) => {
  const r = buildHealthReport({ ...input, ...patch } as HealthInput);
  expect(r.httpStatus).toBe(http);
  expect(r.report.status).toBe(state);
});

test('the report carries the freshness facts the page shows, per source', () => {
  const { report } = buildHealthReport(input);
  expect(report).toMatchObject({
    lastCycleAt: '2026-11-25T08:00:00.000Z',
    lastSuccessfulCycleAt: '2026-11-25T07:58:00.000Z',
    dataAgeMinutes: 7,
    uptimeSeconds: 3900,
    nextCycleAt: '2026-11-25T08:06:00.000Z',
    build: { id: 'b1', dataAsOf: '2026-11-25T07:58:00.000Z' },
  });
  expect(report.sources).toEqual([
    { id: 'heise-atom', kind: 'press', state: 'failed', lastSuccessAt: '2026-11-25T07:00:00.000Z', lastError: 'SOURCE_TIMEOUT', lastOutcome: 'failed', lastMs: 15000 },
  ]);
});
