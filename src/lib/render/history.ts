/**
 * The month groups of a history page as an HTML string. History pages list up to
 * `historyPageSize` incidents each and there are hundreds of them with a large archive, so the
 * list is rendered by this pure function instead of a component per row (several times faster).
 */
import { getService } from '../../domain/services.ts';
import type { Lang } from '../../domain/vocabulary.ts';
import { useMessages } from '../../i18n/index.ts';
import { escapeHtml, truncateText } from '../escape.ts';
import { formatDuration, formatMonth, minutesBetween } from '../format.ts';
import type { MonthGroup } from '../queries.ts';
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
