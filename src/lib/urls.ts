/**
 * Every URL the site publishes, in one place, so pages, feeds, the API, badges and the widget
 * agree. The site is served from the root of its host. Incident and service ids are restricted
 * by their schemas to [a-z0-9-], so they need no encoding.
 */
import type { Lang } from '../domain/vocabulary.ts';
import type { ServiceId } from '../domain/services.ts';

/** `all` is the whole site in badge and widget URLs. */
export type BadgeTarget = ServiceId | 'all';

export const paths = {
  home: (lang: Lang) => `/${lang}/`,
  service: (lang: Lang, id: ServiceId) => `/${lang}/services/${id}/`,
  incident: (lang: Lang, id: string) => `/${lang}/incidents/${id}/`,
  history: (lang: Lang, page = 1) => (page <= 1 ? `/${lang}/history/` : `/${lang}/history/${page}/`),
  serviceHistory: (lang: Lang, id: ServiceId, page = 1) =>
    page <= 1 ? `/${lang}/services/${id}/history/` : `/${lang}/services/${id}/history/${page}/`,
  about: (lang: Lang) => `/${lang}/about/`,
  embed: (lang: Lang) => `/${lang}/embed/`,
  widget: (lang: Lang, target: BadgeTarget = 'all') => (target === 'all' ? `/${lang}/widget/` : `/${lang}/widget/${target}/`),
  rss: (lang: Lang, id?: ServiceId) => (id ? `/${lang}/services/${id}/history.rss` : `/${lang}/history.rss`),
  atom: (lang: Lang, id?: ServiceId) => (id ? `/${lang}/services/${id}/history.atom` : `/${lang}/history.atom`),
  badgeSvg: (lang: Lang, target: BadgeTarget = 'all') => `/badges/${lang}/${target}.svg`,
  badgeEndpoint: (lang: Lang, target: BadgeTarget = 'all') => `/badges/${lang}/${target}.json`,
  api: {
    summary: '/api/v2/summary.json',
    status: '/api/v2/status.json',
    components: '/api/v2/components.json',
    incidents: '/api/v2/incidents.json',
    unresolved: '/api/v2/incidents/unresolved.json',
    maintenances: '/api/v2/scheduled-maintenances.json',
    upcoming: '/api/v2/scheduled-maintenances/upcoming.json',
    activeMaintenances: '/api/v2/scheduled-maintenances/active.json',
    archive: '/api/archive.json',
    /** Our own snapshot (keeps `unknown`), read by the live island and widget.js. */
    siteStatus: '/api/status.json',
  },
  widgetScript: '/widget.js',
} as const;

/** The absolute URL of a site path (`site` is config.site.url, with or without a trailing slash). */
export function absoluteUrl(site: string, path: string): string {
  return new URL(path, site.endsWith('/') ? site : `${site}/`).href;
}

/** The same page in another language: swaps the leading `/<lang>/` segment. */
export function switchLanguage(path: string, to: Lang): string {
  return path.replace(/^\/(en|de)(\/|$)/, `/${to}$2`);
}
