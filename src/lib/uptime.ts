/**
 * Uptime and the per-day bars, by Statuspage's published formula: minutes in major outage count
 * 100 %, partial outage 30 %, degraded performance 0 %. Overlapping incidents count once, at the
 * worst weight. Days are UTC days. Pure; `now` is a parameter.
 *
 * What counts: an incident Microsoft confirmed (acknowledgedAt set) that is not an advisory, from
 * its first signal (startedAt) to resolvedAt, or to now while open. Its component status follows
 * from its impact (Statuspage convention). Unconfirmed incidents show on the bars as "suspected"
 * but never lower the percentage; days before our records begin are "no data" and are left out.
 */
import { componentStatusForImpact, worseComponentStatus, type ComponentStatus } from '../domain/vocabulary.ts';
import type { Incident } from '../domain/schemas.ts';

const DAY_MS = 86_400_000;
const WEIGHT: Record<ComponentStatus, number> = {
  major_outage: 1,
  partial_outage: 0.3,
  degraded_performance: 0,
  under_maintenance: 0,
  unknown: 0,
  operational: 0,
};

export type DayState = 'no-data' | 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'unknown';

export interface DayBar {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  state: DayState;
  /** An unconfirmed incident overlapped this day. */
  hasSuspected: boolean;
  /** Uptime of the day in percent, null when there is no data. */
  uptime: number | null;
  /** Incidents that overlapped the day (confirmed, suspected and advisories), newest first. */
  incidentIds: string[];
}

type UptimeIncident = Pick<Incident, 'id' | 'startedAt' | 'resolvedAt' | 'acknowledgedAt' | 'classification' | 'impact' | 'status'>;

/** True when the incident lowers uptime (confirmed by Microsoft and not an advisory). */
export function countsForUptime(incident: Pick<Incident, 'acknowledgedAt' | 'classification'>): boolean {
  return incident.acknowledgedAt !== null && incident.classification !== 'advisory';
}

interface Interval {
  start: number;
  end: number;
  weight: number;
}

function intervalOf(incident: UptimeIncident, nowMs: number): { start: number; end: number } {
  const start = Date.parse(incident.startedAt);
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : nowMs;
  return { start, end: Math.max(start, Math.min(end, nowMs)) };
}

/** Weighted downtime in ms within [from, to): the union of intervals, each instant at its worst weight. */
function weightedDowntime(intervals: Interval[], from: number, to: number): number {
  const clipped = intervals
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to), weight: i.weight }))
    .filter((i) => i.end > i.start && i.weight > 0);
  if (clipped.length === 0) return 0;
  const points = [...new Set(clipped.flatMap((i) => [i.start, i.end]))].sort((a, b) => a - b);
  let total = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    let w = 0;
    for (const i of clipped) if (i.start <= a && i.end >= b && i.weight > w) w = i.weight;
    total += w * (b - a);
  }
  return total;
}

export interface UptimeWindow {
  /** Window start (inclusive) and end (exclusive), epoch ms. */
  from: number;
  to: number;
  /** First instant we have data for; the window is cut to start there. Null: no data at all. */
  coverageStart: number | null;
  now: number;
}

/** The weighted downtime intervals of the incidents that count (see module doc). */
function countedIntervals(incidents: readonly UptimeIncident[], nowMs: number): Interval[] {
  return incidents
    .filter(countsForUptime)
    .map((i) => ({ ...intervalOf(i, nowMs), weight: WEIGHT[componentStatusForImpact(i.impact)] }))
    .filter((i) => i.weight > 0 && i.end > i.start);
}

function uptimeFromIntervals(intervals: Interval[], window: UptimeWindow): number | null {
  if (window.coverageStart === null) return null;
  const from = Math.max(window.from, window.coverageStart);
  const to = Math.min(window.to, window.now);
  if (to <= from) return null;
  return Math.max(0, 100 - (weightedDowntime(intervals, from, to) / (to - from)) * 100);
}

/**
 * Uptime percentage (0–100) of one service over a window, or null when the window holds no
 * covered time. `incidents` are the service's incidents (any; non-counting ones are skipped).
 */
export function computeUptime(incidents: readonly UptimeIncident[], window: UptimeWindow): number | null {
  return uptimeFromIntervals(countedIntervals(incidents, window.now), window);
}

export interface BarsOptions {
  /** Number of days, today included. */
  days: number;
  now: Date;
  /** `YYYY-MM-DD` of the first day with data, or null when there is none. */
  coverageStartDay: string | null;
  /** The service's effective status now: `unknown` marks today unknown when otherwise clear. */
  currentStatus: ComponentStatus;
}

/** The last `days` UTC days of one service, oldest first. */
export function computeDailyBars(incidents: readonly UptimeIncident[], options: BarsOptions): DayBar[] {
  const nowMs = options.now.getTime();
  const todayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const windowStart = todayStart - (options.days - 1) * DAY_MS;
  const coverageMs = options.coverageStartDay ? Date.parse(`${options.coverageStartDay}T00:00:00Z`) : null;
  // Only incidents that reach into the window matter; computed once, not per day.
  const spans = incidents
    .map((i) => ({ incident: i, ...intervalOf(i, nowMs) }))
    .filter((s) => s.end >= windowStart)
    .sort((a, b) => b.start - a.start);
  const intervals = countedIntervals(
    spans.map((s) => s.incident),
    nowMs,
  );
  const bars: DayBar[] = [];
  for (let k = options.days - 1; k >= 0; k--) {
    const from = todayStart - k * DAY_MS;
    const to = from + DAY_MS;
    const day = new Date(from).toISOString().slice(0, 10);
    const overlapping = spans.filter((s) => s.start < to && (s.end > from || (s.end === s.start && s.start >= from)));
    const incidentIds = overlapping.map((s) => s.incident.id);
    if (coverageMs === null || to <= coverageMs) {
      bars.push({ day, state: 'no-data', hasSuspected: false, uptime: null, incidentIds });
      continue;
    }
    let worst: ComponentStatus = 'operational';
    let hasSuspected = false;
    for (const s of overlapping) {
      if (s.incident.classification === 'advisory') continue;
      if (countsForUptime(s.incident)) {
        const status = componentStatusForImpact(s.incident.impact);
        if (status !== 'under_maintenance') worst = worseComponentStatus(worst, status);
      } else {
        hasSuspected = true;
      }
    }
    let state: DayState = worst === 'under_maintenance' ? 'operational' : worst;
    if (k === 0 && state === 'operational' && options.currentStatus === 'unknown') state = 'unknown';
    const uptime = uptimeFromIntervals(intervals, { from, to, coverageStart: coverageMs, now: nowMs });
    bars.push({ day, state, hasSuspected, uptime, incidentIds });
  }
  return bars;
}

/** Uptime over the last `days` days (today included) for one service. */
export function uptimeOverDays(
  incidents: readonly UptimeIncident[],
  days: number,
  now: Date,
  coverageStartDay: string | null,
): number | null {
  const nowMs = now.getTime();
  const todayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const coverageStart = coverageStartDay ? Date.parse(`${coverageStartDay}T00:00:00Z`) : null;
  return computeUptime(incidents, { from: todayStart - (days - 1) * DAY_MS, to: nowMs, coverageStart, now: nowMs });
}
