import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHttpClient, type OwnedHttpClient } from '../../scrapers/http/client.ts';
import { HttpConfigSchema } from '../../src/config/schema.ts';
import { createSelfCheckService, type SelfCheckService, type SelfCheckSettings } from '../../src/selfcheck/check.ts';
import { buildStatusContext, loadStatusContext } from '../../src/selfcheck/context.ts';
import { SqliteReportStore } from '../../src/reports/sqlite-store.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Fact } from '../../src/selfcheck/facts.ts';
import { parseSymptom, parseTarget } from '../../src/selfcheck/parse.ts';
import { makeDataDir, officialExchangeIncident, operationalSnapshot } from './_status.ts';
import { IDN_DOMAIN, startWorld, type World } from './_world.ts';

const NOW = new Date('2026-11-25T12:00:00Z');
let world: World;
let http: OwnedHttpClient;

function settings(over: Partial<SelfCheckSettings> = {}): SelfCheckSettings {
  return {
    dnsServers: [world.dns.address],
    // Generous by default so a loaded CI machine does not turn a healthy answer into "unknown";
    // the timeout tests below set short deadlines of their own.
    timeoutMs: 1500,
    tries: 1,
    httpTimeoutMs: 2000,
    directory: { realmBaseUrl: world.microsoft.baseUrl, userRealmBaseUrl: world.microsoft.baseUrl, openIdBaseUrl: world.microsoft.baseUrl },
    cacheSeconds: 300,
    negativeCacheSeconds: 60,
    maxConcurrentLookups: 16,
    maxQueuedLookups: 256,
    placeholderMailbox: 'nobody',
    ...over,
  };
}

function makeService(over: Partial<SelfCheckSettings> = {}, clock = () => NOW): SelfCheckService {
  return createSelfCheckService({
    settings: settings(over),
    http,
    clock,
    loadStatus: async (now) => buildStatusContext(operationalSnapshot(now), [], now, 30),
    crowd: null,
    crowdOptions: { windowMinutes: 60, baselineWeeks: 4, minCount: 8, minRatio: 3 },
  });
}

async function run(service: SelfCheckService, target: string, symptom = '') {
  return service.check({ target: parseTarget(target), symptoms: parseSymptom(symptom) });
}

const fact = (facts: Fact[], id: Fact['id']) => facts.find((f) => f.id === id)!;

beforeAll(async () => {
  world = await startWorld();
  http = createHttpClient({ config: { ...HttpConfigSchema.parse({}), maxRedirects: 0, retries: 0 } });
});
afterAll(async () => {
  await http.close();
  await world.close();
});

