/**
 * Geometry and text of the crowd chart (reports over the last 24 h against the usual level),
 * computed from `crowd.json` data. Pure, so the SVG component stays a thin template and the maths
 * is tested on its own.
 */
import type { ProblemType } from '../domain/vocabulary.ts';
import type { CrowdService } from './crowd-data.ts';

export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 200;
const PAD = { left: 36, right: 8, top: 10, bottom: 24 };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface ChartBar {
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
  start: string;
}

export interface HourRow {
  /** Start of the hour (ISO). */
  start: string;
  /** Reports in the hour; null when the whole hour had no data. */
  reports: number | null;
  usual: number;
}

export interface ChartModel {
  bars: ChartBar[];
  /** SVG path of the baseline (moves over missing buckets). */
  baselinePath: string;
  /** Stretches with no data, to shade. */
  gaps: { x: number; width: number }[];
  /** Spike stretch within the window, to highlight. */
  spikeBand: { x: number; width: number } | null;
  yTicks: { y: number; value: number }[];
  xTicks: { x: number; label: string }[];
  plot: { left: number; right: number; top: number; bottom: number };
  max: number;
  total: number;
  usualTotal: number;
  peak: { count: number; start: string } | null;
  hours: HourRow[];
}

/** A "nice" upper bound for the y axis (1, 2, 5 × 10^n) not below `value`. */
export function niceCeiling(value: number): number {
  if (value <= 4) return 4;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= value) return m * exp;
  return 10 * exp;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function buildChartModel(service: CrowdService, bucketMinutes: number): ChartModel {
  const n = service.counts.length;
  const from = Date.parse(service.from);
  const size = bucketMinutes * MINUTE;
  const plot = { left: PAD.left, right: CHART_WIDTH - PAD.right, top: PAD.top, bottom: CHART_HEIGHT - PAD.bottom };
  const step = n > 0 ? (plot.right - plot.left) / n : 0;
  const peakValue = Math.max(0, ...service.counts.map((c) => c ?? 0), ...service.baselines);
  const max = niceCeiling(peakValue);
  const yOf = (v: number) => plot.bottom - (v / max) * (plot.bottom - plot.top);

  const bars: ChartBar[] = [];
  const gaps: ChartModel['gaps'] = [];
  let path = '';
  let penUp = true;
  let total = 0;
  let usualTotal = 0;
  let peak: ChartModel['peak'] = null;
  service.counts.forEach((count, i) => {
    const x = plot.left + i * step;
    const start = new Date(from + i * size).toISOString();
    const baseline = service.baselines[i] ?? 0;
    if (count === null) {
      const last = gaps.at(-1);
      if (last && Math.abs(last.x + last.width - x) < 1e-6) last.width += step;
      else gaps.push({ x, width: step });
      penUp = true;
      return;
    }
    total += count;
    usualTotal += baseline;
    if (!peak || count > peak.count) peak = { count, start };
    if (count > 0) {
      const y = yOf(count);
      bars.push({ x: round1(x + step * 0.1), y: round1(y), width: round1(step * 0.8), height: round1(plot.bottom - y), count, start });
    }
    const by = round1(yOf(baseline));
    path += `${penUp ? 'M' : 'L'}${round1(x)} ${by}H${round1(x + step)}`;
    penUp = false;
  });
  for (const g of gaps) {
    g.x = round1(g.x);
    g.width = round1(g.width);
  }

  let spikeBand: ChartModel['spikeBand'] = null;
  if (service.spike && n > 0) {
    const s = Math.max(from, Date.parse(service.spike.startedAt));
    const e = Math.min(from + n * size, service.spike.endedAt ? Date.parse(service.spike.endedAt) : from + n * size);
    if (e > s) spikeBand = { x: round1(plot.left + ((s - from) / size) * step), width: round1(((e - s) / size) * step) };
  }

  const yTicks = [0, max / 2, max].map((value) => ({ y: round1(yOf(value)), value }));
  const xTicks: ChartModel['xTicks'] = [];
  const firstHour = Math.ceil(from / HOUR) * HOUR;
  for (let t = firstHour; t < from + n * size; t += HOUR) {
    if (new Date(t).getUTCHours() % 6 !== 0) continue;
    xTicks.push({ x: round1(plot.left + ((t - from) / size) * step), label: `${String(new Date(t).getUTCHours()).padStart(2, '0')}:00` });
  }

  const hours: HourRow[] = [];
  const perHour = Math.round(60 / bucketMinutes);
  for (let i = 0; i < n; i += perHour) {
    const slice = service.counts.slice(i, i + perHour);
    const known = slice.filter((c): c is number => c !== null);
    hours.push({
      start: new Date(from + i * size).toISOString(),
      reports: known.length ? known.reduce((a, b) => a + b, 0) : null,
      usual: round1(service.baselines.slice(i, i + perHour).reduce((a, b) => a + b, 0)),
    });
  }
  return { bars, baselinePath: path, gaps, spikeBand, yTicks, xTicks, plot, max, total, usualTotal: Math.round(usualTotal), peak, hours };
}

/** Problem types by count, with their share of all reports (percent, rounded). */
export function topProblems(problemTypes: Partial<Record<ProblemType, number>>, limit = 3): { type: ProblemType; count: number; share: number }[] {
  const entries = Object.entries(problemTypes) as [ProblemType, number][];
  const sum = entries.reduce((a, [, c]) => a + c, 0);
  if (sum === 0) return [];
  return entries
    .filter(([, c]) => c > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([type, count]) => ({ type, count, share: Math.round((count / sum) * 100) }));
}

/** Bounce codes by count. */
export function topCodes(codes: Record<string, number>, limit = 5): { code: string; count: number }[] {
  return Object.entries(codes)
    .filter(([, c]) => c > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([code, count]) => ({ code, count }));
}

/** `HH:MM UTC` of an ISO time. */
export function formatUtcTime(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}
