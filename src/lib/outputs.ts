/**
 * Every machine-readable output, derived from the site model: feeds, the Statuspage v2 API, our own
 * status JSON (for the live island and the widget), the archive, and badges. The endpoint files in
 * src/pages/ are one-liners over these.
 */
import { getService, type ServiceId } from '../domain/services.ts';
import type { Incident } from '../domain/schemas.ts';
import { LANGUAGES, type ComponentStatus, type Lang } from '../domain/vocabulary.ts';
import { useMessages } from '../i18n/index.ts';
import type { BadgeContent } from './badges.ts';
import { buildFeed, renderAtom, renderRss } from './feeds.ts';
import type { SiteModel } from './queries.ts';
import { createSourceLabeler } from './sources.ts';
import { buildStatuspageApi, type StatuspageApi } from './statuspage.ts';
import { worstStatus } from './status.ts';
import { absoluteUrl, paths, type BadgeTarget } from './urls.ts';

/** The RSS or Atom document of the site (`serviceId` null) or one service. */
export function renderFeed(model: SiteModel, lang: Lang, serviceId: ServiceId | null, format: 'rss' | 'atom'): string {
  const { config } = model.data;
  const doc = buildFeed(model.incidents, {
    lang,
    siteUrl: config.site.url,
    siteTitle: config.site.title,
    serviceId,
    labelSource: createSourceLabeler(config),
    fallbackUpdated: model.data.status?.generatedAt ?? model.now.toISOString(),
  });
  return format === 'rss' ? renderRss(doc) : renderAtom(doc);
}

const API_CACHE = new WeakMap<SiteModel, StatuspageApi>();

/** All Statuspage v2 documents (computed once per build). */
export function getStatuspageApi(model: SiteModel): StatuspageApi {
  let api = API_CACHE.get(model);
  if (!api) {
    const { config } = model.data;
    const lang = config.site.defaultLang;
    api = buildStatuspageApi({
      siteUrl: config.site.url,
      siteTitle: config.site.title,
      updatedAt: model.data.status?.generatedAt ?? model.now.toISOString(),
      coverageStartDay: model.data.coverageStartDay,
      indicator: model.indicator,
      services: model.services.map((s) => ({
        id: s.id,
        name: s.definition.name.en,
        description: s.definition.description.en,
        position: s.position,
        status: s.effective.status,
        lastChangedAt: s.lastChangedAt,
      })),
      incidents: model.incidents,
      incidentUrl: (id) => absoluteUrl(config.site.url, paths.incident(lang, id)),
    });
    API_CACHE.set(model, api);
  }
  return api;
}

/** A JSON response body with a final newline. */
export function jsonBody(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

function urlsFor(model: SiteModel, make: (lang: Lang) => string): Record<Lang, string> {
  return Object.fromEntries(LANGUAGES.map((l) => [l, absoluteUrl(model.data.config.site.url, make(l))])) as Record<Lang, string>;
}

/** Our own status document, keeping `unknown` and `suspected` (read by the live island and widget.js). */
export function buildSiteStatus(model: SiteModel) {
  const summarize = (i: Incident) => ({
    id: i.id,
    title: i.title,
    status: i.status,
    impact: i.impact,
    confirmed: i.acknowledgedAt !== null,
    services: i.services,
    startedAt: i.startedAt,
    updatedAt: i.updatedAt,
    urls: urlsFor(model, (l) => paths.incident(l, i.id)),
  });
  return {
    schemaVersion: 1,
    generatedAt: model.data.status?.generatedAt ?? null,
    lastSuccessfulCycleAt: model.freshness.lastSuccessfulCycleAt,
    staleAfterMinutes: model.data.config.site.staleAfterMinutes,
    builtAt: model.now.toISOString(),
    isStale: model.freshness.isStale,
    indicator: model.indicator,
    services: model.services.map((s) => ({
      id: s.id,
      name: s.definition.name,
      status: s.effective.status,
      crowdElevated: s.effective.crowdElevated,
      activeIncidentIds: s.activeIncidents.map((i) => i.id),
      urls: urlsFor(model, (l) => paths.service(l, s.id)),
    })),
    activeIncidents: model.activeIncidents.map(summarize),
  };
}

/** The whole archive: every incident record ever, as stored. */
export function buildArchive(model: SiteModel) {
  return {
    schemaVersion: 1,
    site: model.data.config.site.url,
    builtAt: model.now.toISOString(),
    count: model.incidents.length,
    incidents: model.incidents,
  };
}

/** What a badge says for the site (`all`) or one service, in `lang`. */
export function badgeContentFor(model: SiteModel, lang: Lang, target: BadgeTarget): BadgeContent {
  const t = useMessages(lang);
  const views = target === 'all' ? model.services : [model.serviceById.get(target)!];
  const status: ComponentStatus = worstStatus(views.map((v) => v.effective.status));
  const label = target === 'all' ? t.badge.siteLabel : getService(target).name[lang];
  const suspected = views.some((v) => v.suspectedIncidents.length > 0);
  if (status === 'operational' && suspected) return { label, message: t.badge.suspected, state: 'suspected' };
  if (status === 'unknown' && model.freshness.isStale) return { label, message: t.badge.stale, state: 'unknown' };
  return { label, message: t.componentStatus[status], state: status };
}
