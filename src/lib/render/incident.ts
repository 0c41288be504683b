/**
 * The incident page's main content as an HTML string. A pure function of the incident, so the
 * build renders thousands of incident pages in a fraction of what a component render per page
 * costs (see site-integration.ts); the Astro route uses the same function in dev, so both agree.
 */
import { getService } from '../../domain/services.ts';
import type { Incident } from '../../domain/schemas.ts';
import type { Lang } from '../../domain/vocabulary.ts';
import { useMessages } from '../../i18n/index.ts';
import { escapeHtml } from '../escape.ts';
import { formatDuration, formatNumber, minutesBetween } from '../format.ts';
import { computeDetectionLeadTime } from '../lead-time.ts';
import { evidenceKinds, updatesNewestFirst } from '../incident-facts.ts';
import type { SourceLabeler } from '../sources.ts';
import { paths } from '../urls.ts';
import { externalLink, textToHtml, timeTag } from './html.ts';

export interface IncidentRenderContext {
  lang: Lang;
  now: Date;
  labelSource: SourceLabeler;
}

function fact(label: string, valueHtml: string): string {
  return `<div><dt>${escapeHtml(label)}</dt><dd>${valueHtml}</dd></div>`;
}

function kindBadge(kind: 'official' | 'press' | 'crowd', lang: Lang): string {
  return `<span class="kind kind-${kind}">${escapeHtml(useMessages(lang).evidenceKind[kind])}</span>`;
}

function leadTimeHtml(incident: Incident, lang: Lang): string {
  const m = useMessages(lang).incident;
  const lead = computeDetectionLeadTime(incident);
  if (lead.firstOfficialAt === null) return escapeHtml(m.leadNoOfficial);
  if (lead.leadMinutes === null || lead.firstUnofficialKind === null) return escapeHtml(m.leadNoUnofficial);
  if (lead.leadMinutes === 0) return escapeHtml(m.leadSame);
  if (lead.leadMinutes > 0) {
    const kind = useMessages(lang).evidenceKind[lead.firstUnofficialKind];
    const evidence = m.leadEarlier(formatDuration(lead.leadMinutes, lang), kind);
    if (lead.shownLeadMinutes !== null && lead.shownLeadMinutes > 0) return escapeHtml(`${m.leadShown(formatDuration(lead.shownLeadMinutes, lang))} (${evidence})`);
    return escapeHtml(evidence);
  }
  return escapeHtml(m.leadLater(formatDuration(-lead.leadMinutes, lang)));
}

function durationHtml(incident: Incident, ctx: IncidentRenderContext): string {
  const m = useMessages(ctx.lang).incident;
  if (incident.resolvedAt) return escapeHtml(formatDuration(minutesBetween(incident.startedAt, incident.resolvedAt), ctx.lang));
  return escapeHtml(m.ongoing(formatDuration(minutesBetween(incident.startedAt, ctx.now.toISOString()), ctx.lang)));
}

function timelineHtml(incident: Incident, ctx: IncidentRenderContext): string {
  const t = useMessages(ctx.lang);
  if (incident.updates.length === 0) return `<p>${escapeHtml(t.incident.timelineEmpty)}</p>`;
  const items = updatesNewestFirst(incident)
    .map((u) => {
      const source = ctx.labelSource(u.source.id);
      const link = u.url ? ` <span class="src-link">${externalLink(u.url, `${t.incident.source}: ${source}`)}</span>` : '';
      return (
        `<li class="update update-${u.source.kind}">` +
        `<p class="meta">${timeTag(u.at, ctx.lang)} · <strong>${escapeHtml(t.incidentStatus[u.status])}</strong> · ` +
        `${kindBadge(u.source.kind, ctx.lang)} <span class="source">${escapeHtml(source)}</span></p>` +
        // Microsoft's own words are English (WCAG 3.1.2, language of parts); others vary unknown.
        `<div class="body"${u.source.kind === 'official' ? ' lang="en"' : ''}>${textToHtml(u.text)}${link}</div></li>`
      );
    })
    .join('');
  return `<ol class="timeline">${items}</ol>`;
}

function evidenceHtml(incident: Incident, ctx: IncidentRenderContext): string {
  const t = useMessages(ctx.lang);
  if (incident.evidence.length === 0) return `<p>${escapeHtml(t.incident.evidenceEmpty)}</p>`;
  const items = [...incident.evidence]
    .sort((a, b) => (a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : 0))
    .map((e) => {
      const who = e.outlet ?? ctx.labelSource(e.source.id);
      const ref = e.ref ? ` <span class="ref">${escapeHtml(e.ref)}</span>` : '';
      return (
        `<li>${kindBadge(e.source.kind, ctx.lang)}${ref} ${externalLink(e.url, e.title)}` +
        `<span class="meta"> · ${escapeHtml(who)} · ${timeTag(e.observedAt, ctx.lang)}</span></li>`
      );
    })
    .join('');
  return `<ul class="evidence">${items}</ul>`;
}

