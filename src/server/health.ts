/**
 * `/healthz`: liveness (the process answers) plus the freshness facts the page shows. Pure.
 *
 * HTTP 200 while a build is being served (even a stale one: the process is alive and the page says
 * how old its data is), 503 before the first build exists. `status` summarises:
 *   starting — no build served yet;
 *   stale    — the last successful cycle is older than `site.staleAfterMinutes` (or there was none);
 *   degraded — the last cycle or the last build failed (the previous site stays online);
 *   ok       — otherwise.
 */
import type { StatusSnapshot } from '../domain/schemas.ts';
import type { CycleRecord } from '../../scrapers/schedule/cycle-record.ts';

export interface HealthInput {
  /** Wall clock now. */
  wall: Date;
  /** The cycle clock now (differs from the wall clock only in the demo). */
  now: Date;
  startedAt: Date;
  staleAfterMinutes: number;
  build: { id: string; builtAt: string; dataAsOf: string | null; files: number; handlerBuild: string | null } | null;
  lastCycle: CycleRecord | null;
  lastBuildError: { code: string; message: string; at: string } | null;
  status: StatusSnapshot | null;
  cycleRunning: boolean;
  nextCycleAt: Date | null;
  schedule: string;
}

export interface HealthReport {
  status: 'ok' | 'stale' | 'degraded' | 'starting';
  now: string;
  startedAt: string;
  uptimeSeconds: number;
  schedule: string;
  cycleRunning: boolean;
  nextCycleAt: string | null;
  lastCycleAt: string | null;
  lastSuccessfulCycleAt: string | null;
  /** Minutes since the last successful cycle, on the cycle clock. */
  dataAgeMinutes: number | null;
  staleAfterMinutes: number;
  build: HealthInput['build'];
  lastCycle: Pick<CycleRecord, 'at' | 'startedAt' | 'durationMs' | 'reason' | 'outcome' | 'error' | 'changed' | 'build'> | null;
  lastBuildError: HealthInput['lastBuildError'];
  sources: { id: string; kind: string; state: string; lastSuccessAt: string | null; lastError: string | null; lastOutcome: string | null; lastMs: number | null }[];
}

export function buildHealthReport(input: HealthInput): { httpStatus: number; report: HealthReport } {
  const lastSuccess = input.status?.lastSuccessfulCycleAt ?? null;
  const ageMinutes = lastSuccess ? Math.max(0, (input.now.getTime() - Date.parse(lastSuccess)) / 60_000) : null;
  const stale = ageMinutes === null || ageMinutes > input.staleAfterMinutes;
  const degraded = input.lastCycle?.outcome === 'failed' || input.lastBuildError !== null;
  const status: HealthReport['status'] = !input.build ? 'starting' : stale ? 'stale' : degraded ? 'degraded' : 'ok';
  const outcomes = new Map((input.lastCycle?.sources ?? []).map((s) => [s.id, s]));
  const report: HealthReport = {
    status,
    now: input.wall.toISOString(),
    startedAt: input.startedAt.toISOString(),
    uptimeSeconds: Math.round((input.wall.getTime() - input.startedAt.getTime()) / 1000),
    schedule: input.schedule,
    cycleRunning: input.cycleRunning,
    nextCycleAt: input.nextCycleAt?.toISOString() ?? null,
    lastCycleAt: input.status?.lastCycleAt ?? null,
    lastSuccessfulCycleAt: lastSuccess,
    dataAgeMinutes: ageMinutes === null ? null : Math.round(ageMinutes * 10) / 10,
    staleAfterMinutes: input.staleAfterMinutes,
    build: input.build,
    lastCycle: input.lastCycle
      ? {
          at: input.lastCycle.at,
          startedAt: input.lastCycle.startedAt,
          durationMs: input.lastCycle.durationMs,
          reason: input.lastCycle.reason,
          outcome: input.lastCycle.outcome,
          error: input.lastCycle.error,
          changed: input.lastCycle.changed,
          build: input.lastCycle.build,
        }
      : null,
    lastBuildError: input.lastBuildError,
    sources: (input.status?.sources ?? []).map((s) => ({
      id: s.id,
      kind: s.kind,
      state: s.state,
      lastSuccessAt: s.lastSuccessAt,
      lastError: s.lastError,
      lastOutcome: outcomes.get(s.id)?.outcome ?? null,
      lastMs: outcomes.get(s.id)?.ms ?? null,
    })),
  };
  return { httpStatus: input.build ? 200 : 503, report };
}
