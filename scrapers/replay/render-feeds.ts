/**
 * Renders a tape's press and community items as the feeds the real outlets serve, with the quirks
 * the research recorded (sources-news.md §1.1, §1.3, §2.2): heise Atom with CDATA and tracking
 * links, Golem RSS in ISO-8859-1 with a tracking pixel, WordPress RSS, BleepingComputer RSS with
 * US offsets, The Register Atom through its redirector, The Verge Atom with numeric entities in
 * CDATA, and Mastodon tag RSS without titles. Pure.
 */
import { createHash } from 'node:crypto';
import { escapeXmlText } from './render-official.ts';
import { isoWithOffset, rfc822 } from './render-time.ts';

export interface FeedItem {
  title: string;
  link: string;
  /** When the item says it was published (epoch ms). */
  published: number;
  summary: string;
  categories: string[];
  lang: 'en' | 'de';
}

export const FEED_STYLES = ['heise-atom', 'golem-rss', 'wordpress-rss', 'bleeping-rss', 'register-atom', 'verge-atom', 'generic-atom', 'generic-rss'] as const;
export type FeedStyle = (typeof FEED_STYLES)[number];

/** Feed style of a configured news source, by its id. */
export function feedStyleFor(sourceId: string): FeedStyle {
  if (sourceId.startsWith('heise')) return 'heise-atom';
  if (sourceId.startsWith('golem')) return 'golem-rss';
  if (sourceId.startsWith('borncity') || sourceId.startsWith('drwindows')) return 'wordpress-rss';
  if (sourceId.startsWith('bleepingcomputer')) return 'bleeping-rss';
  if (sourceId.startsWith('theregister')) return 'register-atom';
  if (sourceId.startsWith('theverge')) return 'verge-atom';
  return sourceId.endsWith('-atom') ? 'generic-atom' : 'generic-rss';
}

export interface RenderedFeed {
  body: Buffer;
  contentType: string;
}

/** A stable number per link, for the outlets whose ids are numbers. */
function numberFor(link: string, digits = 7): string {
  return String(Number.parseInt(createHash('sha256').update(link).digest('hex').slice(0, 12), 16)).slice(0, digits);
}

const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
/** The Verge's quirk: typographic characters as numeric entities inside CDATA. */
const vergeEntities = (s: string) => s.replace(/[\u2018\u2019\u201C\u201D\u2013\u2014\u2026]/g, (c) => `&#${c.codePointAt(0)};`);
/** For ISO-8859-1 output: characters outside Latin-1 as numeric character references. */
const latin1Safe = (s: string) => s.replace(/[^\u0000-\u00ff]/gu, (c) => `&#${c.codePointAt(0)};`);

function newestFirst(items: readonly FeedItem[]): FeedItem[] {
  return [...items].sort((a, b) => b.published - a.published || a.link.localeCompare(b.link));
}