function crowdHtml(incident: Incident, ctx: IncidentRenderContext): string {
  const c = incident.crowd;
  if (!c) return '';
  const t = useMessages(ctx.lang).incident;
  const baseline = formatNumber(c.baselineAtPeak, ctx.lang);
  return (
    `<section aria-labelledby="h-crowd"><h2 id="h-crowd">${escapeHtml(t.crowd)}</h2>` +
    `<p>${escapeHtml(t.crowdSummary(c.peakCount, baseline, c.total))} ${escapeHtml(t.crowdPeakAt)} ${timeTag(c.peakAt, ctx.lang)}.</p></section>`
  );
}

/** The `<article>` of an incident page. */
export function renderIncidentMain(incident: Incident, ctx: IncidentRenderContext): string {
  const { lang } = ctx;
  const t = useMessages(lang);
  const m = t.incident;
  const services = incident.services
    .map((id) => `<li><a href="${paths.service(lang, id)}">${escapeHtml(getService(id).name[lang])}</a></li>`)
    .join('');
  const kinds = evidenceKinds(incident).map((k) => kindBadge(k, lang)).join(' ');
  const notes: string[] = [];
  if (incident.acknowledgedAt === null) notes.push(`<p class="note note-warn">${escapeHtml(m.suspectedNote)}</p>`);
  if (incident.classification === 'advisory') notes.push(`<p class="note">${escapeHtml(m.advisoryNote)}</p>`);
  const facts = [
    fact(m.status, `<span class="pill st-${incident.status}">${escapeHtml(t.incidentStatus[incident.status])}</span>`),
    fact(m.impact, escapeHtml(t.impact[incident.impact])),
    fact(m.services, `<ul class="inline">${services}</ul>`),
    fact(m.confidence, `${escapeHtml(t.confidence[incident.confidence])}<br>${kinds}`),
    fact(m.classification, escapeHtml(t.classification[incident.classification])),
    fact(m.startedAt, timeTag(incident.startedAt, lang)),
    fact(m.acknowledgedAt, incident.acknowledgedAt ? timeTag(incident.acknowledgedAt, lang) : escapeHtml(m.never)),
    fact(m.resolvedAt, incident.resolvedAt ? timeTag(incident.resolvedAt, lang) : escapeHtml(m.notYet)),
    fact(m.duration, durationHtml(incident, ctx)),
    fact(m.leadTime, leadTimeHtml(incident, lang)),
  ];
  if (incident.officialRefs.length > 0) {
    facts.push(fact(m.officialRefs, incident.officialRefs.map((r) => `<span class="ref">${escapeHtml(r)}</span>`).join(' ')));
  }
  if (incident.mergedIds.length > 0) facts.push(fact(m.mergedFrom, incident.mergedIds.map(escapeHtml).join(', ')));
  const official = incident.officialText
    ? `<section aria-labelledby="h-official"><h2 id="h-official">${escapeHtml(m.officialText)}</h2><blockquote class="official" lang="en">${textToHtml(incident.officialText)}</blockquote></section>`
    : '';
  return (
    `<article class="incident" aria-labelledby="h-incident">` +
    `<h1 id="h-incident">${escapeHtml(incident.title)}</h1>${notes.join('')}` +
    `<dl class="facts">${facts.join('')}</dl>${official}${crowdHtml(incident, ctx)}` +
    `<section aria-labelledby="h-timeline"><h2 id="h-timeline">${escapeHtml(m.timeline)}</h2>${timelineHtml(incident, ctx)}</section>` +
    `<section aria-labelledby="h-evidence"><h2 id="h-evidence">${escapeHtml(m.evidence)}</h2>${evidenceHtml(incident, ctx)}</section>` +
    `<p><a href="${paths.home(lang)}">${escapeHtml(m.backHome)}</a></p>` +
    `</article>`
  );
}

/** `<meta name="description">` text of an incident page. */
export function describeIncident(incident: Incident, lang: Lang): string {
  const t = useMessages(lang);
  const names = incident.services.map((id) => getService(id).name[lang]).join(', ');
  return `${t.incidentStatus[incident.status]}: ${names}. ${t.impact[incident.impact]}.`;
}
