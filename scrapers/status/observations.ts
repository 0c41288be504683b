/**
 * What each official source asserted at its last successful read: per-service status and, for
 * sources that list only current incidents, the keys active then and since when each known key has
 * been missing. Stored as `data/observations/<source id>.json`; read by the rollup (official
 * assertion) and by the vanish rule (an incident that drops off its source resolves).
 */
import { z } from 'zod';
import { IsoDateSchema, ServiceIdSchema } from '../../src/domain/schemas.ts';
import { COMPONENT_STATUSES, type ComponentStatus } from '../../src/domain/vocabulary.ts';
import type { ServiceId } from '../../src/domain/services.ts';

export const SourceObservationSchema = z.object({
  id: z.string().min(1).max(80),
  /** Last successful read (200 or 304). */
  at: IsoDateSchema,
  serviceStatus: z.partialRecord(ServiceIdSchema, z.enum(COMPONENT_STATUSES)),
  /** Keys active at the last listing; null for sources that keep history. */
  activeKeys: z.array(z.string().max(200)).nullable(),
  /** Key → first read at which a known key was no longer listed. */
  missingSince: z.record(z.string().max(200), IsoDateSchema),
});
export type SourceObservation = z.output<typeof SourceObservationSchema>;

export interface ReadOutcome {
  outcome: 'ok' | 'not_modified';
  serviceStatus: Partial<Record<ServiceId, ComponentStatus>>;
  activeKeys: string[] | null;
}

/**
 * The observation after a successful read. `knownKeys` are this source's official keys among the
 * loaded signals: only they are tracked, so the record stays small. A 304 re-asserts the last
 * picture as of `now`.
 */
export function updateObservation(
  prev: SourceObservation | null,
  sourceId: string,
  read: ReadOutcome,
  knownKeys: ReadonlySet<string>,
  now: Date,
): SourceObservation {
  const at = now.toISOString();
  if (read.outcome === 'not_modified' && prev) return { ...prev, at };
  if (read.outcome === 'not_modified') return { id: sourceId, at, serviceStatus: {}, activeKeys: null, missingSince: {} };
  const missingSince: Record<string, string> = {};
  if (read.activeKeys !== null) {
    const active = new Set(read.activeKeys);
    const tracked = [...new Set([...knownKeys, ...Object.keys(prev?.missingSince ?? {})])].filter((k) => knownKeys.has(k)).sort();
    for (const key of tracked) {
      if (active.has(key)) continue;
      missingSince[key] = prev?.missingSince[key] ?? at;
    }
  }
  return {
    id: sourceId,
    at,
    serviceStatus: Object.fromEntries(Object.entries(read.serviceStatus).sort(([a], [b]) => a.localeCompare(b))),
    activeKeys: read.activeKeys === null ? null : [...new Set(read.activeKeys)].sort(),
    missingSince,
  };
}
