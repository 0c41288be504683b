/**
 * The real scrape CLI, as a child process, against local fixture servers (one per source, as each
 * real source is its own host) that serve fixture versions of the official and press sources, plus
 * every fault a source can throw at us. Three cycles on a virtual clock tell one story:
 *
 *   14:45  Microsoft reports an Exchange/Teams incident (posts JSON + RSS); press attaches; two
 *          outlets report a OneDrive outage → suspected; seven press sources fail in seven ways.
 *   15:00  Microsoft confirms OneDrive (the suspected id survives); conditional GETs get 304;
 *          the rate-limited source is left alone until its Retry-After.
 *   15:50  Microsoft restores Exchange/Teams; the rate-limited source is read again.
 *
 * After each cycle nothing stored before may be missing.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFixtureServer, type FixtureScript, type FixtureServer } from '../../scrapers/testing/fixture-server.ts';
import type { Incident, Signal, SourceHealth, StatusSnapshot } from '../../src/domain/schemas.ts';
import { readIncidents, readSignals, readSourceHealth, readStatus } from '../../src/store/data-store.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'scrapers/cli.ts');
const fixture = (p: string) => readFile(path.join(ROOT, 'test/fixtures', p));

const JSON_TYPE = 'application/json; charset=utf-8';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

interface SourceSpec {
  id: string;
  adapter: string;
  path: string;
  extra?: Record<string, unknown>;
}

const SOURCES: SourceSpec[] = [
  { id: 'scm-mac', adapter: 'status-cloud-microsoft-posts', path: '/api/posts/mac', extra: { services: ['m365-admin', 'exchange-online', 'teams', 'sharepoint', 'onedrive', 'm365-apps', 'copilot'], intervalMinutes: 5 } },
  { id: 'scm-consumer', adapter: 'status-cloud-microsoft-posts', path: '/api/posts/m365Consumer', extra: { services: ['outlook-com', 'onedrive', 'teams', 'copilot', 'm365-apps'], intervalMinutes: 5 } },
  { id: 'scm-feed', adapter: 'status-cloud-microsoft-feed', path: '/api/feed/mac', extra: { intervalMinutes: 5 } },
  { id: 'azure-status', adapter: 'azure-status-rss', path: '/en-us/status/feed/', extra: { intervalMinutes: 5 } },
  { id: 'graph', adapter: 'graph-service-health', path: '/v1.0', extra: { intervalMinutes: 5 } },
  { id: 'heise-atom', adapter: 'news-feed', path: '/rss/heise-atom.xml', extra: { outlet: 'heise online', lang: 'de' } },
  { id: 'golem-rss', adapter: 'news-feed', path: '/rss.php', extra: { outlet: 'Golem.de', lang: 'de' } },
  { id: 'winfuture-rss', adapter: 'news-feed', path: '/feeds/news.rss', extra: { outlet: 'WinFuture', lang: 'de' } },
  { id: 'desk-atom', adapter: 'news-feed', path: '/feed.atom', extra: { outlet: 'Windows Report Desk', lang: 'en' } },
  { id: 'mastodon-social', adapter: 'mastodon-tag', path: '/tags/outlookdown.rss', extra: { outlet: 'mastodon.social #outlookdown' } },
  { id: 'chaos-social', adapter: 'mastodon-tag', path: '/tags/outlookdown.rss', extra: { outlet: 'chaos.social #outlookdown', lang: 'de' } },
  { id: 'theregister-atom', adapter: 'news-feed', path: '/headlines.atom', extra: { outlet: 'The Register', lang: 'en' } },
  { id: 'theverge-atom', adapter: 'news-feed', path: '/rss/index.xml', extra: { outlet: 'The Verge', lang: 'en' } },
  { id: 'bleepingcomputer-rss', adapter: 'news-feed', path: '/feed/', extra: { outlet: 'BleepingComputer', lang: 'en' } },
  { id: 'drwindows-rss', adapter: 'news-feed', path: '/news/feed', extra: { outlet: 'Dr. Windows', lang: 'de' } },
  { id: 'borncity-rss', adapter: 'news-feed', path: '/blog/feed/', extra: { outlet: 'Borns IT- und Windows-Blog', lang: 'de' } },
  { id: 'windowscentral-rss', adapter: 'news-feed', path: '/feeds.xml', extra: { outlet: 'Windows Central', lang: 'en' } },
  { id: 'neowin-rss', adapter: 'news-feed', path: '/news/rss/', extra: { outlet: 'Neowin', lang: 'en' } },
  { id: 'reddit-office365', adapter: 'reddit', path: '/r/Office365/new/.rss', extra: { enabled: false } },
];

const servers = new Map<string, FixtureServer>();
let workDir: string;
let configFile: string;
let dataDir: string;

function server(id: string): FixtureServer {
  return servers.get(id)!;
}

function serve(id: string, script: FixtureScript): void {
  const spec = SOURCES.find((s) => s.id === id)!;
  server(id).set(spec.path, script);
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, OUTAGE_RADAR_LOG_FORMAT: 'json', OUTAGE_RADAR_LOG_LEVEL: 'info' };
  env.GRAPH_TENANT_ID = 'contoso-tenant';
  env.GRAPH_CLIENT_ID = 'outage-radar-test';
  env.GRAPH_CLIENT_SECRET = 'not-a-secret';
  delete env.OUTAGE_RADAR_DATA_DIR;
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd: ROOT, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const scrape = async (now: string) => {
  const r = await cli(['scrape', '--config', configFile, '--data', dataDir, '--now', now]);
  if (process.env.DEBUG_CLI) process.stderr.write(r.stdout);
  return r;
};

/** The per-source lines the CLI printed, by source id. */
function lines(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s{2,}(.+)$/.exec(line);
    if (m && SOURCES.some((s) => s.id === m[1])) out.set(m[1]!, m[2]!);
  }
  return out;
}

