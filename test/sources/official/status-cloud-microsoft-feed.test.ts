import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpConfigSchema } from '../../../src/config/schema.ts';
import { SignalSchema } from '../../../src/domain/schemas.ts';
import { createHttpClient, type OwnedHttpClient } from '../../../scrapers/http/index.ts';
import { SourceError } from '../../../scrapers/http/errors.ts';
import { adapter } from '../../../scrapers/sources/status-cloud-microsoft-feed.ts';
import { adapter as postsAdapter } from '../../../scrapers/sources/status-cloud-microsoft-posts.ts';
import { startFaultServer, type FaultServer } from '../../http/_fault-server.ts';
import { fixture, makeContext } from './_ctx.ts';

let server: FaultServer;
let http: OwnedHttpClient;
const NOW = new Date('2026-08-31T16:05:00.000Z');
let counter = 0;

async function serve(leafPath: string, body: string, contentType: string) {
  const path = `/f${++counter}${leafPath}`;
  server.route(path, (_req, res) => res.writeHead(200, { 'content-type': contentType }).end(body));
  return `${server.base}${path}`;
}

async function run(body: string, contentType = 'application/rss+xml; charset=utf-8') {
  const url = await serve('/api/feed/mac', body, contentType);
  const result = await adapter.fetch(makeContext({ id: 'status-cloud-microsoft-feed', adapter: 'status-cloud-microsoft-feed', url }, http, { now: NOW }));
  for (const s of result.signals) SignalSchema.parse(s);
  return result;
}

async function runError(body: string, contentType?: string): Promise<SourceError> {
  try {
    await run(body, contentType);
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  }
  throw new Error('expected the adapter to fail');
}

beforeAll(async () => {
  server = await startFaultServer();
  http = createHttpClient({ config: HttpConfigSchema.parse({ deadlineMs: 3_000 }) });
});
afterAll(async () => {
  await http.close();
  await server.close();
});

describe('/api/feed/mac', () => {
  test('the healthy item (CRLF, bare Z pubDate) is operational with no signal', async () => {
    const r = await run(fixture('feed-mac-healthy.xml'));
    expect(r).toMatchObject({ outcome: 'ok', signals: [], serviceStatus: { 'm365-admin': 'operational' }, activeKeys: [] });
  });

  test('an incident item becomes a signal stamped with its pubDate, status from the custom <status>', async () => {
    const r = await run(fixture('feed-mac-incident.xml'));
    expect(r.signals).toHaveLength(1);
    const s = r.signals[0]!;
    expect(s.observedAt).toBe('2026-08-31T14:50:00.000Z');
    expect(s.services).toEqual(['exchange-online', 'teams']);
    expect(s.text).toContain("Current status: We're reviewing telemetry");
    expect(s.official).toMatchObject({ rawStatus: 'Service degradation', componentStatus: 'degraded_performance', startedAt: '2026-08-31T14:00:00.000Z' });
    expect(r.activeKeys).toEqual([s.official!.key]);
  });

  test('the guid changes with every update but the key does not', async () => {
    const a = (await run(fixture('feed-mac-incident.xml'))).signals[0]!;
    const b = (await run(fixture('feed-mac-incident-update.xml'))).signals[0]!;
    expect(fixture('feed-mac-incident.xml')).not.toContain('a8c3f2e1-6b90-4d27-8e15-3f4a9b0c7d62');
    expect(b.official!.key).toBe(a.official!.key);
    expect(b.id).not.toBe(a.id);
  });

  test('feed and JSON posts of the same incident share the key', async () => {
    const feedSignal = (await run(fixture('feed-mac-incident.xml'))).signals[0]!;
    const url = await serve('/api/posts/mac', fixture('posts-mac-incident.json'), 'application/json');
    const posts = await postsAdapter.fetch(makeContext({ id: 'status-cloud-microsoft-mac', adapter: 'status-cloud-microsoft-posts', url }, http, { now: NOW }));
    expect(posts.signals[0]!.official!.key).toBe(feedSignal.official!.key);
  });

  test('the restored item resolves under the same key', async () => {
    const a = (await run(fixture('feed-mac-incident.xml'))).signals[0]!;
    const r = await run(fixture('feed-mac-restored.xml'));
    expect(r.signals[0]!.official).toMatchObject({ key: a.official!.key, status: 'resolved', endedAt: '2026-08-31T17:45:00.000Z' });
    expect(r.activeKeys).toEqual([]);
  });

  test('an unknown <status> word fails closed', async () => {
    const r = await run(fixture('feed-mac-unknown-status.xml'));
    expect(r.signals[0]!.official!.componentStatus).toBe('unknown');
    expect(r.serviceStatus).toEqual({ 'exchange-online': 'unknown', teams: 'unknown' });
  });

  test('a missing <status> on the banner is unknown, not operational', async () => {
    const r = await run(fixture('feed-mac-missing-status.xml'));
    expect(r.signals).toEqual([]);
    expect(r.serviceStatus).toEqual({ 'm365-admin': 'unknown' });
  });

  test('a channel without an item is PARSE_FAILED', async () => {
    expect((await runError(fixture('feed-mac-no-item.xml'))).code).toBe('PARSE_FAILED');
  });

  test('a channel that is not a status channel, a non-RSS document or cut-off XML is PARSE_FAILED', async () => {
    const wrong = fixture('feed-mac-healthy.xml').replace('<title>Microsoft Admin Center Status</title>', '<title>Microsoft Admin Center</title>');
    expect((await runError(wrong)).code).toBe('PARSE_FAILED');
    expect((await runError('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')).code).toBe('PARSE_FAILED');
    expect((await runError('<rss version="2.0"><channel><title>Microsoft Admin Center Status</title><item><title>cut')).code).toBe('PARSE_FAILED');
  });

  test('the SPA shell, or JSON served as JSON, is SOURCE_WRONG_TYPE', async () => {
    expect((await runError(fixture('status-spa-shell.html'), 'text/html')).code).toBe('SOURCE_WRONG_TYPE');
    expect((await runError(fixture('posts-mac-healthy.json'), 'application/json')).code).toBe('SOURCE_WRONG_TYPE');
  });
});
