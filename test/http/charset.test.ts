import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpConfigSchema } from '../../src/config/schema.ts';
import { canonicalCharset, decodeBody, resolveCharset } from '../../scrapers/http/charset.ts';
import { createHttpClient, type OwnedHttpClient } from '../../scrapers/http/index.ts';
import { startFaultServer, type FaultServer } from './_fault-server.ts';

/** Mojibake that a wrong decode leaves behind (UTF-8 read as Latin-1, or replacement chars). */
const MOJIBAKE = /Ã[\u0080-\u00BF]|Â[\u00A0-\u00BF]|\uFFFD/;

// "Outlook-Störung: „Große“ Ausfälle – 5 € Gutschein…" in windows-1252 bytes; „ “ – € … live in 0x80–0x9F.
const CP1252_TEXT = 'Outlook-Störung: „Große“ Ausfälle – 5 € Gutschein…';
const CP1252_BYTES = Buffer.from([
  ...Buffer.from('Outlook-St', 'latin1'), 0xf6, ...Buffer.from('rung: ', 'latin1'), 0x84, ...Buffer.from('Gro', 'latin1'), 0xdf,
  0x65, 0x93, ...Buffer.from(' Ausf', 'latin1'), 0xe4, ...Buffer.from('lle ', 'latin1'), 0x96, ...Buffer.from(' 5 ', 'latin1'), 0x80,
  ...Buffer.from(' Gutschein', 'latin1'), 0x85,
]);
// Pure ISO-8859-1 (no byte in 0x80–0x9F), as Golem's feed is in practice.
const LATIN1_TEXT = 'Microsoft: Anmeldeprobleme bei Outlook – nein, bei Exchange: Größe, Übersicht, süß';
const LATIN1_BYTES = Buffer.from(LATIN1_TEXT.replace('–', '-'), 'latin1');

const rss = (decl: string, title: Buffer) =>
  Buffer.concat([
    Buffer.from(`${decl}<rss version="2.0"><channel><title>Golem.de</title><item><title>`, 'latin1'),
    title,
    Buffer.from('</title></item></channel></rss>', 'latin1'),
  ]);

describe('canonical charset labels', () => {
  test.each([
    ['UTF-8', 'utf-8'],
    ['utf8', 'utf-8'],
    ['ISO-8859-1', 'windows-1252'],
    ['iso_8859-1', 'windows-1252'],
    ['latin1', 'windows-1252'],
    ['Windows-1252', 'windows-1252'],
    ['us-ascii', 'windows-1252'],
    ['"utf-8"', 'utf-8'],
    ['iso-8859-15', 'iso-8859-15'],
    ['shift_jis', 'shift_jis'],
    ['x-no-such-charset', null],
    ['', null],
  ])('%j → %j', (label, expected) => {
    expect(canonicalCharset(label)).toBe(expected);
  });
});

