/** Fills a report store with synthetic crowd traffic for provider and end-to-end tests. */
import type { ServiceId } from '../../src/domain/services.ts';
import type { ProblemType } from '../../src/domain/vocabulary.ts';
import type { ReportStore } from '../../src/reports/store.ts';
import { generateTraffic } from './synthetic.ts';

const DAY = 86_400_000;

/** `weeks` weeks of rhythmic traffic for `service` ending one hour before `now` (Monday-aligned generator). */
export async function seedHistory(store: ReportStore, service: ServiceId, peakPerHour: number, now: Date, weeks = 3): Promise<void> {
  // The generator starts on a Monday 00:00 UTC at least `weeks` weeks before `now`.
  const monday = Math.floor((now.getTime() - weeks * 7 * DAY) / (7 * DAY)) * 7 * DAY + 4 * DAY; // 1970-01-05 was a Monday
  const start = monday > now.getTime() - weeks * 7 * DAY ? monday - 7 * DAY : monday;
  const days = Math.ceil((now.getTime() - start) / DAY) + 1;
  const counts = generateTraffic({ seed: 5, days, peakPerHour, dispersion: 0.1 });
  const adds: Promise<unknown>[] = [];
  counts.forEach((n, i) => {
    const at = start + i * 300_000;
    if (at >= now.getTime() - 3_600_000 || at < now.getTime() - weeks * 7 * DAY) return;
    for (let k = 0; k < n; k++) {
      adds.push(store.add({ service, problemType: 'other', code: null, clientId: `h-${service}-${i}-${k}`, receivedAt: new Date(at + ((k * 7919) % 300_000)) }));
    }
  });
  await Promise.all(adds);
}

/** `perBucket` reports per 5 minutes for `service` from `from` until `until`. */
export async function seedSpike(
  store: ReportStore,
  service: ServiceId,
  from: Date,
  until: Date,
  perBucket: number,
  problemType: ProblemType,
  code: string | null,
): Promise<void> {
  const adds: Promise<unknown>[] = [];
  for (let t = from.getTime(), b = 0; t < until.getTime(); t += 300_000, b++) {
    for (let k = 0; k < perBucket; k++) {
      const at = t + ((k * 4099) % 300_000);
      if (at >= until.getTime()) continue;
      adds.push(store.add({ service, problemType: k % 4 === 0 ? 'other' : problemType, code, clientId: `s-${service}-${t}-${k}`, receivedAt: new Date(at) }));
    }
  }
  await Promise.all(adds);
}