interface Snapshot {
  incidents: Incident[];
  signals: Signal[];
  health: Map<string, SourceHealth>;
  status: StatusSnapshot;
}

async function snapshot(): Promise<Snapshot> {
  return { incidents: await readIncidents(dataDir), signals: await readSignals(dataDir), health: await readSourceHealth(dataDir), status: (await readStatus(dataDir))! };
}

/** Nothing stored before is missing now: signals, incident ids (or merged into a survivor), evidence. */
function expectNothingLost(before: Snapshot, after: Snapshot): void {
  const signalIds = new Set(after.signals.map((s) => s.id));
  for (const s of before.signals) expect(signalIds.has(s.id), `signal ${s.id}`).toBe(true);
  const ids = new Set(after.incidents.flatMap((i) => [i.id, ...i.mergedIds]));
  const evidence = new Set(after.incidents.flatMap((i) => i.evidence.map((e) => e.signalId)));
  for (const i of before.incidents) {
    expect(ids.has(i.id), `incident ${i.id}`).toBe(true);
    for (const e of i.evidence) expect(evidence.has(e.signalId), `evidence ${e.signalId}`).toBe(true);
  }
  expect(after.incidents.length).toBeGreaterThanOrEqual(before.incidents.length);
}

const byRef = (s: Snapshot, ref: string) => s.incidents.find((i) => i.officialRefs.includes(ref))!;
const exchangeIncident = (s: Snapshot) => byRef(s, 'EX1200001');
const onedriveIncident = (s: Snapshot) => s.incidents.find((i) => i.services.includes('onedrive') && !i.services.includes('exchange-online'))!;
const serviceStatus = (s: Snapshot, id: string) => s.status.services.find((x) => x.id === id)!;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'or-integration-'));
  dataDir = path.join(workDir, 'data');
  for (const spec of SOURCES) servers.set(spec.id, await startFixtureServer());

  // 14:45 — the world at the first cycle.
  serve('scm-mac', { body: await fixture('integration/posts-mac-exchange-incident.json'), contentType: JSON_TYPE, etag: 'auto' });
  serve('scm-consumer', { body: await fixture('microsoft/posts-m365consumer-healthy.json'), contentType: JSON_TYPE, etag: 'auto' });
  serve('scm-feed', { body: await fixture('integration/feed-mac-exchange-incident.xml'), contentType: RSS_TYPE, lastModified: 'Tue, 24 Nov 2026 14:44:10 GMT' });
  serve('azure-status', { body: await fixture('microsoft/azure-rss-empty.xml'), contentType: 'application/rss+xml', etag: 'auto' });
  server('graph').setAll({
    '/token/contoso-tenant/oauth2/v2.0/token': { body: await fixture('microsoft/graph-token.json'), contentType: JSON_TYPE },
    '/v1.0/admin/serviceAnnouncement/healthOverviews': { body: await fixture('integration/graph-healthoverviews-degraded.json'), contentType: JSON_TYPE },
    '/v1.0/admin/serviceAnnouncement/issues': { body: await fixture('integration/graph-issues-active.json'), contentType: JSON_TYPE },
  });
  serve('heise-atom', { body: await fixture('news/heise-atom.xml'), contentType: ATOM_TYPE, etag: 'auto' });
  serve('golem-rss', { body: await fixture('news/golem-rss2.iso-8859-1.xml'), contentType: 'application/rss+xml; charset=ISO-8859-1' });
  serve('winfuture-rss', { body: await fixture('integration/press-onedrive-winfuture-rss2.xml'), contentType: RSS_TYPE });
  serve('desk-atom', { body: await fixture('integration/press-onedrive-deskmodder-atom.xml'), contentType: ATOM_TYPE });
  serve('mastodon-social', { body: await fixture('news/mastodon-outlookdown-social.xml'), contentType: 'application/rss+xml; charset=utf-8' });
  serve('chaos-social', { body: await fixture('news/mastodon-outlookdown-chaos.xml'), contentType: 'application/rss+xml; charset=utf-8' });
  serve('theregister-atom', { fault: 'status', status: 500, body: 'Internal Server Error' });
  serve('theverge-atom', { fault: 'rate-limit', retryAfter: 3600 });
  serve('bleepingcomputer-rss', { fault: 'hang' });
  serve('drwindows-rss', { fault: 'html', body: (await fixture('news/interstitial.html')).toString('utf8') });
  serve('borncity-rss', { fault: 'redirect-loop' });
  serve('windowscentral-rss', { fault: 'malformed', body: (await fixture('news/malformed.xml')).toString('utf8') });
  serve('neowin-rss', { fault: 'oversized', bytes: 3 * 1024 * 1024 });

  configFile = path.join(workDir, 'outage-radar.config.json');
  const config = {
    site: { blindAfterMinutes: 20 },
    dataDir: 'not-used-data',
    // The deadline is generous because the press classifier's first run in a process takes seconds of
    // CPU on a loaded machine, and every other source's request waits on the same event loop.
    http: { deadlineMs: 10_000, connectTimeoutMs: 2000, headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, maxBytes: 1024 * 1024, maxRedirects: 3, retries: 0 },
    sources: SOURCES.map((s) => ({
      id: s.id,
      adapter: s.adapter,
      url: server(s.id).url(s.path),
      intervalMinutes: 10,
      ...(s.adapter === 'graph-service-health' ? { tokenUrl: server(s.id).url('/token') } : {}),
      ...s.extra,
    })),
  };
  await writeFile(configFile, JSON.stringify(config, null, 2));
}, 30_000);

afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.close()));
  await rm(workDir, { recursive: true, force: true });
});

describe('scrape CLI against local sources', () => {
  let c1: Snapshot;
  let c2: Snapshot;

  test('cycle 1 (14:45): official incidents joined across sources and languages, a suspected incident, every fault contained', async () => {
    const r = await scrape('2026-11-24T14:45:00Z');
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out.get('scm-mac')).toMatch(/^ok, 1 item, 1 new/);
    expect(out.get('scm-feed')).toMatch(/^ok, 1 item, 1 new/);
    expect(out.get('scm-consumer')).toMatch(/^ok, 0 items/);
    expect(out.get('azure-status')).toMatch(/^ok, 0 items/);
    expect(out.get('graph')).toMatch(/^ok, 5 items, 5 new/);
    expect(out.get('golem-rss')).toMatch(/^ok, 1 item, 1 new/);
    expect(out.get('mastodon-social')).toMatch(/^ok, 2 items, 2 new/);
    // The post both instances saw is one signal, stored once.
    expect(out.get('chaos-social')).toMatch(/^ok, 1 item, 0 new/);
    expect(out.get('reddit-office365')).toBe('disabled: disabled in config');
    expect(out.get('theregister-atom')).toMatch(/^failed: SOURCE_HTTP_STATUS /);
    expect(out.get('theverge-atom')).toMatch(/^failed: SOURCE_RATE_LIMITED /);
    expect(out.get('bleepingcomputer-rss')).toMatch(/^failed: SOURCE_TIMEOUT /);
    expect(out.get('drwindows-rss')).toMatch(/^failed: SOURCE_BLOCKED /);
    expect(out.get('borncity-rss')).toMatch(/^failed: SOURCE_REDIRECT_LOOP /);
    expect(out.get('windowscentral-rss')).toMatch(/^failed: PARSE_FAILED /);
    expect(out.get('neowin-rss')).toMatch(/^failed: SOURCE_TOO_LARGE /);
    expect(r.stdout).toMatch(/^scrape 2026-11-24T14:45:00\.\d{3}Z: 19 sources \(11 ok, 0 not modified, 0 skipped, 7 failed, 1 disabled\);.*site inputs changed/m);

    c1 = await snapshot();
    expect(c1.incidents).toHaveLength(4);
    // Exchange: the status site's post names EX1200001, so Graph's issue joins it; heise cites the id in German.
    const exchange = exchangeIncident(c1);
    expect(exchange).toMatchObject({
      status: 'investigating',
      confidence: 'official',
      classification: 'incident',
      impact: 'minor',
      officialRefs: ['EX1200001'],
      services: ['exchange-online', 'teams'],
      startedAt: '2026-11-24T08:15:00.000Z',
      acknowledgedAt: '2026-11-24T08:30:00.000Z',
      resolvedAt: null,
    });
    expect(exchange.evidence.map((e) => [e.observedAt.slice(11, 16), e.source.id, e.outlet ?? e.ref])).toEqual([
      ['08:30', 'scm-feed', null],
      ['08:30', 'scm-mac', null],
      ['08:35', 'graph', 'EX1200001'],
      ['08:40', 'heise-atom', 'heise online'],
      ['09:05', 'mastodon-social', 'mastodon.social #outlookdown'],
      ['09:12', 'mastodon-social', 'mastodon.social #outlookdown'],
      // Graph's newest post is stamped with the lastModifiedDateTime.
      ['14:40', 'graph', 'EX1200001'],
    ]);
    expect(exchange.evidence.find((e) => e.source.id === 'heise-atom')).toMatchObject({ ref: 'EX1200001', url: expect.stringMatching(/^https:\/\/www\.heise\.de\//) });
    expect(exchange.evidence.find((e) => e.source.id === 'mastodon-social')!.source.kind).toBe('crowd');
    expect(exchange.updates.map((u) => u.source.id)).toEqual(['graph', 'mastodon-social', 'mastodon-social', 'heise-atom', 'graph', 'scm-mac', 'scm-feed']);
    expect(exchange.id).toMatch(/^2026-11-24-exchange-online-[0-9a-f]{8}$/);

    // MO1200002 was resolved yesterday; golem's ISO-8859-1 article cites it in German and joins it.
    const mo = byRef(c1, 'MO1200002');
    expect(mo).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-23T16:00:00.000Z', startedAt: '2026-11-23T09:00:00.000Z' });
    expect(mo.evidence.map((e) => e.source.id)).toEqual(['golem-rss', 'graph', 'graph']);
    const golem = c1.signals.find((s) => s.source.id === 'golem-rss')!;
    expect(golem.title).toBe('Microsoft: Outlook und Teams weltweit gestört');

    // An advisory is recorded as such and changes no service's colour.
    const advisory = byRef(c1, 'TM1200003');
    expect(advisory).toMatchObject({ classification: 'advisory', status: 'investigating', services: ['teams'] });
    expect(advisory.evidence).toHaveLength(1);

    const onedrive = onedriveIncident(c1);
    expect(onedrive).toMatchObject({ status: 'suspected', confidence: 'press', acknowledgedAt: null, services: ['onedrive'], startedAt: '2026-11-24T14:00:00.000Z' });
    expect(onedrive.evidence.map((e) => e.outlet)).toEqual(['WinFuture', 'Windows Report Desk']);

    // Health: failures recorded with stable codes; validators kept for the next conditional GET.
    expect(c1.health.get('scm-mac')).toMatchObject({ state: 'ok', etag: expect.stringMatching(/^"/), consecutiveFailures: 0, lastSuccessAt: expect.stringMatching(/^2026-11-24T14:45/) });
    expect(c1.health.get('scm-feed')!.lastModified).toBe('Tue, 24 Nov 2026 14:44:10 GMT');
    expect(c1.health.get('bleepingcomputer-rss')).toMatchObject({ state: 'failed', consecutiveFailures: 1, lastError: { code: 'SOURCE_TIMEOUT' }, lastSuccessAt: null });
    const verge = c1.health.get('theverge-atom')!;
    expect(verge).toMatchObject({ state: 'failed', lastError: { code: 'SOURCE_RATE_LIMITED' } });
    expect(Date.parse(verge.notBefore!)).toBeGreaterThanOrEqual(Date.parse('2026-11-24T15:45:00Z'));
    expect(c1.health.get('reddit-office365')).toMatchObject({ state: 'disabled', lastError: null });

    // Status: Microsoft asserts degradation for Exchange; OneDrive is suspected (degraded, flagged); Teams has only an advisory.
    expect(serviceStatus(c1, 'exchange-online')).toMatchObject({ status: 'degraded_performance', activeIncidentIds: [exchange.id], crowdElevated: false });
    expect(serviceStatus(c1, 'teams')).toMatchObject({ status: 'degraded_performance', activeIncidentIds: [exchange.id, advisory.id].sort() });
    expect(serviceStatus(c1, 'onedrive')).toMatchObject({ status: 'degraded_performance', activeIncidentIds: [onedrive.id] });
    expect(serviceStatus(c1, 'onedrive').reason).toContain('suspected');
    expect(serviceStatus(c1, 'outlook-com').status).toBe('operational');
    expect(serviceStatus(c1, 'entra-id').status).toBe('operational');
    expect(serviceStatus(c1, 'azure').status).toBe('operational');
    expect(c1.status.indicator).toBe('minor');
  }, 60_000);

  test('cycle 2 (15:00): Microsoft confirms OneDrive, 304s for unchanged sources, Retry-After honoured', async () => {
    serve('scm-consumer', { body: await fixture('integration/posts-m365consumer-onedrive-incident.json'), contentType: JSON_TYPE, etag: 'auto' });
    serve('theregister-atom', { body: await fixture('news/theregister-atom.xml'), contentType: ATOM_TYPE });
    serve('theverge-atom', { body: await fixture('news/theverge-atom.xml'), contentType: ATOM_TYPE });
    serve('bleepingcomputer-rss', { fault: 'reset' });
    const vergeRequests = server('theverge-atom').requests.length;

    const r = await scrape('2026-11-24T15:00:00Z');
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out.get('scm-mac')).toMatch(/^not modified/);
    expect(out.get('azure-status')).toMatch(/^not modified/);
    expect(out.get('scm-feed')).toMatch(/^not modified/);
    expect(out.get('heise-atom')).toMatch(/^not modified/);
    expect(out.get('graph')).toMatch(/^ok, 5 items, 0 new/);
    expect(out.get('theverge-atom')).toMatch(/^skipped until 2026-11-24T15:45:\d\d\.\d{3}Z \(Retry-After\)$/);
    expect(out.get('theregister-atom')).toMatch(/^ok, 2 items, 2 new/);
    expect(out.get('scm-consumer')).toMatch(/^ok, 1 item, 1 new/);
    expect(server('theverge-atom').requests.length).toBe(vergeRequests);

    // Conditional GETs: the stored validators went back to the servers.
    const mac = server('scm-mac').requestsFor('/api/posts/mac');
    expect(mac.map((q) => q.status)).toEqual([200, 304]);
    expect(mac[1]!.headers['if-none-match']).toBe(c1.health.get('scm-mac')!.etag);
    expect(server('scm-feed').requestsFor('/api/feed/mac')[1]!.headers['if-modified-since']).toBe('Tue, 24 Nov 2026 14:44:10 GMT');
    for (const s of servers.values()) for (const q of s.requests) expect(q.headers['user-agent']).toMatch(/^OutageRadar\//);
    // The Graph token is cached per process; each cycle is a new process, so one token request per cycle.
    expect(server('graph').requestsFor('/token/contoso-tenant/oauth2/v2.0/token').map((q) => q.method)).toEqual(['POST', 'POST']);

    c2 = await snapshot();
    expectNothingLost(c1, c2);
    const onedrive = onedriveIncident(c2);
    expect(onedrive.id).toBe(onedriveIncident(c1).id);
    expect(onedrive).toMatchObject({ status: 'investigating', confidence: 'official', acknowledgedAt: '2026-11-24T14:30:00.000Z', startedAt: '2026-11-24T13:50:00.000Z' });
    expect(onedrive.evidence.map((e) => e.source.id)).toEqual(['winfuture-rss', 'desk-atom', 'scm-consumer']);

    const exchange = exchangeIncident(c2);
    expect(exchange.evidence.filter((e) => e.source.id === 'theregister-atom').map((e) => e.observedAt)).toEqual(['2026-11-24T10:05:00.000Z', '2026-11-24T14:30:00.000Z']);
    expect(out.get('bleepingcomputer-rss')).toMatch(/^failed: SOURCE_NETWORK /);
    expect(c2.health.get('bleepingcomputer-rss')).toMatchObject({ state: 'failed', consecutiveFailures: 2, lastError: { code: 'SOURCE_NETWORK' } });
    expect(c2.health.get('theverge-atom')!.state).toBe('skipped');
  }, 60_000);

  test('cycle 3 (15:50): Microsoft restores Exchange; the rate-limited source is read again; nothing lost', async () => {
    serve('scm-mac', { body: await fixture('integration/posts-mac-exchange-restored.json'), contentType: JSON_TYPE, etag: 'auto' });
    serve('scm-feed', { body: await fixture('integration/feed-mac-exchange-restored.xml'), contentType: RSS_TYPE, lastModified: 'Tue, 24 Nov 2026 15:49:20 GMT' });
    server('graph').setAll({
      '/v1.0/admin/serviceAnnouncement/healthOverviews': { body: await fixture('integration/graph-healthoverviews-restored.json'), contentType: JSON_TYPE },
      '/v1.0/admin/serviceAnnouncement/issues': { body: await fixture('integration/graph-issues-restored.json'), contentType: JSON_TYPE },
    });
    serve('bleepingcomputer-rss', { body: await fixture('news/bleepingcomputer-rss2.xml'), contentType: RSS_TYPE });

    const r = await scrape('2026-11-24T15:50:00Z');
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out.get('theverge-atom')).toMatch(/^ok, 1 item, 1 new/);
    expect(out.get('bleepingcomputer-rss')).toMatch(/^ok, 1 item, 1 new/);

    const c3 = await snapshot();
    expectNothingLost(c2, c3);
    const exchange = exchangeIncident(c3);
    expect(exchange).toMatchObject({ id: exchangeIncident(c1).id, status: 'resolved', resolvedAt: '2026-11-24T15:20:00.000Z' });
    expect(new Set(exchange.evidence.map((e) => e.source.id))).toEqual(
      new Set(['scm-mac', 'scm-feed', 'graph', 'heise-atom', 'mastodon-social', 'theregister-atom', 'theverge-atom']),
    );
    expect(exchange.updates[0]).toMatchObject({ status: 'resolved', source: { kind: 'official' } });
    // BleepingComputer's article cites MO1200002: it joins yesterday's resolved incident by id, not today's by time.
    expect(byRef(c3, 'MO1200002').evidence.map((e) => e.source.id)).toEqual(['golem-rss', 'graph', 'graph', 'bleepingcomputer-rss']);
    expect(serviceStatus(c3, 'exchange-online')).toMatchObject({ status: 'operational', activeIncidentIds: [] });
    expect(serviceStatus(c3, 'onedrive').status).toBe('degraded_performance');
    expect(c3.health.get('theverge-atom')).toMatchObject({ state: 'ok', lastError: null, consecutiveFailures: 0 });

    // Replay from the stored signals alone gives the same incidents, without touching any server.
    const before = JSON.stringify(c3.incidents);
    const requests = [...servers.values()].reduce((n, s) => n + s.requests.length, 0);
    const replay = await cli(['replay-signals', '--config', configFile, '--data', dataDir, '--now', '2026-11-24T15:50:00Z']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/^replay .*0 sources.*no change/m);
    expect(JSON.stringify(await readIncidents(dataDir))).toBe(before);
    expect([...servers.values()].reduce((n, s) => n + s.requests.length, 0)).toBe(requests);
  }, 60_000);

  test('update skips the site build when nothing changed', async () => {
    const outDir = path.join(workDir, 'never-built');
    const r = await cli(['update', '--config', configFile, '--data', dataDir, '--now', '2026-11-24T15:52:00Z', '--out-dir', outDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^scrape 2026-11-24T15:52:00\.\d{3}Z: .*no change/m);
    expect(lines(r.stdout).get('scm-mac')).toMatch(/^skipped until 2026-11-24T15:55:00\.\d{3}Z \(interval\)$/);
    expect(r.stderr).toContain('build skipped');
    await expect(readFile(path.join(outDir, 'index.html'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('a running cycle makes a second one fail fast with exit code 4', async () => {
    const lock = path.join(dataDir, '.cycle.lock');
    await writeFile(lock, String(process.pid));
    try {
      const r = await scrape('2026-11-24T16:00:00Z');
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('another cycle holds');
    } finally {
      await rm(lock, { force: true });
    }
  });

  test('invalid data stops the cycle with exit code 3 and writes nothing', async () => {
    const copy = path.join(workDir, 'data-copy');
    await cp(dataDir, copy, { recursive: true });
    const [incident] = await readIncidents(copy);
    const file = path.join(copy, 'incidents', incident!.startedAt.slice(0, 4), `${incident!.id}.json`);
    await writeFile(file, '{"id": "truncated');
    const status = await readFile(path.join(copy, 'status.json'), 'utf8');
    const r = await cli(['scrape', '--config', configFile, '--data', copy, '--now', '2026-11-24T16:30:00Z']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(file);
    expect(await readFile(path.join(copy, 'status.json'), 'utf8')).toBe(status);
  });

  test('an invalid config exits with code 2 naming the field', async () => {
    const bad = path.join(workDir, 'bad.config.json');
    await writeFile(bad, JSON.stringify({ sources: [{ id: 'x', adapter: 'carrier-pigeon', url: 'http://127.0.0.1:1/' }] }));
    const r = await cli(['scrape', '--config', bad, '--data', dataDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('adapter');
  });
});
