/**
 * Property tests for every source adapter's parsing, end to end from a response body: arbitrary
 * JSON, drifted copies of real payloads, garbled and truncated XML, and well-formed feeds whose
 * fields carry hostile text. Each read either yields a result whose signals all pass the domain
 * schema (clean one-line titles, http(s) links only, valid ISO dates) or fails with a SourceError
 * carrying a stable code and the source id. Nothing else may escape: no TypeError, no RangeError,
 * no unhandled rejection.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isSourceError, SOURCE_ERROR_CODES } from '../../scrapers/http/errors.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../scrapers/http/types.ts';
import { parseFeed } from '../../scrapers/press/feed.ts';
import { parseRss } from '../../scrapers/sources/_rss.ts';
import { clearGraphTokenCache } from '../../scrapers/sources/graph-service-health.ts';
import type { FetchContext, SourceAdapter } from '../../scrapers/sources/types.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { SourceConfigInput } from '../../src/config/schema.ts';
import { SignalSchema } from '../../src/domain/schemas.ts';
import { SERVICE_IDS } from '../../src/domain/services.ts';
import { COMPONENT_STATUSES } from '../../src/domain/vocabulary.ts';
import { atomFeed, jsonBody, rssFeed, xmlBody, xmlField } from '../support/feed-arbitraries.ts';
import { unsafeCharsIn } from '../support/text-safety.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const text = (p: string) => readFileSync(path.join(FIXTURES, p), 'utf8');
const json = (p: string) => JSON.parse(text(p)) as unknown;
const NOW = new Date('2026-08-31T16:05:00.000Z');
const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 120), timeout: Number(process.env.FUZZ_TIMEOUT ?? 0) || undefined };

const JSON_TYPE = 'application/json; charset=utf-8';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

/** What the fake HTTP layer answers: a body per URL substring (first match wins). */
type Routes = [match: string, body: string, contentType: string][];

function fakeHttp(routes: Routes): HttpClient {
  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      const route = routes.find(([m]) => req.url.includes(m));
      if (!route) throw new Error(`fake http: no route for ${req.url}`);
      const [, body, contentType] = route;
      return {
        status: 200,
        notModified: false,
        url: req.url,
        headers: { 'content-type': contentType },
        text: body,
        bytes: Buffer.byteLength(body),
        charset: 'utf-8',
        etag: null,
        lastModified: null,
        bodyHash: 'fuzz',
      };
    },
    flush: async () => undefined,
  };
}

function context(source: SourceConfigInput, http: HttpClient, env: NodeJS.ProcessEnv = {}): FetchContext {
  const config = parseConfig({ sources: [source] }, '/tmp/outage-radar-fuzz.config.json', {});
  return { source: config.sources[0]!, config, http, now: NOW, validators: { etag: null, lastModified: null }, env, signal: new AbortController().signal };
}

async function adapterOf(name: string): Promise<SourceAdapter> {
  return ((await import(`../../scrapers/sources/${name}.ts`)) as { adapter: SourceAdapter }).adapter;
}

