import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { SignalSchema } from '../../src/domain/schemas.ts';
import {
  buildSpikeSignals,
  crowdSignalId,
  detectSpikes,
  spikeServices,
  type CrowdSeries,
  type DetectOptions,
} from '../../scrapers/crowd/detect.ts';
import { dispersedScore, logGamma, poissonScore } from '../../scrapers/crowd/poisson.ts';
import { createRandom } from '../../src/tapes/random.ts';
import { expectedCount, generateTraffic, MONDAY, PER_DAY } from './synthetic.ts';

const OPTIONS: DetectOptions = { bucketMinutes: 5, baselineWeeks: 4, minCount: 8, minScore: 6, minBuckets: 2, quietBucketsToClose: 6 };
const WEEKS = 5;
const HISTORY = 4 * 7 * PER_DAY;

function series(counts: (number | null)[], bucketMinutes = 5, from = MONDAY): CrowdSeries {
  return { service: 'exchange-online', from: new Date(from), bucketMinutes, counts };
}

/** Bucket index of day `day` (0 = first Monday) at `hh:mm` UTC. */
const idx = (day: number, hh: number, mm = 0) => day * PER_DAY + hh * 12 + mm / 5;

/** Adds `extra(k)` reports to the k-th bucket from `start` for `length` buckets. */
function inject(counts: number[], start: number, length: number, extra: (k: number) => number): number[] {
  const out = [...counts];
  for (let k = 0; k < length; k++) out[start + k] = out[start + k]! + Math.round(extra(k));
  return out;
}

describe('Poisson and negative binomial tails', () => {
  test.each([
    [1, 1, 0.1992],
    [8, 1, 4.9893],
    [10, 1, 6.953],
    [20, 5, 6.4619],
    [5, 5, 0.2522],
    [100, 80, 1.7668],
  ])('score(%i | λ=%d) = %d', (k, lambda, expected) => {
    expect(poissonScore(k, lambda)).toBeCloseTo(expected, 3);
  });

  test('stays finite where p underflows, and over-dispersion lowers the score', () => {
    expect(poissonScore(1000, 2)).toBeGreaterThan(2000);
    expect(Number.isFinite(poissonScore(1000, 2))).toBe(true);
    expect(dispersedScore(30, 10, 0)).toBeCloseTo(poissonScore(30, 10), 6);
    expect(dispersedScore(30, 10, 0.25)).toBeCloseTo(-Math.log10(Math.exp(-4.99909)), 3);
    expect(dispersedScore(30, 10, 0.25)).toBeLessThan(poissonScore(30, 10));
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 10);
  });
});

