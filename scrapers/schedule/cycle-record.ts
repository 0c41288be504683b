/**
 * What one scheduled cycle did, as `/healthz` shows it and the log records it, and the rule that
 * decides whether the site is rebuilt. Pure.
 */
import type { CycleReport } from '../cycle.ts';

export type BuildReason = 'no-build' | 'changed' | 'retry' | 'refresh' | 'code-changed';

export interface SourceRecord {
  id: string;
  outcome: CycleReport['sources'][number]['outcome'];
  ms: number | null;
  items: number;
  newSignals: number;
  /** Error code (failed), or why it was skipped / disabled. */
  detail: string | null;
}

export interface BuildRecord {
  reason: BuildReason;
  ok: boolean;
  id: string | null;
  ms: number;
  error: { code: string; message: string } | null;
}

export interface CycleRecord {
  /** The cycle's time (what it stamped on the data). */
  at: string;
  /** Wall clock start and duration of the whole cycle (scrape, notify, build, swap). */
  startedAt: string;
  durationMs: number;
  reason: string;
  outcome: 'ok' | 'locked' | 'failed';
  error: { code: string; message: string } | null;
  scrapeMs: number | null;
  changed: boolean;
  indicator: string | null;
  counts: CycleReport['counts'] | null;
  sources: SourceRecord[];
  notifications: { events: number; queued: number } | null;
  /** Null when no build was needed. */
  build: BuildRecord | null;
}

/** One source's outcome, compact. */
export function toSourceRecord(o: CycleReport['sources'][number]): SourceRecord {
  const detail =
    o.outcome === 'failed' ? (o.error?.code ?? 'FAILED') : o.outcome === 'skipped' || o.outcome === 'not_due' ? `${o.reason ?? ''} until ${o.until ?? '?'}` : o.outcome === 'disabled' ? o.reason : null;
  return { id: o.id, outcome: o.outcome, ms: o.durationMs === null ? null : Math.round(o.durationMs), items: o.items, newSignals: o.newSignals, detail };
}

export interface BuildDecisionInput {
  /** The cycle says incidents or the status picture changed. */
  changed: boolean;
  /** The build being served: the data time it shows, and the code fingerprint it was made from. */
  served: { dataAsOf: string | null; fingerprint: string | null } | null;
  /** The last build attempt failed (so the served site lags the data). */
  lastBuildFailed: boolean;
  /** `lastSuccessfulCycleAt` of the data after this cycle. */
  dataAsOf: string | null;
  /** Rebuild when the served pages' "data as of" lags the data by this much, even without changes. */
  refreshMinutes: number;
  /** Fingerprint of the sources now. */
  fingerprint: string | null;
}

/**
 * Whether to build, and why. A cycle with nothing new does not build, except to keep the page's
 * "data as of" honest: the served pages show when the data was last read successfully, so they are
 * refreshed once that lags by `refreshMinutes` (otherwise a quiet day would show a false stale
 * warning while every cycle succeeds).
 */
export function decideBuild(input: BuildDecisionInput): BuildReason | null {
  if (!input.served) return 'no-build';
  if (input.changed) return 'changed';
  if (input.lastBuildFailed) return 'retry';
  if (input.fingerprint !== null && input.served.fingerprint !== null && input.fingerprint !== input.served.fingerprint) return 'code-changed';
  if (input.dataAsOf !== null) {
    if (input.served.dataAsOf === null) return 'refresh';
    const lagMs = Date.parse(input.dataAsOf) - Date.parse(input.served.dataAsOf);
    if (lagMs >= input.refreshMinutes * 60_000) return 'refresh';
  }
  return null;
}
