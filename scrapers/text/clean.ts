/**
 * Pure text normalisation for feed titles, teasers and HTML fragments. External text is untrusted:
 * these functions return plain text (no markup, no control or bidi-override characters) that the
 * site still escapes wherever it lands.
 */
import { load } from 'cheerio';
import { decodeHTML } from 'entities';

// Named or numeric character references; used to decide whether another decoding pass is due.
const ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;
// Feeds double-escape (WordPress `&amp;#8211;`, `&amp;lt;i&amp;gt;`); three passes cover what occurs.
const MAX_DECODE_PASSES = 3;
const TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>|<!--[\s\S]*?-->/gi;
const INLINE_TAGS = /^<\/?(?:a|abbr|b|bdi|cite|code|em|font|i|kbd|mark|q|s|small|span|strong|sub|sup|time|u|var)\b/i;
// C0 (except tab/newline/CR, which become spaces) and C1 controls.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Bidi embeddings, overrides and isolates, plus marks: they can reorder what a reader sees.
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// Zero-width space, word joiner, BOM, soft hyphen (ZWJ/ZWNJ stay: emoji and some scripts need them).
const INVISIBLE = /[\u00AD\u200B\u2060\uFEFF]/g;
const SPACES = /[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/g;

/** Decodes HTML entities, repeating while a pass still uncovers entities (double escaping). */
export function decodeEntities(input: string): string {
  let s = input;
  for (let i = 0; i < MAX_DECODE_PASSES && ENTITY.test(s); i++) {
    const next = decodeHTML(s);
    if (next === s) break;
    s = next;
  }
  return s;
}

/** Removes control, bidi and invisible characters, maps every space to ' ', collapses, NFC. */
export function normalizeWhitespace(input: string): string {
  return input
    // A lone surrogate (JSON `"\ud800"`) is no character at all: U+FFFD, as any encoder would write it.
    .toWellFormed()
    .normalize('NFC')
    .replace(/[\t\n\r]/g, ' ')
    .replace(CONTROL, '')
    .replace(BIDI, '')
    .replace(INVISIBLE, '')
    .replace(SPACES, ' ')
    .trim();
}

/**
 * A feed title as plain text: entities decoded (also double-escaped ones), tags stripped (Atom
 * `type="html"` titles carry `<i>`), invisible and bidi characters removed, whitespace collapsed, NFC.
 */
export function cleanTitle(input: string | null | undefined): string {
  if (!input) return '';
  const decoded = decodeEntities(String(input));
  const stripped = decoded.replace(TAG, (tag) => (INLINE_TAGS.test(tag) ? '' : ' '));
  // A second decode only when stripping exposed entities that sat inside markup.
  return normalizeWhitespace(ENTITY.test(stripped) ? decodeHTML(stripped) : stripped);
}

const BLOCK = 'p,div,br,li,ul,ol,h1,h2,h3,h4,h5,h6,blockquote,section,article,header,footer,tr,td,th,table,pre,figure,figcaption,hr';

/**
 * Visible text of an HTML fragment (cheerio): scripts, styles, images and iframes dropped, block
 * boundaries become spaces, then normalised like a title.
 */
export function htmlToText(html: string | null | undefined): string {
  if (!html) return '';
  // parse5 throws a RangeError on adjacent lone surrogates (JSON `"\udfff\udfff"`, XML `&#xDFFF;`).
  const $ = load(String(html).toWellFormed(), null, false);
  $('script,style,noscript,iframe,img,svg,object,embed,template').remove();
  $(BLOCK).each((_, el) => {
    $(el).before(' ').after(' ');
  });
  return normalizeWhitespace($.root().text());
}

/** Cuts `text` to at most `max` characters at a word boundary, marking the cut with an ellipsis. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let slice = text.slice(0, Math.max(0, max - 1));
  // Never split a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(slice)) slice = slice.slice(0, -1);
  const lastSpace = slice.lastIndexOf(' ');
  const cut = lastSpace > max * 0.6 ? slice.slice(0, lastSpace) : slice;
  return `${cut.replace(/[\s,;:.–-]+$/u, '')}…`;
}
