/**
 * fast-check arbitraries for response bodies: JSON payloads (drifted, hostile-text, arbitrary) and
 * RSS/Atom feeds (well-formed with hostile fields, garbled real feeds, not XML at all).
 */
import fc from 'fast-check';
import { hostileFields, hostileString, mutatedJson, mutatedText } from './arbitraries.ts';

/** A JSON body: real payload with hostile text, drifted real payload, arbitrary JSON, or not JSON at all. */
export function jsonBody(base: unknown, textKeys: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: textKeys.length ? 5 : 0, arbitrary: hostileFields(base, textKeys).map((v) => JSON.stringify(v)) },
    { weight: 5, arbitrary: mutatedJson(base).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: mutatedText(JSON.stringify(base)) },
    { weight: 1, arbitrary: hostileString() },
  );
}

/** Text an XML field may carry: escaped, in CDATA (with a `]]>` split), or raw. */
export const xmlField = hostileString({ maxParts: 6 }).chain((s) =>
  fc.constantFrom(
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`,
    s,
  ),
);
export const dateField = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  hostileString({ maxParts: 3 }),
  fc.constantFrom('Sat, 01 Aug 2026 00:05:00 Z', '31 Dec 9999 23:59:00 -1459', '', '0001-01-01T00:00:00Z'),
);
export const linkField = fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'data:text/html,x', '//evil.example', '/relative', '&lt;script&gt;'), hostileString({ maxParts: 3 }));

export function rssFeed(channelTitle: fc.Arbitrary<string>, extra = ''): fc.Arbitrary<string> {
  const item = fc.record({ title: xmlField, description: xmlField, link: linkField, guid: xmlField, date: dateField, status: fc.oneof(xmlField, fc.constantFrom('Service degradation', 'Restored', 'Investigating')) });
  return fc.tuple(channelTitle, fc.array(item, { maxLength: 4 })).map(
    ([title, items]) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${title}</title><link>https://example.com/</link>${extra}` +
      items
        .map((i) => `<item><title>${i.title}</title><link>${i.link.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</link><guid>${i.guid}</guid><pubDate>${i.date.replace(/</g, '&lt;').replace(/&/g, '&amp;')}</pubDate><status>${i.status}</status><description>${i.description}</description></item>`)
        .join('') +
      '</channel></rss>',
  );
}

export function atomFeed(): fc.Arbitrary<string> {
  const entry = fc.record({ title: xmlField, summary: xmlField, link: linkField, id: xmlField, date: dateField, type: fc.constantFrom('html', 'text', 'xhtml') });
  return fc.array(entry, { maxLength: 4 }).map(
    (entries) =>
      `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Feed</title>` +
      entries
        .map((e) => `<entry><title type="${e.type}">${e.title}</title><link href="${e.link.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"/><id>${e.id}</id><published>${e.date.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</published><summary type="html">${e.summary}</summary></entry>`)
        .join('') +
      '</feed>',
  );
}

/** An XML body: well-formed with hostile fields, garbled real feed, or not XML at all. */
export function xmlBody(base: string, generated: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: generated },
    { weight: 4, arbitrary: mutatedText(base) },
    { weight: 1, arbitrary: hostileString() },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );
}

