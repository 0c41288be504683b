/**
 * rss-parser on text the HTTP layer already decoded (its `parseURL` is never used: no size cap,
 * encoding from the header only, validators kept in memory). Errors become PARSE_FAILED.
 */
import Parser from 'rss-parser';
import { SourceError } from '../http/errors.ts';

export interface RssItem {
  title?: string;
  link?: string;
  guid?: string;
  pubDate?: string;
  content?: string;
  contentSnippet?: string;
  /** Non-namespaced `<status>` (status.cloud.microsoft). */
  status?: unknown;
  categories?: unknown[];
}

export interface RssFeed {
  title?: string;
  link?: string;
  lastBuildDate?: string;
  items: RssItem[];
}

// One parser per read: xml2js keeps parsing after an error, and a shared instance then swallows the
// next document's error, so that read never settles (test/fuzz/adapters.test.ts).
const newParser = () => new Parser<Omit<RssFeed, 'items'>, RssItem>({ customFields: { item: ['status'] } });

/** Parses RSS text; anything before the first `<` (junk, stray BOM) is dropped first. */
export async function parseRss(text: string, sourceId: string): Promise<RssFeed> {
  const start = text.indexOf('<');
  const xml = start > 0 ? text.slice(start) : text;
  if (!/<rss[\s>]/i.test(xml.slice(0, 4096))) {
    throw new SourceError('PARSE_FAILED', `${sourceId}: body is not RSS (no <rss> root)`, { sourceId });
  }
  try {
    const feed = await newParser().parseString(xml);
    return { ...feed, items: feed.items ?? [] };
  } catch (cause) {
    throw new SourceError('PARSE_FAILED', `${sourceId}: RSS does not parse: ${(cause as Error).message.split('\n')[0]}`, {
      sourceId,
      cause,
    });
  }
}

/** A text field that rss-parser may hand over as a string, an xml2js node (`{_: …}`) or an array of either. */
export function textOf(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === 'object' && '_' in value) return textOf((value as { _: unknown })._);
  return '';
}

/** Category strings of an item (plain strings or xml2js nodes). */
export function categoriesOf(item: RssItem): string[] {
  return (item.categories ?? []).map(textOf).filter(Boolean);
}