describe('self-check against local DNS and a local Microsoft', () => {
  test('a healthy managed domain: every fact ✓, tenant id found, one-mailbox verdict for 5.1.10', async () => {
    const r = await run(makeService(), 'someone@healthy-managed.de', '550 5.1.10 RESOLVER.ADR.RecipientNotFound');
    const f = r.domainFacts.facts;
    expect(f.map((x) => [x.id, x.state])).toEqual([
      ['dns-mx', 'yes'],
      ['dns-spf', 'yes'],
      ['dns-ms-txt', 'yes'],
      ['dns-autodiscover', 'yes'],
      ['dns-dkim', 'yes'],
      ['dir-realm', 'yes'],
      ['dir-openid', 'yes'],
    ]);
    expect(fact(f, 'dir-realm').reason).toBe('realm-managed');
    expect(r.domainFacts.summary.tenantId).toBe('11111111-2222-4333-8444-555555555555');
    expect(r.verdict).toMatchObject({ kind: 'mailbox', rule: 'one-mailbox-code' });
  });

  test('the visitor\'s mailbox never leaves: only the placeholder reaches Microsoft', async () => {
    const before = world.microsoft.log.length;
    await run(makeService(), 'secret.person@federated-corp.com');
    const sent = world.microsoft.log.slice(before).join('\n');
    expect(sent).not.toContain('secret');
    expect(sent).toContain('nobody%40federated-corp.com');
    expect(world.dns.log.join('\n')).not.toContain('secret');
  });

  test('a federated domain: realm says Federated and names the IdP host, never fetches it', async () => {
    const r = await run(makeService(), 'federated-corp.com', 'AADSTS50057');
    const realm = fact(r.domainFacts.facts, 'dir-realm');
    expect(realm).toMatchObject({ state: 'yes', reason: 'realm-federated' });
    expect(realm.values).toContain('federated-corp.okta.com');
    expect(r.domainFacts.summary.directory).toBe('federated');
    expect(r.verdict).toMatchObject({ kind: 'mailbox', rule: 'one-mailbox-code' });
  });

  test('the partner\'s case: DNS still at Microsoft, directory does not know the domain → tenant', async () => {
    const r = await run(makeService(), 'partner@gone-tenant.de', '550 5.1.10 RESOLVER.ADR.RecipientNotFound');
    expect(fact(r.domainFacts.facts, 'dir-realm')).toMatchObject({ state: 'no', reason: 'realm-unknown' });
    expect(fact(r.domainFacts.facts, 'dir-openid')).toMatchObject({ state: 'no', reason: 'openid-tenant-not-found' });
    expect(fact(r.domainFacts.facts, 'dns-mx').state).toBe('yes');
    expect(r.domainFacts.summary.directory).toBe('unknown-to-microsoft');
    expect(r.verdict).toMatchObject({ kind: 'tenant', rule: 'domain-unknown-to-microsoft' });
  });

  test('the 2021 wording of AADSTS90002 (sanitizer artefact in "error") is still read as not found', async () => {
    const r = await run(makeService(), 'no-microsoft.de');
    expect(fact(r.domainFacts.facts, 'dir-openid').reason).toBe('openid-tenant-not-found');
    expect(r.verdict).toMatchObject({ kind: 'tenant', rule: 'domain-not-at-microsoft' });
  });

  test('MX not at Microsoft while the tenant exists', async () => {
    const r = await run(makeService(), 'own-mx.de', '5.1.10');
    expect(fact(r.domainFacts.facts, 'dns-mx')).toMatchObject({ state: 'no', reason: 'mx-elsewhere', values: ['10 mx1.own-mx.de', '20 mx2.own-mx.de'] });
    expect(fact(r.domainFacts.facts, 'dns-spf')).toMatchObject({ state: 'no', reason: 'spf-no-microsoft' });
    expect(r.verdict).toMatchObject({ kind: 'tenant', rule: 'mx-not-at-microsoft' });
  });

  test('a DNS timeout makes every DNS fact unknown, never ✓', async () => {
    const started = Date.now();
    const r = await run(makeService({ timeoutMs: 300 }), 'dns-timeout.de', '5.1.10');
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const f of r.domainFacts.facts.filter((x) => x.id.startsWith('dns-'))) {
      expect(f.state, f.id).toBe('unknown');
    }
    expect(fact(r.domainFacts.facts, 'dns-mx').reason).toBe('lookup-timeout');
    expect(r.domainFacts.summary.mxAtMicrosoft).toBeNull();
    expect(r.verdict).toMatchObject({ kind: 'cannot-tell', rule: 'domain-facts-blind' });
  });

  test('SERVFAIL is unknown, not "no record"', async () => {
    const r = await run(makeService(), 'dns-servfail.de');
    expect(fact(r.domainFacts.facts, 'dns-mx')).toMatchObject({ state: 'unknown', reason: 'lookup-failed' });
  });

  test('endpoint 5xx → directory unknown, and the verdict does not pretend', async () => {
    const r = await run(makeService(), 'ms-5xx.de', '5.1.10');
    expect(fact(r.domainFacts.facts, 'dir-realm')).toMatchObject({ state: 'unknown', reason: 'lookup-failed' });
    expect(fact(r.domainFacts.facts, 'dir-openid').state).toBe('unknown');
    expect(r.domainFacts.summary.directory).toBe('unavailable');
    expect(r.verdict.kind).toBe('cannot-tell');
  });

  test('endpoints that hang → unknown within the deadline', async () => {
    const started = Date.now();
    const r = await run(makeService({ httpTimeoutMs: 800 }), 'ms-hang.de', 'AADSTS50034');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(fact(r.domainFacts.facts, 'dir-realm')).toMatchObject({ state: 'unknown', reason: 'lookup-timeout' });
    expect(fact(r.domainFacts.facts, 'dir-openid')).toMatchObject({ state: 'unknown', reason: 'lookup-timeout' });
    expect(r.verdict.kind).toBe('cannot-tell');
  });

  test('schema drift in getuserrealm.srf falls back to common/userrealm', async () => {
    const before = world.microsoft.log.length;
    const r = await run(makeService(), 'drift-realm.de');
    expect(fact(r.domainFacts.facts, 'dir-realm')).toMatchObject({ state: 'yes', reason: 'realm-federated' });
    expect(world.microsoft.log.slice(before).some((l) => l.startsWith('GET /common/userrealm/?user=nobody%40drift-realm.de&api-version=2.1'))).toBe(true);
  });

  test('an IDN domain is asked in punycode and shown in Unicode', async () => {
    const r = await run(makeService(), `jörg@${IDN_DOMAIN}`);
    expect(r.domain).toBe('xn--bcher-test-9db.de');
    expect(r.displayDomain).toBe(IDN_DOMAIN);
    expect(world.dns.log).toContain('MX xn--bcher-test-9db.de');
    expect(fact(r.domainFacts.facts, 'dir-realm').state).toBe('yes');
  });

  test('a burst of identical checks makes one look-up per kind, and the cache serves the rest', async () => {
    const service = makeService();
    const before = world.dns.log.length;
    await Promise.all(Array.from({ length: 50 }, () => run(service, 'healthy-managed.de')));
    await run(service, 'healthy-managed.de');
    const stats = service.stats();
    expect(stats.lookups).toMatchObject({ mx: 1, txt: 1, autodiscover: 1, dkim1: 1, dkim2: 1, realm: 1, openid: 1, userrealm: 0 });
    expect(stats.domainLookups).toBe(1);
    expect(stats.coalesced).toBe(49);
    expect(stats.domainCacheHits).toBe(1);
    expect(world.dns.log.length - before).toBe(5);
  });

  test('the cache expires after cacheSeconds; failed results are kept only negativeCacheSeconds', async () => {
    let now = NOW;
    const service = makeService({ cacheSeconds: 300, negativeCacheSeconds: 30 }, () => now);
    await run(service, 'healthy-managed.de');
    await run(service, 'ms-5xx.de');
    now = new Date(NOW.getTime() + 60_000);
    await run(service, 'healthy-managed.de');
    await run(service, 'ms-5xx.de');
    expect(service.stats().lookups.mx).toBe(3);
    now = new Date(NOW.getTime() + 301_000);
    await run(service, 'healthy-managed.de');
    expect(service.stats().lookups.mx).toBe(4);
  });

  test('outgoing look-ups never exceed the cap', async () => {
    const service = makeService({ maxConcurrentLookups: 3 });
    await Promise.all(['healthy-managed.de', 'federated-corp.com', 'own-mx.de', 'gone-tenant.de'].map((d) => run(service, d)));
    expect(service.stats().peakConcurrentLookups).toBeLessThanOrEqual(3);
  });

  test('an official Exchange incident in our records makes it Microsoft-wide, named', async () => {
    const dataDir = await makeDataDir(operationalSnapshot(NOW), [officialExchangeIncident(NOW)]);
    const service = createSelfCheckService({
      settings: settings(),
      http,
      clock: () => NOW,
      loadStatus: (now) => loadStatusContext(dataDir, now, 30),
      crowd: null,
      crowdOptions: { windowMinutes: 60, baselineWeeks: 4, minCount: 8, minRatio: 3 },
    });
    const r = await run(service, 'partner@gone-tenant.de', '550 5.1.10');
    expect(r.verdict).toMatchObject({ kind: 'microsoft-wide', rule: 'official-incident' });
    expect(r.verdict.incidents[0]?.officialRefs).toEqual(['EX1151485']);
    expect(r.verdict.notes).toContain('note-directory-unknown');
  });

  test('a crowd spike on the code in the report store, without official word', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'selfcheck-spike-'));
    const store = SqliteReportStore.open(path.join(dir, 'reports.db'), { dedupWindowMinutes: 60, rateLimitPerMinute: 10 });
    try {
      for (let i = 0; i < 37; i++) {
        await store.add({ service: 'exchange-online', problemType: 'mail-bounces', code: '550 5.1.10', clientId: `c${i}`, receivedAt: new Date(NOW.getTime() - (i + 1) * 60_000) });
      }
      const service = createSelfCheckService({
        settings: settings(),
        http,
        clock: () => NOW,
        loadStatus: async (now) => buildStatusContext(operationalSnapshot(now), [], now, 30),
        crowd: store,
        crowdOptions: { windowMinutes: 60, baselineWeeks: 4, minCount: 8, minRatio: 3 },
      });
      const r = await run(service, 'healthy-managed.de', '550 5.1.10');
      expect(r.crowd.code).toMatchObject({ code: '5.1.10', count: 37, elevated: true });
      expect(r.verdict).toMatchObject({ kind: 'unconfirmed-spike', rule: 'crowd-spike-code' });
    } finally {
      await store.close();
    }
  });

  test('when the look-up queue is full, facts are unknown (busy) and that answer is never cached', async () => {
    const service = makeService({ maxConcurrentLookups: 1, maxQueuedLookups: 0 });
    const first = await run(service, 'healthy-managed.de');
    const busy = first.domainFacts.facts.filter((f) => f.values.includes('SELFCHECK_BUSY'));
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((f) => f.state === 'unknown')).toBe(true);
    await run(service, 'healthy-managed.de');
    expect(service.stats().domainLookups).toBe(2);
    expect(service.stats().domainCacheHits).toBe(0);
  });
});