describe('spike detector on synthetic series', () => {
  const rhythm = generateTraffic({ seed: 7, days: WEEKS * 7, peakPerHour: 240, dispersion: 0.1 });

  test('flat quiet traffic raises nothing', () => {
    const rnd = createRandom(11, 'flat');
    const flat = Array.from({ length: WEEKS * 7 * PER_DAY }, () => rnd.poisson(0.8));
    expect(detectSpikes(series(flat), OPTIONS).spikes).toEqual([]);
  });

  test('a daily and weekly rhythm raises nothing, with full history and while cold', () => {
    expect(detectSpikes(series(rhythm), OPTIONS, HISTORY).spikes).toEqual([]);
    // Installed on a Saturday: the first week has no weekly baseline; Monday morning is no spike.
    const cold = rhythm.slice(idx(5, 0), idx(15, 0));
    expect(detectSpikes(series(cold, 5, MONDAY + 5 * 86_400_000), OPTIONS).spikes).toEqual([]);
  });

  test('a sharp spike is found within a bucket of its start and ends when reports return to baseline', () => {
    const start = idx(30, 9, 40); // Wednesday of week 5, 09:40
    const counts = inject(rhythm, start, 12, (k) => 60 + 40 * Math.sin((Math.PI * k) / 11));
    const { spikes, verdicts } = detectSpikes(series(counts), OPTIONS, HISTORY);
    expect(spikes).toHaveLength(1);
    const spike = spikes[0]!;
    expect(spike.startedAt.getTime() - (MONDAY + start * 300_000)).toBeLessThanOrEqual(300_000);
    // Ends with the first quiet bucket after the injection (one more bucket of tail at most).
    const endDelay = spike.endedAt!.getTime() - (MONDAY + (start + 12) * 300_000);
    expect(endDelay).toBeGreaterThanOrEqual(0);
    expect(endDelay).toBeLessThanOrEqual(300_000);
    expect(spike.peakCount).toBeGreaterThan(80);
    expect(spike.baselineAtPeak).toBeGreaterThan(10);
    expect(spike.baselineAtPeak).toBeLessThan(30);
    expect(verdicts.find((v) => v.index === start)?.method).toBe('weekly');
  });

  test('a slow ramp is found once it clearly exceeds the baseline, as one spike', () => {
    const start = idx(31, 8, 0);
    // +0 … +80 reports per bucket (about 5× the usual) over three hours, then an hour at the top.
    const counts = inject(rhythm, start, 48, (k) => Math.min(80, (80 * k) / 36));
    const { spikes } = detectSpikes(series(counts), OPTIONS, HISTORY);
    expect(spikes).toHaveLength(1);
    const delayBuckets = (spikes[0]!.startedAt.getTime() - (MONDAY + start * 300_000)) / 300_000;
    // Not at the first extra report, but well before the ramp tops out.
    expect(delayBuckets).toBeGreaterThan(2);
    expect(delayBuckets).toBeLessThan(36);
    expect(spikes[0]!.endedAt).not.toBeNull();
  });

  test('a single noisy bucket is not a spike', () => {
    const counts = inject(rhythm, idx(29, 14, 5), 1, () => 120);
    const { spikes, verdicts } = detectSpikes(series(counts), OPTIONS, HISTORY);
    expect(verdicts.find((v) => v.index === idx(29, 14, 5))?.elevated).toBe(true);
    expect(spikes).toEqual([]);
  });

  test('missing data is not quiet data: nulls never lower a baseline', () => {
    // The store started receiving three days ago: before that, nothing is known.
    const known = rhythm.slice(idx(32, 0));
    const missing = [...Array<null>(idx(32, 0)).fill(null), ...known];
    expect(detectSpikes(series(missing), OPTIONS, HISTORY).spikes).toEqual([]);
    // The same history as zeros would make every busy hour look like an outage.
    const zeros = [...Array<number>(idx(32, 0)).fill(0), ...known];
    expect(detectSpikes(series(zeros), OPTIONS, HISTORY).spikes.length).toBeGreaterThan(0);
  });

  test('a gap in the middle of a spike neither splits nor ends it', () => {
    const start = idx(30, 10, 0);
    const counts: (number | null)[] = inject(rhythm, start, 24, () => 80);
    for (let k = 8; k < 16; k++) counts[start + k] = null; // server down for 40 minutes
    const { spikes } = detectSpikes(series(counts), OPTIONS, HISTORY);
    expect(spikes).toHaveLength(1);
    expect(spikes[0]!.bucketIndexes).toHaveLength(16);
  });

  test('no history at all judges nothing during the first hour', () => {
    const counts = [40, 50, 60, 70, 80, 90, 100, 110];
    expect(detectSpikes(series(counts), OPTIONS).verdicts.every((v) => v.method === 'none' && !v.elevated)).toBe(true);
  });

  test('the crowd curve of the AWS outage of 2018-01-04 (15-minute buckets, one day of data) is one spike', () => {
    const file = path.join(import.meta.dirname, '../fixtures/crowd/user-report-counts-aws-2018-01-04.json');
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { counts: { x: string; y: number }[] };
    const from = Math.floor(Date.parse(raw.counts[0]!.x) / 900_000) * 900_000;
    const { spikes } = detectSpikes(series(raw.counts.map((c) => c.y), 15, from), { ...OPTIONS, bucketMinutes: 15 });
    expect(spikes).toHaveLength(1);
    // 17:31 EST = 22:30 UTC bucket; peak 57.
    expect(spikes[0]!.startedAt.toISOString()).toBe('2018-01-04T22:30:00.000Z');
    expect(spikes[0]!.peakCount).toBe(57);
  });
});

describe('crowd signals', () => {
  test('one valid, stably identified signal per spike bucket', () => {
    const rhythm = generateTraffic({ seed: 3, days: WEEKS * 7, peakPerHour: 120, dispersion: 0.1 });
    const start = idx(30, 9, 0);
    const counts = inject(rhythm, start, 6, () => 50);
    const s = series(counts);
    const now = new Date(MONDAY + (start + 8) * 300_000);
    const run = () => {
      const { spikes, verdicts } = detectSpikes(s, OPTIONS, HISTORY);
      return buildSpikeSignals({
        spike: spikes[0]!,
        verdicts: new Map(verdicts.map((v) => [v.index, v])),
        bucketMinutes: 5,
        now,
        breakdown: () => ({ problemTypes: { 'sending-mail': 40, other: 10 }, codes: { '550 5.7.1': 3 } }),
      });
    };
    const signals = run();
    expect(signals).toHaveLength(6);
    for (const sig of signals) expect(SignalSchema.parse(sig)).toEqual(sig);
    const startIso = new Date(MONDAY + start * 300_000).toISOString();
    expect(signals[0]).toMatchObject({
      id: crowdSignalId('exchange-online', new Date(startIso)),
      source: { id: 'crowd-reports', kind: 'crowd' },
      observedAt: startIso,
      services: ['exchange-online'],
      crowd: { bucketStart: startIso, bucketMinutes: 5, problemTypes: { 'sending-mail': 40, other: 10 }, codes: { '550 5.7.1': 3 } },
    });
    expect(signals[0]!.crowd!.count).toBeGreaterThanOrEqual(50);
    expect(signals[0]!.crowd!.score).toBeGreaterThanOrEqual(6);
    // The next cycle recomputes the same ids.
    expect(run().map((x) => x.id)).toEqual(signals.map((x) => x.id));
  });
});

