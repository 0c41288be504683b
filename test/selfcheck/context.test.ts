import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { SqliteReportStore } from '../../src/reports/sqlite-store.ts';
import { buildCrowdContext, buildStatusContext, countCode, loadCrowdContext, loadStatusContext } from '../../src/selfcheck/context.ts';
import { IncidentSchema } from '../../src/domain/schemas.ts';
import type { ServiceId } from '../../src/domain/services.ts';
import type { ReportAggregate } from '../../src/reports/report.ts';
import { makeDataDir, officialExchangeIncident, operationalSnapshot } from './_status.ts';

const NOW = new Date('2026-11-25T12:00:00Z');
const OPTIONS = { windowMinutes: 60, baselineWeeks: 4, minCount: 8, minRatio: 3 };

describe('status context', () => {
  test('a fresh snapshot is available and keeps each service status', () => {
    const ctx = buildStatusContext(operationalSnapshot(NOW), [], NOW, 30);
    expect(ctx.available).toBe(true);
    expect(ctx.services.find((s) => s.id === 'exchange-online')?.status).toBe('operational');
  });

  test('a stale snapshot is not available and "operational" turns unknown', () => {
    const ctx = buildStatusContext(operationalSnapshot(new Date(NOW.getTime() - 2 * 3_600_000)), [], NOW, 30);
    expect(ctx.available).toBe(false);
    expect(ctx.services.every((s) => s.status === 'unknown')).toBe(true);
  });

  test('no snapshot at all is blind', () => {
    const ctx = buildStatusContext(null, [], NOW, 30);
    expect(ctx.available).toBe(false);
    expect(ctx.services.every((s) => s.status === 'unknown')).toBe(true);
  });

  test('only unresolved incidents are kept', () => {
    const open = IncidentSchema.parse(officialExchangeIncident(NOW));
    const closed = { ...open, id: 'old-one', status: 'resolved' as const, resolvedAt: NOW.toISOString() };
    const ctx = buildStatusContext(operationalSnapshot(NOW), [open, closed], NOW, 30);
    expect(ctx.incidents.map((i) => i.id)).toEqual(['ex1151485-mail-delivery']);
  });

  test('reads data/status.json and incidents from a data dir', async () => {
    const dir = await makeDataDir(operationalSnapshot(NOW), [officialExchangeIncident(NOW)]);
    const ctx = await loadStatusContext(dir, NOW, 30);
    expect(ctx.available).toBe(true);
    expect(ctx.incidents[0]?.officialRefs).toEqual(['EX1151485']);
  });
});

describe('crowd context', () => {
  let store: SqliteReportStore | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  test('counts one enhanced code whatever basic code it was filed with', () => {
    expect(countCode({ '550 5.1.10': 3, '5.1.10': 2, '550': 9, '550 5.7.1': 4 }, '5.1.10')).toBe(5);
  });

  test('usual level is the mean of the same window in past weeks', () => {
    const current = { 'exchange-online': { count: 40, problemTypes: {}, codes: { '550 5.1.10': 37 } } };
    const past: Partial<Record<ServiceId, ReportAggregate>>[] = [
      { 'exchange-online': { count: 4, problemTypes: {}, codes: { '550 5.1.10': 1 } } },
      { 'exchange-online': { count: 2, problemTypes: {}, codes: {} } },
    ];
    const ctx = buildCrowdContext(current, past, ['exchange-online'], '5.1.10', OPTIONS);
    expect(ctx.services[0]).toMatchObject({ count: 40, baseline: 3, elevated: true });
    expect(ctx.code).toMatchObject({ count: 37, baseline: 0.5, elevated: true });
  });

  test('reads the last hour from the real SQLite report store', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'selfcheck-crowd-'));
    store = SqliteReportStore.open(path.join(dir, 'reports.db'), { dedupWindowMinutes: 60, rateLimitPerMinute: 10 }, { now: () => new Date(NOW.getTime() - 30 * 86_400_000) });
    for (let i = 0; i < 12; i++) {
      await store.add({ service: 'exchange-online', problemType: 'mail-bounces', code: '550 5.1.10', clientId: `client-${i}`, receivedAt: new Date(NOW.getTime() - (i + 1) * 60_000) });
    }
    // An older report outside the window does not count.
    await store.add({ service: 'exchange-online', problemType: 'mail-bounces', code: '550 5.1.10', clientId: 'old', receivedAt: new Date(NOW.getTime() - 2 * 3_600_000) });
    const ctx = await loadCrowdContext(store, ['exchange-online'], '5.1.10', NOW, OPTIONS);
    expect(ctx.available).toBe(true);
    expect(ctx.code).toMatchObject({ count: 12, elevated: true });
  });

  test('without a store the crowd part is unavailable, not zero', async () => {
    const ctx = await loadCrowdContext(null, ['exchange-online'], '5.1.10', NOW, OPTIONS);
    expect(ctx.available).toBe(false);
  });
});
