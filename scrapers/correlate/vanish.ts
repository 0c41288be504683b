/**
 * The vanish rule: an open official incident whose key has been missing from its source's list of
 * active incidents for `officialVanishGraceMinutes` is treated as resolved. The finding becomes a
 * signal of its own ("no longer listed since T"), stored with the other evidence, so a replay of
 * the stored signals reaches the same result without the source.
 */
import type { Incident, Signal } from '../../src/domain/schemas.ts';
import type { SourceObservation } from '../status/observations.ts';
import { addMinutes } from './derive.ts';
import { shortHash } from './ids.ts';
import type { CorrelationSettings } from './rules.ts';

export interface VanishInput {
  incidents: readonly Incident[];
  /** Loaded signals (stored within the horizon plus this cycle's). */
  signals: readonly Signal[];
  observations: ReadonlyMap<string, SourceObservation>;
  settings: CorrelationSettings;
  now: Date;
}

export function detectVanished(input: VanishInput): Signal[] {
  const { settings, now } = input;
  const nowIso = now.toISOString();
  const newestByKey = new Map<string, Signal>();
  for (const s of input.signals) {
    if (!s.official) continue;
    const k = `${s.source.id}\u0000${s.official.key}`;
    const prev = newestByKey.get(k);
    if (!prev || s.observedAt > prev.observedAt || (s.observedAt === prev.observedAt && s.id > prev.id)) newestByKey.set(k, s);
  }
  const signalById = new Map(input.signals.map((s) => [s.id, s]));
  const out = new Map<string, Signal>();
  for (const incident of input.incidents) {
    if (incident.status === 'resolved' || incident.acknowledgedAt === null) continue;
    const keys = new Set<string>();
    for (const e of incident.evidence) {
      const s = signalById.get(e.signalId);
      if (s?.official) keys.add(`${s.source.id}\u0000${s.official.key}`);
    }
    for (const k of [...keys].sort()) {
      const newest = newestByKey.get(k)!;
      const o = newest.official!;
      if (o.isResolved) continue;
      const observation = input.observations.get(newest.source.id);
      if (!observation || observation.activeKeys === null) continue;
      const since = observation.missingSince[o.key];
      if (!since || addMinutes(since, settings.officialVanishGraceMinutes) > nowIso) continue;
      if (newest.observedAt > since) continue;
      const id = `${newest.source.id}:vanished:${shortHash(o.key, 12)}:${since}`;
      out.set(id, {
        id,
        source: newest.source,
        observedAt: since,
        fetchedAt: nowIso,
        services: incident.services,
        title: newest.title,
        text: `No longer listed by ${newest.source.id} since ${since}; treated as resolved after ${settings.officialVanishGraceMinutes} minutes.`,
        url: newest.url,
        lang: 'en',
        official: {
          ref: o.ref,
          key: o.key,
          status: 'resolved',
          componentStatus: 'unknown',
          impact: 'none',
          classification: o.classification,
          rawStatus: 'no longer listed',
          isResolved: true,
          startedAt: null,
          endedAt: since,
        },
      });
    }
  }
  return [...out.values()].sort((a, b) => a.id.localeCompare(b.id));
}
