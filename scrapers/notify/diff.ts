/**
 * What changed between two incident lists, as notification events. Pure: no clock, no I/O.
 *
 * Per incident at most one event per diff, the strongest that applies:
 *   resolved  — it was open (or new and seen open before a merge) and is resolved now;
 *   opened    — official word arrived: new and already confirmed, confirmed after being
 *               suspected, or reopened after a resolution;
 *   suspected — new, without official word;
 *   updated   — new timeline entries, or a status or impact change, on a known incident.
 * An incident that appears already resolved (history backfilled on a first run) raises nothing.
 * An incident merged into another raises nothing itself: the survivor is compared with it.
 */
import { createHash } from 'node:crypto';
import type { Incident } from '../../src/domain/schemas.ts';
import type { NotificationEventType } from '../../src/config/schema.ts';
import type { NotificationEvent } from './types.ts';

const TYPE_ORDER: Record<NotificationEventType, number> = { suspected: 0, opened: 1, updated: 2, resolved: 3 };

/** `evt_` + 24 hex digits of sha256 over the incident id, the type and what makes the change unique. */
export function eventIdFor(incidentId: string, type: NotificationEventType, discriminator: string): string {
  const hash = createHash('sha256').update(`${incidentId}\n${type}\n${discriminator}`).digest('hex');
  return `evt_${hash.slice(0, 24)}`;
}

function isOpen(incident: Pick<Incident, 'status'>): boolean {
  return incident.status !== 'resolved';
}

/** The record the incident was known as before: itself, or the most advanced incident merged into it. */
function findPrevious(after: Incident, byId: Map<string, Incident>): Incident | null {
  const same = byId.get(after.id);
  if (same) return same;
  const merged = after.mergedIds.map((id) => byId.get(id)).filter((i): i is Incident => i !== undefined);
  if (merged.length === 0) return null;
  // A confirmed predecessor wins over a suspected one, so confirmation is not announced twice.
  merged.sort((a, b) => Number(b.status !== 'suspected') - Number(a.status !== 'suspected') || a.createdAt.localeCompare(b.createdAt));
  return merged[0]!;
}

function makeEvent(
  type: NotificationEventType,
  incident: Incident,
  previous: Incident | null,
  discriminator: string,
): NotificationEvent {
  const known = new Set(previous?.updates.map((u) => u.id) ?? []);
  const statusChanged = previous !== null && previous.status !== incident.status;
  const impactChanged = previous !== null && previous.impact !== incident.impact;
  return {
    id: eventIdFor(incident.id, type, discriminator),
    type,
    incidentId: incident.id,
    at: incident.updatedAt,
    incident,
    changes: {
      status: statusChanged ? { from: previous.status, to: incident.status } : null,
      impact: impactChanged ? { from: previous.impact, to: incident.impact } : null,
      newUpdateIds: incident.updates.filter((u) => !known.has(u.id)).map((u) => u.id),
      previousId: previous !== null && previous.id !== incident.id ? previous.id : null,
    },
  };
}

/** Events for one incident given its previous record (null when new). */
function classify(incident: Incident, previous: Incident | null): NotificationEvent | null {
  if (previous === null) {
    if (!isOpen(incident)) return null;
    if (incident.status === 'suspected') return makeEvent('suspected', incident, null, `created:${incident.createdAt}`);
    return makeEvent('opened', incident, null, `ack:${incident.acknowledgedAt ?? incident.createdAt}|reopen:`);
  }
  if (isOpen(previous) && !isOpen(incident)) {
    return makeEvent('resolved', incident, previous, `resolved:${incident.resolvedAt ?? incident.updatedAt}`);
  }
  if (isOpen(incident)) {
    const confirmedNow = previous.status === 'suspected' && incident.status !== 'suspected';
    const reopened = !isOpen(previous);
    if (confirmedNow || reopened) {
      const reopen = reopened ? (previous.resolvedAt ?? previous.updatedAt) : '';
      return makeEvent('opened', incident, previous, `ack:${incident.acknowledgedAt ?? incident.updatedAt}|reopen:${reopen}`);
    }
  }
  const event = makeEvent('updated', incident, previous, '');
  const { status, impact, newUpdateIds } = event.changes;
  if (status === null && impact === null && newUpdateIds.length === 0) return null;
  const discriminator = `updates:${[...newUpdateIds].sort().join(',')}|status:${incident.status}|impact:${incident.impact}`;
  return { ...event, id: eventIdFor(incident.id, 'updated', discriminator) };
}

/**
 * Events for every incident in `after` that changed since `before`, ordered by time of change,
 * then incident id, then type (suspected → opened → updated → resolved).
 */
export function diffIncidents(before: readonly Incident[], after: readonly Incident[]): NotificationEvent[] {
  const byId = new Map(before.map((i) => [i.id, i]));
  const mergedAway = new Set(after.flatMap((i) => i.mergedIds));
  const events: NotificationEvent[] = [];
  for (const incident of after) {
    // A record that was merged into another but still lingers in `after` speaks through the survivor.
    if (mergedAway.has(incident.id)) continue;
    const event = classify(incident, findPrevious(incident, byId));
    if (event) events.push(event);
  }
  return events.sort(
    (a, b) => a.at.localeCompare(b.at) || a.incidentId.localeCompare(b.incidentId) || TYPE_ORDER[a.type] - TYPE_ORDER[b.type],
  );
}