describe('charset resolution order: BOM > header > XML declaration > meta > UTF-8', () => {
  test('windows-1252 bytes declared ISO-8859-1 in the header decode as windows-1252 punctuation', () => {
    const r = decodeBody(CP1252_BYTES, 'text/xml; charset=ISO-8859-1');
    expect(r.text).toBe(CP1252_TEXT);
    expect(r).toMatchObject({ charset: 'windows-1252', source: 'header' });
    expect(r.text).not.toMatch(MOJIBAKE);
    expect(r.text).not.toMatch(/[\u0080-\u009f]/);
  });

  test('true ISO-8859-1 umlauts decode unchanged', () => {
    expect(decodeBody(LATIN1_BYTES, 'application/rss+xml; charset=iso-8859-1').text).toBe(LATIN1_TEXT.replace('–', '-'));
  });

  test('the XML declaration decides when the header has no charset', () => {
    const r = decodeBody(rss('<?xml version="1.0" encoding="ISO-8859-1"?>', CP1252_BYTES), 'application/rss+xml');
    expect(r.source).toBe('xml-declaration');
    expect(r.text).toContain(CP1252_TEXT);
  });

  test('the header wins over a contradicting XML declaration', () => {
    const bytes = rss('<?xml version="1.0" encoding="ISO-8859-1"?>', Buffer.from('Störung €', 'utf8'));
    const r = decodeBody(bytes, 'application/rss+xml; charset=utf-8');
    expect(r.source).toBe('header');
    expect(r.text).toContain('Störung €');
  });

  test('a UTF-8 BOM wins over a header that says ISO-8859-1, and is stripped', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<rss>Störung</rss>', 'utf8')]);
    const r = decodeBody(bytes, 'text/xml; charset=ISO-8859-1');
    expect(r).toMatchObject({ charset: 'utf-8', source: 'bom', text: '<rss>Störung</rss>' });
  });

  test('a UTF-16LE BOM decodes UTF-16', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<rss>Größe</rss>', 'utf16le')]);
    expect(decodeBody(bytes, null)).toMatchObject({ charset: 'utf-16le', text: '<rss>Größe</rss>' });
  });

  test('an HTML meta charset is used for HTML without a header charset', () => {
    const bytes = Buffer.concat([Buffer.from('<!DOCTYPE html><html><head><meta charset="windows-1252"><title>', 'latin1'), CP1252_BYTES]);
    const r = decodeBody(bytes, 'text/html');
    expect(r.source).toBe('meta');
    expect(r.text).toContain(CP1252_TEXT);
  });

  test('an unknown label falls back to UTF-8 and is reported', () => {
    const r = resolveCharset(Buffer.from('{}'), 'application/json; charset=x-klingon');
    expect(r).toMatchObject({ charset: 'utf-8', source: 'default', unsupportedLabel: 'x-klingon' });
  });

  test('no declaration at all means UTF-8', () => {
    expect(decodeBody(Buffer.from('{"a":"Störung"}'), 'application/json')).toMatchObject({ charset: 'utf-8', text: '{"a":"Störung"}' });
  });
});

describe('charset over real HTTP', () => {
  let server: FaultServer;
  let client: OwnedHttpClient;
  beforeAll(async () => {
    server = await startFaultServer();
    client = createHttpClient({ config: HttpConfigSchema.parse({}) });
    server.route('/golem-header', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=ISO-8859-1' });
      res.end(rss('<?xml version="1.0" encoding="ISO-8859-1"?>', CP1252_BYTES));
    });
    server.route('/golem-decl-only', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(rss('<?xml version="1.0" encoding="ISO-8859-1"?>', LATIN1_BYTES));
    });
    server.route('/cp1252-header', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=windows-1252' });
      res.end(rss('<?xml version="1.0"?>', CP1252_BYTES));
    });
    server.route('/cp1252-decl-only', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(rss('<?xml version="1.0" encoding="windows-1252"?>', CP1252_BYTES));
    });
    server.route('/bom', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=iso-8859-1' });
      res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), rss('<?xml version="1.0" encoding="utf-8"?>', Buffer.from(CP1252_TEXT, 'utf8'))]));
    });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  test.each([
    ['/golem-header', CP1252_TEXT, 'windows-1252'],
    ['/golem-decl-only', LATIN1_TEXT.replace('–', '-'), 'windows-1252'],
    ['/cp1252-header', CP1252_TEXT, 'windows-1252'],
    ['/cp1252-decl-only', CP1252_TEXT, 'windows-1252'],
    ['/bom', CP1252_TEXT, 'utf-8'],
  ])('%s decodes to clean text', async (route, title, charset) => {
    const r = await client.request({ url: `${server.base}${route}`, expect: 'feed' });
    expect(r.text).toContain(`<title>${title}</title>`);
    expect(r.charset).toBe(charset);
    expect(r.text).not.toMatch(MOJIBAKE);
    expect(r.text.charCodeAt(0)).not.toBe(0xfeff);
  });
});
