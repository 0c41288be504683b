/**
 * Small derived facts about one incident, shared by pages, feeds and renderers. Pure.
 */
import type { Incident, IncidentUpdate } from '../domain/schemas.ts';

export type EvidenceKind = 'official' | 'press' | 'crowd';

/** Kinds of evidence behind an incident, strongest first. */
export function evidenceKinds(incident: Incident): EvidenceKind[] {
  const kinds = new Set<string>(incident.evidence.map((e) => e.source.kind));
  for (const u of incident.updates) kinds.add(u.source.kind);
  if (incident.crowd) kinds.add('crowd');
  if (incident.acknowledgedAt) kinds.add('official');
  return (['official', 'press', 'crowd'] as const).filter((k) => kinds.has(k));
}

/** The newest timeline entry, or null. */
export function latestUpdate(incident: Incident): IncidentUpdate | null {
  let latest: IncidentUpdate | null = null;
  for (const u of incident.updates) if (latest === null || u.at > latest.at) latest = u;
  return latest;
}

/** Timeline entries newest first (the stored order is not trusted). */
export function updatesNewestFirst(incident: Incident): IncidentUpdate[] {
  return [...incident.updates].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1));
}
