import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { HttpConfigSchema } from '../../../src/config/schema.ts';
import { SignalSchema, type Signal } from '../../../src/domain/schemas.ts';
import { createHttpClient, type OwnedHttpClient } from '../../../scrapers/http/index.ts';
import { SourceError } from '../../../scrapers/http/errors.ts';
import {
  adapter,
  checkConfigured,
  clearGraphTokenCache,
  MAX_PAGES,
  serviceStatusOf,
  type GraphIssue,
} from '../../../scrapers/sources/graph-service-health.ts';
import { startFaultServer, type FaultServer } from '../../http/_fault-server.ts';
import { fixture, makeContext } from './_ctx.ts';

const NOW = new Date('2026-09-01T12:00:00.000Z');
const ENV = { GRAPH_TENANT_ID: 'tenant-a', GRAPH_CLIENT_ID: 'client-1', GRAPH_CLIENT_SECRET: 's3cret' };
const OVERVIEWS = '/graph/v1.0/admin/serviceAnnouncement/healthOverviews';
const ISSUES = '/graph/v1.0/admin/serviceAnnouncement/issues';

let server: FaultServer;
let http: OwnedHttpClient;
let tokensIssued: number;
let tokenForms: URLSearchParams[];
let graphAuth: string[];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString('utf8')));
    req.on('end', () => resolve(s));
  });
}

function json(res: ServerResponse, body: string, status = 200) {
  res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal; charset=utf-8' }).end(body);
}

function graphBase() {
  return `${server.base}/graph/v1.0`;
}

/** Serves the fixture pages of overviews and issues, recording the Authorization header of every Graph call. */
function serveFixtures(routes: { overviews?: (req: IncomingMessage, res: ServerResponse) => void } = {}) {
  const page = (name: string) => fixture(name).replaceAll('{{BASE}}', graphBase());
  server.route(
    OVERVIEWS,
    routes.overviews ??
      ((req, res) => {
        graphAuth.push(req.headers.authorization ?? '');
        json(res, page(req.url?.includes('skiptoken=page2') ? 'graph-healthoverviews-page2.json' : 'graph-healthoverviews-page1.json'));
      }),
  );
  server.route(ISSUES, (req, res) => {
    graphAuth.push(req.headers.authorization ?? '');
    json(res, page(req.url?.includes('skip=100') ? 'graph-issues-page2.json' : 'graph-issues-page1.json'));
  });
}

function serveTokens(tenant = 'tenant-a', reply?: (res: ServerResponse) => void) {
  server.route(`/login/${tenant}/oauth2/v2.0/token`, (req, res) => {
    void readBody(req).then((body) => {
      tokenForms.push(new URLSearchParams(body));
      if (reply) return reply(res);
      tokensIssued++;
      const t = JSON.parse(fixture('graph-token.json')) as Record<string, unknown>;
      json(res, JSON.stringify({ ...t, access_token: `tok-${tokensIssued}` }));
    });
  });
}

function ctx(now = NOW, env: NodeJS.ProcessEnv = ENV) {
  return makeContext(
    { id: 'graph-service-health', adapter: 'graph-service-health', url: graphBase(), tokenUrl: `${server.base}/login` },
    http,
    { now, env },
  );
}

async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  }
  throw new Error('expected a failure');
}

const byKey = (signals: Signal[], key: string) => signals.filter((s) => s.official?.key === key);

beforeEach(async () => {
  clearGraphTokenCache();
  tokensIssued = 0;
  tokenForms = [];
  graphAuth = [];
  server = await startFaultServer();
  http = createHttpClient({ config: HttpConfigSchema.parse({ deadlineMs: 3_000, retries: 0 }) });
});
afterEach(async () => {
  await http.close();
  await server.close();
});

