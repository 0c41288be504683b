/**
 * Seeded synthetic crowd traffic for detector tests: a daily and a weekly rhythm with
 * over-dispersed noise (gamma-Poisson), in 5-minute buckets, starting on a Monday 00:00 UTC.
 */
import { createRandom } from '../../src/tapes/random.ts';

/** Relative report rate per UTC hour: quiet nights, a morning peak, a calmer evening. */
export const DAILY = [
  0.12, 0.08, 0.06, 0.06, 0.08, 0.15, 0.35, 0.7, 0.95, 1, 0.95, 0.9, 0.85, 0.9, 0.9, 0.85, 0.75, 0.65, 0.55, 0.5, 0.45,
  0.38, 0.28, 0.18,
];
/** Monday … Sunday. */
export const WEEKLY = [1, 1, 0.97, 0.95, 0.9, 0.5, 0.45];
export const MONDAY = Date.parse('2026-10-05T00:00:00Z');
export const BUCKET_MINUTES = 5;
export const PER_DAY = (24 * 60) / BUCKET_MINUTES;

export function expectedCount(peakPerHour: number, index: number): number {
  const hour = Math.floor((index % PER_DAY) / (60 / BUCKET_MINUTES));
  const day = Math.floor(index / PER_DAY) % 7;
  return (peakPerHour / (60 / BUCKET_MINUTES)) * DAILY[hour]! * WEEKLY[day]!;
}

/** `days` of baseline-only traffic: counts per bucket. */
export function generateTraffic(options: { seed: number; days: number; peakPerHour: number; dispersion: number }): number[] {
  const rnd = createRandom(options.seed, 'crowd-detector-test');
  const out: number[] = [];
  for (let i = 0; i < options.days * PER_DAY; i++) {
    const mean = expectedCount(options.peakPerHour, i);
    const lambda = options.dispersion > 0 && mean > 0 ? rnd.gamma(1 / options.dispersion, mean * options.dispersion) : mean;
    out.push(rnd.poisson(lambda));
  }
  return out;
}
