/**
 * Article pages: metadata only. We read the canonical URL, the publish time and Microsoft incident
 * ids in the visible text, and keep nothing of the body (press publishers' rights: headline, link
 * and metadata only).
 */
import { load } from 'cheerio';
import { findOfficialRefs, servicesForOfficialRef } from '../../src/domain/services.ts';
import { SourceError } from '../http/errors.ts';
import type { HttpClient } from '../http/types.ts';
import { htmlToText } from '../text/clean.ts';
import { parseFeedDate } from '../text/dates.ts';
import { canonicalizeUrl } from '../text/url.ts';
import type { RobotsChecker } from './robots.ts';

export interface ArticleMeta {
  canonicalUrl: string | null;
  publishedAt: string | null;
  refs: string[];
}

// Words that introduce an incident id in articles ("refer to MO941162 in the admin center").
const REF_CONTEXT = /admin[\s-]?cent(?:er|re)|incident|vorfall|kennung|meldung|referenz|refer to|unter der|service[\s-]?id|id\b/i;

/**
 * Incident ids in article text: ids whose prefix is a known service prefix, or any id with a
 * context word within 60 characters (article text is long; bare two-letter-plus-digits tokens are
 * often product or VAT numbers).
 */
export function findArticleRefs(text: string): string[] {
  const out: string[] = [];
  for (const ref of findOfficialRefs(text)) {
    if (servicesForOfficialRef(ref).length) {
      out.push(ref);
      continue;
    }
    let idx = text.indexOf(ref);
    while (idx !== -1) {
      if (REF_CONTEXT.test(text.slice(Math.max(0, idx - 60), idx + ref.length + 60))) {
        out.push(ref);
        break;
      }
      idx = text.indexOf(ref, idx + 1);
    }
  }
  return out.slice(0, 20);
}

function jsonLdObjects(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(jsonLdObjects);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return [o, ...jsonLdObjects(o['@graph'])];
  }
  return [];
}

const ARTICLE_TYPES = /^(?:NewsArticle|Article|BlogPosting|ReportageNewsArticle|TechArticle|AnalysisNewsArticle|LiveBlogPosting)$/;

/** Extracts metadata from an article page's HTML. Pure. */
export function extractArticleMeta(html: string, pageUrl: string): ArticleMeta {
  const $ = load(html);
  const ld: Record<string, unknown>[] = [];
  $('script[type="application/ld+json"]').each((_, el) => {
    try {
      ld.push(...jsonLdObjects(JSON.parse($(el).text())));
    } catch {
      // Broken JSON-LD is common on news sites; the meta tags below still count.
      return;
    }
  });
  const articleLd = ld.filter((o) => {
    const t = o['@type'];
    return (Array.isArray(t) ? t : [t]).some((x) => typeof x === 'string' && ARTICLE_TYPES.test(x));
  });
  const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

  const canonicalCandidates = [
    $('link[rel="canonical"]').attr('href'),
    $('meta[property="og:url"]').attr('content'),
    ...articleLd.map((o) => str(o.url) ?? str((o.mainEntityOfPage as Record<string, unknown> | undefined)?.['@id'])),
  ];
  let canonicalUrl: string | null = null;
  for (const c of canonicalCandidates) {
    canonicalUrl = canonicalizeUrl(c ?? null, pageUrl);
    if (canonicalUrl) break;
  }

  const dateCandidates = [
    $('meta[property="article:published_time"]').attr('content'),
    ...articleLd.map((o) => str(o.datePublished)),
    $('meta[itemprop="datePublished"]').attr('content'),
    $('[itemprop="datePublished"]').attr('datetime'),
    $('meta[name="date"]').attr('content'),
    $('article time[datetime]').first().attr('datetime'),
  ];
  let publishedAt: string | null = null;
  for (const d of dateCandidates) {
    publishedAt = parseFeedDate(d ?? null);
    if (publishedAt) break;
  }

  const body = $('article').length ? $('article').first().html() ?? '' : $('body').html() ?? '';
  const refs = findArticleRefs(htmlToText(body));
  return { canonicalUrl, publishedAt, refs };
}

export type ArticleOutcome = { ok: true; meta: ArticleMeta } | { ok: false; reason: string };

/**
 * Reads one article page when robots.txt allows it. Never throws for the page itself: a page we
 * cannot read leaves the feed item as it is, and the reason says why.
 */
export async function readArticle(
  http: HttpClient,
  robots: RobotsChecker,
  url: string,
  now: Date,
  options: { sourceId?: string; signal?: AbortSignal } = {},
): Promise<ArticleOutcome> {
  const decision = await robots.check(url, now, options.signal);
  if (!decision.allowed) return { ok: false, reason: `robots: ${decision.reason}` };
  try {
    const res = await http.request({ url, expect: 'html', sourceId: options.sourceId, signal: options.signal, maxBytes: 2 * 1024 * 1024 });
    return { ok: true, meta: extractArticleMeta(res.text, res.url || url) };
  } catch (err) {
    if (err instanceof SourceError) return { ok: false, reason: `${err.code}: ${err.message}` };
    throw err;
  }
}
