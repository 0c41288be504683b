/**
 * Expands a tape's crowd description (baseline generator, history blocks, crowd events, counts and
 * curves) into individual reports, sorted by time. Pure and deterministic: same tape, same reports.
 */
import type { ServiceId } from '../domain/services.ts';
import type { ProblemType } from '../domain/vocabulary.ts';
import { createRandom, type Random } from './random.ts';
import type { BaselineGenerator, Tape } from './schema.ts';

export interface TapeReport {
  /** Epoch milliseconds. */
  at: number;
  service: ServiceId;
  problemType: ProblemType | null;
  code: string | null;
  /** Distinct per simulated person, so per-client dedup never merges two people. */
  client: string;
}

const MINUTE = 60_000;
const STEP_MINUTES = 5;
const DAY = 24 * 60 * MINUTE;

/** Monday = 0 … Sunday = 6 (UTC). */
function weekdayIndex(ms: number): number {
  return (new Date(ms).getUTCDay() + 6) % 7;
}

/** Mean reports per minute for `service` at `ms` under the generator's rhythm. */
export function baselineRatePerMinute(gen: BaselineGenerator, service: ServiceId, ms: number): number {
  const perHour = gen.perHour[service] ?? 0;
  const hour = new Date(ms).getUTCHours();
  return (perHour / 60) * gen.weekly[weekdayIndex(ms)]! * gen.daily[hour]!;
}

function place(
  out: TapeReport[],
  rnd: Random,
  n: number,
  from: number,
  spanMs: number,
  base: Omit<TapeReport, 'at' | 'client'>,
  clientPrefix: string,
  counter: { n: number },
): void {
  for (let j = 0; j < n; j++) {
    out.push({ ...base, at: Math.floor(from + rnd.next() * spanMs), client: `${clientPrefix}-${counter.n++}` });
  }
}

/**
 * Background traffic between `fromMs` and `toMs` (inclusive start, exclusive end), in 5-minute
 * steps, with Poisson or over-dispersed noise and optional local bursts.
 */
export function generateBaseline(gen: BaselineGenerator, fromMs: number, toMs: number, tapeId: string): TapeReport[] {
  const out: TapeReport[] = [];
  const services = (Object.keys(gen.perHour) as ServiceId[]).sort();
  const counter = { n: 0 };
  const step = STEP_MINUTES * MINUTE;
  // One generator per service and UTC day, so a day's traffic does not depend on how much
  // history precedes it.
  const firstDay = Math.floor(fromMs / DAY);
  for (const service of services) {
    for (let day = firstDay; day * DAY < toMs; day++) {
      const rnd = createRandom(gen.seed, `baseline:${tapeId}:${service}:${day}`);
      for (let t = day * DAY; t < (day + 1) * DAY; t += step) {
        const mean = baselineRatePerMinute(gen, service, t) * STEP_MINUTES;
        const lambda = gen.dispersion > 0 && mean > 0 ? rnd.gamma(1 / gen.dispersion, mean * gen.dispersion) : mean;
        const n = rnd.poisson(lambda);
        for (let j = 0; j < n; j++) {
          out.push({
            at: Math.floor(t + rnd.next() * step),
            service,
            problemType: rnd.pickShare(gen.problemTypes),
            code: null,
            client: `b-${service}-${day}-${j}-${t}`,
          });
        }
      }
    }
  }
  if (gen.bursts && gen.bursts.perWeek > 0) {
    const total = services.reduce((a, s) => a + (gen.perHour[s] ?? 0), 0);
    for (let day = firstDay; day * DAY < toMs && total > 0; day++) {
      const rnd = createRandom(gen.seed, `bursts:${tapeId}:${day}`);
      const count = rnd.poisson(gen.bursts.perWeek / 7);
      for (let i = 0; i < count; i++) {
        const at = day * DAY + rnd.next() * DAY;
        let u = rnd.next() * total;
        const service = services.find((s) => (u -= gen.perHour[s] ?? 0) < 0) ?? services[0]!;
        const size = rnd.int(gen.bursts.minSize, gen.bursts.maxSize);
        const problemType = rnd.pickShare(gen.problemTypes);
        place(
          out,
          rnd,
          size,
          at,
          gen.bursts.spreadMinutes * MINUTE,
          { service, problemType, code: null },
          `burst-${day}-${i}`,
          counter,
        );
      }
    }
  }
  return out.filter((r) => r.at >= fromMs && r.at < toMs);
}

