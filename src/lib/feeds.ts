/**
 * RSS 2.0 and Atom 1.0 (RFC 4287) feeds: one model, two small renderers. One entry per incident,
 * carrying its whole timeline newest first (as Statuspage's history feeds do), with a stable id
 * (the incident page URL), RFC 822 / RFC 3339 dates and a link to the incident page. Feed-level
 * dates are the newest entry's, never the wall clock, so an unchanged feed stays byte-identical.
 *
 * Written by hand instead of with the `feed` package: every string goes through `escapeXml`,
 * which also strips the characters XML 1.0 forbids (one stray control character in a scraped
 * title makes a whole feed unparseable, and `feed` passes them through), and the output is checked
 * against RFC 4287's RELAX NG schema in the tests.
 */
import { getService, type ServiceId } from '../domain/services.ts';
import type { Incident } from '../domain/schemas.ts';
import type { Lang } from '../domain/vocabulary.ts';
import { useMessages } from '../i18n/index.ts';
import { escapeHtml, escapeXml, truncateText } from './escape.ts';
import { formatDateTime, formatDuration, isoSeconds } from './format.ts';
import { evidenceKinds, updatesNewestFirst } from './incident-facts.ts';
import { computeDetectionLeadTime } from './lead-time.ts';
import type { SourceLabeler } from './sources.ts';
import { absoluteUrl, paths } from './urls.ts';

export interface FeedEntry {
  /** Stable id: the absolute incident page URL. */
  id: string;
  url: string;
  title: string;
  published: string;
  updated: string;
  categories: { term: string; label: string }[];
  summary: string;
  /** The entry body as HTML (escaped again when written into XML). */
  contentHtml: string;
}

export interface FeedDocument {
  lang: Lang;
  title: string;
  subtitle: string;
  /** Absolute URL of the HTML page the feed mirrors. */
  pageUrl: string;
  /** Absolute URLs of this feed in both formats. */
  rssUrl: string;
  atomUrl: string;
  author: string;
  siteUrl: string;
  updated: string;
  entries: FeedEntry[];
}

export interface FeedOptions {
  lang: Lang;
  siteUrl: string;
  siteTitle: string;
  serviceId: ServiceId | null;
  labelSource: SourceLabeler;
  /** Entries per feed (most recently updated incidents). */
  limit?: number;
  /** Feed `updated` when there are no entries (the snapshot time). */
  fallbackUpdated: string;
}

// An incident appears in the site feed and in each of its services' feeds: render its body once.
const BODY_CACHE = new WeakMap<Incident, Map<string, string>>();

/** The entry body (memoized per incident and language): facts, lead time, timeline newest first. */
export function incidentFeedHtml(incident: Incident, lang: Lang, labelSource: SourceLabeler): string {
  let byLang = BODY_CACHE.get(incident);
  if (!byLang) {
    byLang = new Map();
    BODY_CACHE.set(incident, byLang);
  }
  let html = byLang.get(lang);
  if (html === undefined) {
    html = renderIncidentFeedHtml(incident, lang, labelSource);
    byLang.set(lang, html);
  }
  return html;
}

function renderIncidentFeedHtml(incident: Incident, lang: Lang, labelSource: SourceLabeler): string {
  const t = useMessages(lang);
  const services = incident.services.map((id) => getService(id).name[lang]).join(', ');
  const kinds = evidenceKinds(incident)
    .map((k) => t.evidenceKind[k])
    .join(', ');
  const facts =
    `<p><strong>${escapeHtml(t.incident.status)}:</strong> ${escapeHtml(t.incidentStatus[incident.status])} · ` +
    `<strong>${escapeHtml(t.incident.impact)}:</strong> ${escapeHtml(t.impact[incident.impact])} · ` +
    `<strong>${escapeHtml(t.incident.services)}:</strong> ${escapeHtml(services)} · ` +
    `<strong>${escapeHtml(t.incident.confidence)}:</strong> ${escapeHtml(kinds)}</p>`;
  const lead = computeDetectionLeadTime(incident);
  const leadLine =
    lead.leadMinutes !== null && lead.leadMinutes > 0 && lead.firstUnofficialKind
      ? `<p>${escapeHtml(t.incident.leadTime)}: ${escapeHtml(t.incident.leadEarlier(formatDuration(lead.leadMinutes, lang), t.evidenceKind[lead.firstUnofficialKind]))}</p>`
      : '';
  const timeline = updatesNewestFirst(incident)
    .map(
      (u) =>
        `<p><small><time datetime="${isoSeconds(u.at)}">${escapeHtml(formatDateTime(u.at, lang))}</time></small><br><strong>${escapeHtml(t.incidentStatus[u.status])}</strong> – ` +
        `${escapeHtml(u.text)} (${escapeHtml(t.feeds.source)}: ${escapeHtml(labelSource(u.source.id))})</p>`,
    )
    .join('');
  return facts + leadLine + timeline;
}

