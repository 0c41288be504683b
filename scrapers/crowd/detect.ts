/**
 * Crowd spike detection, pure: report counts per bucket → baseline per bucket → spikes → signals.
 *
 * Baseline of a bucket (first rule whose history suffices; only data before the bucket is used):
 *  1. weekly: the same time of week (±15 min) in each of the last `baselineWeeks` weeks; the
 *     median of the per-week means (an outage in one past week does not raise it);
 *  2. cold start, daily: fewer than 2 such weeks, but ≥ 2 days → the median of the same time of day
 *     (±15 min) over the last 7 days;
 *  3. cold start, recent: the last 12 hours, the larger of their trimmed mean (top 20 % dropped)
 *     and their 90th percentile.
 * While cold (2 and 3) the mean of the hour before also raises the baseline and the ratio below is
 * at least 3: with the rhythm still unknown, only a sudden jump counts, never a daily ramp-up.
 * Every baseline has a floor (higher while cold), so a quiet night never makes 3 reports a spike.
 *
 * Score: −log10 P(X ≥ count) under a negative binomial with the baseline as mean and the
 * over-dispersion α measured on the 7 days before the bucket's UTC day (residuals against the
 * same baselines; past spikes excluded; at least 0.1 while cold). With α = 0 this is the Poisson tail. Crowd counts are
 * burstier than Poisson, and a pure Poisson test raises false alarms on a busy service's noise.
 *
 * A bucket is elevated when count ≥ minCount, count ≥ minRatio × baseline (3 × while cold; nothing
 * is elevated before the first hour of data) and its own score ≥ minScore / 2. A spike opens when
 * `minBuckets` consecutive buckets are elevated AND the score of their summed counts against their
 * summed baselines reaches minScore: a sustained 5× rise at low volume counts even when no single
 * 5-minute bucket is improbable enough alone. It ends after `quietBucketsToClose` consecutive quiet
 * buckets (below half the count and ratio thresholds and a quarter of the score: hysteresis).
 * Missing buckets (null: the store was not receiving) are neither elevated nor quiet, and never
 * lower a baseline.
 */
import type { Signal } from '../../src/domain/schemas.ts';
import { getService, SERVICE_IDS, type ServiceId } from '../../src/domain/services.ts';
import type { ProblemType } from '../../src/domain/vocabulary.ts';
import { dispersedScore, poissonScore } from './poisson.ts';

export interface DetectOptions {
  bucketMinutes: number;
  baselineWeeks: number;
  minCount: number;
  minScore: number;
  minBuckets: number;
  quietBucketsToClose: number;
  /** Elevated buckets must also reach this multiple of the baseline. */
  minRatio?: number;
}

/**
 * Services a spike bucket is evidence for: its own, plus Entra ID sign-in when at least
 * `identitySignInShare` of its reports with a problem type, and at least `minSignIn` reports, are
 * sign-in problems.
 */
export function spikeServices(
  service: ServiceId,
  problemTypes: Partial<Record<ProblemType, number>>,
  identitySignInShare: number | null,
  minSignIn: number,
): ServiceId[] {
  if (identitySignInShare === null || service === 'entra-id') return [service];
  let typed = 0;
  for (const n of Object.values(problemTypes)) typed += n ?? 0;
  const signIn = problemTypes['sign-in'] ?? 0;
  // A handful of reports in a quiet bucket can be mostly sign-in by chance: it takes as many
  // sign-in reports as a bucket needs to be elevated at all.
  if (typed === 0 || signIn < minSignIn || signIn / typed < identitySignInShare) return [service];
  return SERVICE_IDS.filter((id) => id === service || id === 'entra-id');
}

/** Counts of one service: `counts[i]` covers `[from + i·bucket, …)`; null = no data. */
export interface CrowdSeries {
  service: ServiceId;
  from: Date;
  bucketMinutes: number;
  counts: (number | null)[];
}

export type BaselineMethod = 'weekly' | 'daily' | 'recent' | 'none';

export interface BucketVerdict {
  index: number;
  start: Date;
  count: number | null;
  baseline: number;
  method: BaselineMethod;
  /** Over-dispersion used for the score (0 = Poisson). */
  dispersion: number;
  score: number;
  elevated: boolean;
  quiet: boolean;
}