function atom(meta: { title: string; link: string; id: string }, entries: string[], updated: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
  <title>${escapeXmlText(meta.title)}</title>
  <link href="${escapeXmlText(meta.link)}" rel="alternate"/>
  <id>${escapeXmlText(meta.id)}</id>
  <updated>${updated}</updated>
${entries.join('\n')}
</feed>
`;
}

function rss(meta: { title: string; link: string }, items: string[], built: string, opts: { encoding?: string; ns?: string; lang?: string } = {}): string {
  return `<?xml version="1.0" encoding="${opts.encoding ?? 'UTF-8'}"?>
<rss version="2.0"${opts.ns ?? ''}>
  <channel>
    <title>${escapeXmlText(meta.title)}</title>
    <link>${escapeXmlText(meta.link)}</link>
    <description>${escapeXmlText(meta.title)}</description>
    <language>${opts.lang ?? 'en'}</language>
    <lastBuildDate>${built}</lastBuildDate>
${items.join('\n')}
  </channel>
</rss>
`;
}

/** Renders the items a news feed carries at `now` (newest first, at most 30). */
export function renderPressFeed(style: FeedStyle, outlet: string, items: readonly FeedItem[], now: number): RenderedFeed {
  const list = newestFirst(items).slice(0, 30);
  const site = list[0] ? new URL(list[0].link).origin : 'https://example.org';
  const utf8 = (s: string, type: string): RenderedFeed => ({ body: Buffer.from(s, 'utf8'), contentType: type });
  switch (style) {
    case 'heise-atom': {
      const tz = 'Europe/Berlin';
      const entries = list.map((i) => {
        const n = numberFor(i.link);
        return `  <entry>
    <title type="html">${cdata(i.title)}</title>
    <link href="${escapeXmlText(`${i.link}?wt_mc=rss.red.ho.ho.atom.beitrag.beitrag`)}"/>
    <id>http://heise.de/-${n}</id>
    <published>${isoWithOffset(i.published, tz)}</published>
    <updated>${isoWithOffset(i.published, tz)}</updated>
    <author><name>heise online</name></author>
    <summary type="html">${cdata(i.summary || i.title)}</summary>
  </entry>`;
      });
      return utf8(atom({ title: 'heise online News', link: 'https://www.heise.de/', id: 'https://www.heise.de/' }, entries, isoWithOffset(now, tz)), 'application/atom+xml; charset=utf-8');
    }
    case 'golem-rss': {
      const tz = 'Europe/Berlin';
      const entries = list.map((i) => {
        const n = numberFor(i.link, 6);
        const desc = `${escapeXmlText(i.summary || i.title)} (&lt;a href="https://www.golem.de/specials/microsoft/"&gt;Microsoft&lt;/a&gt;) &lt;img src="https://cpx.golem.de/cpx.php?class=17&amp;amp;aid=${n}&amp;amp;page=1&amp;amp;ts=${Math.floor(i.published / 1000)}" alt="" width="1" height="1" /&gt;`;
        return `    <item>
      <title>${escapeXmlText(i.title)}</title>
      <link>${escapeXmlText(i.link)}</link>
      <description>${desc}</description>
      <pubDate>${rfc822(i.published, { timeZone: tz })}</pubDate>
      <guid>${escapeXmlText(i.link)}</guid>
    </item>`;
      });
      const text = rss({ title: 'Golem.de', link: 'https://www.golem.de/' }, entries, rfc822(now, { timeZone: tz }), { encoding: 'ISO-8859-1', lang: 'de' });
      // Real Latin-1 bytes and a Content-Type without charset: only the XML declaration names it.
      return { body: Buffer.from(latin1Safe(text), 'latin1'), contentType: 'text/xml' };
    }
    case 'wordpress-rss': {
      const entries = list.map((i) => {
        const n = numberFor(i.link, 6);
        return `    <item>
      <title>${escapeXmlText(i.title)}</title>
      <link>${escapeXmlText(i.link)}</link>
      <dc:creator>${cdata(outlet)}</dc:creator>
      <pubDate>${rfc822(i.published)}</pubDate>
${i.categories.map((c) => `      <category>${cdata(c)}</category>`).join('\n')}
      <guid isPermaLink="false">${escapeXmlText(`${site}/blog/?p=${n}`)}</guid>
      <description>${cdata(`${i.summary || i.title} […]`)}</description>
    </item>`;
      });
      return utf8(
        rss({ title: outlet, link: `${site}/` }, entries, rfc822(now), { ns: ' xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"', lang: list[0]?.lang ?? 'de' }),
        'application/rss+xml; charset=UTF-8',
      );
    }
    case 'bleeping-rss': {
      const tz = 'America/New_York';
      const entries = list.map(
        (i) => `    <item>
      <title>${escapeXmlText(i.title)}</title>
      <link>${escapeXmlText(i.link)}</link>
      <pubDate>${rfc822(i.published, { timeZone: tz })}</pubDate>
      <dc:creator>Staff</dc:creator>
      <category>${cdata('Microsoft')}</category>
      <guid>${escapeXmlText(i.link)}</guid>
      <description>${cdata(`${i.summary || i.title} [...]`)}</description>
    </item>`,
      );
      return utf8(rss({ title: 'BleepingComputer', link: 'https://www.bleepingcomputer.com/' }, entries, rfc822(now, { timeZone: tz })), 'application/rss+xml; charset=UTF-8');
    }
    case 'register-atom': {
      const entries = list.map((i) => {
        const path = new URL(i.link).pathname;
        return `  <entry>
    <id>tag:theregister.com,2005:story${escapeXmlText(path)}</id>
    <updated>${new Date(i.published).toISOString().slice(0, 19)}Z</updated>
    <author><name>Register staff</name><uri>https://search.theregister.com/?author=staff</uri></author>
    <link rel="alternate" type="text/html" href="${escapeXmlText(`https://go.theregister.com/feed/www.theregister.com${path}`)}"/>
    <title type="html">${escapeXmlText(i.title)}</title>
    <summary type="html" xml:base="https://www.theregister.com/">${escapeXmlText(`<h4>${i.summary || i.title}</h4>`)}</summary>
  </entry>`;
      });
      return utf8(atom({ title: 'The Register', link: 'https://www.theregister.com/', id: 'tag:theregister.com,2005:feed/theregister.com/' }, entries, `${new Date(now).toISOString().slice(0, 19)}Z`), 'application/atom+xml');
    }
    case 'verge-atom': {
      const tz = 'America/New_York';
      const entries = list.map(
        (i) => `  <entry>
    <author><name>Verge staff</name></author>
    <title type="html">${cdata(vergeEntities(i.title))}</title>
    <link rel="alternate" type="text/html" href="${escapeXmlText(i.link)}"/>
    <id>https://www.theverge.com/?p=${numberFor(i.link)}</id>
    <updated>${isoWithOffset(i.published, tz)}</updated>
    <published>${isoWithOffset(i.published, tz)}</published>
    <category scheme="https://www.theverge.com" term="Microsoft"/>
    <summary type="html">${cdata(vergeEntities(i.summary || i.title))}</summary>
  </entry>`,
      );
      return utf8(atom({ title: 'The Verge', link: 'https://www.theverge.com/', id: 'https://www.theverge.com/rss/index.xml' }, entries, isoWithOffset(now, tz)), 'application/atom+xml; charset=utf-8');
    }
    case 'generic-atom': {
      const entries = list.map(
        (i) => `  <entry>
    <title>${escapeXmlText(i.title)}</title>
    <link rel="alternate" href="${escapeXmlText(i.link)}"/>
    <id>${escapeXmlText(i.link)}</id>
    <published>${new Date(i.published).toISOString()}</published>
    <updated>${new Date(i.published).toISOString()}</updated>
    <summary>${escapeXmlText(i.summary || i.title)}</summary>
  </entry>`,
      );
      return utf8(atom({ title: outlet, link: `${site}/`, id: `${site}/` }, entries, new Date(now).toISOString()), 'application/atom+xml; charset=utf-8');
    }
    case 'generic-rss': {
      const entries = list.map(
        (i) => `    <item>
      <title>${escapeXmlText(i.title)}</title>
      <link>${escapeXmlText(i.link)}</link>
      <pubDate>${rfc822(i.published)}</pubDate>
      <guid isPermaLink="true">${escapeXmlText(i.link)}</guid>
      <description>${escapeXmlText(i.summary || i.title)}</description>
    </item>`,
      );
      return utf8(rss({ title: outlet, link: `${site}/` }, entries, rfc822(now), { lang: list[0]?.lang ?? 'en' }), 'application/rss+xml; charset=utf-8');
    }
  }
}

export interface TootItem {
  author: string;
  text: string;
  link: string;
  published: number;
  tags: string[];
}

/** Mastodon's HTML for a post: paragraphs, hashtags as links. */
function tootHtml(instance: string, text: string): string {
  const escaped = text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const linked = escaped.replace(/#([\p{L}\p{N}_]+)/gu, (_m, tag: string) => `<a href="${instance}/tags/${tag.toLowerCase()}" class="mention hashtag" rel="tag">#<span>${tag}</span></a>`);
  return `<p>${linked}</p>`;
}

