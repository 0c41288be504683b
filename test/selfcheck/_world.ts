/**
 * The test world: domains with DNS records (fake DNS) and directory behaviour (fake Microsoft),
 * one per situation the issue names. Shared by the service tests, the page tests and the benchmark.
 */
import type { FakeRecords } from './_fake-dns.ts';
import type { MicrosoftBehaviour } from './_fake-microsoft.ts';
import { startFakeDns, type FakeDnsServer } from './_fake-dns.ts';
import { startFakeMicrosoft, type FakeMicrosoft } from './_fake-microsoft.ts';

/** Records of a domain set up for Exchange Online the way Microsoft's wizard does it. */
function m365(domain: string, tenant: string, extra: { mx?: string; ms?: boolean } = {}): Record<string, FakeRecords> {
  const dashed = domain.replaceAll('.', '-');
  return {
    [domain]: {
      MX: [{ priority: 0, exchange: extra.mx ?? `${dashed}.mail.protection.outlook.com` }],
      TXT: [['v=spf1 include:spf.protection.outlook.com -all'], ...(extra.ms === false ? [] : [['MS=ms12345678']])],
    },
    [`autodiscover.${domain}`]: { CNAME: 'autodiscover.outlook.com' },
    [`selector1._domainkey.${domain}`]: { CNAME: `selector1-${dashed}._domainkey.${tenant}.onmicrosoft.com` },
    [`selector2._domainkey.${domain}`]: { CNAME: `selector2-${dashed}._domainkey.${tenant}.onmicrosoft.com` },
  };
}

export const IDN_DOMAIN = 'bücher-test.de';
export const IDN_ASCII = 'xn--bcher-test-9db.de';

export const DNS_RECORDS: Record<string, FakeRecords> = {
  ...m365('healthy-managed.de', 'healthymanaged'),
  ...m365('federated-corp.com', 'federatedcorp'),
  // The partner's case: DNS still points to Microsoft, the directory no longer knows the domain.
  ...m365('gone-tenant.de', 'gonetenant'),
  ...m365('ms-5xx.de', 'ms5xx'),
  ...m365('ms-hang.de', 'mshang'),
  ...m365('drift-realm.de', 'driftrealm'),
  ...m365(IDN_ASCII, 'buechertest'),
  'own-mx.de': {
    MX: [{ priority: 10, exchange: 'mx1.own-mx.de' }, { priority: 20, exchange: 'mx2.own-mx.de' }],
    TXT: [['v=spf1 mx -all']],
  },
  'no-microsoft.de': { MX: [{ priority: 10, exchange: 'mail.no-microsoft.de' }], TXT: [['v=spf1 mx -all']] },
};

export const DNS_BEHAVIOUR: Record<string, 'hang' | 'servfail'> = {
  'dns-timeout.de': 'hang',
  'dns-servfail.de': 'servfail',
};

export const DIRECTORY: Record<string, MicrosoftBehaviour> = {
  'healthy-managed.de': { realm: 'managed', openid: 'ok', tenantId: '11111111-2222-4333-8444-555555555555' },
  'federated-corp.com': { realm: 'federated', openid: 'ok', tenantId: 'cc74fc12-4142-400e-a653-f98bdeadbeef' },
  'gone-tenant.de': { realm: 'unknown', openid: 'not-found-2024' },
  'own-mx.de': { realm: 'managed', openid: 'ok' },
  'no-microsoft.de': { realm: 'unknown', openid: 'not-found-2021' },
  'dns-timeout.de': { realm: 'managed', openid: 'ok' },
  'dns-servfail.de': { realm: 'managed', openid: 'ok' },
  'ms-5xx.de': { realm: '500', userRealm: '500', openid: '500' },
  'ms-hang.de': { realm: 'hang', userRealm: 'hang', openid: 'hang' },
  'drift-realm.de': { realm: 'drift', userRealm: 'federated', openid: 'ok' },
  [IDN_ASCII]: { realm: 'managed', openid: 'ok' },
};

export interface World {
  dns: FakeDnsServer;
  microsoft: FakeMicrosoft;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const [dns, microsoft] = await Promise.all([startFakeDns(DNS_RECORDS, DNS_BEHAVIOUR), startFakeMicrosoft(DIRECTORY)]);
  return {
    dns,
    microsoft,
    async close() {
      await Promise.all([dns.close(), microsoft.close()]);
    },
  };
}
