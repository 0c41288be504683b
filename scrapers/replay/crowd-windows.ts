/**
 * When can the crowd detector say anything? The replay skips cycles in which nothing can change,
 * so it runs the project's own spike detector (scrapers/crowd/detect.ts, the same pure function
 * the crowd provider uses) once over the tape's report counts and keeps every stretch of time in
 * which a bucket is not quiet. Outside those stretches no crowd signal can appear: the detector is
 * causal (each bucket is judged on data before it) and a spike needs elevated buckets.
 */
import { SERVICE_IDS, type ServiceId } from '../../src/domain/services.ts';
import type { TapeReport } from '../../src/tapes/crowd.ts';
import { detectSpikes, type DetectOptions } from '../crowd/detect.ts';

const MINUTE = 60_000;

export interface CrowdWindow {
  service: ServiceId;
  from: number;
  to: number;
}

/**
 * Stretches `[from, to]` around every spike the detector finds, padded by one bucket before and the
 * closing run after. Only spikes yield crowd signals, and the provider's spikes (judged over a
 * sliding window) always lie inside the spikes of one pass over the whole series: a run of
 * `minBuckets` elevated buckets either starts a spike there or falls inside one.
 */
export function findCrowdWindows(reports: readonly TapeReport[], seriesStart: number, end: number, options: DetectOptions): CrowdWindow[] {
  const size = options.bucketMinutes * MINUTE;
  const from = Math.floor(seriesStart / size) * size;
  const n = Math.ceil((end - from) / size) + 1;
  const counts = new Map<ServiceId, number[]>();
  for (const r of reports) {
    const i = Math.floor((r.at - from) / size);
    if (i < 0 || i >= n) continue;
    let c = counts.get(r.service);
    if (!c) {
      c = new Array<number>(n).fill(0);
      counts.set(r.service, c);
    }
    c[i]!++;
  }
  const tail = (options.quietBucketsToClose + 1) * size;
  const out: CrowdWindow[] = [];
  for (const service of SERVICE_IDS) {
    const c = counts.get(service);
    if (!c) continue;
    const { spikes } = detectSpikes({ service, from: new Date(from), bucketMinutes: options.bucketMinutes, counts: c }, options);
    for (const s of spikes) out.push({ service, from: s.startedAt.getTime() - size, to: (s.endedAt?.getTime() ?? end) + tail });
  }
  return mergeWindows(out);
}

function mergeWindows(list: CrowdWindow[]): CrowdWindow[] {
  const sorted = [...list].sort((a, b) => a.from - b.from);
  const out: CrowdWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.from <= last.to) last.to = Math.max(last.to, w.to);
    else out.push({ ...w });
  }
  return out;
}

/** True when `t` falls in one of the (sorted, merged) windows; `cursor` speeds up monotone queries. */
export function inWindows(windows: readonly CrowdWindow[], t: number, cursor: { i: number }): boolean {
  while (cursor.i < windows.length && windows[cursor.i]!.to < t) cursor.i++;
  const w = windows[cursor.i];
  return w !== undefined && w.from <= t && t <= w.to;
}