/** The feed model for the whole site (`serviceId` null) or one service. */
export function buildFeed(incidents: readonly Incident[], options: FeedOptions): FeedDocument {
  const { lang, siteUrl, serviceId } = options;
  const t = useMessages(lang);
  const scoped = serviceId ? incidents.filter((i) => i.services.includes(serviceId)) : [...incidents];
  const entries = scoped
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id < b.id ? -1 : 1))
    .slice(0, options.limit ?? 50)
    .map((incident): FeedEntry => {
      const url = absoluteUrl(siteUrl, paths.incident(lang, incident.id));
      const prefix = incident.acknowledgedAt === null ? `${t.feeds.unconfirmed}: ` : '';
      const latest = updatesNewestFirst(incident)[0];
      return {
        id: url,
        url,
        title: `${prefix}${incident.title}`,
        published: isoSeconds(incident.startedAt),
        updated: isoSeconds(incident.updatedAt),
        categories: incident.services.map((id) => ({ term: id, label: getService(id).name[lang] })),
        summary: truncateText(`${t.incidentStatus[incident.status]}: ${latest?.text ?? incident.title}`, 300),
        contentHtml: incidentFeedHtml(incident, lang, options.labelSource),
      };
    });
  const serviceName = serviceId ? getService(serviceId).name[lang] : null;
  return {
    lang,
    title: serviceName ? t.feeds.service(options.siteTitle, serviceName) : t.feeds.site(options.siteTitle),
    subtitle: t.feeds.description,
    pageUrl: absoluteUrl(siteUrl, serviceId ? paths.serviceHistory(lang, serviceId) : paths.history(lang)),
    rssUrl: absoluteUrl(siteUrl, paths.rss(lang, serviceId ?? undefined)),
    atomUrl: absoluteUrl(siteUrl, paths.atom(lang, serviceId ?? undefined)),
    author: options.siteTitle,
    siteUrl: absoluteUrl(siteUrl, '/'),
    // The newest entry's time, never the wall clock: an unchanged feed stays byte-identical.
    updated: entries.length > 0 ? entries.reduce((max, e) => (e.updated > max ? e.updated : max), entries[0]!.updated) : isoSeconds(options.fallbackUpdated),
    entries,
  };
}

/** RFC 822 date as RSS wants it: `Wed, 16 Mar 2022 19:46:00 +0000`. */
export function toRfc822(iso: string): string {
  return new Date(iso).toUTCString().replace(/GMT$/, '+0000');
}

/** Renders RSS 2.0. */
export function renderRss(doc: FeedDocument): string {
  const x = escapeXml;
  const items = doc.entries
    .map(
      (e) =>
        `<item><title>${x(e.title)}</title><link>${x(e.url)}</link><guid isPermaLink="true">${x(e.id)}</guid>` +
        `<pubDate>${toRfc822(e.updated)}</pubDate>${e.categories.map((c) => `<category>${x(c.label)}</category>`).join('')}` +
        `<description>${x(e.contentHtml)}</description></item>`,
    )
    .join('\n');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>` +
    `<title>${x(doc.title)}</title><link>${x(doc.pageUrl)}</link><description>${x(doc.subtitle)}</description>` +
    `<language>${doc.lang}</language><lastBuildDate>${toRfc822(doc.updated)}</lastBuildDate>` +
    `<atom:link href="${x(doc.rssUrl)}" rel="self" type="application/rss+xml"/><generator>${x(doc.author)}</generator>\n` +
    `${items}\n</channel></rss>\n`
  );
}

/** Renders Atom 1.0 (RFC 4287). */
export function renderAtom(doc: FeedDocument): string {
  const x = escapeXml;
  const entries = doc.entries
    .map(
      (e) =>
        `<entry><id>${x(e.id)}</id><title type="text">${x(e.title)}</title>` +
        `<link rel="alternate" type="text/html" href="${x(e.url)}"/>` +
        `<published>${e.published}</published><updated>${e.updated}</updated>` +
        e.categories.map((c) => `<category term="${x(c.term)}" label="${x(c.label)}"/>`).join('') +
        `<summary type="text">${x(e.summary)}</summary><content type="html">${x(e.contentHtml)}</content></entry>`,
    )
    .join('\n');
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${doc.lang}">` +
    `<id>${x(doc.atomUrl)}</id><title type="text">${x(doc.title)}</title><subtitle type="text">${x(doc.subtitle)}</subtitle>` +
    `<updated>${doc.updated}</updated><link rel="alternate" type="text/html" href="${x(doc.pageUrl)}"/>` +
    `<link rel="self" type="application/atom+xml" href="${x(doc.atomUrl)}"/>` +
    `<author><name>${x(doc.author)}</name><uri>${x(doc.siteUrl)}</uri></author><generator uri="${x(doc.siteUrl)}">${x(doc.author)}</generator>\n` +
    `${entries}\n</feed>\n`
  );
}
