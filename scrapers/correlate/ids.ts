/**
 * Incident ids: `YYYY-MM-DD-<service>-<hash>`, e.g. `2026-11-25-exchange-online-3fa91c0d`. The
 * date is the incident's start day (UTC), the service its first service in catalog order, the hash
 * a digest of the signal that opened it, so the same evidence always yields the same id.
 */
import { createHash } from 'node:crypto';
import type { ServiceId } from '../../src/domain/services.ts';

/** First `length` hex digits of sha256(`text`). */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * Stable, URL-safe id. `taken` holds ids already in use: on the (unlikely) clash of two seeds the
 * hash grows until the id is free, so an existing incident never gets overwritten by another.
 */
export function makeIncidentId(startedAt: string, service: ServiceId, seed: string, taken: ReadonlySet<string> = new Set()): string {
  const day = startedAt.slice(0, 10);
  for (let length = 8; length <= 64; length += 4) {
    const id = `${day}-${service}-${shortHash(seed, length)}`;
    if (!taken.has(id)) return id;
  }
  throw new Error(`cannot derive a free incident id for seed ${seed}`);
}