/** Mastodon tag RSS (`/tags/<tag>.rss`): items have no `<title>`; one `<category>` per hashtag. */
export function renderMastodonTagRss(instance: string, tag: string, items: readonly TootItem[], now: number): RenderedFeed {
  const list = [...items].sort((a, b) => b.published - a.published).slice(0, 20);
  const entries = list.map(
    (t) => `    <item>
      <guid isPermaLink="true">${escapeXmlText(t.link)}</guid>
      <link>${escapeXmlText(t.link)}</link>
      <pubDate>${rfc822(t.published)}</pubDate>
      <description>${escapeXmlText(tootHtml(instance, t.text))}</description>
${t.tags.map((c) => `      <category>${escapeXmlText(c.toLowerCase())}</category>`).join('\n')}
    </item>`,
  );
  const text = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:webfeeds="http://webfeeds.org/rss/1.0" xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>#${escapeXmlText(tag)}</title>
    <description>Public posts tagged #${escapeXmlText(tag)}</description>
    <link>${escapeXmlText(`${instance}/tags/${tag}`)}</link>
    <lastBuildDate>${rfc822(now)}</lastBuildDate>
    <generator>Mastodon v4.3.0</generator>
${entries.join('\n')}
  </channel>
</rss>
`;
  return { body: Buffer.from(text, 'utf8'), contentType: 'application/rss+xml; charset=utf-8' };
}