describe('configuration', () => {
  test('checkConfigured names the missing variables', () => {
    const source = ctx().source;
    expect(checkConfigured(source, ENV)).toBeNull();
    expect(checkConfigured(source, {})).toBe(
      'set GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET in the environment to read Microsoft Graph service health',
    );
    expect(checkConfigured(source, { ...ENV, GRAPH_CLIENT_SECRET: '  ' })).toMatch(/GRAPH_CLIENT_SECRET/);
    expect(checkConfigured({ ...source, tokenUrl: undefined }, ENV)).toMatch(/tokenUrl/);
  });

  test('fetch without credentials is SOURCE_NOT_CONFIGURED and touches no network', async () => {
    serveTokens();
    const err = await failure(adapter.fetch(ctx(NOW, {})));
    expect(err.code).toBe('SOURCE_NOT_CONFIGURED');
    expect(server.hits('/login/tenant-a/oauth2/v2.0/token')).toBe(0);
  });
});

describe('reading Graph', () => {
  test('token request is a client-credentials form; Graph calls carry the bearer token and follow nextLink', async () => {
    serveTokens();
    serveFixtures();
    const r = await adapter.fetch(ctx());
    expect(tokenForms).toHaveLength(1);
    expect(Object.fromEntries(tokenForms[0]!)).toEqual({
      client_id: 'client-1',
      client_secret: 's3cret',
      grant_type: 'client_credentials',
      scope: `${server.base}/.default`,
    });
    expect(server.hits(OVERVIEWS)).toBe(2);
    expect(server.hits(ISSUES)).toBe(2);
    expect(graphAuth).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
    expect(server.lastHeaders(ISSUES)?.prefer).toBe('odata.maxpagesize=1000');
    expect(r.outcome).toBe('ok');
    expect(r.bodyHash).toMatch(/^[0-9a-f]{64}$/);
    for (const s of r.signals) SignalSchema.parse(s);
  });

  test('per-service status: PascalCase and camelCase words, advisory-only services operational, unknown words unknown', async () => {
    serveTokens();
    serveFixtures();
    const r = await adapter.fetch(ctx());
    expect(r.serviceStatus).toEqual({
      'exchange-online': 'degraded_performance',
      'entra-id': 'operational',
      'm365-apps': 'degraded_performance',
      teams: 'operational',
      sharepoint: 'major_outage',
      onedrive: 'unknown',
    });
  });

  test('an open issue becomes its post timeline; the newest post carries the current status', async () => {
    serveTokens();
    serveFixtures();
    const r = await adapter.fetch(ctx());
    const ex = byKey(r.signals, 'EX1458145');
    expect(ex.map((s) => s.observedAt)).toEqual(['2026-09-01T07:52:10.110Z', '2026-09-01T08:31:45.700Z', '2026-09-01T11:20:41.523Z']);
    expect(ex.map((s) => s.official!.status)).toEqual(['investigating', 'investigating', 'identified']);
    const newest = ex[2]!;
    expect(newest.official).toMatchObject({
      ref: 'EX1458145',
      rawStatus: 'restoringService',
      componentStatus: 'degraded_performance',
      classification: 'incident',
      isResolved: false,
      startedAt: '2026-09-01T07:30:00.000Z',
      endedAt: null,
    });
    expect(newest.services).toEqual(['exchange-online']);
    expect(newest.text).toContain("Current status: We've reverted a recent configuration change");
    expect(newest.text).toContain('Next update by: Tuesday, September 1, 2026, at 12:00 PM UTC');
    expect(ex[1]!.text).toContain('Scope of impact: Any user hosted on the affected infrastructure');
    expect(new Set(ex.map((s) => s.id)).size).toBe(3);
  });

  test('Outlook symptoms filed under MO also tag Exchange Online', async () => {
    serveTokens();
    serveFixtures();
    const mo = byKey((await adapter.fetch(ctx())).signals, 'MO1456424');
    expect(mo).toHaveLength(1);
    expect(mo[0]!.services).toEqual(['exchange-online', 'sharepoint', 'onedrive', 'm365-apps']);
    expect(mo[0]!.official!.rawStatus).toBe('ServiceDegradation');
  });

  test('advisories stay advisories and are not outages; interruptions are; unknown words are unknown', async () => {
    serveTokens();
    serveFixtures();
    const r = await adapter.fetch(ctx());
    expect(byKey(r.signals, 'TM1459181')[0]!.official).toMatchObject({ classification: 'advisory', componentStatus: 'operational', impact: 'none' });
    expect(byKey(r.signals, 'SP1460002')[0]!.official).toMatchObject({ componentStatus: 'major_outage', impact: 'major' });
    expect(byKey(r.signals, 'SP1460002')[0]!.text).toBe("Users can't access SharePoint Online sites or files.");
    expect(byKey(r.signals, 'OD1458900')[0]!.official).toMatchObject({ componentStatus: 'unknown', classification: 'unknown' });
  });

  test('recently resolved issues resolve with their Final status post; old and untracked issues are skipped', async () => {
    serveTokens();
    serveFixtures();
    const r = await adapter.fetch(ctx());
    const res = byKey(r.signals, 'EX1457001');
    expect(res.map((s) => s.official!.status)).toEqual(['investigating', 'resolved']);
    expect(res[1]!.official).toMatchObject({ isResolved: true, endedAt: '2026-08-30T16:10:00.000Z' });
    expect(byKey(r.signals, 'EX226792')).toEqual([]);
    expect(byKey(r.signals, 'IT1458800')).toEqual([]);
    expect(r.activeKeys).toEqual(['EX1458145', 'MO1456424', 'OD1458900', 'SP1460002', 'TM1459181']);
  });

  test('the same read twice gives the same signals', async () => {
    serveTokens();
    serveFixtures();
    const a = await adapter.fetch(ctx());
    const b = await adapter.fetch(ctx(new Date(NOW.getTime() + 60_000)));
    expect(b.signals.map((s) => s.id)).toEqual(a.signals.map((s) => s.id));
  });
});

