/**
 * The status rollup: incidents + source health + official assertions → `data/status.json`. Pure.
 *
 * Per service, the worse of
 * - what Microsoft asserts right now (the worst assertion among covering official sources read
 *   within the blind limit; a covering source read successfully that lists nothing for the service
 *   implies operational), or `unknown` when every covering official source is failing, rate-limited
 *   or unread for longer than `site.blindAfterMinutes` (a service nobody has read is unknown, never
 *   operational);
 * - the impact of its active incidents (Statuspage mapping); advisories count for nothing, suspected
 *   incidents for `degraded_performance` at most.
 * The page indicator follows Statuspage: the worst service status mapped to none | minor | major | critical.
 */
import type { Config, SourceConfig } from '../../src/config/schema.ts';
import type { Incident, ServiceSnapshot, SourceHealth, StatusSnapshot } from '../../src/domain/schemas.ts';
import { SERVICES, type ServiceId } from '../../src/domain/services.ts';
import {
  componentStatusForImpact,
  indicatorFor,
  worseComponentStatus,
  type ComponentStatus,
  type Impact,
} from '../../src/domain/vocabulary.ts';
import { COMMUNITY_ADAPTERS } from '../correlate/rules.ts';
import type { SourceObservation } from './observations.ts';

export interface RollupOptions {
  lastCycleAt?: string | null;
  lastSuccessfulCycleAt?: string | null;
}

const MINUTE = 60_000;

/** A source counts as seeing when read within the blind limit (plus its interval while it is healthy). */
export function isSeeing(health: SourceHealth, source: SourceConfig | undefined, blindAfterMinutes: number, now: Date): boolean {
  if (health.state === 'disabled' || health.lastSuccessAt === null) return false;
  const healthy = health.state === 'ok' || health.state === 'not_modified';
  const slack = blindAfterMinutes + (healthy ? (source?.intervalMinutes ?? 0) : 0);
  return now.getTime() - Date.parse(health.lastSuccessAt) <= slack * MINUTE;
}

/** Component status an active incident stands for; null when it must not colour the service. */
export function incidentComponentStatus(incident: Incident): ComponentStatus | null {
  if (incident.status === 'resolved' || incident.classification === 'advisory') return null;
  const status = componentStatusForImpact(incident.impact);
  if (incident.status === 'suspected' && status !== 'operational') return 'degraded_performance';
  return status;
}

function toArray<T>(items: readonly T[] | ReadonlyMap<string, T>): T[] {
  return Array.isArray(items) ? [...items] : [...(items as ReadonlyMap<string, T>).values()];
}

function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}

function rollupService(
  service: ServiceId,
  incidents: readonly Incident[],
  health: readonly SourceHealth[],
  observations: ReadonlyMap<string, SourceObservation>,
  config: Pick<Config, 'site' | 'sources' | 'crowd'>,
  now: Date,
): ServiceSnapshot {
  const sourceById = new Map(config.sources.map((s) => [s.id, s]));
  const communityIds = new Set(config.sources.filter((s) => COMMUNITY_ADAPTERS.has(s.adapter)).map((s) => s.id));
  const covering = health.filter((h) => h.kind === 'official' && h.state !== 'disabled' && h.services.includes(service));
  const seeing = covering.filter((h) => isSeeing(h, sourceById.get(h.id), config.site.blindAfterMinutes, now));
  let lastOfficialSuccessAt: string | null = null;
  for (const h of covering) lastOfficialSuccessAt = latest(lastOfficialSuccessAt, h.lastSuccessAt);

  const reasons: string[] = [];
  let status: ComponentStatus;
  if (seeing.length === 0) {
    status = 'unknown';
    if (covering.length === 0) reasons.push('no official source covers it');
    else if (lastOfficialSuccessAt === null) reasons.push('official sources not read yet');
    else reasons.push(`official sources blind since ${lastOfficialSuccessAt}`);
  } else {
    status = 'operational';
    for (const h of seeing) {
      const asserted = observations.get(h.id)?.serviceStatus[service] ?? 'operational';
      if (asserted !== 'operational') reasons.push(`${h.id}: ${asserted}`);
      status = worseComponentStatus(status, asserted);
    }
    if (reasons.length === 0) reasons.push('official: operational');
  }

  const active = incidents.filter((i) => i.status !== 'resolved' && i.services.includes(service));
  const crowdWindowMs = config.crowd.bucketMinutes * config.crowd.quietBucketsToClose * MINUTE;
  let crowdElevated = false;
  for (const incident of active) {
    const implied = incidentComponentStatus(incident);
    if (incident.classification === 'advisory') reasons.push(`advisory ${incident.id}`);
    else if (implied !== null) {
      reasons.push(`${incident.status === 'suspected' ? 'suspected' : 'incident'} ${incident.id}: ${incident.impact}`);
      status = worseComponentStatus(status, implied);
    }
    // Report spikes only: community posts (Mastodon, Reddit) are crowd-kind too, but no count over a baseline.
    const lastCrowd = incident.evidence
      .filter((e) => e.source.kind === 'crowd' && !communityIds.has(e.source.id))
      .reduce<string | null>((acc, e) => latest(acc, e.observedAt), null);
    if (lastCrowd !== null && now.getTime() - Date.parse(lastCrowd) <= crowdWindowMs) crowdElevated = true;
  }

  let reason = reasons.join('; ');
  if (reason.length > 300) reason = `${reason.slice(0, 299)}…`;
  return {
    id: service,
    status,
    reason,
    activeIncidentIds: active.map((i) => i.id).sort(),
    lastOfficialSuccessAt,
    crowdElevated,
  };
}

export function rollupStatus(
  incidents: readonly Incident[],
  sourceHealth: readonly SourceHealth[] | ReadonlyMap<string, SourceHealth>,
  serviceStatusObservations: readonly SourceObservation[] | ReadonlyMap<string, SourceObservation>,
  config: Pick<Config, 'site' | 'sources' | 'crowd'>,
  now: Date,
  options: RollupOptions = {},
): StatusSnapshot {
  const health = toArray(sourceHealth).sort((a, b) => a.id.localeCompare(b.id));
  const observations = new Map(toArray(serviceStatusObservations).map((o) => [o.id, o] as const));
  const services = SERVICES.map((s) => rollupService(s.id, incidents, health, observations, config, now));
  let worst: ComponentStatus = 'operational';
  for (const s of services) worst = worseComponentStatus(worst, s.status);
  const indicator: Impact = indicatorFor(worst);
  return {
    generatedAt: now.toISOString(),
    lastCycleAt: options.lastCycleAt ?? null,
    lastSuccessfulCycleAt: options.lastSuccessfulCycleAt ?? null,
    indicator,
    services,
    activeIncidentIds: incidents
      .filter((i) => i.status !== 'resolved')
      .map((i) => i.id)
      .sort(),
    sources: health.map((h) => ({
      id: h.id,
      kind: h.kind,
      state: h.state,
      lastSuccessAt: h.lastSuccessAt,
      lastError: h.lastError ? `${h.lastError.code}: ${h.lastError.message}`.slice(0, 1000) : null,
    })),
  };
}