export interface Spike {
  service: ServiceId;
  /** Start of the first bucket of the elevated run that opened it. */
  startedAt: Date;
  /** Start of the first quiet bucket of the closing run; null while the spike goes on. */
  endedAt: Date | null;
  peakAt: Date;
  peakCount: number;
  baselineAtPeak: number;
  maxScore: number;
  /** Reports in the spike's non-quiet buckets. */
  total: number;
  /** Indexes (into the series) of the spike's non-quiet buckets. */
  bucketIndexes: number[];
}

export const DEFAULT_MIN_RATIO = 2;
const BASELINE_FLOOR = 0.25;
const COLD_FLOOR = 1;
const COLD_MIN_RATIO = 3;
const COLD_DISPERSION = 0.1;
const WINDOW_MINUTES = 15;
const MIN_WEEKS = 2;
const MIN_DAYS = 2;
const DAILY_LOOKBACK_DAYS = 7;
const RECENT_HOURS = 12;
const RECENT_TRIM = 0.2;
const RECENT_QUANTILE = 0.9;
const DISPERSION_DAYS = 7;
const MAX_DISPERSION = 1;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Mean of the non-null counts in [center − half, center + half], or null if under half are known. */
function windowMean(counts: (number | null)[], center: number, half: number): number | null {
  let sum = 0;
  let known = 0;
  for (let j = center - half; j <= center + half; j++) {
    if (j < 0 || j >= counts.length) continue;
    const c = counts[j];
    if (c === null || c === undefined) continue;
    sum += c;
    known++;
  }
  return known * 2 >= half * 2 + 1 ? sum / known : null;
}

/** The baseline of bucket `i` and the rule that produced it (see module doc). */
export function baselineAt(series: CrowdSeries, i: number, options: Pick<DetectOptions, 'baselineWeeks'>): { baseline: number; method: BaselineMethod } {
  const perHour = 60 / series.bucketMinutes;
  const perDay = 24 * perHour;
  const perWeek = 7 * perDay;
  const half = Math.max(0, Math.round(WINDOW_MINUTES / series.bucketMinutes));
  const { counts } = series;

  const weeks: number[] = [];
  for (let k = 1; k <= options.baselineWeeks; k++) {
    const m = windowMean(counts, i - k * perWeek, half);
    if (m !== null) weeks.push(m);
  }
  if (weeks.length >= MIN_WEEKS) return { baseline: Math.max(BASELINE_FLOOR, median(weeks)), method: 'weekly' };

  // While cold, only a sudden jump counts: the level of the hour before is part of the baseline,
  // so a daily ramp-up or the first Monday after a weekend install does not look like a spike.
  let lastHour = 0;
  let lastHourKnown = 0;
  for (let j = Math.max(0, i - perHour); j < i; j++) {
    const c = counts[j];
    if (c === null || c === undefined) continue;
    lastHour += c;
    lastHourKnown++;
  }
  lastHour = lastHourKnown ? lastHour / lastHourKnown : 0;

  const days: number[] = [];
  for (let d = 1; d <= DAILY_LOOKBACK_DAYS; d++) {
    const m = windowMean(counts, i - d * perDay, half);
    if (m !== null) days.push(m);
  }
  if (days.length >= MIN_DAYS) return { baseline: Math.max(COLD_FLOOR, median(days), lastHour), method: 'daily' };

  const recent: number[] = [];
  for (let j = Math.max(0, i - RECENT_HOURS * perHour); j < i; j++) {
    const c = counts[j];
    if (c !== null && c !== undefined) recent.push(c);
  }
  if (recent.length < perHour) return { baseline: COLD_FLOOR, method: 'none' };
  recent.sort((a, b) => a - b);
  const kept = recent.slice(0, Math.max(1, Math.ceil(recent.length * (1 - RECENT_TRIM))));
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  const high = recent[Math.min(recent.length - 1, Math.floor(recent.length * RECENT_QUANTILE))]!;
  return { baseline: Math.max(COLD_FLOOR, mean, high, lastHour), method: 'recent' };
}

/**
 * Over-dispersion α of the series, measured on the `DISPERSION_DAYS` days before the UTC midnight
 * `dayStartMs`: method of moments on residuals against the weekly/daily baselines,
 * α = Σ((c − b)² − c) / Σ b², skipping buckets that were spikes by the Poisson test.
 * Depends only on data before that midnight, so every bucket of a day gets the same α in every run.
 */
