import { expect, test } from 'vitest';
import { silentLogger } from '../../src/lib/log.ts';
import { createScheduler, parseSchedule, type RunReason } from '../../scrapers/schedule/scheduler.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recorder(durationMs: number) {
  const runs: { reason: RunReason; start: number; end: number }[] = [];
  let active = 0;
  let maxActive = 0;
  const run = async (reason: RunReason) => {
    active++;
    maxActive = Math.max(maxActive, active);
    const start = Date.now();
    await sleep(durationMs);
    runs.push({ reason, start, end: Date.now() });
    active--;
  };
  return { runs, run, maxActive: () => maxActive };
}

test('a bad cron expression is a CONFIG_INVALID error naming it', () => {
  expect(() => parseSchedule('every two minutes')).toThrowError(/every two minutes/);
  try {
    parseSchedule('61 * * * *');
  } catch (err) {
    expect((err as { code: string }).code).toBe('CONFIG_INVALID');
  }
  expect(() => parseSchedule('*/2 * * * *')).not.toThrow();
  expect(() => parseSchedule('*/5 * * * * *')).not.toThrow();
});

test('ticks that come while a run is in progress are skipped, never run in parallel', async () => {
  const r = recorder(1_500);
  const warnings: string[] = [];
  const log = { ...silentLogger, warn: (m: string) => warnings.push(m) };
  const s = createScheduler({ schedule: '* * * * * *', run: r.run, log });
  s.start();
  await sleep(3_600);
  await s.stop(5_000);
  expect(r.maxActive()).toBe(1);
  expect(r.runs.length).toBeGreaterThanOrEqual(1);
  expect(r.runs.length).toBeLessThanOrEqual(3);
  expect(warnings.some((w) => w.includes('skipped'))).toBe(true);
  for (let i = 1; i < r.runs.length; i++) expect(r.runs[i]!.start).toBeGreaterThanOrEqual(r.runs[i - 1]!.end);
});

test('runNow waits for the run in progress, then runs a fresh one; concurrent callers share it', async () => {
  const r = recorder(300);
  const s = createScheduler({ schedule: '0 0 1 1 *', run: r.run, log: silentLogger });
  const first = s.runNow('start');
  await sleep(50);
  expect(s.isRunning).toBe(true);
  const a = s.runNow();
  const b = s.runNow();
  expect(a).toBe(b);
  await Promise.all([first, a, b]);
  expect(r.runs.map((x) => x.reason)).toEqual(['start', 'manual']);
  expect(r.runs[1]!.start).toBeGreaterThanOrEqual(r.runs[0]!.end);
  expect(r.maxActive()).toBe(1);
  expect(s.isRunning).toBe(false);
  // Idle: runs at once.
  await s.runNow();
  expect(r.runs).toHaveLength(3);
});

test('stop waits for the run in progress (bounded) and nothing runs after it', async () => {
  const r = recorder(400);
  const s = createScheduler({ schedule: '* * * * * *', run: r.run, log: silentLogger });
  void s.runNow();
  await sleep(20);
  expect(await s.stop(2_000)).toBe(true);
  expect(r.runs).toHaveLength(1);
  await s.runNow();
  await sleep(1_200);
  expect(r.runs).toHaveLength(1);

  const slow = recorder(1_000);
  const s2 = createScheduler({ schedule: '0 0 1 1 *', run: slow.run, log: silentLogger });
  void s2.runNow();
  await sleep(20);
  expect(await s2.stop(100)).toBe(false);
});

test('a failing run is logged and does not stop the schedule', async () => {
  const errors: string[] = [];
  let calls = 0;
  const s = createScheduler({
    schedule: '0 0 1 1 *',
    run: async () => {
      calls++;
      throw Object.assign(new Error('boom'), { code: 'X' });
    },
    log: { ...silentLogger, error: (m: string) => errors.push(m) },
  });
  await s.runNow();
  await s.runNow();
  expect(calls).toBe(2);
  expect(errors).toHaveLength(2);
});
