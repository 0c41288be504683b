/**
 * Everything fails at once: every source hangs. The cycle still ends at its own deadline (even
 * when the per-source deadline is longer), writes health and status, keeps every stored incident,
 * and once the blind threshold has passed no service is green and the last successful cycle time
 * stays where it was (so the page can say it is stale).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BLIND_AFTER_MINUTES,
  createWorld,
  expectNothingLost,
  INTERVAL_MINUTES,
  KINDS,
  snapshot,
  SOURCE_KINDS,
  startFaultWorlds,
  type FaultWorlds,
  type Snapshot,
} from '../support/fault-world.ts';

const T0 = new Date('2026-11-24T10:00:00.000Z');
const MINUTE = 60_000;
let worlds: FaultWorlds;
let baseDir: string;
let base: Snapshot;

beforeAll(async () => {
  worlds = await startFaultWorlds();
  const w = await createWorld(worlds, 'base', { http: { deadlineMs: 30_000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 }, sourceDeadlineMs: 60_000, cycleDeadlineMs: 60_000 });
  const { report } = await w.cycle(T0);
  await w.close();
  expect(report.sources.every((s) => s.outcome === 'ok')).toBe(true);
  baseDir = w.dataDir;
  base = await snapshot(baseDir);
});
afterAll(() => worlds?.close());

describe('every source hangs', () => {
  test('the cycle deadline cuts all of them, even when the per-source deadline is longer', async () => {
    const cycleDeadlineMs = 1_500;
    // HTTP and per-source deadlines far beyond the cycle's: only the cycle deadline can end this.
    const w = await createWorld(worlds, 'cycle-deadline', { seedDataDir: baseDir, http: { deadlineMs: 60_000, headersTimeoutMs: 60_000, bodyTimeoutMs: 60_000 }, sourceDeadlineMs: 60_000, cycleDeadlineMs });
    try {
      for (const kind of SOURCE_KINDS) w.setRoute(kind, { fault: 'hang' });
      const { report, wallMs } = await w.cycle(new Date(T0.getTime() + 6 * MINUTE));
      expect(report.sources.map((s) => [s.id, s.outcome, s.error?.code])).toEqual(SOURCE_KINDS.map((k) => [KINDS[k].sourceId, 'failed', 'SOURCE_TIMEOUT']));
      for (const s of report.sources) expect(s.error?.message).toContain(`cycle deadline (${cycleDeadlineMs} ms)`);
      // Bounded by the cycle deadline plus the writes, not by the 60 s source limits.
      expect(wallMs).toBeLessThan(cycleDeadlineMs + 15_000);
      expectNothingLost(base, await snapshot(w.dataDir));
    } finally {
      await w.close();
    }
  });

  test('past the blind threshold nothing is green, nothing is lost, and the last good cycle time stays', async () => {
    const w = await createWorld(worlds, 'all-blind', { seedDataDir: baseDir });
    try {
      for (const kind of SOURCE_KINDS) w.setRoute(kind, { fault: 'hang' });
      const t1 = new Date(T0.getTime() + (INTERVAL_MINUTES + 1) * MINUTE);
      const { report: r1 } = await w.cycle(t1);
      expect(r1.sources.every((s) => s.outcome === 'failed')).toBe(true);
      const s1 = await snapshot(w.dataDir);
      expectNothingLost(base, s1);
      expect(s1.status.lastCycleAt).toBe(t1.toISOString());
      expect(s1.status.lastSuccessfulCycleAt).toBe(T0.toISOString());

      const t2 = new Date(T0.getTime() + (BLIND_AFTER_MINUTES + INTERVAL_MINUTES + 1) * MINUTE);
      await w.cycle(t2);
      const s2 = await snapshot(w.dataDir);
      expectNothingLost(s1, s2);
      expect(s2.status.lastSuccessfulCycleAt).toBe(T0.toISOString());
      for (const service of s2.status.services) {
        expect(service.status, `${service.id}: ${service.reason}`).not.toBe('operational');
        const incident = s2.incidents.some((i) => i.status !== 'resolved' && i.classification !== 'advisory' && i.services.includes(service.id));
        if (!incident) expect([service.id, service.status]).toEqual([service.id, 'unknown']);
      }
      expect(s2.status.indicator).not.toBe('none');
      for (const h of s2.health.values()) expect([h.id, h.state, h.consecutiveFailures]).toEqual([h.id, 'failed', 2]);
    } finally {
      await w.close();
    }
  });
});
