/**
 * Parses a decoded RSS 2.0 / Atom 1.0 / RDF feed into plain items with rss-parser's `parseString`,
 * filling its gaps: Atom `published`/`updated` are read raw (rss-parser rejects the whole feed on one
 * bad Atom date), `content:encoded`, `dc:creator`, `dc:date` and Atom categories are kept, HTML named
 * entities outside CDATA no longer break the XML parser, and junk before the first tag is cut.
 * Pure apart from the parser; throws SourceError.
 */
import { decodeHTML } from 'entities';
import Parser from 'rss-parser';
import { SourceError } from '../http/errors.ts';
import { isBotInterstitial, looksLikeHtml } from '../http/sniff.ts';
import { cleanTitle, decodeEntities, htmlToText, truncateText } from '../text/clean.ts';
import { canonicalizeUrl } from '../text/url.ts';

/** Longest teaser we keep (a short excerpt, never the article body). */
export const SUMMARY_MAX_CHARS = 300;

export interface FeedItem {
  /** guid (RSS) or id (Atom), verbatim. */
  guid: string | null;
  title: string;
  /** Canonical http(s) link, or null when the item has none we can use. */
  link: string | null;
  /** Teaser as plain text, at most SUMMARY_MAX_CHARS. */
  summary: string;
  /** Plain text of the item's HTML (description/content) before truncation, for community posts. */
  text: string;
  /** The item's HTML as the feed gave it (for adapters that pick parts, e.g. Reddit's self-text). */
  html: string;
  /** Raw date strings in order of preference (published, pubDate, dc:date, updated). */
  dates: string[];
  author: string | null;
  categories: string[];
}

export interface ParsedFeed {
  format: 'atom' | 'rss';
  title: string;
  /** The feed's own language tag (`de`, `en-US`), if any. */
  language: string | null;
  link: string | null;
  items: FeedItem[];
}

interface RawItem {
  title?: unknown;
  link?: string;
  guid?: unknown;
  id?: string;
  pubDate?: string;
  date?: string;
  published?: string;
  updated?: string;
  creator?: unknown;
  author?: unknown;
  content?: string;
  summary?: string;
  contentEncoded?: string;
  categories?: unknown[];
  categoriesRaw?: unknown[];
}

interface RawFeed {
  title?: unknown;
  language?: string;
  link?: string;
  feedUrl?: string;
  items?: RawItem[];
}

// Renaming these stops rss-parser's own Atom date handling, which throws a RangeError for the whole
// feed on one unparseable date (rbren/rss-parser: Invalid time value); we parse dates ourselves.
const RENAMED_TAGS: Readonly<Record<string, string>> = { published: 'x-published', updated: 'x-updated' };

// One parser per read: xml2js keeps parsing after an error, and a shared instance then swallows the
// next document's error, so that read never settles (test/fuzz/adapters.test.ts).
const newParser = () => new Parser<RawFeed, RawItem>({
  xml2js: { tagNameProcessors: [(name: string) => RENAMED_TAGS[name] ?? name] },
  customFields: {
    feed: ['language'] as never[],
    item: [
      ['x-published', 'published'],
      ['x-updated', 'updated'],
      ['content:encoded', 'contentEncoded'],
      ['dc:creator', 'creator'],
      ['dc:date', 'date'],
      ['category', 'categoriesRaw', { keepArray: true }],
    ] as never[],
  },
});

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** HTML named entities are not XML: turn `&nbsp;` into `&#160;` so a strict XML parser accepts them. */
function numericizeHtmlEntities(xml: string): string {
  return xml.replace(/&([a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, name: string) => {
    if (XML_ENTITIES.has(name)) return whole;
    const decoded = decodeHTML(whole);
    if (decoded === whole) return `&amp;${name};`;
    return [...decoded].map((c) => `&#${c.codePointAt(0)};`).join('');
  });
}

function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as { _?: unknown; $?: { term?: unknown; label?: unknown }; name?: unknown };
    if (typeof o._ === 'string') return o._;
    if (typeof o.$?.label === 'string') return o.$.label;
    if (typeof o.$?.term === 'string') return o.$.term;
    if (Array.isArray(o.name) && typeof o.name[0] === 'string') return o.name[0];
  }
  return '';
}

