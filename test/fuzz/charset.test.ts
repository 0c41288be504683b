/**
 * Property tests for body decoding (scrapers/http/charset.ts): any bytes under any Content-Type
 * decode to a well-formed string without throwing, the chosen charset is one TextDecoder knows,
 * and bodies encoded the way they are declared read back exactly.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalCharset, charsetFromContentType, decodeBody, resolveCharset } from '../../scrapers/http/charset.ts';
import { latin1 } from '../../scrapers/testing/fixture-server.ts';

const RUNS = { numRuns: 400 };

const LABELS = ['utf-8', 'UTF8', 'iso-8859-1', 'ISO-8859-1', 'latin1', 'windows-1252', 'us-ascii', 'utf-16', 'utf-16le', 'utf-16be', 'shift_jis', 'koi8-r', 'gb18030', 'replacement', 'x-user-defined', 'bogus-charset', '', '"utf-8"', "'latin1'", 'utf-7', 'iso-2022-jp'];
const label = fc.oneof(fc.constantFrom(...LABELS), fc.string({ maxLength: 16 }));
const contentType = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  label.map((l) => `application/rss+xml; charset=${l}`),
  label.map((l) => `text/html;charset="${l}"; foo=bar`),
  fc.string({ unit: 'binary', maxLength: 60 }),
);
const head = fc.oneof(
  fc.constant(''),
  label.map((l) => `<?xml version="1.0" encoding="${l}"?>`),
  label.map((l) => `<!doctype html><html><head><meta charset="${l}">`),
  fc.constantFrom('\uFEFF', '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-16">'),
);
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.tuple(head, fc.string({ unit: 'binary', maxLength: 100 })).map(([h, s]) => new Uint8Array(Buffer.from(h + s, 'utf8'))),
  fc.tuple(fc.constantFrom([0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]), fc.uint8Array({ maxLength: 100 })).map(([bom, rest]) => new Uint8Array([...bom, ...rest])),
);

describe('decodeBody', () => {
  test('never throws; yields a well-formed string and a charset TextDecoder accepts', () => {
    fc.assert(
      fc.property(bytes, contentType, (b, ct) => {
        const out = decodeBody(b, ct);
        expect(typeof out.text).toBe('string');
        expect(out.text.isWellFormed()).toBe(true);
        expect(() => new TextDecoder(out.charset)).not.toThrow();
        expect(out.bomLength).toBeGreaterThanOrEqual(0);
        expect(out.bomLength).toBeLessThanOrEqual(3);
        expect(['bom', 'header', 'xml-declaration', 'meta', 'default']).toContain(out.source);
      }),
      RUNS,
    );
  });

  test('UTF-8 text declared as UTF-8 reads back exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.constantFrom('utf-8', 'UTF-8', 'utf8', '"utf-8"'), (s, l) => {
        // A leading U+FEFF is a byte-order mark, not text (WHATWG decode).
        fc.pre(!s.startsWith('\uFEFF'));
        expect(decodeBody(Buffer.from(s, 'utf8'), `application/json; charset=${l}`).text).toBe(s);
      }),
      RUNS,
    );
  });

  test('Latin-1 text declared as ISO-8859-1 (header or XML declaration) reads back exactly', () => {
    const latinChar = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit: latinChar, maxLength: 120 }), fc.boolean(), (s, inHeader) => {
        const body = inHeader ? s : `<?xml version="1.0" encoding="ISO-8859-1"?>${s}`;
        const out = decodeBody(latin1(body), inHeader ? 'application/rss+xml; charset=ISO-8859-1' : 'application/rss+xml');
        expect(out.text).toBe(body);
        expect(out.charset).toBe('windows-1252');
      }),
      RUNS,
    );
  });

  test('a byte-order mark wins over any declaration and is not part of the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constantFrom('utf-16le', 'utf-16be', 'utf-8'), contentType, (s, enc, ct) => {
        fc.pre(!s.startsWith('\uFEFF'));
        let raw: Buffer;
        if (enc === 'utf-8') raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]);
        else if (enc === 'utf-16le') raw = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
        else raw = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);
        const out = decodeBody(raw, ct);
        expect(out.source).toBe('bom');
        expect(out.text).toBe(s);
      }),
      RUNS,
    );
  });
});

describe('charset labels', () => {
  test('canonicalCharset returns a decoder name or null, never throws', () => {
    fc.assert(
      fc.property(fc.oneof(label, fc.string({ unit: 'binary', maxLength: 30 })), (l) => {
        const c = canonicalCharset(l);
        if (c !== null) expect(() => new TextDecoder(c)).not.toThrow();
      }),
      RUNS,
    );
  });

  test('charsetFromContentType and resolveCharset accept any header value', () => {
    fc.assert(
      fc.property(contentType, bytes, (ct, b) => {
        const l = charsetFromContentType(ct);
        if (l !== null) expect(l.length).toBeGreaterThan(0);
        expect(typeof resolveCharset(b, ct).charset).toBe('string');
      }),
      RUNS,
    );
  });
});