export function estimateDispersion(series: CrowdSeries, dayStartMs: number, options: Pick<DetectOptions, 'baselineWeeks' | 'minScore'>): number {
  const size = series.bucketMinutes * MINUTE;
  const end = Math.floor((dayStartMs - series.from.getTime()) / size);
  const start = Math.max(0, end - (DISPERSION_DAYS * DAY) / size);
  let num = 0;
  let den = 0;
  for (let j = start; j < end && j < series.counts.length; j++) {
    const c = series.counts[j];
    if (c === null || c === undefined) continue;
    const { baseline: b, method } = baselineAt(series, j, options);
    if (method !== 'weekly' && method !== 'daily') continue;
    if (c > b && poissonScore(c, b) >= options.minScore) continue;
    num += (c - b) ** 2 - c;
    den += b * b;
  }
  if (den <= 0) return 0;
  return Math.min(MAX_DISPERSION, Math.max(0, num / den));
}

/** Verdict for every bucket from `fromIndex` to the end of the series. */
export function judgeBuckets(series: CrowdSeries, options: DetectOptions, fromIndex = 0): BucketVerdict[] {
  const minRatio = options.minRatio ?? DEFAULT_MIN_RATIO;
  const size = series.bucketMinutes * MINUTE;
  const out: BucketVerdict[] = [];
  const dispersionByDay = new Map<number, number>();
  for (let i = Math.max(0, fromIndex); i < series.counts.length; i++) {
    const count = series.counts[i] ?? null;
    const { baseline, method } = baselineAt(series, i, options);
    const startMs = series.from.getTime() + i * size;
    const day = Math.floor(startMs / DAY) * DAY;
    let measured = dispersionByDay.get(day);
    if (measured === undefined) {
      measured = estimateDispersion(series, day, options);
      dispersionByDay.set(day, measured);
    }
    // Too little history to measure the noise: assume the burstiness typical of crowd reports.
    const dispersion = method === 'weekly' ? measured : Math.max(measured, COLD_DISPERSION);
    // Most buckets are unremarkable; the tail is only computed where it could matter.
    const score = count === null || count < Math.ceil(options.minCount / 2) ? 0 : dispersedScore(count, baseline, dispersion);
    // While cold, the rhythm is a guess: ask for a bigger jump; with no history at all, judge nothing.
    const ratio = method === 'weekly' ? minRatio : Math.max(minRatio, COLD_MIN_RATIO);
    const elevated =
      method !== 'none' &&
      count !== null &&
      count >= options.minCount &&
      count >= ratio * baseline &&
      score >= options.minScore / 2;
    const quiet =
      count !== null &&
      !(count >= Math.ceil(options.minCount / 2) && count >= Math.max(1, ratio / 2) * baseline && score >= options.minScore / 4);
    out.push({ index: i, start: new Date(startMs), count, baseline, method, dispersion, score, elevated, quiet });
  }
  return out;
}

/** Score of a run of buckets taken together: summed counts against summed baselines. */
function runScore(run: BucketVerdict[]): number {
  let count = 0;
  let baseline = 0;
  let dispersion = 0;
  for (const v of run) {
    count += v.count ?? 0;
    baseline += v.baseline;
    dispersion = Math.max(dispersion, v.dispersion);
  }
  // The run keeps the per-bucket α: conservative when bursts last longer than one bucket.
  return dispersedScore(count, baseline, dispersion);
}

/** Runs the spike state machine over judged buckets (in order). */
export function findSpikes(service: ServiceId, verdicts: BucketVerdict[], options: DetectOptions): Spike[] {
  const spikes: Spike[] = [];
  let run: BucketVerdict[] = [];
  let active: Spike | null = null;
  let quietRun: BucketVerdict[] = [];

  const extend = (spike: Spike, v: BucketVerdict): void => {
    spike.bucketIndexes.push(v.index);
    spike.total += v.count ?? 0;
    spike.maxScore = Math.max(spike.maxScore, v.score);
    if ((v.count ?? 0) > spike.peakCount) {
      spike.peakCount = v.count ?? 0;
      spike.peakAt = v.start;
      spike.baselineAtPeak = v.baseline;
    }
  };

  for (const v of verdicts) {
    if (active) {
      if (v.count === null) continue;
      if (v.quiet) {
        quietRun.push(v);
        if (quietRun.length >= options.quietBucketsToClose) {
          active.endedAt = quietRun[0]!.start;
          spikes.push(active);
          active = null;
          quietRun = [];
        }
        continue;
      }
      // Back up after a short lull: the lull's buckets belong to the spike.
      for (const q of quietRun) extend(active, q);
      quietRun = [];
      extend(active, v);
      continue;
    }
    if (!v.elevated) {
      run = [];
      continue;
    }
    run.push(v);
    if (run.length > options.minBuckets) run.shift();
    if (run.length === options.minBuckets && runScore(run) >= options.minScore) {
      active = {
        service,
        startedAt: run[0]!.start,
        endedAt: null,
        peakAt: run[0]!.start,
        peakCount: -1,
        baselineAtPeak: run[0]!.baseline,
        maxScore: 0,
        total: 0,
        bucketIndexes: [],
      };
      for (const r of run) extend(active, r);
      run = [];
    }
  }
  if (active) spikes.push(active);
  return spikes;
}

