/**
 * The Statuspage v2 public API as static JSON, with Statuspage's field names, enums and key order
 * (checked against real githubstatus.com payloads in the tests), so existing clients read it
 * unchanged. Services are components; there are no component groups and no scheduled maintenance.
 *
 * Our words that Statuspage lacks are mapped honestly:
 * - component `unknown` (our sources are blind, or our data is stale) → `degraded_performance`, the
 *   mildest state that is not green, and the component's `description` starts with "Status
 *   unknown:"; the page indicator is at least `minor` then, with the description "Status Partially
 *   Unknown" when nothing else is wrong. Claiming `operational` would be a lie.
 * - incident `suspected` (press or users report it, Microsoft has not confirmed) → `investigating`,
 *   and the name starts with "Unconfirmed:" for every incident Microsoft never acknowledged.
 * - `body` of an incident update is HTML in Statuspage (it carries `<br />`), so our plain text is
 *   HTML-escaped there and newlines become `<br />`; names stay plain text.
 * Our own vocabulary, with `unknown` and `suspected`, is in /api/status.json and /api/archive.json.
 */
import { createHash } from 'node:crypto';
import type { ServiceId } from '../domain/services.ts';
import type { Incident, IncidentUpdate } from '../domain/schemas.ts';
import type { ComponentStatus, Impact, IncidentStatus } from '../domain/vocabulary.ts';
import { escapeHtml } from './escape.ts';
import { updatesNewestFirst } from './incident-facts.ts';

export type StatuspageComponentStatus = Exclude<ComponentStatus, 'unknown'>;
export type StatuspageIncidentStatus = Exclude<IncidentStatus, 'suspected'> | 'postmortem';
export type StatuspageIndicator = Impact | 'maintenance';

export interface StatuspagePage {
  id: string;
  name: string;
  url: string;
  time_zone: string;
  updated_at: string;
}

export interface StatuspageComponent {
  id: string;
  name: string;
  status: StatuspageComponentStatus;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
}

export interface StatuspageIncidentUpdate {
  id: string;
  status: StatuspageIncidentStatus;
  body: string;
  incident_id: string;
  created_at: string;
  updated_at: string;
  display_at: string;
  affected_components: null;
  deliver_notifications: boolean;
  custom_tweet: null;
  tweet_id: null;
}

export interface StatuspageIncident {
  id: string;
  name: string;
  status: StatuspageIncidentStatus;
  created_at: string;
  updated_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  impact: Impact;
  shortlink: string;
  started_at: string;
  page_id: string;
  incident_updates: StatuspageIncidentUpdate[];
  components: StatuspageComponent[];
  reminder_intervals: null;
}

export interface StatuspageStatus {
  indicator: StatuspageIndicator;
  description: string;
}

export interface StatuspageApi {
  summary: { page: StatuspagePage; components: StatuspageComponent[]; incidents: StatuspageIncident[]; scheduled_maintenances: []; status: StatuspageStatus };
  status: { page: StatuspagePage; status: StatuspageStatus };
  components: { page: StatuspagePage; components: StatuspageComponent[] };
  incidents: { page: StatuspagePage; incidents: StatuspageIncident[] };
  unresolved: { page: StatuspagePage; incidents: StatuspageIncident[] };
  scheduledMaintenances: { page: StatuspagePage; scheduled_maintenances: [] };
  upcoming: { page: StatuspagePage; scheduled_maintenances: [] };
  activeMaintenances: { page: StatuspagePage; scheduled_maintenances: [] };
}

export interface StatuspageServiceInput {
  id: ServiceId;
  name: string;
  description: string;
  position: number;
  status: ComponentStatus;
  lastChangedAt: string | null;
}

export interface StatuspageInput {
  siteUrl: string;
  siteTitle: string;
  /** When the snapshot was taken (page.updated_at). */
  updatedAt: string;
  /** First day we hold data for (components' start_date / created_at). */
  coverageStartDay: string | null;
  indicator: Impact;
  services: StatuspageServiceInput[];
  /** Every incident; newest first is not required. */
  incidents: readonly Incident[];
  /** Absolute URL of an incident's page (shortlink). */
  incidentUrl: (id: string) => string;
}

/** Statuspage timestamps carry milliseconds and a zone: `2020-04-02T20:26:36.354Z`. */
export function toStatuspageTime(iso: string): string {
  return new Date(iso).toISOString();
}

/** A stable 12-character base36 page id derived from the site URL (Statuspage ids look like this). */
export function pageIdFor(siteUrl: string): string {
  const digest = createHash('sha256').update(siteUrl).digest();
  let id = '';
  for (let k = 0; k < 12; k++) id += (digest[k]! % 36).toString(36);
  return id;
}