/** Runs one read and checks the contract; returns 'ok' or the error code, for coverage stats. */
async function checkRead(adapter: SourceAdapter, ctx: FetchContext): Promise<string> {
  let result;
  try {
    result = await adapter.fetch(ctx);
  } catch (err) {
    if (!isSourceError(err)) throw new Error(`${adapter.name} threw a non-SourceError: ${(err as Error)?.stack ?? String(err)}`);
    expect(SOURCE_ERROR_CODES).toContain(err.code);
    expect(err.message).toContain(ctx.source.id);
    return err.code;
  }
  expect(['ok', 'not_modified']).toContain(result.outcome);
  for (const s of result.signals) {
    const parsed = SignalSchema.safeParse(s);
    expect(parsed.success, `${adapter.name}: ${JSON.stringify(parsed.error?.issues[0])}`).toBe(true);
    expect(unsafeCharsIn(s.title), `title ${JSON.stringify(s.title)}`).toEqual([]);
    expect(unsafeCharsIn(s.text, { allowNewlines: true }), `text ${JSON.stringify(s.text)}`).toEqual([]);
    expect(s.source.id).toBe(ctx.source.id);
    if (s.press) expect(s.press.canonicalUrl).toMatch(/^https?:\/\//);
  }
  for (const [service, status] of Object.entries(result.serviceStatus)) {
    expect(SERVICE_IDS).toContain(service);
    expect(COMPONENT_STATUSES).toContain(status);
  }
  if (result.activeKeys !== null) for (const k of result.activeKeys) expect(typeof k).toBe('string');
  return 'ok';
}

const codes = new Map<string, Map<string, number>>();
function tally(adapter: string, outcome: string) {
  const m = codes.get(adapter) ?? new Map<string, number>();
  m.set(outcome, (m.get(outcome) ?? 0) + 1);
  codes.set(adapter, m);
}

beforeAll(() => clearGraphTokenCache());
afterAll(() => {
  // Each adapter must have been driven both to success and to failure, or the generators are too timid.
  for (const [adapter, m] of codes) {
    expect(m.get('ok') ?? 0, `${adapter} never parsed a body: ${JSON.stringify([...m])}`).toBeGreaterThan(0);
    expect([...m.keys()].filter((k) => k !== 'ok').length, `${adapter} never failed`).toBeGreaterThan(0);
  }
});

describe('official adapters on arbitrary and drifted payloads', () => {
  test('status.cloud.microsoft posts (mac and m365Consumer)', async () => {
    const adapter = await adapterOf('status-cloud-microsoft-posts');
    const mac = json('microsoft/posts-mac-incident.json');
    const consumer = json('microsoft/posts-m365consumer-outlook-incident.json');
    for (const [workload, base] of [['mac', mac], ['m365Consumer', consumer]] as const) {
      await fc.assert(
        fc.asyncProperty(jsonBody(base, ['Title', 'Message', 'Status', 'ServiceWorkloadName']), async (body) => {
          const url = `https://status.example/api/posts/${workload}`;
          tally(adapter.name, await checkRead(adapter, context({ id: `scm-${workload.toLowerCase()}`, adapter: adapter.name, url }, fakeHttp([['/api/posts/', body, JSON_TYPE]]))));
        }),
        RUNS,
      );
    }
  });

  test('status.cloud.microsoft RSS feed', async () => {
    const adapter = await adapterOf('status-cloud-microsoft-feed');
    const base = text('microsoft/feed-mac-incident.xml');
    await fc.assert(
      fc.asyncProperty(xmlBody(base, rssFeed(fc.constantFrom('Microsoft 365 Service health', 'x'))), async (body) => {
        tally(adapter.name, await checkRead(adapter, context({ id: 'scm-feed', adapter: adapter.name, url: 'https://status.example/api/feed/mac' }, fakeHttp([['/api/feed/', body, RSS_TYPE]]))));
      }),
      RUNS,
    );
  });

  test('Azure status RSS', async () => {
    const adapter = await adapterOf('azure-status-rss');
    const base = text('microsoft/azure-rss-incident.xml');
    await fc.assert(
      fc.asyncProperty(xmlBody(base, rssFeed(fc.constant('Azure Status'))), async (body) => {
        tally(adapter.name, await checkRead(adapter, context({ id: 'azure-status', adapter: adapter.name, url: 'https://azure.example/en-us/status/feed/' }, fakeHttp([['/status/feed/', body, RSS_TYPE]]))));
      }),
      RUNS,
    );
  });

  test('Microsoft Graph service health (token, overviews, issues)', async () => {
    const adapter = await adapterOf('graph-service-health');
    const strip = (doc: unknown) => {
      const d = structuredClone(doc) as Record<string, unknown>;
      delete d['@odata.nextLink'];
      return d;
    };
    const overviews = strip(json('microsoft/graph-healthoverviews-page2.json'));
    const issues = strip(json('microsoft/graph-issues-page1.json'));
    const token = text('microsoft/graph-token.json');
    const env = { GRAPH_TENANT_ID: 'tenant', GRAPH_CLIENT_ID: 'client', GRAPH_CLIENT_SECRET: 'secret' };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 1, arbitrary: jsonBody(JSON.parse(token)) }, { weight: 4, arbitrary: fc.constant(token) }),
        fc.oneof({ weight: 1, arbitrary: jsonBody(overviews, ['service', 'status']) }, { weight: 2, arbitrary: fc.constant(JSON.stringify(overviews)) }),
        jsonBody(issues, ['title', 'impactDescription', 'content', 'status', 'service', 'classification', 'feature']),
        async (tokenBody, overviewBody, issueBody) => {
          clearGraphTokenCache();
          const http = fakeHttp([
            ['/oauth2/', tokenBody, JSON_TYPE],
            ['/healthOverviews', overviewBody, JSON_TYPE],
            ['/issues', issueBody, JSON_TYPE],
          ]);
          const ctx = context({ id: 'graph', adapter: adapter.name, url: 'https://graph.example/v1.0', tokenUrl: 'https://login.example' }, http, env);
          tally(adapter.name, await checkRead(adapter, ctx));
        },
      ),
      RUNS,
    );
  });
});

