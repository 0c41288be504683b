/**
 * The scrape half of a scheduled cycle: `runCycle` (sources, correlation, data/ writes under the
 * lock), then `notifyCycle` with the incidents before and after it. A receiver never delays this:
 * notifyCycle only queues. Never throws for a cycle that could not run; the outcome says why.
 */
import type { LoadedConfig } from '../../src/config/load.ts';
import type { Incident } from '../../src/domain/schemas.ts';
import type { Logger } from '../../src/lib/log.ts';
import { readIncidents } from '../../src/store/data-store.ts';
import { runCycle, type CycleReport, type SignalProvider } from '../cycle.ts';
import type { HttpClient } from '../http/types.ts';
import { notifyCycle } from '../notify/index.ts';

export interface ScrapeStepOptions {
  config: LoadedConfig;
  /** The cycle's time. */
  now: Date;
  http: HttpClient;
  env: NodeJS.ProcessEnv;
  providers: readonly SignalProvider[];
  log: Logger;
  signal?: AbortSignal;
}

export type ScrapeStepResult =
  | { ok: true; report: CycleReport; notifications: { events: number; queued: number } | null }
  | { ok: false; outcome: 'locked' | 'failed'; error: { code: string; message: string } };

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'CYCLE_FAILED';
}

export async function runScrapeStep(options: ScrapeStepOptions): Promise<ScrapeStepResult> {
  const { config, log } = options;
  let before: Incident[] | null = null;
  try {
    before = await readIncidents(config.dataDirAbs);
  } catch (err) {
    // runCycle reads them again and fails with the same DATA_INVALID; notifications need both sides.
    log.debug('incidents unreadable before the cycle', { err });
  }
  let report: CycleReport;
  try {
    report = await runCycle({
      config,
      now: options.now,
      // Durations on the wall clock: the cycle time may be virtual (the demo runs it faster).
      clock: () => new Date(),
      http: options.http,
      env: options.env,
      providers: options.providers,
      signal: options.signal,
      log,
    });
  } catch (err) {
    const code = codeOf(err);
    return { ok: false, outcome: code === 'LOCKED' ? 'locked' : 'failed', error: { code, message: (err as Error).message } };
  }
  let notifications: { events: number; queued: number } | null = null;
  if (before) {
    try {
      const after = await readIncidents(config.dataDirAbs);
      const result = await notifyCycle({ config, env: options.env, dataDir: config.dataDirAbs, before, after, now: options.now, status: report.status });
      notifications = { events: result.events.length, queued: result.queued };
    } catch (err) {
      // Notifications are best effort for the cycle: the site and the data are already written.
      log.error('notifications could not be queued', { err });
    }
  }
  return { ok: true, report, notifications };
}
