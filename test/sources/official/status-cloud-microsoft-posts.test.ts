import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpConfigSchema } from '../../../src/config/schema.ts';
import { SignalSchema } from '../../../src/domain/schemas.ts';
import { createHttpClient, type OwnedHttpClient } from '../../../scrapers/http/index.ts';
import { SourceError } from '../../../scrapers/http/errors.ts';
import { adapter, parsePostsPayload } from '../../../scrapers/sources/status-cloud-microsoft-posts.ts';
import { startFaultServer, type FaultServer } from '../../http/_fault-server.ts';
import { fixture, makeContext } from './_ctx.ts';

let server: FaultServer;
let http: OwnedHttpClient;
const NOW = new Date('2026-08-31T16:05:00.000Z');

/** Serves `body` at a fresh path ending in `leaf` and runs the adapter against it. */
let counter = 0;
async function run(leaf: string, body: string, contentType = 'application/json; charset=utf-8', status = 200) {
  const path = `/t${++counter}/api/posts/${leaf}`;
  server.route(path, (_req, res) => res.writeHead(status, { 'content-type': contentType }).end(body));
  const ctx = makeContext({ id: `scm-${leaf.toLowerCase()}`, adapter: 'status-cloud-microsoft-posts', url: `${server.base}${path}` }, http, { now: NOW });
  const result = await adapter.fetch(ctx);
  for (const s of result.signals) SignalSchema.parse(s);
  return result;
}

