/**
 * The one call the cycle makes: `notifyCycle({config, env, dataDir, before, after, now})` diffs
 * the incidents, queues the events durably in the outbox and returns; delivery runs in the
 * background. Long-running processes keep one Notifier per data directory across cycles; one-shot
 * runs (and shutdown) call `drainNotifications(timeoutMs)` before they exit.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../src/config/schema.ts';
import type { Incident, StatusSnapshot } from '../../src/domain/schemas.ts';
import { maxImpact, type Impact } from '../../src/domain/vocabulary.ts';
import { Notifier, type DrainSummary, type EnqueueSummary, type NotifierOptions } from './deliver.ts';
import { diffIncidents } from './diff.ts';
import { notificationPaths } from './outbox.ts';
import { resolveTargets } from './targets.ts';
import type { NotificationEvent } from './types.ts';
import { exists } from '../../src/store/files.ts';

export interface NotifyCycleInput {
  config: Pick<Config, 'site' | 'http' | 'notifications'>;
  /** Where `urlEnv`/`secretEnv` are looked up (usually `process.env`). */
  env: Readonly<Record<string, string | undefined>>;
  dataDir: string;
  /** Incidents as they were before this cycle, and as the cycle wrote them. */
  before: readonly Incident[];
  after: readonly Incident[];
  now: Date;
  /** This cycle's snapshot, for the page indicator; derived from `after` when absent. */
  status?: Pick<StatusSnapshot, 'indicator'> | null;
  /** A notifier of your own (tests); by default the process-wide one for `dataDir`. */
  notifier?: Notifier;
}

export interface NotifyCycleResult extends EnqueueSummary {
  events: NotificationEvent[];
  /** Waits up to `timeoutMs` for this data directory's deliveries (see `Notifier.drain`). */
  drain(timeoutMs: number): Promise<DrainSummary>;
}

const notifiers = new Map<string, Notifier>();

/** The process-wide notifier of a data directory (created on first use). */
export function getNotifier(dataDir: string, options: Omit<NotifierOptions, 'dataDir'> = {}): Notifier {
  const key = path.resolve(dataDir);
  let notifier = notifiers.get(key);
  if (!notifier) {
    notifier = new Notifier({ ...options, dataDir: key });
    notifiers.set(key, notifier);
  }
  return notifier;
}

/** Worst impact among open incidents: the Statuspage page indicator when no snapshot is given. */
export function indicatorFromIncidents(incidents: readonly Incident[]): Impact {
  return incidents.filter((i) => i.status !== 'resolved').reduce<Impact>((worst, i) => maxImpact(worst, i.impact), 'none');
}

/**
 * Diffs `before` → `after`, queues every event for the targets that want it (an event already in
 * the outbox for a target is not queued again), writes the outbox, starts delivery in the
 * background and returns. Never waits for a receiver. Throws NotifyError (NOTIFY_OUTBOX_WRITE)
 * only when the outbox cannot be written.
 */
export async function notifyCycle(input: NotifyCycleInput): Promise<NotifyCycleResult> {
  const events = diffIncidents(input.before, input.after);
  const { notifications, site, http } = input.config;
  const notifier = input.notifier ?? getNotifier(input.dataDir);
  const idle: NotifyCycleResult = { events, queued: 0, duplicates: 0, skipped: [], drain: (ms) => notifier.drain(ms) };
  // Nothing configured and nothing left from earlier runs: do not even create data/notifications/.
  if (notifications.targets.length === 0 && !notifier.isLoaded && !(await exists(notificationPaths(input.dataDir).outbox))) {
    return idle;
  }
  notifier.configure({
    settings: notifications,
    targets: resolveTargets(notifications.targets, input.env, site.defaultLang),
    site: { url: site.url, title: site.title },
    userAgent: http.userAgent,
  });
  const indicator = input.status?.indicator ?? indicatorFromIncidents(input.after);
  const summary = await notifier.enqueue(
    events.map((event) => ({ event, indicator })),
    input.now,
  );
  return { ...idle, ...summary };
}

/** Drains every process-wide notifier (graceful shutdown, end of a one-shot run). */
export async function drainNotifications(timeoutMs: number): Promise<DrainSummary[]> {
  return Promise.all([...notifiers.values()].map((n) => n.drain(timeoutMs)));
}

/** Stops and forgets every process-wide notifier; pending entries stay in their outboxes. */
export async function closeNotifiers(): Promise<void> {
  const all = [...notifiers.values()];
  notifiers.clear();
  await Promise.all(all.map((n) => n.close()));
}