describe('sign-in spikes are evidence about Entra ID too', () => {
  test.each([
    ['mostly sign-in', 'exchange-online', { 'sign-in': 40, other: 10 }, 0.6, ['exchange-online', 'entra-id']],
    ['below the share', 'teams', { 'sign-in': 20, 'teams-calls-chat': 30 }, 0.6, ['teams']],
    ['no problem types', 'teams', {}, 0.6, ['teams']],
    ['switched off', 'exchange-online', { 'sign-in': 50 }, null, ['exchange-online']],
    ['Entra ID itself', 'entra-id', { 'sign-in': 50 }, 0.6, ['entra-id']],
    ['too few sign-in reports to mean anything', 'teams', { 'sign-in': 3, other: 1 }, 0.6, ['teams']],
  ] as const)('%s', (_name, service, types, share, expected) => {
    expect(spikeServices(service, types, share, 5)).toEqual(expected);
  });
});

describe('a spike longer than the judged window', () => {
  test('keeps the ids of its buckets when the window start moves into the spike', () => {
    const rhythm = generateTraffic({ seed: 5, days: WEEKS * 7, peakPerHour: 120, dispersion: 0.1 });
    const start = idx(30, 6, 0);
    // Three days of elevated reports: longer than any judged window that starts inside it.
    const counts = inject(rhythm, start, 3 * PER_DAY, () => 60);
    const s = series(counts);
    const idsFrom = (fromIndex: number) => {
      const { spikes, verdicts } = detectSpikes(s, OPTIONS, fromIndex);
      const byIndex = new Map(verdicts.map((v) => [v.index, v]));
      return spikes.flatMap((spike) => buildSpikeSignals({ spike, verdicts: byIndex, bucketMinutes: 5, now: new Date(MONDAY + counts.length * 300_000) }));
    };
    // Two cycles an hour apart whose windows both start inside the spike.
    const early = idsFrom(start + 24);
    const late = idsFrom(start + 36);
    expect(early.length).toBeGreaterThan(0);
    const earlyIds = new Map(early.map((x) => [x.observedAt, x.id]));
    const shared = late.filter((x) => earlyIds.has(x.observedAt));
    expect(shared.length).toBeGreaterThan(100);
    for (const x of shared) expect(x.id).toBe(earlyIds.get(x.observedAt));
  });
});

describe('a month of baseline-only traffic', () => {
  // Sensitivity follows the noise: the burstier the traffic, the bigger an outage must be to score.
  test.each([
    { peakPerHour: 60, dispersion: 0.1, factor: 3 },
    { peakPerHour: 600, dispersion: 0.1, factor: 4 },
    { peakPerHour: 3000, dispersion: 0.25, factor: 6 },
  ])('raises at most one false alarm in 30 days at $peakPerHour reports/h peak (dispersion $dispersion), and still finds a $factor× outage', ({ peakPerHour, dispersion, factor }) => {
    const counts = generateTraffic({ seed: 2026, days: 28 + 30, peakPerHour, dispersion });
    const { spikes } = detectSpikes(series(counts), OPTIONS, HISTORY);
    console.log(`[crowd detector] ${peakPerHour} reports/h peak, dispersion ${dispersion}: ${spikes.length} false alarm(s) in 30 days`);
    expect(spikes.length).toBeLessThanOrEqual(1);

    // Sensitivity on the same traffic: a Wednesday 11:00 outage at `factor`× the usual level for 40 minutes.
    const start = idx(28 + 16, 11, 0);
    const outage = inject(counts, start, 8, (k) => (factor - 1) * expectedCount(peakPerHour, start + k) + 8);
    const found = detectSpikes(series(outage), OPTIONS, start - PER_DAY).spikes;
    expect(found).toHaveLength(1);
    expect(found[0]!.startedAt.getTime() - (MONDAY + start * 300_000)).toBeLessThanOrEqual(2 * 300_000);
  });

  test('a cold start (installed on a Saturday, 30 days) raises at most one false alarm', () => {
    const counts = generateTraffic({ seed: 2027, days: 35, peakPerHour: 600, dispersion: 0.1 }).slice(idx(5, 0));
    const { spikes } = detectSpikes(series(counts, 5, MONDAY + 5 * 86_400_000), OPTIONS);
    console.log(`[crowd detector] cold start, 600 reports/h peak, dispersion 0.1: ${spikes.length} false alarm(s) in 30 days`);
    expect(spikes.length).toBeLessThanOrEqual(1);
  });
});
