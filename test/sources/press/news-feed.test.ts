import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SignalSchema, type Signal } from '../../../src/domain/schemas.ts';
import { SourceError } from '../../../scrapers/http/errors.ts';
import type { OwnedHttpClient } from '../../../scrapers/http/index.ts';
import { fetchNewsFeed } from '../../../scrapers/sources/news-feed.ts';
import { contextFor, createTestHttp, startFeedServer, type FeedServer } from './_harness.ts';

const NOW = new Date('2026-11-24T15:00:00.000Z');
const MOJIBAKE = /Ã[\u0080-\u00BF]|Â[\u00A0-\u00BF]|\uFFFD/;
const INVISIBLE = /[\u200B\u00A0\u202F\uFEFF\u202A-\u202E]/;

let server: FeedServer;
let http: OwnedHttpClient;

beforeAll(async () => {
  server = await startFeedServer();
  http = createTestHttp();
  server.serveFixture('/heise-atom.xml', 'heise-atom.xml', 'application/atom+xml; charset=utf-8', '"heise-v1"');
  server.serveFixture('/golem-header.xml', 'golem-rss2.iso-8859-1.xml', 'application/rss+xml; charset=ISO-8859-1');
  server.serveFixture('/golem-decl.xml', 'golem-rss2.iso-8859-1.xml', 'application/rss+xml');
  server.serveFixture('/bleepingcomputer.xml', 'bleepingcomputer-rss2.xml', 'application/rss+xml; charset=UTF-8');
  server.serveFixture('/theregister.atom', 'theregister-atom.xml', 'application/atom+xml');
  server.serveFixture('/theverge.xml', 'theverge-atom.xml', 'application/xml');
  server.serveFixture('/bad-date.atom', 'bad-atom-date.xml', 'application/atom+xml');
  server.serveFixture('/entities.xml', 'html-entities-rss.xml', 'application/rss+xml; charset=utf-8');
  server.serveFixture('/empty.xml', 'empty-rss.xml', 'application/rss+xml');
  server.serveFixture('/malformed.xml', 'malformed.xml', 'application/rss+xml');
  server.serveFixture('/interstitial', 'interstitial.html', 'text/html; charset=utf-8');
  server.serveFixture('/html-page', 'html-page.html', 'text/html; charset=utf-8');
  server.serveFixture('/html-as-xml', 'html-page.html', 'application/rss+xml');
});

afterAll(async () => {
  await http.close();
  await server.close();
});

async function run(path: string, extra: { outlet?: string; lang?: 'de' | 'en'; id?: string } = {}) {
  const ctx = contextFor(
    { id: extra.id ?? 'test-feed', adapter: 'news-feed', url: `${server.base}${path}`, outlet: extra.outlet, lang: extra.lang },
    http,
    NOW,
  );
  return fetchNewsFeed(ctx);
}

function expectValid(signals: Signal[]): void {
  for (const s of signals) {
    expect(SignalSchema.safeParse(s).success).toBe(true);
    expect(s.source.kind).toBe('press');
    expect(s.press).toBeDefined();
    expect(s.text.length).toBeLessThanOrEqual(300);
    expect(s.title).not.toMatch(INVISIBLE);
    expect(s.title).not.toMatch(MOJIBAKE);
    expect(s.text).not.toMatch(MOJIBAKE);
  }
}

