/**
 * Property tests for the press text pipeline (scrapers/text): whatever a feed carries, cleaning
 * never throws and never lets control, bidi-override or invisible characters through; canonical
 * URLs are absolute http(s) or null; dates are valid ISO-8601 UTC or null; language and
 * classification always answer within their vocabularies.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cleanTitle, htmlToText, normalizeWhitespace, truncateText } from '../../scrapers/text/clean.ts';
import { classifyText } from '../../scrapers/text/classify.ts';
import { parseFeedDate, resolveItemTime } from '../../scrapers/text/dates.ts';
import { detectLanguage } from '../../scrapers/text/language.ts';
import { canonicalizeUrl } from '../../scrapers/text/url.ts';
import { HttpUrlSchema, IsoDateSchema } from '../../src/domain/schemas.ts';
import { SERVICE_IDS } from '../../src/domain/services.ts';
import { LANGUAGES, PRESS_KINDS } from '../../src/domain/vocabulary.ts';
import { hostileString } from '../support/arbitraries.ts';
import { unsafeCharsIn } from '../support/text-safety.ts';

const RUNS = { numRuns: 400 };

const markup = fc
  .array(
    fc.oneof(
      hostileString({ maxParts: 4 }),
      fc.constantFrom('<p>', '</p>', '<br>', '<b>', '</b>', '<div class="x">', '</div>', '<img src=x onerror=alert(1)>', '<script>', '</script>', '<![CDATA[x]]>', '<!-- c -->', '<a href="javascript:x">', '</a>', '<svg><script>alert(1)</script></svg>', '<template><b>t</b></template>', '<', '>', '&'),
    ),
    { maxLength: 16 },
  )
  .map((p) => p.join(''));

describe('cleanTitle and htmlToText', () => {
  test('never throw, and their output carries no control, bidi or invisible characters', () => {
    fc.assert(
      fc.property(markup, (input) => {
        for (const out of [cleanTitle(input), htmlToText(input), normalizeWhitespace(input)]) {
          expect(typeof out).toBe('string');
          expect(unsafeCharsIn(out), JSON.stringify(input)).toEqual([]);
          expect(out).toBe(out.trim());
          expect(out).not.toMatch(/\s{2}/);
        }
      }),
      RUNS,
    );
  });

  test('are idempotent on their own output (cleaning clean text changes nothing but entity text)', () => {
    fc.assert(
      fc.property(markup, (input) => {
        const once = normalizeWhitespace(cleanTitle(input));
        expect(normalizeWhitespace(once)).toBe(once);
      }),
      RUNS,
    );
  });

  test('htmlToText drops script, style and iframe content entirely', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 20 }).filter((s) => !/[<>&]/.test(s)), fc.constantFrom('script', 'style', 'iframe', 'noscript', 'template'), (secret, tag) => {
        const marker = `ZZ${secret}ZZ`;
        const out = htmlToText(`<p>before</p><${tag}>${marker}</${tag}><p>after</p>`);
        expect(out).not.toContain(marker);
        expect(out).toContain('before');
        expect(out).toContain('after');
      }),
      { numRuns: 100 },
    );
  });

  test('accept anything at all, null and undefined included', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.constant(null), fc.constant(undefined)), (input) => {
        expect(unsafeCharsIn(cleanTitle(input))).toEqual([]);
        expect(unsafeCharsIn(htmlToText(input))).toEqual([]);
      }),
      RUNS,
    );
  });

  test('truncateText keeps the limit and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 2, max: 120 }), (text, max) => {
        const out = truncateText(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out.isWellFormed()).toBe(true);
      }),
      RUNS,
    );
  });
});

const urlish = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.webUrl().map((u) => `${u}?utm_source=x&b=2&a=1&fbclid=y#frag`),
  fc.webUrl().chain((u) => fc.constantFrom(`https://www.google.com/url?q=${encodeURIComponent(u)}`, `https://out.reddit.com/x?url=${encodeURIComponent(u)}`, `https://l.facebook.com/l.php?u=${encodeURIComponent(u)}`)),
  fc.constantFrom('javascript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', 'mailto:a@b.c', '//evil.example/x', '/relative', '?q=1', '#x', 'http://', 'https://user:pw@Example.COM.:443/a?b=1#c', 'https://www.google.com/url?q=javascript:alert(1)', 'https://out.reddit.com/?url=data:text/html,x'),
  hostileString({ maxParts: 5 }),
  fc.tuple(fc.webUrl(), hostileString({ maxParts: 3 })).map(([u, h]) => `${u}/${h}`),
);

describe('canonicalizeUrl', () => {
  test('yields an absolute http(s) URL the domain schema accepts, or null', () => {
    fc.assert(
      fc.property(urlish, fc.option(fc.constantFrom('https://www.heise.de/news/', 'http://127.0.0.1:8080/feed', 'not a base'), { nil: undefined }), (raw, base) => {
        let out: string | null;
        try {
          out = canonicalizeUrl(raw, base);
        } catch (err) {
          // An invalid base is the caller's bug, but it must still not escape as anything but a URL error.
          expect(base).toBe('not a base');
          expect((err as Error).name).toBe('TypeError');
          return;
        }
        if (out === null) return;
        expect(out).toMatch(/^https?:\/\/[^\s]/);
        expect(HttpUrlSchema.safeParse(out).success, out).toBe(true);
        expect(out).not.toMatch(/[\u0000-\u0020\u007F]/);
        expect(out.length).toBeLessThanOrEqual(2048);
        expect(out).not.toContain('#');
      }),
      RUNS,
    );
  });

  test('is idempotent: a canonical URL canonicalizes to itself', () => {
    fc.assert(
      fc.property(urlish, (raw) => {
        const once = canonicalizeUrl(raw);
        if (once === null) return;
        expect(canonicalizeUrl(once)).toBe(once);
      }),
      RUNS,
    );
  });

  test('never turns a non-http(s) scheme into a link', () => {
    fc.assert(
      fc.property(fc.constantFrom('javascript', 'data', 'vbscript', 'file', 'ftp', 'blob', 'about'), hostileString({ maxParts: 3 }), (scheme, rest) => {
        expect(canonicalizeUrl(`${scheme}:${rest}`)).toBeNull();
      }),
      RUNS,
    );
  });
});

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dateLike = fc.oneof(
  fc
    .record({
      // Edges weighted in: years Date.UTC misreads (0–99) and the last instants before year 10000.
      y: fc.oneof(fc.constantFrom(0, 1, 50, 99, 100, 999, 1000, 1969, 1970, 2026, 9999), fc.integer({ min: 0, max: 9999 })),
      mo: fc.oneof(fc.constantFrom(1, 2, 12), fc.integer({ min: 0, max: 13 })),
      d: fc.oneof(fc.constantFrom(1, 29, 31), fc.integer({ min: 0, max: 32 })),
      h: fc.oneof(fc.constantFrom(0, 23, 24), fc.integer({ min: 0, max: 25 })),
      mi: fc.integer({ min: 0, max: 61 }),
      s: fc.integer({ min: 0, max: 61 }),
      zone: fc.constantFrom('Z', '+00:00', '-14:59', '+14:59', '+15:00', '+0200', '-05', '', ' UTC'),
    })
    .map(({ y, mo, d, h, mi, s, zone }) => `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${zone}`),
  fc
    .record({
      wd: fc.constantFrom('Mon, ', 'Tue, ', 'Mo., ', 'Dienstag, ', '', 'Xyz, '),
      d: fc.integer({ min: 0, max: 32 }),
      mon: fc.constantFrom('Jan', 'Feb', 'Mär', 'Mrz', 'Mai', 'Okt', 'Dez', 'December', 'Foo', 'May'),
      y: fc.constantFrom('26', '69', '70', '1999', '2026', '9999', '0000'),
      h: fc.integer({ min: 0, max: 25 }),
      mi: fc.integer({ min: 0, max: 60 }),
      zone: fc.constantFrom(' GMT', ' +0200', ' -1459', ' MESZ', ' EDT', ' Z', ' XYZ', '', ' +99:99', ' (CET)'),
    })
    .map(({ wd, d, mon, y, h, mi, zone }) => `${wd}${d} ${mon} ${y} ${pad(h)}:${pad(mi)}:00${zone}`),
  hostileString({ maxParts: 4 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('parseFeedDate', () => {
  test('returns a valid ISO-8601 UTC timestamp the domain schema accepts, or null', () => {
    fc.assert(
      fc.property(dateLike, (raw) => {
        const out = parseFeedDate(raw);
        if (out === null) return;
        expect(IsoDateSchema.safeParse(out).success, `${JSON.stringify(raw)} → ${out}`).toBe(true);
        expect(new Date(out).toISOString()).toBe(out);
      }),
      { numRuns: 1000 },
    );
  });

  test('reads back every instant it could have written (ISO and RFC 822)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        expect(parseFeedDate(d.toISOString())).toBe(d.toISOString());
        const seconds = new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString();
        expect(parseFeedDate(d.toUTCString())).toBe(seconds);
      }),
      RUNS,
    );
  });

  test('what it reads is the instant that was written, or null (no year shifted by 1900, no year 10000)', () => {
    const fields = fc.record({
      y: fc.oneof(fc.constantFrom(0, 50, 99, 999, 9999), fc.integer({ min: 0, max: 9999 })),
      mo: fc.oneof(fc.constant(12), fc.integer({ min: 1, max: 12 })),
      d: fc.oneof(fc.constant(31), fc.integer({ min: 1, max: 28 })),
      h: fc.integer({ min: 0, max: 23 }),
      mi: fc.integer({ min: 0, max: 59 }),
      offset: fc.oneof(fc.constantFrom(-899, -60, 0, 899), fc.integer({ min: -899, max: 899 })),
    });
    fc.assert(
      fc.property(fields, ({ y, mo, d, h, mi, offset }) => {
        if (mo !== 12 && d === 31) d = 28;
        const sign = offset < 0 ? '-' : '+';
        const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
        const raw = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:00${zone}`;
        const out = parseFeedDate(raw);
        if (out === null) return;
        const expected = new Date(0);
        expected.setUTCFullYear(y, mo - 1, d);
        expected.setUTCHours(h, mi - offset, 0, 0);
        expect(out, raw).toBe(expected.toISOString());
        expect(IsoDateSchema.safeParse(out).success, `${raw} → ${out}`).toBe(true);
      }),
      RUNS,
    );
  });

  test('resolveItemTime never returns a time more than the allowed skew after now', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    fc.assert(
      fc.property(fc.array(fc.option(dateLike, { nil: null }), { maxLength: 4 }), (candidates) => {
        const { at } = resolveItemTime(candidates, now);
        expect(IsoDateSchema.safeParse(at).success).toBe(true);
        expect(Date.parse(at) - now.getTime()).toBeLessThanOrEqual(24 * 3600_000);
      }),
      RUNS,
    );
  });
});

describe('detectLanguage and classifyText', () => {
  const headline = fc.oneof(
    hostileString({ maxParts: 10 }),
    fc
      .array(fc.constantFrom('Outlook', 'Teams', 'Exchange Online', 'OneDrive', 'Azure', 'Copilot', 'Microsoft', 'Störung', 'Ausfall', 'down', 'outage', 'behoben', 'restored', 'ad', 'Aktie', 'EX1151485', 'MO941162', 'und', 'the', 'is', 'ist', '–', ':', '!', 'Outlook-Störung', 'teams', 'outlook'), { maxLength: 14 })
      .map((w) => w.join(' ')),
  );

  test('detectLanguage answers de or en, and the fallback when there is no evidence', () => {
    fc.assert(
      fc.property(headline, fc.constantFrom(...LANGUAGES), (text, fallback) => {
        expect(LANGUAGES).toContain(detectLanguage(text, fallback));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 .,:;!?-+#@'.split('')) }), fc.constantFrom(...LANGUAGES), (text, fallback) => {
        expect(detectLanguage(text, fallback)).toBe(fallback);
      }),
      { numRuns: 100 },
    );
  });

  test('classifyText is total, deterministic and stays inside the vocabularies', () => {
    fc.assert(
      fc.property(headline, fc.option(headline, { nil: null }), fc.constantFrom(...LANGUAGES), fc.boolean(), (title, summary, lang, caseSensitive) => {
        const a = classifyText(title, summary, lang, { caseSensitive });
        const b = classifyText(title, summary, lang, { caseSensitive });
        expect(a).toEqual(b);
        expect(PRESS_KINDS).toContain(a.kind);
        for (const s of a.services) expect(SERVICE_IDS).toContain(s);
        expect(new Set(a.services).size).toBe(a.services.length);
        if (a.kind === 'unrelated') expect(a.services).toEqual([]);
        for (const r of a.refs) expect(r).toMatch(/^[A-Z]{2}\d{5,9}$/);
        expect(Number.isFinite(a.score)).toBe(true);
      }),
      RUNS,
    );
  });
});