describe('press and community adapters on garbled and hostile feeds', () => {
  test('news feed (RSS 2.0 and Atom, German and English)', async () => {
    const adapter = await adapterOf('news-feed');
    const bases = ['news/heise-atom.xml', 'news/bleepingcomputer-rss2.xml', 'news/theregister-atom.xml', 'news/html-entities-rss.xml'].map(text);
    const generated = fc.oneof(rssFeed(xmlField), atomFeed());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bases).chain((b) => xmlBody(b, generated)), fc.constantFrom<'de' | 'en'>('de', 'en'), async (body, lang) => {
        const ctx = context({ id: 'outlet', adapter: adapter.name, url: 'https://news.example/feed', outlet: 'Outlet', lang }, fakeHttp([['/feed', body, lang === 'de' ? ATOM_TYPE : RSS_TYPE]]));
        tally(adapter.name, await checkRead(adapter, ctx));
      }),
      { numRuns: 200 },
    );
  });

  test('Reddit subreddit feed (Atom with self-text HTML)', async () => {
    const adapter = await adapterOf('reddit');
    const base = text('news/reddit-office365.atom');
    const env = { REDDIT_USER_AGENT: 'node:org.example.outage-radar:0.1 (by /u/fuzzer)' };
    const selfText = xmlField.map((t) => `<entry><title>Outlook down?</title><id>t3_x</id><link href="https://www.reddit.com/r/Office365/comments/x/"/><updated>2026-08-31T15:00:00+00:00</updated><content type="html">&lt;div class="md"&gt;${t.replace(/&/g, '&amp;').replace(/</g, '&lt;')}&lt;/div&gt;</content></entry>`);
    const generated = fc.array(selfText, { maxLength: 3 }).map((entries) => `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>r/Office365</title>${entries.join('')}</feed>`);
    await fc.assert(
      fc.asyncProperty(xmlBody(base, fc.oneof(generated, atomFeed())), async (body) => {
        const ctx = context({ id: 'reddit', adapter: adapter.name, url: 'https://reddit.example/r/Office365/new/.rss', outlet: 'r/Office365' }, fakeHttp([['/r/', body, ATOM_TYPE]]), env);
        tally(adapter.name, await checkRead(adapter, ctx));
      }),
      RUNS,
    );
  });

  test('Mastodon hashtag feed', async () => {
    const adapter = await adapterOf('mastodon-tag');
    const base = text('news/mastodon-outlookdown-social.xml');
    await fc.assert(
      fc.asyncProperty(xmlBody(base, rssFeed(xmlField)), async (body) => {
        const ctx = context({ id: 'mastodon', adapter: adapter.name, url: 'https://mastodon.example/tags/outlookdown.rss', outlet: 'm' }, fakeHttp([['/tags/', body, RSS_TYPE]]));
        tally(adapter.name, await checkRead(adapter, ctx));
      }),
      RUNS,
    );
  });
});

describe('one malformed feed never wedges the XML parser for the next source', () => {
  // Found by the properties above: xml2js keeps parsing after an error, and a parser instance shared
  // across reads then swallows the next document's error, so its promise never settled.
  const FIRST = '<?xml version="1.0"?><rss version="2.0"><channel><title a="1" =b>t</title></channel></rss>';
  const SECOND = '<rss><item><_></item>';
  const settle = (p: Promise<unknown>) =>
    Promise.race([
      p.then(
        () => 'parsed',
        (err: unknown) => (isSourceError(err) ? err.code : `threw ${String(err)}`),
      ),
      new Promise((resolve) => setTimeout(() => resolve('never settled'), 2_000)),
    ]);

  test('status and Azure RSS (scrapers/sources/_rss.ts)', async () => {
    expect(await settle(parseRss(FIRST, 'a'))).toBe('PARSE_FAILED');
    expect(await settle(parseRss(SECOND, 'b'))).toBe('PARSE_FAILED');
    expect(await settle(parseRss(SECOND, 'c'))).toBe('PARSE_FAILED');
  });

  test('news, Mastodon and Reddit feeds (scrapers/press/feed.ts)', async () => {
    const opts = { sourceId: 's', feedUrl: 'https://news.example/feed' };
    expect(await settle(parseFeed(FIRST, opts))).toBe('PARSE_FAILED');
    expect(await settle(parseFeed(SECOND, opts))).toBe('PARSE_FAILED');
    expect(await settle(parseFeed(text('news/heise-atom.xml'), opts))).toBe('parsed');
  });
});