/** Golem-style trailing "(<a>Tag</a>, <a>Tag</a>)" lists, "[...]" and "Weiterlesen" tails are not teaser text. */
function teaserHtml(html: string): string {
  let h = html;
  if (!/<[a-z]/i.test(h) && /&lt;\/?[a-z]/i.test(h)) h = decodeEntities(h);
  h = h.replace(/<img\b[^>]*>/gi, ' ');
  h = h.replace(/\(\s*(?:<a\b[^>]*>[^<]*<\/a>\s*,?\s*)+\)\s*$/i, '');
  return h;
}

function teaserText(html: string): string {
  return htmlToText(teaserHtml(html))
    .replace(/\s*\[(?:\.\.\.|…)\]\s*$/u, '')
    .replace(/\s*(?:Weiterlesen|Read more|Continue reading|mehr lesen)\W*$/iu, '')
    .trim();
}

function firstString(...values: unknown[]): string | null {
  for (const v of values) {
    const s = asText(v).trim();
    if (s) return s;
  }
  return null;
}

/**
 * Parses `text` (already decoded by the HTTP layer). Throws SourceError: SOURCE_BLOCKED for a
 * bot-protection page, SOURCE_WRONG_TYPE for any other HTML page, PARSE_FAILED for malformed XML or
 * XML that is no feed. An empty feed is a valid feed with no items.
 */
export async function parseFeed(text: string, options: { sourceId: string; feedUrl: string }): Promise<ParsedFeed> {
  const { sourceId, feedUrl } = options;
  if (looksLikeHtml(text)) {
    if (isBotInterstitial(text)) throw new SourceError('SOURCE_BLOCKED', `${sourceId}: a bot-protection page came instead of the feed`, { sourceId });
    throw new SourceError('SOURCE_WRONG_TYPE', `${sourceId}: an HTML page came instead of the feed`, { sourceId });
  }
  const start = text.indexOf('<');
  if (start === -1) throw new SourceError('PARSE_FAILED', `${sourceId}: the body is not XML`, { sourceId });
  const xml = numericizeHtmlEntities(text.slice(start));
  let raw: RawFeed;
  try {
    raw = (await newParser().parseString(xml)) as RawFeed;
  } catch (cause) {
    throw new SourceError('PARSE_FAILED', `${sourceId}: feed XML cannot be parsed: ${(cause as Error).message.split('\n')[0]}`, { sourceId, cause });
  }
  const format: ParsedFeed['format'] = /^\s*<(?:[a-z]+:)?feed[\s>]/i.test(xml.replace(/^(?:\s*<\?[\s\S]*?\?>|\s*<!--[\s\S]*?-->)*/, '')) ? 'atom' : 'rss';
  const base = canonicalizeUrl(raw.link ?? null, feedUrl) ?? feedUrl;
  const items = (raw.items ?? []).map((it): FeedItem => {
    const guid = firstString(it.guid, it.id);
    const guidLink = guid && /^https?:\/\//i.test(guid) ? guid : null;
    const link = canonicalizeUrl(it.link ?? guidLink, base);
    // A teaser first; full content only when the feed has nothing shorter (then it is cut hard).
    const teaserSource = it.summary ?? it.content ?? it.contentEncoded ?? '';
    const text = teaserText(teaserSource);
    const categories = (it.categoriesRaw ?? it.categories ?? []).map(asText).map((c) => cleanTitle(c)).filter(Boolean);
    return {
      guid,
      title: cleanTitle(asText(it.title)),
      link,
      summary: truncateText(text, SUMMARY_MAX_CHARS),
      text,
      html: teaserSource,
      dates: [it.published, it.pubDate, it.date, it.updated].map((d) => (typeof d === 'string' ? d : asText(d))).filter((d) => d.trim() !== ''),
      author: firstString(it.creator, it.author),
      categories,
    };
  });
  return {
    format,
    title: cleanTitle(asText(raw.title)),
    language: typeof raw.language === 'string' && raw.language.trim() ? raw.language.trim() : null,
    link: base,
    items,
  };
}
