/**
 * A history page's main content as an HTML string: heading, service filter, incidents grouped by
 * month, pagination, archive link. Pure. With a large archive there are hundreds of history pages,
 * so they are filled into a shell by the build worker like incident pages (see history-pages.ts).
 */
import { SERVICES, getService, type ServiceId } from '../../domain/services.ts';
import type { Lang } from '../../domain/vocabulary.ts';
import { useMessages } from '../../i18n/index.ts';
import { escapeHtml, truncateText } from '../escape.ts';
import { formatDuration, formatMonth, minutesBetween } from '../format.ts';
import type { HistoryPage, MonthGroup } from '../queries.ts';
import { paths } from '../urls.ts';
import { timeTag } from './html.ts';

/** `<section>` per month with an `<h2>` and one list item per incident. */
export function renderHistoryGroups(groups: readonly MonthGroup[], lang: Lang, now: Date): string {
  const t = useMessages(lang);
  const nowIso = now.toISOString();
  return groups
    .map((group) => {
      const items = group.incidents
        .map((i) => {
          const duration = i.resolvedAt
            ? formatDuration(minutesBetween(i.startedAt, i.resolvedAt), lang)
            : t.incident.ongoing(formatDuration(minutesBetween(i.startedAt, nowIso), lang));
          const services = i.services.map((s) => getService(s).name[lang]).join(', ');
          return (
            `<li><a href="${paths.incident(lang, i.id)}">${escapeHtml(truncateText(i.title, 160))}</a>` +
            `<div class="meta"><span class="pill st-${i.status}">${escapeHtml(t.incidentStatus[i.status])}</span> · ` +
            `${escapeHtml(t.impact[i.impact])} · ${escapeHtml(services)} · ${timeTag(i.startedAt, lang)} · ${escapeHtml(duration)}</div></li>`
          );
        })
        .join('');
      return `<section aria-labelledby="m-${group.month}"><h2 id="m-${group.month}">${escapeHtml(formatMonth(group.month, lang))}</h2><ul class="history">${items}</ul></section>`;
    })
    .join('');
}

/** Title of a history page (without the site name). */
export function historyTitle(lang: Lang, serviceId: ServiceId | null, page: number): string {
  const t = useMessages(lang).history;
  const base = serviceId ? t.titleService(getService(serviceId).name[lang]) : t.title;
  return page > 1 ? `${base} (${page})` : base;
}

const current = (on: boolean) => (on ? ' aria-current="page"' : '');

/** The whole main content of one history page. */
export function renderHistoryMain(page: HistoryPage, lang: Lang, serviceId: ServiceId | null, now: Date): string {
  const t = useMessages(lang).history;
  const href = (n: number) => (serviceId ? paths.serviceHistory(lang, serviceId, n) : paths.history(lang, n));
  const filter =
    `<nav class="filter" aria-label="${escapeHtml(t.filter)}"><ul>` +
    `<li><a href="${paths.history(lang)}"${current(serviceId === null)}>${escapeHtml(t.allServices)}</a></li>` +
    SERVICES.map((s) => `<li><a href="${paths.serviceHistory(lang, s.id)}"${current(serviceId === s.id)}>${escapeHtml(s.name[lang])}</a></li>`).join('') +
    `</ul></nav>`;
  // Page links: first, last and two either side of the current page.
  const numbers = Array.from({ length: page.pages }, (_, k) => k + 1).filter((n) => n === 1 || n === page.pages || Math.abs(n - page.page) <= 2);
  const pager =
    page.pages > 1
      ? `<nav class="pager" aria-label="${escapeHtml(t.pagination)}"><ul>` +
        (page.page > 1 ? `<li><a href="${href(page.page - 1)}" rel="prev">← ${escapeHtml(t.previous)}</a></li>` : '') +
        numbers
          .map((n) => `<li><a href="${href(n)}"${current(n === page.page)} aria-label="${escapeHtml(t.pageOf(n, page.pages))}">${n}</a></li>`)
          .join('') +
        (page.page < page.pages ? `<li><a href="${href(page.page + 1)}" rel="next">${escapeHtml(t.next)} →</a></li>` : '') +
        `</ul></nav>`
      : '';
  const intro = `${t.description} ${t.count(page.total)}.${page.pages > 1 ? ` ${t.pageOf(page.page, page.pages)}` : ''}`;
  return (
    `<h1>${escapeHtml(historyTitle(lang, serviceId, 1))}</h1><p>${escapeHtml(intro)}</p>${filter}` +
    (page.total === 0 ? `<p>${escapeHtml(t.empty)}</p>` : '') +
    renderHistoryGroups(page.groups, lang, now) +
    pager +
    `<p><a href="${paths.api.archive}">${escapeHtml(t.archive)}</a></p>`
  );
}
