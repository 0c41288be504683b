/**
 * History pages (site-wide and per service, paginated by `site.historyPageSize`), filled into the
 * history shell (see page-shells.ts) from the pure renderer in render/history.ts.
 */
import type { ServiceId } from '../domain/services.ts';
import type { Lang } from '../domain/vocabulary.ts';
import { useMessages } from '../i18n/index.ts';
import type { CompiledShell, PageJob, ShellValues } from './page-shells.ts';
import { paginateHistory, type HistoryPage, type SiteModel } from './queries.ts';
import { feedLinksHtml, type FeedLink } from './render/html.ts';
import { historyTitle, renderHistoryMain } from './render/history.ts';
import { paths } from './urls.ts';

/** Feeds a history page announces: the service's (if any), then the site's. */
export function historyFeeds(model: SiteModel, lang: Lang, serviceId: ServiceId | null): FeedLink[] {
  const t = useMessages(lang);
  const siteTitle = model.data.config.site.title;
  const site = { title: t.feeds.site(siteTitle), rss: paths.rss(lang), atom: paths.atom(lang) };
  if (!serviceId) return [site];
  const name = model.serviceById.get(serviceId)!.definition.name[lang];
  return [{ title: t.feeds.service(siteTitle, name), rss: paths.rss(lang, serviceId), atom: paths.atom(lang, serviceId) }, site];
}

/** The page's path after `/<lang>/`. */
export function historyPagePath(serviceId: ServiceId | null, page: number): string {
  const base = serviceId ? `services/${serviceId}/history/` : 'history/';
  return page > 1 ? `${base}${page}/` : base;
}

/** Shell values for one history page. */
export function historyShellValues(model: SiteModel, lang: Lang, serviceId: ServiceId | null, page: HistoryPage): ShellValues {
  return {
    title: historyTitle(lang, serviceId, page.page),
    description: useMessages(lang).history.description,
    path: historyPagePath(serviceId, page.page),
    head: feedLinksHtml(historyFeeds(model, lang, serviceId)),
    main: renderHistoryMain(page, lang, serviceId, model.now),
  };
}

/** Every history page of the site and of each service, in `lang`. */
export function historyPageJobs(model: SiteModel, lang: Lang, fill: CompiledShell): PageJob[] {
  const size = model.data.config.site.historyPageSize;
  const scopes: [ServiceId | null, HistoryPage[]][] = [
    [null, paginateHistory(model.incidents, size)],
    ...model.services.map((s): [ServiceId, HistoryPage[]] => [s.id, paginateHistory(s.incidents, size)]),
  ];
  return scopes.flatMap(([serviceId, pages]) =>
    pages.map((page) => ({ lang, path: historyPagePath(serviceId, page.page), html: () => fill(historyShellValues(model, lang, serviceId, page)) })),
  );
}
