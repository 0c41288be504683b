/**
 * The query module pages ask for data. `getSiteModel()` derives, once per build, everything that
 * does not depend on language (effective statuses, bars, uptime, indexes); the small functions
 * below slice it for one page. Pages stay thin: they call these and pass plain props on.
 */
import { SERVICES, type ServiceDefinition, type ServiceId } from '../domain/services.ts';
import type { Impact } from '../domain/vocabulary.ts';
import type { Incident } from '../domain/schemas.ts';
import { getSiteData, type SiteData } from './site-data.ts';
import {
  assessFreshness,
  composeHeadline,
  effectiveServiceStatus,
  isActive,
  isSuspected,
  pageIndicator,
  type EffectiveStatus,
  type Freshness,
  type Headline,
} from './status.ts';
import { computeDailyBars, uptimeOverDays, type DayBar } from './uptime.ts';

export const BAR_DAYS = 90;
const INCIDENT_ID = /^[a-z0-9][a-z0-9-]{2,99}$/;

export interface ServiceView {
  id: ServiceId;
  definition: ServiceDefinition;
  /** 1-based position in the catalog (Statuspage `position`). */
  position: number;
  effective: EffectiveStatus;
  /** Open incidents touching this service, newest first (suspected included). */
  activeIncidents: Incident[];
  /** Open unconfirmed incidents touching this service. */
  suspectedIncidents: Incident[];
  /** Every incident of the service, newest first. */
  incidents: Incident[];
  bars: DayBar[];
  uptime30: number | null;
  uptime90: number | null;
  /** Latest change we know of for the service (incident update), else null. */
  lastChangedAt: string | null;
}

export interface SiteModel {
  data: SiteData;
  now: Date;
  freshness: Freshness;
  services: ServiceView[];
  serviceById: Map<ServiceId, ServiceView>;
  incidents: Incident[];
  incidentById: Map<string, Incident>;
  /** Merged-away id → surviving incident id. */
  aliases: Map<string, string>;
  activeIncidents: Incident[];
  /** Open incidents Microsoft confirmed (investigating, identified, monitoring). */
  confirmedActive: Incident[];
  suspectedActive: Incident[];
  headline: Headline;
  indicator: Impact;
}

/** Builds the language-neutral model of the site from loaded data. Pure. */
export function buildSiteModel(data: SiteData): SiteModel {
  const { now, config, status } = data;
  const freshness = assessFreshness(status, now, config.site.staleAfterMinutes);
  const byService = new Map<ServiceId, Incident[]>(SERVICES.map((s) => [s.id, []]));
  for (const incident of data.incidents) {
    for (const id of new Set(incident.services)) byService.get(id)?.push(incident);
  }
  const services: ServiceView[] = SERVICES.map((definition, index) => {
    const incidents = byService.get(definition.id) ?? [];
    const effective = effectiveServiceStatus(definition.id, status, freshness);
    const activeIncidents = incidents.filter(isActive);
    let lastChangedAt: string | null = null;
    for (const i of incidents) if (lastChangedAt === null || i.updatedAt > lastChangedAt) lastChangedAt = i.updatedAt;
    return {
      id: definition.id,
      definition,
      position: index + 1,
      effective,
      activeIncidents,
      suspectedIncidents: activeIncidents.filter(isSuspected),
      incidents,
      bars: computeDailyBars(incidents, {
        days: BAR_DAYS,
        now,
        coverageStartDay: data.coverageStartDay,
        currentStatus: effective.status,
      }),
      uptime30: uptimeOverDays(incidents, 30, now, data.coverageStartDay),
      uptime90: uptimeOverDays(incidents, 90, now, data.coverageStartDay),
      lastChangedAt,
    };
  });
  const incidentById = new Map(data.incidents.map((i) => [i.id, i]));
  const aliases = new Map<string, string>();
  for (const i of data.incidents) {
    // mergedIds are unchecked strings in the schema; only a well-formed id may become a path.
    for (const merged of i.mergedIds) if (INCIDENT_ID.test(merged) && !incidentById.has(merged)) aliases.set(merged, i.id);
  }
  const activeIncidents = data.incidents.filter(isActive);
  const suspectedActive = activeIncidents.filter(isSuspected);
  const suspectedServiceIds = new Set(suspectedActive.flatMap((i) => i.services));
  const statuses = services.map((s) => ({ id: s.id, status: s.effective.status }));
  return {
    data,
    now,
    freshness,
    services,
    serviceById: new Map(services.map((s) => [s.id, s])),
    incidents: data.incidents,
    incidentById,
    aliases,
    activeIncidents,
    confirmedActive: activeIncidents.filter((i) => !isSuspected(i)),
    suspectedActive,
    headline: composeHeadline(statuses, suspectedServiceIds, freshness, status !== null),
    indicator: pageIndicator(status, statuses.map((s) => s.status)),
  };
}

const MODEL_CACHE = new WeakMap<SiteData, SiteModel>();

/** The build's site model (loaded and derived once per process). */
export async function getSiteModel(): Promise<SiteModel> {
  const data = await getSiteData();
  let model = MODEL_CACHE.get(data);
  if (!model) {
    model = buildSiteModel(data);
    MODEL_CACHE.set(data, model);
  }
  return model;
}

/** The service view for `id`; throws for an id outside the catalog (a routing bug). */
export function getService(model: SiteModel, id: ServiceId): ServiceView {
  const view = model.serviceById.get(id);
  if (!view) throw new Error(`unknown service id: ${id}`);
  return view;
}

/** Incidents of a service that are resolved, newest first, at most `limit`. */
export function recentResolvedIncidents(view: ServiceView, limit: number): Incident[] {
  return view.incidents.filter((i) => !isActive(i)).slice(0, limit);
}

export interface MonthGroup {
  /** `YYYY-MM` of the incidents' start. */
  month: string;
  incidents: Incident[];
}

export interface HistoryPage {
  page: number;
  pages: number;
  total: number;
  groups: MonthGroup[];
}

/** Groups incidents (already newest first) by the UTC month of their start. */
export function groupByMonth(incidents: readonly Incident[]): MonthGroup[] {
  const groups: MonthGroup[] = [];
  for (const incident of incidents) {
    const month = incident.startedAt.slice(0, 7);
    const last = groups[groups.length - 1];
    if (last && last.month === month) last.incidents.push(incident);
    else groups.push({ month, incidents: [incident] });
  }
  return groups;
}

/** Splits incidents into history pages of `pageSize`; always at least one (possibly empty) page. */
export function paginateHistory(incidents: readonly Incident[], pageSize: number): HistoryPage[] {
  const pages = Math.max(1, Math.ceil(incidents.length / pageSize));
  return Array.from({ length: pages }, (_, k) => ({
    page: k + 1,
    pages,
    total: incidents.length,
    groups: groupByMonth(incidents.slice(k * pageSize, (k + 1) * pageSize)),
  }));
}

export { evidenceKinds, latestUpdate } from './incident-facts.ts';