const INDICATOR_DESCRIPTION: Record<Impact, string> = {
  none: 'All Systems Operational',
  minor: 'Partially Degraded Service',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
};

/** Our component status in Statuspage's enum (see module doc for `unknown`). */
export function toStatuspageComponentStatus(status: ComponentStatus): StatuspageComponentStatus {
  return status === 'unknown' ? 'degraded_performance' : status;
}

/** Our incident status in Statuspage's enum (see module doc for `suspected`). */
export function toStatuspageIncidentStatus(status: IncidentStatus): StatuspageIncidentStatus {
  return status === 'suspected' ? 'investigating' : status;
}

function bodyOf(update: IncidentUpdate): string {
  return escapeHtml(update.text.replace(/\r\n?/g, '\n')).replace(/\n/g, '<br />');
}

/** Builds all eight Statuspage v2 documents. Pure. */
export function buildStatuspageApi(input: StatuspageInput): StatuspageApi {
  const pageId = pageIdFor(input.siteUrl);
  const page: StatuspagePage = {
    id: pageId,
    name: input.siteTitle,
    url: input.siteUrl.replace(/\/$/, ''),
    time_zone: 'Etc/UTC',
    updated_at: toStatuspageTime(input.updatedAt),
  };
  const since = input.coverageStartDay ? `${input.coverageStartDay}T00:00:00.000Z` : page.updated_at;
  const components: StatuspageComponent[] = [...input.services]
    .sort((a, b) => a.position - b.position)
    .map((s) => ({
      id: s.id,
      name: s.name,
      status: toStatuspageComponentStatus(s.status),
      created_at: since,
      updated_at: toStatuspageTime(s.lastChangedAt ?? since),
      position: s.position,
      description:
        s.status === 'unknown'
          ? `Status unknown: our sources cannot see this service right now. ${s.description}`
          : s.description,
      showcase: true,
      start_date: input.coverageStartDay,
      group_id: null,
      page_id: pageId,
      group: false,
      only_show_if_degraded: false,
    }));
  const componentById = new Map(components.map((c) => [c.id, c]));

  const toIncident = (incident: Incident): StatuspageIncident => {
    const updates = updatesNewestFirst(incident);
    const monitoring = [...updates].reverse().find((u) => u.status === 'monitoring' && u.source.kind === 'official');
    return {
      id: incident.id,
      name: incident.acknowledgedAt === null ? `Unconfirmed: ${incident.title}` : incident.title,
      status: toStatuspageIncidentStatus(incident.status),
      created_at: toStatuspageTime(incident.createdAt),
      updated_at: toStatuspageTime(incident.updatedAt),
      monitoring_at: monitoring ? toStatuspageTime(monitoring.at) : null,
      resolved_at: incident.resolvedAt ? toStatuspageTime(incident.resolvedAt) : null,
      impact: incident.impact,
      shortlink: input.incidentUrl(incident.id),
      started_at: toStatuspageTime(incident.startedAt),
      page_id: pageId,
      incident_updates: updates.map((u) => ({
        id: u.id,
        status: toStatuspageIncidentStatus(u.status),
        body: bodyOf(u),
        incident_id: incident.id,
        created_at: toStatuspageTime(u.at),
        updated_at: toStatuspageTime(u.at),
        display_at: toStatuspageTime(u.at),
        affected_components: null,
        deliver_notifications: true,
        custom_tweet: null,
        tweet_id: null,
      })),
      components: incident.services.map((id) => componentById.get(id)).filter((c): c is StatuspageComponent => c !== undefined),
      reminder_intervals: null,
    };
  };

  const newestFirst = [...input.incidents].sort((a, b) =>
    a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? -1 : 1,
  );
  const unresolved = newestFirst.filter((i) => i.status !== 'resolved').map(toIncident);
  const recent = newestFirst.slice(0, 50).map(toIncident);
  const onlyUnknown =
    input.indicator === 'minor' &&
    input.services.some((s) => s.status === 'unknown') &&
    input.services.every((s) => s.status === 'unknown' || s.status === 'operational');
  const status: StatuspageStatus = {
    indicator: input.indicator,
    description: onlyUnknown ? 'Status Partially Unknown' : INDICATOR_DESCRIPTION[input.indicator],
  };
  return {
    summary: { page, components, incidents: unresolved, scheduled_maintenances: [], status },
    status: { page, status },
    components: { page, components },
    incidents: { page, incidents: recent },
    unresolved: { page, incidents: unresolved },
    scheduledMaintenances: { page, scheduled_maintenances: [] },
    upcoming: { page, scheduled_maintenances: [] },
    activeMaintenances: { page, scheduled_maintenances: [] },
  };
}
