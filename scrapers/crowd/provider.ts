/**
 * The crowd signal provider for the cycle (`runCycle({ providers: [createCrowdProvider()] })`):
 * reads report counts from the report store, runs the spike detector per service on complete
 * buckets, returns one crowd Signal per spike bucket, and writes `data/crowd.json` (chart series,
 * last-hour counts, top problems) for the static pages. Time is the cycle's `now`.
 *
 * Windows: spikes are judged over the last 48 h (signal ids name the bucket, so they stay the same
 * however the window cuts a long spike); baselines look back `crowd.baselineWeeks` weeks plus the 7 days
 * the noise estimate needs. Buckets before the store's coverage start are missing, not zero.
 */
import type { SignalProviderContext } from '../cycle.ts';
import type { LoadedConfig } from '../../src/config/load.ts';
import type { Signal } from '../../src/domain/schemas.ts';
import { SERVICE_IDS, type ServiceId } from '../../src/domain/services.ts';
import { writeCrowdData, type CrowdData, type CrowdService } from '../../src/reports/crowd-data.ts';
import { openReportStore } from '../../src/reports/open-store.ts';
import { alignToBucket } from '../../src/reports/report.ts';
import { isReportingEnabled } from '../../src/reports/runtime.ts';
import type { ReportStore } from '../../src/reports/store.ts';
import { buildSpikeSignals, detectSpikes, type BucketVerdict, type DetectOptions, type Spike } from './detect.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Spikes are judged (and their buckets re-emitted with the same ids) over this window. */
export const JUDGE_HOURS = 48;
/** The chart on the service page. */
export const CHART_HOURS = 24;
/** The noise estimate looks at the 7 days before each judged day. */
const DISPERSION_DAYS = 7;

export interface CrowdRun {
  signals: Signal[];
  data: CrowdData;
}

/** The detector's options from `config.crowd`. */
export function detectOptions(config: Pick<LoadedConfig, 'crowd'>): DetectOptions {
  return { ...config.crowd };
}

type BucketAggregate = Awaited<ReturnType<ReportStore['aggregate']>>;

/**
 * Aggregates of complete buckets, by bucket start (ms). A complete bucket never changes (reports
 * are stamped when received), so a long spike's breakdown is read once, not on every cycle.
 */
export type BucketAggregateCache = Map<number, BucketAggregate>;

/** Runs detection for every service at `now` (pure apart from reading the store). */
export async function runCrowdDetection(
  store: ReportStore,
  config: Pick<LoadedConfig, 'crowd'>,
  now: Date,
  signal?: AbortSignal,
  cache: BucketAggregateCache = new Map(),
): Promise<CrowdRun> {
  const options = detectOptions(config);
  const bucketMinutes = options.bucketMinutes;
  const size = bucketMinutes * MINUTE;
  const end = alignToBucket(now, bucketMinutes);
  const judgeFrom = new Date(end.getTime() - JUDGE_HOURS * HOUR);
  const historyFrom = alignToBucket(
    new Date(Math.floor(judgeFrom.getTime() / DAY) * DAY - DISPERSION_DAYS * DAY - options.baselineWeeks * WEEK - HOUR),
    bucketMinutes,
  );
  const judgeIndex = Math.round((judgeFrom.getTime() - historyFrom.getTime()) / size);
  const chartIndex = Math.round((end.getTime() - CHART_HOURS * HOUR - historyFrom.getTime()) / size);
  const coverage = await store.coverageStart();
  // The bucket that holds the coverage start is known (partly observed); every earlier one is not.
  const firstKnown = coverage === null ? Number.POSITIVE_INFINITY : Math.floor((coverage.getTime() - historyFrom.getTime()) / size);

  const [lastHour, day] = await Promise.all([
    store.aggregate(new Date(now.getTime() - HOUR), new Date(now.getTime() + 1)),
    store.aggregate(new Date(end.getTime() - CHART_HOURS * HOUR), new Date(now.getTime() + 1)),
  ]);

  const signals: Signal[] = [];
  const services: CrowdService[] = [];
  for (const service of SERVICE_IDS) {
    signal?.throwIfAborted();
    const buckets = await store.countsByBucket(service, historyFrom, end, bucketMinutes);
    const counts = buckets.counts.map((c, i) => (i < firstKnown ? null : c));
    const { verdicts, spikes } = detectSpikes({ service, from: buckets.from, bucketMinutes, counts }, options, judgeIndex);
    const byIndex = new Map<number, BucketVerdict>(verdicts.map((v) => [v.index, v]));

    for (const spike of spikes) {
      const parts = new Map<number, BucketAggregate>();
      for (const index of spike.bucketIndexes) {
        const start = new Date(buckets.from.getTime() + index * size);
        let agg = cache.get(start.getTime());
        if (!agg) {
          agg = await store.aggregate(start, new Date(start.getTime() + size));
          cache.set(start.getTime(), agg);
        }
        parts.set(start.getTime(), agg);
      }
      signals.push(
        ...buildSpikeSignals({
          spike,
          verdicts: byIndex,
          bucketMinutes,
          now,
          identitySignInShare: config.crowd.identitySignInShare,
          minSignIn: config.crowd.minCount,
          breakdown: (start) => {
            const agg = parts.get(start.getTime())?.[service];
            return agg ? { problemTypes: agg.problemTypes, codes: agg.codes } : undefined;
          },
        }),
      );
    }
    services.push(chartEntry(service, verdicts, spikes, chartIndex, lastHour[service], day[service], bucketMinutes));
  }
  // Buckets older than the judged window are never asked for again.
  for (const key of cache.keys()) if (key < judgeFrom.getTime()) cache.delete(key);
  return {
    signals,
    data: { generatedAt: now.toISOString(), enabled: true, bucketMinutes, windowHours: CHART_HOURS, services },
  };
}

