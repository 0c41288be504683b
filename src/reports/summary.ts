/**
 * The public live summary (`/api/reports/summary.json`): reports per service in the last hour with
 * problem types and bounce codes, and whether the last cycle saw a spike. No personal data.
 * Computed at most once per `ttlMs` per process, however many visitors poll it.
 */
import { z } from 'zod';
import { IsoDateSchema } from '../domain/schemas.ts';
import { SERVICE_IDS, type ServiceId } from '../domain/services.ts';
import { PROBLEM_TYPES } from '../domain/vocabulary.ts';
import { readCrowdData, type CrowdData } from './crowd-data.ts';
import type { ReportAggregate } from './report.ts';
import type { ReportStore } from './store.ts';

const CountSchema = z.number().int().nonnegative();

export const ServiceSummarySchema = z.object({
  lastHour: CountSchema,
  problemTypes: z.partialRecord(z.enum(PROBLEM_TYPES), CountSchema),
  codes: z.record(z.string().max(40), CountSchema),
  /** The last cycle found a spike going on (null when no cycle has looked yet). */
  elevated: z.boolean().nullable(),
});

export const ReportSummarySchema = z.object({
  generatedAt: IsoDateSchema,
  windowMinutes: z.literal(60),
  services: z.record(z.enum(SERVICE_IDS), ServiceSummarySchema),
});
export type ReportSummary = z.output<typeof ReportSummarySchema>;

/** At most this many bounce codes per service, the most frequent first. */
const MAX_CODES = 10;

export function buildSummary(aggregate: Partial<Record<ServiceId, ReportAggregate>>, crowd: CrowdData | null, now: Date): ReportSummary {
  const services = {} as Record<ServiceId, z.output<typeof ServiceSummarySchema>>;
  for (const id of SERVICE_IDS) {
    const agg = aggregate[id];
    const codes = Object.entries(agg?.codes ?? {})
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_CODES);
    const seen = crowd?.services.find((s) => s.id === id);
    services[id] = {
      lastHour: agg?.count ?? 0,
      problemTypes: agg?.problemTypes ?? {},
      codes: Object.fromEntries(codes),
      elevated: seen ? seen.elevated : null,
    };
  }
  return { generatedAt: now.toISOString(), windowMinutes: 60, services };
}

export interface SummaryCache {
  /** The summary as JSON text, fresh within the TTL. Concurrent callers share one computation. */
  get(): Promise<string>;
}

export function createSummaryCache(input: { store: ReportStore; dataDir: string; now: () => Date; ttlMs?: number }): SummaryCache {
  const ttl = input.ttlMs ?? 5_000;
  let cached: { at: number; text: Promise<string> } | null = null;
  return {
    get() {
      const now = input.now();
      if (cached && now.getTime() - cached.at < ttl) return cached.text;
      const text = (async () => {
        const [aggregate, crowd] = await Promise.all([input.store.recentAggregate(now), readCrowdData(input.dataDir)]);
        return JSON.stringify(buildSummary(aggregate, crowd, now));
      })();
      cached = { at: now.getTime(), text };
      // A failed computation is not cached: the next poll tries again.
      text.catch(() => {
        if (cached?.text === text) cached = null;
      });
      return text;
    },
  };
}