describe('news-feed adapter against a local server', () => {
  test('heise Atom: outage and resolution become signals; ads, TechStage and unrelated news do not', async () => {
    const r = await run('/heise-atom.xml', { outlet: 'heise online', lang: 'de', id: 'heise-atom' });
    expect(r.outcome).toBe('ok');
    expectValid(r.signals);
    expect(r.signals.map((s) => [s.title, s.press!.kind, s.services])).toEqual([
      ['Outlook-Störung: Microsoft untersucht Probleme beim Mailabruf', 'outage', ['exchange-online']],
      ['Microsoft-365-Störung weitgehend behoben', 'resolution', ['m365-apps']],
    ]);
    const [outage] = r.signals;
    expect(outage!.url).toBe('https://www.heise.de/news/Outlook-Stoerung-Microsoft-untersucht-Probleme-beim-Mailabruf-10100001.html');
    expect(outage!.press!.canonicalUrl).toBe(outage!.url);
    expect(outage!.press!.outlet).toBe('heise online');
    expect(outage!.press!.refs).toEqual(['EX1200001']);
    expect(outage!.observedAt).toBe('2026-11-24T08:40:00.000Z');
    expect(outage!.fetchedAt).toBe(NOW.toISOString());
    expect(outage!.lang).toBe('de');
    expect(outage!.text).toBe('Seit dem frühen Morgen können viele Nutzer in Outlook keine Mails abrufen. Microsoft verweist im Admin-Center auf EX1200001.');
    expect(r.validators.etag).toBe('"heise-v1"');
    expect(r.notes.filter((n) => n.outcome === 'not-ours').map((n) => n.title)).toEqual([
      'heise-Angebot: iX-Workshop: Microsoft 365 Copilot im Unternehmen einführen',
      'TechStage | Die besten Webcams für Microsoft Teams im Test',
      'Windows 11: Neues Update bringt Funktionen für den Explorer',
    ]);
  });

  test('the same feed fetched twice gives the same signal ids; the ETag brings a 304', async () => {
    const a = await run('/heise-atom.xml', { id: 'heise-atom' });
    const b = await run('/heise-atom.xml', { id: 'heise-atom' });
    expect(a.signals.map((s) => s.id)).toEqual(b.signals.map((s) => s.id));
    const ctx = contextFor({ id: 'heise-atom', adapter: 'news-feed', url: `${server.base}/heise-atom.xml` }, http, NOW, {
      validators: { etag: '"heise-v1"', lastModified: null },
    });
    const c = await fetchNewsFeed(ctx);
    expect(c.outcome).toBe('not_modified');
    expect(c.signals).toEqual([]);
    expect(c.validators.etag).toBe('"heise-v1"');
  });

  test.each([['/golem-header.xml'], ['/golem-decl.xml']])('Golem ISO-8859-1 (%s): umlauts intact, tag list and tracking pixel gone', async (path) => {
    const r = await run(path, { outlet: 'Golem.de', lang: 'de' });
    expectValid(r.signals);
    expect(r.signals).toHaveLength(1);
    const s = r.signals[0]!;
    expect(s.title).toBe('Microsoft: Outlook und Teams weltweit gestört');
    expect(s.services).toEqual(['exchange-online', 'teams']);
    expect(s.press!.kind).toBe('outage');
    expect(s.press!.refs).toEqual(['MO1200002']);
    expect(s.text).toContain('Größere Unternehmen sind betroffen.');
    expect(s.text).not.toContain('Office 365)');
    expect(s.text).not.toContain('cpx');
    expect(s.observedAt).toBe('2026-11-23T09:15:00.000Z');
  });

  test('BleepingComputer: undeclared prefixes, EDT channel date, utm stripped, " [...]" dropped, security news skipped', async () => {
    const r = await run('/bleepingcomputer.xml', { outlet: 'BleepingComputer', lang: 'en' });
    expectValid(r.signals);
    expect(r.signals).toHaveLength(1);
    const s = r.signals[0]!;
    expect(s.services).toEqual(['m365-apps', 'exchange-online', 'teams']);
    expect(s.url).toBe('https://www.bleepingcomputer.com/news/microsoft/microsoft-365-outage-takes-down-outlook-and-teams/');
    expect(s.text.endsWith('admin center.')).toBe(true);
    expect(s.observedAt).toBe('2026-11-24T08:48:43.000Z');
  });

  test('The Register: escaped and double-escaped <i> stripped, redirector unwrapped, economic outlook skipped', async () => {
    const r = await run('/theregister.atom', { outlet: 'The Register', lang: 'en' });
    expectValid(r.signals);
    expect(r.signals.map((s) => [s.title, s.url, s.press!.kind])).toEqual([
      [
        'Exchange Online outage leaves admins staring at empty inboxes',
        'https://www.theregister.com/2026/11/24/exchange_online_outage/',
        'outage',
      ],
      ['Microsoft Teams is back up after outage', 'https://www.theregister.com/2026/11/24/teams_back/', 'resolution'],
    ]);
    expect(r.signals[0]!.text).toBe('Redmond says a config change is being rolled back Mail stopped flowing for a chunk of tenants on Tuesday morning.');
  });

  test('The Verge: entities inside CDATA decoded; the teaser is the summary, never the full content', async () => {
    const r = await run('/theverge.xml', { outlet: 'The Verge' });
    expectValid(r.signals);
    expect(r.signals).toHaveLength(1);
    const s = r.signals[0]!;
    expect(s.title).toBe('Microsoft’s Outlook is down for “many” users');
    expect(s.text).toBe('Microsoft says it’s investigating…');
    expect(JSON.stringify(s)).not.toContain('must never store');
    expect(s.lang).toBe('en');
    expect(s.observedAt).toBe('2026-11-24T13:41:12.000Z');
  });

  test('one unparseable Atom date does not lose the feed: that item falls back to the fetch time and says so', async () => {
    const r = await run('/bad-date.atom', { outlet: 'Example News', lang: 'en' });
    expectValid(r.signals);
    expect(r.signals.map((s) => [s.services, s.observedAt])).toEqual([
      [['onedrive'], NOW.toISOString()],
      [['sharepoint'], '2026-11-24T08:00:00.000Z'],
    ]);
    expect(r.notes.find((n) => n.title.startsWith('OneDrive'))!.timeFromFetch).toBe(true);
    expect(r.notes.find((n) => n.title.startsWith('SharePoint'))!.timeFromFetch).toBeUndefined();
  });

  test('HTML entities outside CDATA and junk before the declaration are tolerated; relative links resolve', async () => {
    const r = await run('/entities.xml', { outlet: 'Dr. Example' });
    expectValid(r.signals);
    expect(r.signals).toHaveLength(1);
    expect(r.signals[0]!.title).toBe('Microsoft Teams – Störung bei Videokonferenzen');
    expect(r.signals[0]!.lang).toBe('de');
    expect(r.signals[0]!.observedAt).toBe('2026-11-24T10:00:00.000Z');
    expect(r.signals[0]!.text).toBe('Viele Nutzer berichten von Abbrüchen.…');
  });

  test('an empty feed is ok with no signals', async () => {
    const r = await run('/empty.xml');
    expect(r.outcome).toBe('ok');
    expect(r.signals).toEqual([]);
  });

  test.each([
    ['/malformed.xml', 'PARSE_FAILED'],
    ['/interstitial', 'SOURCE_BLOCKED'],
    ['/html-page', 'SOURCE_WRONG_TYPE'],
    ['/html-as-xml', 'SOURCE_WRONG_TYPE'],
    ['/missing', 'SOURCE_HTTP_STATUS'],
  ])('%s is rejected with %s', async (path, code) => {
    const err = await run(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe(code);
  });
});