describe('token cache', () => {
  test('the token is reused until five minutes before expiry, then renewed', async () => {
    serveTokens();
    serveFixtures();
    await adapter.fetch(ctx(NOW));
    await adapter.fetch(ctx(new Date(NOW.getTime() + 30 * 60_000)));
    await adapter.fetch(ctx(new Date(NOW.getTime() + 54 * 60_000)));
    expect(tokensIssued).toBe(1);
    await adapter.fetch(ctx(new Date(NOW.getTime() + 55 * 60_000)));
    expect(tokensIssued).toBe(2);
    expect(graphAuth.at(-1)).toBe('Bearer tok-2');
  });

  test('tokens are cached per tenant and client', async () => {
    serveTokens('tenant-a');
    serveTokens('tenant-b');
    serveFixtures();
    await adapter.fetch(ctx(NOW));
    await adapter.fetch(ctx(NOW, { ...ENV, GRAPH_TENANT_ID: 'tenant-b' }));
    await adapter.fetch(ctx(NOW, { ...ENV, GRAPH_CLIENT_ID: 'client-2' }));
    expect(tokensIssued).toBe(3);
  });

  test('a 401 from Graph drops the token and retries once with a fresh one', async () => {
    serveTokens();
    serveFixtures({
      overviews: (req, res) => {
        graphAuth.push(req.headers.authorization ?? '');
        if (req.headers.authorization === 'Bearer tok-1') json(res, '{"error":{"code":"InvalidAuthenticationToken"}}', 401);
        else json(res, fixture('graph-healthoverviews-page2.json'));
      },
    });
    const r = await adapter.fetch(ctx());
    expect(tokensIssued).toBe(2);
    expect(graphAuth[0]).toBe('Bearer tok-1');
    expect(graphAuth.at(-1)).toBe('Bearer tok-2');
    expect(r.serviceStatus.sharepoint).toBe('major_outage');
  });

  test('a rejected secret is one token request and a clear error', async () => {
    serveTokens('tenant-a', (res) => json(res, '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}', 401));
    serveFixtures();
    const err = await failure(adapter.fetch(ctx()));
    expect(err.code).toBe('SOURCE_HTTP_STATUS');
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/token request failed/);
    expect(err.message).not.toContain('s3cret');
    expect(server.hits('/login/tenant-a/oauth2/v2.0/token')).toBe(1);
    expect(server.hits(OVERVIEWS)).toBe(0);
  });
});

