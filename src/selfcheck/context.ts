/**
 * Our own side of the answer: the status of Microsoft's services from our records (data/status.json
 * and the unresolved incidents) and crowd reports of the last hour against the usual level. The
 * pure builders take records and `now`; the loaders at the bottom do the reading.
 */
import type { Incident, StatusSnapshot } from '../domain/schemas.ts';
import { SERVICE_IDS, type ServiceId } from '../domain/services.ts';
import { assessFreshness, effectiveServiceStatus } from '../lib/status.ts';
import { readIncidents, readStatus } from '../store/data-store.ts';
import type { ReportAggregate } from '../reports/report.ts';
import type { CrowdContext, StatusContext } from './facts.ts';
import { isCrowdElevated } from './verdict.ts';

/** Builds the status context; stale data turns "operational" into unknown (never vouch for what we cannot see). */
export function buildStatusContext(snapshot: StatusSnapshot | null, incidents: readonly Incident[], now: Date, staleAfterMinutes: number): StatusContext {
  const freshness = assessFreshness(snapshot, now, staleAfterMinutes);
  return {
    available: snapshot !== null && !freshness.isStale,
    generatedAt: snapshot?.generatedAt ?? null,
    lastSuccessfulCycleAt: freshness.lastSuccessfulCycleAt,
    services: SERVICE_IDS.map((id) => {
      const eff = effectiveServiceStatus(id, snapshot, freshness);
      return { id, status: eff.status, crowdElevated: eff.crowdElevated };
    }),
    incidents: incidents
      .filter((i) => i.status !== 'resolved')
      .map((i) => ({
        id: i.id,
        title: i.title,
        status: i.status,
        confidence: i.confidence,
        impact: i.impact,
        services: [...i.services],
        officialRefs: [...i.officialRefs],
        startedAt: i.startedAt,
      })),
  };
}

/** Reads data/status.json and the incidents. A broken record makes the context blind, never green. */
export async function loadStatusContext(dataDir: string, now: Date, staleAfterMinutes: number): Promise<StatusContext> {
  try {
    const [snapshot, incidents] = await Promise.all([readStatus(dataDir), readIncidents(dataDir)]);
    return buildStatusContext(snapshot, incidents, now, staleAfterMinutes);
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'DATA_INVALID') throw err;
    return buildStatusContext(null, [], now, staleAfterMinutes);
  }
}

/** Crowd reports per service over a time range: the slice of the report store the self-check needs. */
export interface CrowdAggregateSource {
  /** Counts per service with bounce codes, `from` inclusive, `to` exclusive. */
  aggregate(from: Date, to: Date): Promise<Partial<Record<ServiceId, ReportAggregate>>>;
}

export interface CrowdOptions {
  windowMinutes: number;
  /** Same hour in this many past weeks forms the usual level. */
  baselineWeeks: number;
  minCount: number;
  /** Multiple of the usual level that counts as elevated (config `crowd.minRatio`). */
  minRatio: number;
}

const WEEK_MS = 7 * 24 * 3_600_000;

/** Sums the reports of one enhanced code (`5.1.10`), whatever basic code they were filed with. */
export function countCode(codes: Record<string, number>, code: string): number {
  let n = 0;
  for (const [k, v] of Object.entries(codes)) {
    const enhanced = k.split(' ').pop();
    if (k === code || enhanced === code || k === `AADSTS${code}`) n += v;
  }
  return n;
}

/** Pure: the crowd context from the current window and the same window in past weeks. */
export function buildCrowdContext(
  current: Partial<Record<ServiceId, ReportAggregate>>,
  past: Partial<Record<ServiceId, ReportAggregate>>[],
  services: readonly ServiceId[],
  code: string | null,
  options: CrowdOptions,
): CrowdContext {
  const weeks = Math.max(1, past.length);
  const serviceRows = services.map((id) => {
    const count = current[id]?.count ?? 0;
    const baseline = past.reduce((sum, p) => sum + (p[id]?.count ?? 0), 0) / weeks;
    return { id, count, baseline, elevated: isCrowdElevated(count, baseline, options.minCount, options.minRatio) };
  });
  let codeRow: CrowdContext['code'] = null;
  if (code) {
    const count = services.reduce((sum, id) => sum + countCode(current[id]?.codes ?? {}, code), 0);
    const baseline = past.reduce((sum, p) => sum + services.reduce((s, id) => s + countCode(p[id]?.codes ?? {}, code), 0), 0) / weeks;
    codeRow = { code, count, baseline, elevated: isCrowdElevated(count, baseline, options.minCount, options.minRatio) };
  }
  return { available: true, windowMinutes: options.windowMinutes, services: serviceRows, code: codeRow };
}

export const NO_CROWD: CrowdContext = { available: false, windowMinutes: 60, services: [], code: null };

/** Asks the report store for the last window and the same window in past weeks. */
export async function loadCrowdContext(
  source: CrowdAggregateSource | null,
  services: readonly ServiceId[],
  code: string | null,
  now: Date,
  options: CrowdOptions,
): Promise<CrowdContext> {
  if (!source) return { ...NO_CROWD, windowMinutes: options.windowMinutes };
  const span = options.windowMinutes * 60_000;
  const from = new Date(now.getTime() - span);
  try {
    const [current, ...past] = await Promise.all([
      source.aggregate(from, now),
      ...Array.from({ length: options.baselineWeeks }, (_, i) =>
        source.aggregate(new Date(from.getTime() - (i + 1) * WEEK_MS), new Date(now.getTime() - (i + 1) * WEEK_MS)),
      ),
    ]);
    return buildCrowdContext(current!, past, services, code, options);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'STORE_UNAVAILABLE' || (err as { code?: unknown }).code === 'STORE_CLOSED') {
      return { ...NO_CROWD, windowMinutes: options.windowMinutes };
    }
    throw err;
  }
}
