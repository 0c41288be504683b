/**
 * The generic JSON payload, shaped like Statuspage's incident webhook so existing receivers
 * (Zulip's Statuspage integration, home-grown Statuspage consumers) read it unchanged:
 * `{ meta: {unsubscribe, documentation}, page: {id, status_indicator, status_description},
 * incident: {…Statuspage v2 incident with incident_updates, newest first…} }`.
 * Our own facts Statuspage has no word for travel in `outage_radar` beside them.
 */
import { createHash } from 'node:crypto';
import type { Impact, IncidentStatus } from '../../src/domain/vocabulary.ts';
import { componentStatusForImpact } from '../../src/domain/vocabulary.ts';
import type { Incident } from '../../src/domain/schemas.ts';
import { incidentPageUrl, serviceNames } from './labels.ts';
import type { RenderContext } from './render-context.ts';
import type { NotificationEvent } from './types.ts';

export const DOCUMENTATION_URL = 'https://github.com/outage-radar/outage-radar#notifications';

/** Statuspage's wording for each page indicator. */
export const STATUS_DESCRIPTIONS: Record<Impact, string> = {
  none: 'All Systems Operational',
  minor: 'Partially Degraded Service',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
};

/** A Statuspage-style 12-character base-36 page id, derived from the site URL so it never changes by itself. */
export function pageIdFor(siteUrl: string): string {
  const digest = createHash('sha256').update(siteUrl.replace(/\/+$/, '')).digest();
  return BigInt(`0x${digest.subarray(0, 8).toString('hex')}`).toString(36).padStart(12, '0').slice(-12);
}

/** Statuspage has no `suspected`: an unconfirmed incident is one being investigated. */
export function statuspageStatus(status: IncidentStatus): Exclude<IncidentStatus, 'suspected'> {
  return status === 'suspected' ? 'investigating' : status;
}

function toIncidentUpdate(incident: Incident, update: Incident['updates'][number]) {
  return {
    id: update.id,
    status: statuspageStatus(update.status),
    body: update.text,
    incident_id: incident.id,
    created_at: update.at,
    updated_at: update.at,
    display_at: update.at,
    affected_components: null,
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  };
}

export function renderJson(event: NotificationEvent, ctx: RenderContext) {
  const incident = event.incident;
  const url = incidentPageUrl(ctx.siteUrl, ctx.lang, incident.id);
  const monitoring = [...incident.updates].reverse().find((u) => u.status === 'monitoring');
  const names = serviceNames(incident.services, 'en');
  const componentStatus = incident.status === 'resolved' ? 'operational' : componentStatusForImpact(incident.impact);
  return {
    meta: {
      unsubscribe: ctx.siteUrl,
      documentation: DOCUMENTATION_URL,
      generated_at: event.at,
    },
    page: {
      id: ctx.pageId,
      status_indicator: ctx.indicator,
      status_description: STATUS_DESCRIPTIONS[ctx.indicator],
    },
    incident: {
      id: incident.id,
      name: incident.title,
      status: statuspageStatus(incident.status),
      created_at: incident.createdAt,
      updated_at: incident.updatedAt,
      monitoring_at: monitoring?.at ?? null,
      resolved_at: incident.resolvedAt,
      impact: incident.impact,
      shortlink: url,
      started_at: incident.startedAt,
      page_id: ctx.pageId,
      incident_updates: incident.updates.map((u) => toIncidentUpdate(incident, u)),
      components: incident.services.map((id, i) => ({
        id,
        name: names[i],
        status: componentStatus,
        created_at: incident.createdAt,
        updated_at: incident.updatedAt,
        position: i + 1,
        description: null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: ctx.pageId,
        group: false,
        only_show_if_degraded: false,
      })),
    },
    outage_radar: {
      event_id: event.id,
      event_type: event.type,
      status: incident.status,
      confidence: incident.confidence,
      classification: incident.classification,
      services: incident.services,
      official_refs: incident.officialRefs,
      acknowledged_at: incident.acknowledgedAt,
      url,
      changes: {
        status: event.changes.status,
        impact: event.changes.impact,
        new_update_ids: event.changes.newUpdateIds,
        previous_id: event.changes.previousId,
      },
    },
  };
}