/** Judges the series from `fromIndex` on and returns verdicts and spikes. */
export function detectSpikes(series: CrowdSeries, options: DetectOptions, fromIndex = 0): { verdicts: BucketVerdict[]; spikes: Spike[] } {
  const verdicts = judgeBuckets(series, options, fromIndex);
  return { verdicts, spikes: findSpikes(series.service, verdicts, options) };
}

/** Source id of every crowd signal. */
export const CROWD_SOURCE_ID = 'crowd-reports';

/** Problem types and bounce codes of one bucket (from the report store). */
export interface BucketBreakdown {
  problemTypes: Partial<Record<ProblemType, number>>;
  codes: Record<string, number>;
}

/**
 * Stable signal id: one per service and bucket. Not tied to the spike's start: a spike longer than
 * the judged window (48 h) would otherwise get a new start, and new ids for all its buckets, on
 * every cycle. A bucket belongs to at most one spike, so the bucket names the observation.
 */
export function crowdSignalId(service: ServiceId, bucketStart: Date): string {
  const stamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-:]/g, '');
  return `crowd:${service}:${stamp(bucketStart)}`;
}

/**
 * One crowd Signal per non-quiet bucket of a spike. `observedAt` is the bucket's start (so the
 * first signal carries the spike's start); `fetchedAt` is the cycle's `now`.
 */
export function buildSpikeSignals(input: {
  spike: Spike;
  verdicts: Map<number, BucketVerdict>;
  bucketMinutes: number;
  now: Date;
  breakdown?: (bucketStart: Date) => BucketBreakdown | undefined;
  /** See `spikeServices`; null or absent: only the spike's own service. */
  identitySignInShare?: number | null;
  /** Fewest sign-in reports in a bucket for `identitySignInShare` to apply (the detector's minCount). */
  minSignIn?: number;
}): Signal[] {
  const { spike, bucketMinutes, now } = input;
  const name = getService(spike.service).name;
  const out: Signal[] = [];
  for (const index of spike.bucketIndexes) {
    const v = input.verdicts.get(index);
    if (!v || v.count === null) continue;
    const parts = input.breakdown?.(v.start);
    const baseline = Math.round(v.baseline * 100) / 100;
    out.push({
      id: crowdSignalId(spike.service, v.start),
      source: { id: CROWD_SOURCE_ID, kind: 'crowd' },
      observedAt: v.start.toISOString(),
      fetchedAt: now.toISOString(),
      services: spikeServices(spike.service, parts?.problemTypes ?? {}, input.identitySignInShare ?? null, input.minSignIn ?? 1),
      title: `${name.en}: ${v.count} problem reports in ${bucketMinutes} min (typical ${formatBaseline(v.baseline)})`,
      text: `Report spike since ${spike.startedAt.toISOString()}: ${v.count} reports in this bucket against a baseline of ${formatBaseline(v.baseline)} (score ${v.score.toFixed(1)}).`,
      url: null,
      lang: null,
      crowd: {
        bucketStart: v.start.toISOString(),
        spikeStartedAt: spike.startedAt.toISOString(),
        bucketMinutes,
        count: v.count,
        baseline,
        score: Math.round(v.score * 100) / 100,
        problemTypes: parts?.problemTypes ?? {},
        codes: parts?.codes ?? {},
      },
    });
  }
  return out;
}

function formatBaseline(b: number): string {
  return b < 10 ? b.toFixed(1) : String(Math.round(b));
}