function chartEntry(
  service: ServiceId,
  verdicts: BucketVerdict[],
  spikes: Spike[],
  chartIndex: number,
  lastHour: { count: number } | undefined,
  day: { problemTypes: CrowdService['problemTypes']; codes: Record<string, number> } | undefined,
  bucketMinutes: number,
): CrowdService {
  const chart = verdicts.filter((v) => v.index >= chartIndex);
  const lastHourBuckets = chart.slice(-Math.round(60 / bucketMinutes));
  const latest = spikes.at(-1);
  const chartStart = chart[0]?.start.getTime() ?? 0;
  const spike = latest && (latest.endedAt === null || latest.endedAt.getTime() > chartStart) ? latest : null;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    id: service,
    elevated: latest !== undefined && latest.endedAt === null,
    lastHour: lastHour?.count ?? 0,
    baselineLastHour: round(lastHourBuckets.reduce((a, v) => a + v.baseline, 0)),
    problemTypes: day?.problemTypes ?? {},
    codes: day?.codes ?? {},
    from: new Date(chartStart).toISOString(),
    counts: chart.map((v) => v.count),
    baselines: chart.map((v) => round(v.baseline)),
    spike: spike
      ? {
          startedAt: spike.startedAt.toISOString(),
          endedAt: spike.endedAt?.toISOString() ?? null,
          peakAt: spike.peakAt.toISOString(),
          peakCount: spike.peakCount,
          baselineAtPeak: round(spike.baselineAtPeak),
          total: spike.total,
        }
      : null,
  };
}

/** Reports older than this are no longer needed for any baseline. */
export function retentionStart(config: Pick<LoadedConfig, 'crowd'>, now: Date): Date {
  return new Date(now.getTime() - (config.crowd.baselineWeeks * WEEK + (DISPERSION_DAYS + 3) * DAY));
}

/**
 * The provider. `store`: read this store (left open: its owner closes it); by default the
 * configured store is opened and closed on every cycle. With reports switched off it writes
 * `crowd.json` saying so and returns no signals.
 */
export function createCrowdProvider(store?: ReportStore): (ctx: SignalProviderContext) => Promise<Signal[]> {
  // Only for a store this provider was given: a store opened per cycle may be another database next time.
  const cache: BucketAggregateCache | undefined = store ? new Map() : undefined;
  return async function crowdReports(ctx: SignalProviderContext): Promise<Signal[]> {
    const { config, now, dataDir } = ctx;
    if (!isReportingEnabled(config)) {
      await writeCrowdData(dataDir, { generatedAt: now.toISOString(), enabled: false, bucketMinutes: config.crowd.bucketMinutes, windowHours: CHART_HOURS, services: [] });
      return [];
    }
    const reports = store ?? (await openReportStore(config));
    try {
      const run = await runCrowdDetection(reports, config, now, ctx.signal, cache);
      await writeCrowdData(dataDir, run.data);
      const removed = await reports.prune(now, retentionStart(config, now));
      const elevated = run.data.services.filter((s) => s.elevated).map((s) => s.id);
      ctx.log.info('crowd reports judged', { signals: run.signals.length, elevated, pruned: removed });
      return run.signals;
    } finally {
      if (!store) await reports.close();
    }
  };
}
