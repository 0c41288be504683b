/**
 * The 90-day bars and their day-by-day table as HTML strings (pure). The bars are one small SVG:
 * a run of days with the same state is one box filled with a 5-unit pattern (see BarDefs.astro),
 * decorative for assistive technology; the table says the same in words.
 */
import type { Incident } from '../../domain/schemas.ts';
import type { Lang } from '../../domain/vocabulary.ts';
import { useMessages } from '../../i18n/index.ts';
import { escapeHtml, truncateText } from '../escape.ts';
import { formatDate, formatPercent } from '../format.ts';
import type { DayBar } from '../uptime.ts';
import { paths } from '../urls.ts';

const STEP = 5;
const HEIGHT = 30;

interface Run {
  start: number;
  length: number;
  state: DayBar['state'];
  title: string;
}

const hasDetail = (bar: DayBar | undefined) => bar !== undefined && (bar.incidentIds.length > 0 || bar.hasSuspected);

/**
 * The bars SVG. With `detail`, each day with incidents is its own rect with a hover `<title>`
 * (service page); without, equal neighbours merge, no titles are written and each state is one
 * path (home page).
 */
export function renderBars(bars: readonly DayBar[], lang: Lang, detail: boolean): string {
  const t = useMessages(lang);
  const runs: Run[] = [];
  bars.forEach((bar, i) => {
    const prev = runs[runs.length - 1];
    const alone = detail && hasDetail(bar);
    const prevAlone = detail && (i === 0 || hasDetail(bars[i - 1]));
    if (prev && !alone && !prevAlone && prev.state === bar.state) {
      prev.length += 1;
      prev.title = `${formatDate(bars[prev.start]!.day, lang)} – ${formatDate(bar.day, lang)}: ${t.dayState[bar.state]}`;
      return;
    }
    const uptime = bar.uptime === null ? '' : ` · ${formatPercent(bar.uptime, lang)}`;
    const count = bar.incidentIds.length > 0 ? ` · ${bar.incidentIds.length} ×` : '';
    runs.push({ start: i, length: 1, state: bar.state, title: `${formatDate(bar.day, lang)}: ${t.dayState[bar.state]}${uptime}${count}` });
  });
  const open = `<svg class="bars" viewBox="0 0 ${bars.length * STEP} ${HEIGHT}" preserveAspectRatio="none" aria-hidden="true" focusable="false">`;
  const box = (x: number, w: number, h: number) => `M${x} 0h${w}v${h}H${x}z`;
  if (!detail) {
    // Home page: one path per state (the pattern fill is in user space, so it draws exactly as
    // one rect per run would) — ten services × up to 90 runs is most of the page's bytes otherwise.
    const byState = new Map<DayBar['state'], string>();
    for (const r of runs) byState.set(r.state, (byState.get(r.state) ?? '') + box(r.start * STEP, r.length * STEP, HEIGHT));
    const shapes = [...byState].map(([state, d]) => `<path fill="url(#bar-${state})" d="${d}"></path>`).join('');
    const marks = bars.map((b, i) => (b.hasSuspected ? box(i * STEP, 3, 8) : '')).join('');
    return `${open}${shapes}${marks ? `<path class="b-suspected" d="${marks}"></path>` : ''}</svg>`;
  }
  const rects = runs
    .map((r) => `<rect x="${r.start * STEP}" width="${r.length * STEP}" height="${HEIGHT}" fill="url(#bar-${r.state})"><title>${escapeHtml(r.title)}</title></rect>`)
    .join('');
  const marks = bars.map((b, i) => (b.hasSuspected ? `<rect class="b-suspected" x="${i * STEP}" width="3" height="8"></rect>` : '')).join('');
  return `${open}${rects}${marks}</svg>`;
}

/** One table row per UTC day, newest first, with links to that day's incidents. */
export function renderDayTable(bars: readonly DayBar[], lang: Lang, caption: string, incidentById: ReadonlyMap<string, Incident>): string {
  const t = useMessages(lang);
  const s = t.service;
  const rows = [...bars]
    .reverse()
    .map((bar) => {
      const state = `<span class="pill st-${bar.state === 'no-data' ? 'unknown' : bar.state}">${escapeHtml(t.dayState[bar.state])}</span>`;
      const suspected = bar.hasSuspected ? ` <span class="pill st-suspected">${escapeHtml(t.incidentStatus.suspected)}</span>` : '';
      const incidents =
        bar.incidentIds.length === 0
          ? escapeHtml(s.noIncidents)
          : `<ul class="day-incidents">${bar.incidentIds
              .map((id) => `<li><a href="${paths.incident(lang, id)}">${escapeHtml(truncateText(incidentById.get(id)?.title ?? id, 90))}</a></li>`)
              .join('')}</ul>`;
      return (
        `<tr id="day-${bar.day}"><th scope="row"><time datetime="${bar.day}">${escapeHtml(formatDate(bar.day, lang))}</time></th>` +
        `<td>${state}${suspected}</td><td>${bar.uptime === null ? '–' : escapeHtml(formatPercent(bar.uptime, lang))}</td><td>${incidents}</td></tr>`
      );
    })
    .join('');
  return (
    `<table><caption>${escapeHtml(caption)}</caption><thead><tr>` +
    `<th scope="col">${escapeHtml(s.colDate)}</th><th scope="col">${escapeHtml(s.colStatus)}</th>` +
    `<th scope="col">${escapeHtml(s.colUptime)}</th><th scope="col">${escapeHtml(s.colIncidents)}</th>` +
    `</tr></thead><tbody>${rows}</tbody></table>`
  );
}
