/**
 * fast-check arbitraries shared by the fuzz suites: strings built from the fragments that break
 * parsers and escapers (markup, entities, CDATA ends, control and bidi characters, surrogates),
 * mixed with arbitrary Unicode, and small mutations of known-good documents.
 */
import fc from 'fast-check';

/** Fragments that have broken feed parsers, cleaners and escapers somewhere. */
export const HOSTILE_FRAGMENTS: readonly string[] = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  ']]>',
  '<![CDATA[',
  '<!--',
  '-->',
  '&',
  '&amp;',
  '&amp;amp;lt;b&amp;amp;gt;',
  '&lt;script&gt;',
  '&#x202E;',
  '&#0;',
  '&#xD800;',
  '&#1114112;',
  '&nbsp;',
  '&unknown;',
  '\u202E',
  '\u202D',
  '\u2066',
  '\u2069',
  '\u200F',
  '\u061C',
  '\u200B',
  '\uFEFF',
  '\u00AD',
  '\u0000',
  '\u0007',
  '\u001B[31m',
  '\u007F',
  '\u0085',
  '\u009B',
  '\u2028',
  '\u2029',
  '\uD800',
  '\uDFFF',
  '\uDFFF\uDFFF',
  '&#xDFFF;&#xDFFF;',
  '\r\n',
  '\t',
  '<',
  '>',
  '"',
  "'",
  '`',
  '\\',
  '</title>',
  '<title>',
  '<a href="javascript:alert(1)">x</a>',
  '<iframe src="//evil.example"></iframe>',
  '<style>*{display:none}</style>',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
  '%3Cscript%3E',
  'Outlook',
  'Teams',
  'Störung',
  'outage',
  'EX1151485',
  'MO941162',
  ' ',
];

/** Any string, hostile fragments weighted in, arbitrary code points (lone surrogates included) between. */
export function hostileString(options: { maxParts?: number } = {}): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) }, { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), {
      maxLength: options.maxParts ?? 12,
    })
    .map((parts) => parts.join(''));
}

/** A few edits to `text`: deletions, duplications and insertions of hostile fragments at random places. */
export function mutatedText(text: string, options: { maxEdits?: number } = {}): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat({ max: Math.max(0, text.length) }),
    kind: fc.constantFrom('delete', 'insert', 'duplicate', 'truncate'),
    len: fc.nat({ max: 40 }),
    insert: hostileString({ maxParts: 3 }),
  });
  return fc.array(edit, { minLength: 1, maxLength: options.maxEdits ?? 4 }).map((edits) => {
    let s = text;
    for (const e of edits) {
      const at = Math.min(e.at, s.length);
      if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + e.len);
      else if (e.kind === 'insert') s = s.slice(0, at) + e.insert + s.slice(at);
      else if (e.kind === 'duplicate') s = s.slice(0, at + e.len) + s.slice(at);
      else s = s.slice(0, at);
    }
    return s;
  });
}

/** A JSON value shaped like `base` with some subtrees replaced by arbitrary JSON (schema drift). */
export function mutatedJson(base: unknown, options: { maxEdits?: number } = {}): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    paths.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(base, []);
  const replacement = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    hostileString({ maxParts: 4 }),
    fc.constantFrom(null, '', 0, -1, 1e308, true, [], {}, 'unknownStatusWord', '2026-13-45T99:99:99Z', 'not a date'),
  );
  const edit = fc.record({ path: fc.constantFrom(...paths), value: replacement, remove: fc.boolean() });
  return fc.array(edit, { minLength: 1, maxLength: options.maxEdits ?? 3 }).map((edits) => {
    let doc: unknown = structuredClone(base);
    for (const e of edits) {
      if (e.path.length === 0) {
        doc = e.value;
        continue;
      }
      let parent: unknown = doc;
      for (const key of e.path.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent as Record<string | number, unknown>)[key] : undefined;
      if (!parent || typeof parent !== 'object') continue;
      const last = e.path[e.path.length - 1]!;
      if (e.remove && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[last as string];
      else (parent as Record<string | number, unknown>)[last] = e.value;
    }
    return doc;
  });
}

/**
 * `base` with the string fields named in `keys` (at any depth) replaced by hostile text, sometimes
 * wrapped as Microsoft writes post bodies (`<div>Title: …</div><div>User impact: …</div>`).
 */
export function hostileFields(base: unknown, keys: readonly string[]): fc.Arbitrary<unknown> {
  const value = fc.oneof(
    hostileString({ maxParts: 6 }),
    fc.tuple(hostileString({ maxParts: 4 }), hostileString({ maxParts: 4 })).map(([a, b]) => `<div>Title: ${a}</div><div><br></div><div>User impact: ${b}</div><div>Start time: Monday, August 31, 2026, at 2:00 PM UTC</div>`),
    fc.tuple(hostileString({ maxParts: 4 }), hostileString({ maxParts: 4 })).map(([a, b]) => `Title: ${a}\n\nUser Impact: ${b}\n\nCurrent status: ${a}`),
  );
  return fc.infiniteStream(fc.tuple(fc.boolean(), value)).map((stream) => {
    const it = stream[Symbol.iterator]();
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
          if (keys.includes(k) && (typeof x === 'string' || x === null)) {
            const [replace, hostile] = it.next().value as [boolean, string];
            out[k] = replace ? hostile : x;
          } else out[k] = walk(x);
        }
        return out;
      }
      return v;
    };
    return walk(base);
  });
}
