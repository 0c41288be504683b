/**
 * Charset resolution and decoding for response bodies. Pure functions, no I/O.
 *
 * Order: BOM > Content-Type `charset` > XML declaration `encoding` (XML-ish bodies) > `<meta charset>`
 * (HTML bodies) > UTF-8.
 *
 * ISO-8859-1, Latin-1, US-ASCII and windows-1252 are all decoded as windows-1252, as the WHATWG
 * Encoding Standard (and every browser) does. True ISO-8859-1 maps bytes 0x80–0x9F to C1 control
 * characters, which never mean anything in a feed; publishers that declare ISO-8859-1 (Golem)
 * and still emit those bytes mean windows-1252 punctuation (€ „ “ – …). The five bytes windows-1252
 * leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) stay C1 controls, as in WHATWG. Our own table is used
 * instead of `TextDecoder('windows-1252')`, whose mapping of these bytes differs between Node
 * releases (nodejs/node#56542).
 */

export type CharsetSource = 'bom' | 'header' | 'xml-declaration' | 'meta' | 'default';

export interface ResolvedCharset {
  /** Canonical encoding name used to decode (`utf-8`, `utf-16le`, `utf-16be`, `windows-1252`, …). */
  charset: string;
  source: CharsetSource;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
  /** The label as declared, when one was declared but could not be used. */
  unsupportedLabel: string | null;
}

const WINDOWS_1252_LABELS = new Set([
  'windows-1252',
  'cp1252',
  'x-cp1252',
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'iso_8859-1:1987',
  'iso-ir-100',
  'latin1',
  'l1',
  'cp819',
  'ibm819',
  'csisolatin1',
  'us-ascii',
  'ascii',
  'iso-8859-15-as-1252',
]);

const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8', 'x-unicode20utf8']);

/** Bytes 0x80–0x9F in windows-1252; undefined positions keep their C1 code point. */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d,
  0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d,
  0x017e, 0x0178,
];

/** Normalizes a declared label to the encoding name we decode with, or null when unsupported. */
export function canonicalCharset(label: string): string | null {
  const l = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (l === '') return null;
  if (UTF8_LABELS.has(l)) return 'utf-8';
  if (WINDOWS_1252_LABELS.has(l)) return 'windows-1252';
  try {
    return new TextDecoder(l).encoding;
  } catch (err) {
    if (err instanceof RangeError) return null;
    throw err;
  }
}

/** The `charset` parameter of a Content-Type header value, or null. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType);
  return m?.[2] ?? null;
}

function bomOf(bytes: Uint8Array): { charset: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return null;
}

/** ASCII view of the first `n` bytes, enough to read an XML declaration or a meta tag. */
function asciiHead(bytes: Uint8Array, n: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(n, bytes.byteLength)).toString('latin1');
}

function xmlDeclarationEncoding(head: string): string | null {
  const m = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  return m?.[1] ?? null;
}

function metaCharset(head: string): string | null {
  const direct = /<meta\s[^>]*?\bcharset\s*=\s*["']?([^"'\s/>;]+)/i.exec(head);
  return direct?.[1] ?? null;
}

/** Decides how to decode `bytes`. `contentType` is the raw response header value. */
export function resolveCharset(bytes: Uint8Array, contentType: string | null | undefined): ResolvedCharset {
  const bom = bomOf(bytes);
  if (bom) return { charset: bom.charset, source: 'bom', bomLength: bom.length, unsupportedLabel: null };
  let unsupportedLabel: string | null = null;
  const headerLabel = charsetFromContentType(contentType);
  if (headerLabel) {
    const c = canonicalCharset(headerLabel);
    if (c) return { charset: c, source: 'header', bomLength: 0, unsupportedLabel: null };
    unsupportedLabel = headerLabel;
  }
  // WHATWG's prescan reads 1024 bytes; an XML declaration must be at the very start anyway.
  const head = asciiHead(bytes, 1024);
  const xmlLabel = xmlDeclarationEncoding(head);
  if (xmlLabel) {
    const c = canonicalCharset(xmlLabel);
    // A UTF-16 declaration without a BOM in an ASCII-readable head is a lie; keep looking.
    if (c && !c.startsWith('utf-16')) return { charset: c, source: 'xml-declaration', bomLength: 0, unsupportedLabel };
    unsupportedLabel ??= xmlLabel;
  } else if (/<html[\s>]|<!doctype\s+html|<head[\s>]/i.test(head)) {
    const metaLabel = metaCharset(head);
    if (metaLabel) {
      const c = canonicalCharset(metaLabel);
      if (c && !c.startsWith('utf-16')) return { charset: c, source: 'meta', bomLength: 0, unsupportedLabel };
      unsupportedLabel ??= metaLabel;
    }
  }
  return { charset: 'utf-8', source: 'default', bomLength: 0, unsupportedLabel };
}

/** Decodes windows-1252 (and, per WHATWG, ISO-8859-1) bytes. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] ?? c.charCodeAt(0)));
}

/** Decodes a body per `resolveCharset`. Invalid sequences become U+FFFD; nothing throws. */
export function decodeBody(bytes: Uint8Array, contentType: string | null | undefined): { text: string } & ResolvedCharset {
  const resolved = resolveCharset(bytes, contentType);
  const body = bytes.subarray(resolved.bomLength);
  const text =
    resolved.charset === 'windows-1252'
      ? decodeWindows1252(body)
      : new TextDecoder(resolved.charset, { ignoreBOM: true }).decode(body);
  return { ...resolved, text };
}