/** Linear interpolation of a curve's rate at `minute` after its start. */
export function curveRate(points: readonly (readonly [number, number])[], minute: number): number {
  if (minute < points[0]![0] || minute > points[points.length - 1]![0]) return 0;
  for (let i = 1; i < points.length; i++) {
    const [m1, r1] = points[i]!;
    const [m0, r0] = points[i - 1]!;
    if (minute <= m1) return r0 + ((r1 - r0) * (minute - m0)) / (m1 - m0);
  }
  return 0;
}

/** Reports from the tape's crowd events, counts, curves and history blocks (not the baseline). */
export function expandCrowdEvents(tape: Tape): TapeReport[] {
  const out: TapeReport[] = [];
  const counter = { n: 0 };
  const seed = tape.header.seed;
  tape.header.crowd.history.forEach((h, hi) => {
    const rnd = createRandom(seed, `history:${hi}`);
    const start = Date.parse(h.start);
    h.counts.forEach((n, i) => {
      const from = start + i * h.bucketMinutes * MINUTE;
      for (let j = 0; j < n; j++) {
        out.push({
          at: Math.floor(from + rnd.next() * h.bucketMinutes * MINUTE),
          service: h.service,
          problemType: rnd.pickShare(h.problemTypes),
          code: null,
          client: `h${hi}-${counter.n++}`,
        });
      }
    });
  });
  tape.events.forEach((e, ei) => {
    const rnd = createRandom(seed, `event:${ei}:${e.at}`);
    const start = Date.parse(e.at);
    if (e.type === 'crowd') {
      for (let j = 0; j < e.reports; j++) {
        out.push({
          at: start,
          service: e.service,
          problemType: e.problemType ?? null,
          code: e.code ?? null,
          client: `e${ei}-${counter.n++}`,
        });
      }
    } else if (e.type === 'crowd-counts') {
      e.counts.forEach((n, i) => {
        const from = start + i * e.bucketMinutes * MINUTE;
        for (let j = 0; j < n; j++) {
          out.push({
            at: Math.floor(from + rnd.next() * e.bucketMinutes * MINUTE),
            service: e.service,
            problemType: rnd.pickShare(e.problemTypes),
            code: rnd.pickShare(e.codes),
            client: `e${ei}-${counter.n++}`,
          });
        }
      });
    } else if (e.type === 'crowd-curve') {
      const last = e.points[e.points.length - 1]![0];
      for (let m = 0; m < last; m++) {
        const n = rnd.poisson(curveRate(e.points, m + 0.5));
        for (let j = 0; j < n; j++) {
          out.push({
            at: Math.floor(start + (m + rnd.next()) * MINUTE),
            service: e.service,
            problemType: rnd.pickShare(e.problemTypes),
            code: rnd.pickShare(e.codes),
            client: `e${ei}-${counter.n++}`,
          });
        }
      }
    }
  });
  return out;
}

/**
 * Every report the tape implies: baseline from `historyWeeks` before the start to the end, plus the
 * tape's own crowd evidence, sorted by time.
 */
export function expandTapeReports(tape: Tape, defaultHistoryWeeks: number): TapeReport[] {
  const { header } = tape;
  const start = Date.parse(header.start);
  const end = Date.parse(header.end);
  const reports = expandCrowdEvents(tape);
  const gen = header.crowd.baseline;
  if (gen) {
    const weeks = gen.historyWeeks ?? defaultHistoryWeeks;
    reports.push(...generateBaseline(gen, start - weeks * 7 * 24 * 60 * MINUTE, end, header.id));
  }
  return reports.sort((a, b) => a.at - b.at || (a.client < b.client ? -1 : 1));
}
