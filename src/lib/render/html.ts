/**
 * Small HTML building blocks for the pure renderers (incident pages, alias pages). Every dynamic
 * value goes through `escapeHtml`; links only ever carry `safeHttpUrl` results.
 */
import type { Lang } from '../../domain/vocabulary.ts';
import { escapeHtml, safeHttpUrl } from '../escape.ts';
import { formatDateTime, isoSeconds } from '../format.ts';

/** `<time datetime>` with UTC text; `data-local` lets the client island show local time. */
export function timeTag(iso: string, lang: Lang): string {
  return `<time datetime="${isoSeconds(iso)}" data-local>${escapeHtml(formatDateTime(iso, lang))}</time>`;
}

/**
 * An external link with `rel="noopener noreferrer"`, or just the escaped text when the URL is not
 * a safe absolute http(s) URL.
 */
export function externalLink(url: string | null, text: string): string {
  const href = safeHttpUrl(url);
  if (!href) return escapeHtml(text);
  return `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${escapeHtml(text)}</a>`;
}

/** Plain source text as paragraphs: blank lines split paragraphs, single newlines become <br>. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('');
}

export interface FeedLink {
  title: string;
  rss: string;
  atom: string;
}

/** `<link rel="alternate">` autodiscovery tags for RSS and Atom feeds. */
export function feedLinksHtml(feeds: readonly FeedLink[]): string {
  return feeds
    .map(
      (f) =>
        `<link rel="alternate" type="application/rss+xml" title="${escapeHtml(`${f.title} (RSS)`)}" href="${escapeHtml(f.rss)}">` +
        `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(`${f.title} (Atom)`)}" href="${escapeHtml(f.atom)}">`,
    )
    .join('');
}
