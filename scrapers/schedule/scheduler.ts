/**
 * Runs a job on a cron schedule (croner), never twice at once in this process: a tick that comes
 * while the job runs is skipped (and logged), and `runNow()` waits for the running job, then runs
 * a fresh one (concurrent callers share that one run). Across processes the job itself takes the
 * data directory's lock (`runCycle`).
 */
import { Cron } from 'croner';
import type { Logger } from '../../src/lib/log.ts';

export type RunReason = 'schedule' | 'start' | 'manual';

export interface SchedulerOptions {
  /** Cron expression: 5 fields (minute precision) or 6 (seconds first). */
  schedule: string;
  /** IANA zone the expression is read in (default: the system's). */
  timezone?: string;
  run: (reason: RunReason) => Promise<void>;
  log: Logger;
}

export interface Scheduler {
  /** Starts the schedule (ticks from now on). */
  start(): void;
  /** Runs the job after the one in progress (if any); resolves when it has finished. */
  runNow(reason?: RunReason): Promise<void>;
  readonly isRunning: boolean;
  /** Next scheduled tick, or null when stopped. */
  nextRunAt(): Date | null;
  /** Stops ticking; waits up to `timeoutMs` for the job in progress. False when it did not finish in time. */
  stop(timeoutMs: number): Promise<boolean>;
}

export class ScheduleError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScheduleError';
  }
}

/** Validates a cron expression; throws ScheduleError (CONFIG_INVALID) naming it. */
export function parseSchedule(schedule: string, timezone?: string): Cron {
  try {
    return new Cron(schedule, { paused: true, mode: '5-or-6-parts', ...(timezone ? { timezone } : {}) });
  } catch (cause) {
    throw new ScheduleError(`schedule "${schedule}" is not a valid cron expression: ${(cause as Error).message}`, { cause });
  }
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { log } = options;
  parseSchedule(options.schedule, options.timezone);
  let cron: Cron | null = null;
  let current: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  let stopped = false;

  const launch = (reason: RunReason): Promise<void> => {
    const p = options
      .run(reason)
      .catch((err: unknown) => log.error('scheduled job failed', { reason, err }))
      .finally(() => {
        if (current === p) current = null;
      });
    current = p;
    return p;
  };

  const tick = () => {
    if (stopped) return;
    if (current || queued) {
      log.warn('cycle still running: scheduled tick skipped');
      return;
    }
    void launch('schedule');
  };

  return {
    start() {
      if (stopped || cron) return;
      cron = new Cron(options.schedule, { mode: '5-or-6-parts', ...(options.timezone ? { timezone: options.timezone } : {}) }, tick);
    },
    runNow(reason: RunReason = 'manual') {
      if (stopped) return Promise.resolve();
      if (queued) return queued;
      const q = (async () => {
        // Yield first, so `queued` below is set before this body reads or clears it.
        await null;
        while (current) await current;
        queued = null;
        if (stopped) return;
        await launch(reason);
      })();
      queued = q;
      return q;
    },
    get isRunning() {
      return current !== null;
    },
    nextRunAt() {
      return cron?.nextRun() ?? null;
    },
    async stop(timeoutMs: number) {
      stopped = true;
      cron?.stop();
      cron = null;
      const pending = current ?? queued;
      if (!pending) return true;
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        pending.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      return finished;
    },
  };
}