async function runError(leaf: string, body: string, contentType = 'application/json'): Promise<SourceError> {
  try {
    await run(leaf, body, contentType);
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

describe('/api/posts/mac', () => {
  test('the healthy banner is operational with no incident signal', async () => {
    const r = await run('mac', fixture('posts-mac-healthy.json'));
    expect(r).toMatchObject({ outcome: 'ok', signals: [], serviceStatus: { 'm365-admin': 'operational' }, activeKeys: [] });
    expect(r.bodyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('an active incident becomes one signal for the services its text names, with sections and start time', async () => {
    const r = await run('mac', fixture('posts-mac-incident.json'));
    expect(r.signals).toHaveLength(1);
    const s = r.signals[0]!;
    expect(s.services).toEqual(['exchange-online', 'teams']);
    expect(s.title).toBe('Users may be unable to access Exchange Online and Microsoft Teams');
    expect(s.text).toContain('User impact: Users may be unable to connect to their mailboxes');
    expect(s.text).toContain("Current status: We're reviewing telemetry");
    expect(s.text).toContain('Next update by: Monday, August 31, 2026, at 4:00 PM UTC');
    expect(s.observedAt).toBe('2026-08-31T14:50:00.000Z');
    expect(s.fetchedAt).toBe(NOW.toISOString());
    expect(s.url).toBe(`${server.base}/`);
    expect(s.official).toMatchObject({
      ref: null,
      status: 'investigating',
      componentStatus: 'degraded_performance',
      impact: 'minor',
      classification: 'incident',
      rawStatus: 'Service degradation',
      isResolved: false,
      startedAt: '2026-08-31T14:00:00.000Z',
      endedAt: null,
    });
    expect(s.official!.key).toMatch(/^scm-[0-9a-f]{20}$/);
    expect(r.activeKeys).toEqual([s.official!.key]);
    expect(r.serviceStatus).toEqual({ 'exchange-online': 'degraded_performance', teams: 'degraded_performance' });
  });

  test('an update of the same incident keeps the key and gets a new signal id (PascalCase status word too)', async () => {
    const first = (await run('mac', fixture('posts-mac-incident.json'))).signals[0]!;
    const update = (await run('mac', fixture('posts-mac-incident-update.json'))).signals[0]!;
    expect(update.official!.key).toBe(first.official!.key);
    expect(update.id).not.toBe(first.id);
    expect(update.official!.rawStatus).toBe('ServiceDegradation');
    expect(update.official!.componentStatus).toBe('degraded_performance');
    expect(update.text).toContain('rolling it back');
  });

  test('LastUpdatedTime changes on every request and does not change the signal', async () => {
    const body = JSON.parse(fixture('posts-mac-incident.json')) as Record<string, string>;
    const a = (await run('mac', JSON.stringify(body))).signals[0]!;
    body.LastUpdatedTime = '2026-08-31T16:04:59.999999+00:00';
    const b = (await run('mac', JSON.stringify(body))).signals[0]!;
    expect(b).toEqual(a);
  });

  test('the restored post resolves the incident under the same key and leaves no active key', async () => {
    const active = (await run('mac', fixture('posts-mac-incident.json'))).signals[0]!;
    const r = await run('mac', fixture('posts-mac-restored.json'));
    const s = r.signals[0]!;
    expect(s.official).toMatchObject({
      key: active.official!.key,
      status: 'resolved',
      componentStatus: 'operational',
      isResolved: true,
      endedAt: '2026-08-31T17:45:00.000Z',
    });
    expect(s.text).toContain('Final status:');
    expect(r.activeKeys).toEqual([]);
    expect(r.serviceStatus).toEqual({ 'exchange-online': 'operational', teams: 'operational' });
  });

  test('an unknown Status word fails closed: unknown, open, never operational', async () => {
    const r = await run('mac', fixture('posts-mac-unknown-status.json'));
    expect(r.signals[0]!.official).toMatchObject({ componentStatus: 'unknown', status: 'investigating', rawStatus: 'Partially available' });
    expect(r.signals[0]!.services).toEqual(['m365-admin']);
    expect(r.serviceStatus).toEqual({ 'm365-admin': 'unknown' });
    expect(r.activeKeys).toHaveLength(1);
  });

  test('a post without a Status key is drift: PARSE_FAILED', async () => {
    expect((await runError('mac', fixture('posts-mac-missing-status.json'))).code).toBe('PARSE_FAILED');
  });

  test('the SPA shell (HTML at 200) is SOURCE_WRONG_TYPE, a challenge page SOURCE_BLOCKED', async () => {
    expect((await runError('mac', fixture('status-spa-shell.html'), 'text/html')).code).toBe('SOURCE_WRONG_TYPE');
    expect((await runError('mac', fixture('cloudflare-interstitial.html'), 'text/html; charset=UTF-8')).code).toBe('SOURCE_BLOCKED');
  });

  test('JSON under a non-JSON content type is SOURCE_WRONG_TYPE', async () => {
    expect((await runError('mac', fixture('posts-mac-healthy.json'), 'text/plain')).code).toBe('SOURCE_WRONG_TYPE');
  });

  test('malformed JSON is PARSE_FAILED', async () => {
    expect((await runError('mac', '{"Status": "Available", ')).code).toBe('PARSE_FAILED');
  });

  test('304 keeps the last picture: not_modified, no assertions, activeKeys null', async () => {
    const path = '/cond/api/posts/mac';
    server.route(path, (req, res) => {
      if (req.headers['if-none-match'] === '"m1"') res.writeHead(304, { etag: '"m1"' }).end();
      else res.writeHead(200, { 'content-type': 'application/json', etag: '"m1"' }).end(fixture('posts-mac-healthy.json'));
    });
    const ctx = makeContext({ id: 'scm-mac', adapter: 'status-cloud-microsoft-posts', url: `${server.base}${path}` }, http, {
      now: NOW,
      validators: { etag: '"m1"', lastModified: null },
    });
    expect(await adapter.fetch(ctx)).toEqual({
      outcome: 'not_modified',
      signals: [],
      serviceStatus: {},
      activeKeys: null,
      validators: { etag: '"m1"', lastModified: null },
      bodyHash: null,
    });
  });
});

describe('/api/posts/m365Consumer', () => {
  test('all workloads operational: one assertion per tracked service, untracked workloads ignored', async () => {
    const r = await run('m365Consumer', fixture('posts-m365consumer-healthy.json'));
    expect(r.signals).toEqual([]);
    expect(r.activeKeys).toEqual([]);
    expect(r.serviceStatus).toEqual({
      copilot: 'operational',
      'm365-apps': 'operational',
      onedrive: 'operational',
      'outlook-com': 'operational',
      sharepoint: 'operational',
      teams: 'operational',
    });
  });

  test('an Outlook.com incident tags Outlook.com only, never Exchange Online', async () => {
    const r = await run('m365Consumer', fixture('posts-m365consumer-outlook-incident.json'));
    expect(r.signals).toHaveLength(1);
    const s = r.signals[0]!;
    expect(s.services).toEqual(['outlook-com']);
    expect(s.title).toBe("Some users can't send or receive email in Outlook.com");
    expect(s.official).toMatchObject({ status: 'investigating', componentStatus: 'degraded_performance', startedAt: '2026-09-03T07:15:00.000Z' });
    expect(s.observedAt).toBe('2026-09-03T07:50:00.000Z');
    expect(r.serviceStatus['outlook-com']).toBe('degraded_performance');
    expect(r.serviceStatus.teams).toBe('operational');
    expect(r.activeKeys).toEqual([s.official!.key]);
  });

  test('the key is workload + title: stable across requests and updates, even when a "Start time:" appears late', async () => {
    const a = (await run('m365Consumer', fixture('posts-m365consumer-outlook-incident.json'))).signals[0]!;
    const b = (await run('m365Consumer', fixture('posts-m365consumer-outlook-incident.json'))).signals[0]!;
    expect(b.official!.key).toBe(a.official!.key);
    expect(b.id).toBe(a.id);
    const rows = JSON.parse(fixture('posts-m365consumer-outlook-incident.json')) as { ServiceWorkloadName: string; Message: string; Title: string }[];
    // An update that changes the start time, or drops the section, is the same incident.
    rows[0]!.Message = rows[0]!.Message.replace('7:15 AM', '7:45 AM');
    const c = (await run('m365Consumer', JSON.stringify(rows))).signals[0]!;
    expect(c.official!.key).toBe(a.official!.key);
    expect(c.id).not.toBe(a.id);
    rows[0]!.Message = rows[0]!.Message.replace(/Start time:[^\n]*/i, '');
    const d = (await run('m365Consumer', JSON.stringify(rows))).signals[0]!;
    expect(d.official!.key).toBe(a.official!.key);
    rows[0]!.Title = `${rows[0]!.Title} (update)`;
    const e = (await run('m365Consumer', JSON.stringify(rows))).signals[0]!;
    expect(e.official!.key).not.toBe(a.official!.key);
  });

  test('a restored workload yields a resolved signal and no active key', async () => {
    const r = await run('m365Consumer', fixture('posts-m365consumer-copilot-restored.json'));
    expect(r.signals).toHaveLength(1);
    expect(r.signals[0]!.official).toMatchObject({
      status: 'resolved',
      isResolved: true,
      rawStatus: 'Service restored',
      startedAt: '2026-09-03T09:30:00.000Z',
      endedAt: '2026-09-03T11:50:00.000Z',
    });
    expect(r.signals[0]!.services).toEqual(['copilot']);
    expect(r.activeKeys).toEqual([]);
    expect(r.serviceStatus.copilot).toBe('operational');
  });

  test('an unknown Status word makes that service unknown', async () => {
    const r = await run('m365Consumer', fixture('posts-m365consumer-unknown-status.json'));
    expect(r.serviceStatus.onedrive).toBe('unknown');
    expect(r.serviceStatus['outlook-com']).toBe('operational');
  });

  test('a tracked workload missing from the list makes its service unknown', async () => {
    const r = await run('m365Consumer', fixture('posts-m365consumer-missing-outlook.json'));
    expect(r.serviceStatus['outlook-com']).toBe('unknown');
  });

  test('an empty array or a single object is drift: PARSE_FAILED', async () => {
    expect((await runError('m365Consumer', '[]')).code).toBe('PARSE_FAILED');
    expect((await runError('m365Consumer', fixture('posts-mac-healthy.json'))).code).toBe('PARSE_FAILED');
  });
});

describe('/api/posts/azure', () => {
  test('the healthy Azure banner (Title null, MinValue stamps) is operational', async () => {
    const r = await run('azure', fixture('posts-azure-healthy.json'));
    expect(r).toMatchObject({ signals: [], serviceStatus: { azure: 'operational' }, activeKeys: [] });
  });

  test('a degradation is a signal for Azure', async () => {
    const r = await run('azure', fixture('posts-azure-degraded.json'));
    expect(r.signals[0]!.services).toEqual(['azure']);
    expect(r.signals[0]!.official!.startedAt).toBe('2026-09-30T09:20:00.000Z');
    expect(r.serviceStatus).toEqual({ azure: 'degraded_performance' });
  });
});

describe('parsePostsPayload (pure)', () => {
  test('a post stamped only with MinValue times is observed at fetch time', () => {
    const r = parsePostsPayload(
      {
        Id: null,
        AuthoredDateTime: '0001-01-01T00:00:00+00:00',
        InternalDateTime: '0001-01-01T00:00:00+00:00',
        LastUpdatedTime: '2026-08-31T16:04:00+00:00',
        Title: 'Admins cannot open Service health',
        Message: 'User impact: Admins may be unable to open Service health.',
        Status: 'Service degradation',
      },
      { sourceId: 'scm-mac', url: 'https://status.cloud.microsoft/api/posts/mac', now: NOW },
    );
    expect(r.signals[0]!.observedAt).toBe(NOW.toISOString());
    expect(r.signals[0]!.url).toBe('https://status.cloud.microsoft/');
    expect(r.signals[0]!.services).toEqual(['m365-admin']);
  });
});