describe('faults', () => {
  test('429 with Retry-After is SOURCE_RATE_LIMITED with retryAfter', async () => {
    serveTokens();
    serveFixtures({ overviews: (_req, res) => res.writeHead(429, { 'retry-after': '30' }).end() });
    const err = await failure(adapter.fetch(ctx()));
    expect(err.code).toBe('SOURCE_RATE_LIMITED');
    expect(err.retryAfter).toBeInstanceOf(Date);
  });

  test('a nextLink to another origin is refused; the token never leaves Graph', async () => {
    const other = await startFaultServer();
    try {
      other.route('/steal', (req, res) => json(res, JSON.stringify({ value: [], seen: req.headers.authorization })));
      serveTokens();
      serveFixtures({ overviews: (_req, res) => json(res, JSON.stringify({ value: [], '@odata.nextLink': `${other.base}/steal` })) });
      const err = await failure(adapter.fetch(ctx()));
      expect(err.code).toBe('PARSE_FAILED');
      expect(other.hits('/steal')).toBe(0);
    } finally {
      await other.close();
    }
  });

  test('endless paging stops at the page bound with PARSE_FAILED, never a partial list', async () => {
    serveTokens();
    serveFixtures({ overviews: (_req, res) => json(res, JSON.stringify({ value: [], '@odata.nextLink': `${graphBase()}/admin/serviceAnnouncement/healthOverviews?p=${server.hits(OVERVIEWS)}` })) });
    const err = await failure(adapter.fetch(ctx()));
    expect(err.code).toBe('PARSE_FAILED');
    expect(server.hits(OVERVIEWS)).toBe(MAX_PAGES);
  });

  test('an HTML sign-in page where JSON was expected is SOURCE_WRONG_TYPE', async () => {
    serveTokens();
    serveFixtures({ overviews: (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(fixture('status-spa-shell.html')) });
    expect((await failure(adapter.fetch(ctx()))).code).toBe('SOURCE_WRONG_TYPE');
  });

  test('a payload without value[] or with a broken issue is PARSE_FAILED', async () => {
    serveTokens();
    serveFixtures({ overviews: (_req, res) => json(res, '{"error":"nope"}') });
    expect((await failure(adapter.fetch(ctx()))).code).toBe('PARSE_FAILED');
    clearGraphTokenCache();
    serveFixtures({ overviews: (_req, res) => json(res, '{"value":[{"status":"serviceOperational"}]}') });
    expect((await failure(adapter.fetch(ctx()))).code).toBe('PARSE_FAILED');
  });
});

describe('serviceStatusOf (pure)', () => {
  const issue = (over: Partial<GraphIssue>): GraphIssue => ({ id: 'TM1', service: 'Microsoft Teams', status: 'serviceDegradation', classification: 'incident', isResolved: false, ...over });
  test.each([
    ['no open issue: trust the overview', [], 'degraded_performance'],
    ['an open incident keeps it degraded', [issue({})], 'degraded_performance'],
    ['only advisories: operational', [issue({ classification: 'advisory' })], 'operational'],
    ['an advisory interruption counts', [issue({ classification: 'Advisory', status: 'serviceInterruption' })], 'degraded_performance'],
    ['resolved issues do not count', [issue({ classification: 'advisory' }), issue({ id: 'TM2', isResolved: true })], 'operational'],
  ])('%s', (_name, issues, expected) => {
    expect(serviceStatusOf([{ service: 'Microsoft Teams', status: 'serviceDegradation' }], issues).teams).toBe(expected);
  });
});
