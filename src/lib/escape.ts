/**
 * Making source text inert wherever it lands. Every string that comes from a source (titles, texts,
 * outlet names, URLs, official ids) passes through one of these before it is written into HTML,
 * an attribute, XML, SVG or JSON embedded in HTML. Pure, no I/O.
 */

// C0 controls except tab/LF/CR, DEL and C1 controls: never meaningful in a title or update text.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Bidi embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI): they let a
// title display reversed or spoof its surroundings ("Trojan Source"); ordinary RTL text needs none.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
// Characters XML 1.0 forbids (including lone surrogates, matched as code points with the u flag).
const XML_INVALID = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes control characters, bidi overrides and characters XML forbids; keeps everything else. */
export function stripUnsafeChars(value: string): string {
  return value.replace(CONTROL_CHARS, '').replace(BIDI_CONTROLS, '').replace(XML_INVALID, '');
}

/** Source text made safe to display: no control characters, no bidi overrides, trimmed. */
export function cleanText(value: string): string {
  return stripUnsafeChars(value).trim();
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values (also cleans it). */
export function escapeHtml(value: string): string {
  return stripUnsafeChars(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Escapes text for XML content and attributes: strips characters XML 1.0 forbids (a single one
 * makes a whole feed unparseable), bidi overrides and controls, then escapes markup. `]]>` needs
 * nothing more because `>` is always escaped and no CDATA section is ever written.
 */
export function escapeXml(value: string): string {
  return stripUnsafeChars(value).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/**
 * The URL as a normalized absolute http(s) href, or null for anything else (javascript:, data:,
 * vbscript:, relative, credentials-bearing or unparseable). The result still needs attribute
 * escaping; the parser percent-encodes quotes and angle brackets in path and query.
 */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    // Not a URL at all: rendered as plain text, never as a link.
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.href;
}

/**
 * JSON for a `<script type="application/json">` block or an inline data island: `<`, `>`, `&`,
 * U+2028 and U+2029 become \u escapes, so no `</script>` or `<!--` can end the block early.
 */
export function serializeJsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Shortens display text to `max` characters on a word boundary, adding an ellipsis. */
export function truncateText(value: string, max: number): string {
  const text = cleanText(value).replace(/\s+/g, ' ');
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
