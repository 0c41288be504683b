/**
 * Directory facts from Microsoft's public, unauthenticated endpoints: does Microsoft know the
 * domain (managed, federated or unknown), the tenant id and the cloud. Requests go only to the
 * configured base URLs; the domain enters them as an encoded query value or as one validated path
 * segment, and where a login name is needed a fixed placeholder mailbox stands in — never the
 * visitor's address. Answers are validated; drift, 5xx, 429 and hangs are `unknown`. Hosts named in
 * answers (AuthURL, federation metadata) are shown, never fetched.
 */
import { z } from 'zod';
import type { HttpClient } from '../../scrapers/http/types.ts';
import type { DirectoryState, Fact, LookupKind } from './facts.ts';
import type { LookupRunner } from './dns.ts';

export interface DirectoryOptions {
  realmBaseUrl: string;
  userRealmBaseUrl: string;
  openIdBaseUrl: string;
  placeholderMailbox: string;
  deadlineMs: number;
}

const NAMESPACE_TYPES = ['Managed', 'Federated', 'Unknown'] as const;

/** getuserrealm.srf (JSON form). Undocumented: extra keys are allowed, the core ones are checked. */
export const UserRealmSchema = z.looseObject({
  NameSpaceType: z.enum(NAMESPACE_TYPES),
  DomainName: z.string().max(300).optional(),
  FederationBrandName: z.string().max(300).optional(),
  CloudInstanceName: z.string().max(100).optional(),
  AuthURL: z.string().max(2000).optional(),
});

/** common/userrealm?api-version=2.1: same meaning, other key spellings. */
export const UserRealmV2Schema = z.looseObject({
  NameSpaceType: z.enum(NAMESPACE_TYPES),
  DomainName: z.string().max(300).optional(),
  FederationBrandName: z.string().max(300).optional(),
  cloudinstancename: z.string().max(100).optional(),
  cloud_instance_name: z.string().max(100).optional(),
  AuthURL: z.string().max(2000).optional(),
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** OpenID Connect discovery document (documented); only what we use is checked. */
export const OpenIdConfigSchema = z.looseObject({
  issuer: z.string().max(300),
  tenant_region_scope: z.string().max(20).nullable().optional(),
  tenant_region_sub_scope: z.string().max(20).nullable().optional(),
  cloud_instance_name: z.string().max(100).optional(),
});

export interface DirectoryFacts {
  facts: Fact[];
  state: DirectoryState;
  tenantId: string | null;
  cloud: string | null;
}

type Realm =
  | { ok: true; namespace: (typeof NAMESPACE_TYPES)[number]; brand: string | null; cloud: string | null; idpHost: string | null; via: 'realm' | 'userrealm' }
  | { ok: false; reason: string; detail: string };

type OpenId =
  | { ok: true; tenantId: string; region: string | null; subScope: string | null; cloud: string | null }
  | { ok: false; notFound: boolean; reason: string; detail: string };

function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host || null;
  } catch {
    // A malformed AuthURL is not worth a fact of its own; the namespace type still is.
    return null;
  }
}

function failure(err: unknown): { reason: string; detail: string } {
  const e = err as { code?: unknown; status?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'EUNKNOWN';
  const reason = code === 'SOURCE_TIMEOUT' || code === 'SELFCHECK_BUSY' ? 'lookup-timeout' : code === 'PARSE_FAILED' ? 'dir-drift' : 'lookup-failed';
  return { reason, detail: typeof e.status === 'number' ? `${code} ${e.status}` : code };
}

async function getJson(http: HttpClient, run: LookupRunner, kind: LookupKind, url: string, deadlineMs: number): Promise<unknown> {
  const res = await run(kind, () => http.request({ url, expect: 'json', deadlineMs, maxBytes: 64 * 1024, sourceId: `selfcheck-${kind}` }));
  try {
    return JSON.parse(res.text);
  } catch (cause) {
    throw Object.assign(new Error('answer is not JSON', { cause }), { code: 'PARSE_FAILED' });
  }
}

function withPath(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

async function askRealm(domain: string, http: HttpClient, run: LookupRunner, o: DirectoryOptions): Promise<Realm> {
  const login = encodeURIComponent(`${o.placeholderMailbox}@${domain}`);
  try {
    const body = await getJson(http, run, 'realm', withPath(o.realmBaseUrl, `/getuserrealm.srf?login=${login}&json=1`), o.deadlineMs);
    const parsed = UserRealmSchema.safeParse(body);
    if (!parsed.success) return { ok: false, reason: 'dir-drift', detail: 'getuserrealm.srf' };
    const r = parsed.data;
    return { ok: true, namespace: r.NameSpaceType, brand: r.FederationBrandName ?? null, cloud: r.CloudInstanceName ?? null, idpHost: hostOf(r.AuthURL), via: 'realm' };
  } catch (err) {
    return { ok: false, ...failure(err) };
  }
}

async function askUserRealm(domain: string, http: HttpClient, run: LookupRunner, o: DirectoryOptions): Promise<Realm> {
  const user = encodeURIComponent(`${o.placeholderMailbox}@${domain}`);
  try {
    const url = withPath(o.userRealmBaseUrl, `/common/userrealm/?user=${user}&api-version=2.1&checkForMicrosoftAccount=false`);
    const body = await getJson(http, run, 'userrealm', url, o.deadlineMs);
    const parsed = UserRealmV2Schema.safeParse(body);
    if (!parsed.success) return { ok: false, reason: 'dir-drift', detail: 'common/userrealm' };
    const r = parsed.data;
    return {
      ok: true,
      namespace: r.NameSpaceType,
      brand: r.FederationBrandName ?? null,
      cloud: r.cloud_instance_name ?? r.cloudinstancename ?? null,
      idpHost: hostOf(r.AuthURL),
      via: 'userrealm',
    };
  } catch (err) {
    return { ok: false, ...failure(err) };
  }
}

async function askOpenId(domain: string, http: HttpClient, run: LookupRunner, o: DirectoryOptions): Promise<OpenId> {
  // The domain is validated (a-z, 0-9, '-', '.') before it gets here; encoding is a second fence.
  const url = withPath(o.openIdBaseUrl, `/${encodeURIComponent(domain)}/v2.0/.well-known/openid-configuration`);
  try {
    const body = await getJson(http, run, 'openid', url, o.deadlineMs);
    const parsed = OpenIdConfigSchema.safeParse(body);
    if (!parsed.success) return { ok: false, notFound: false, reason: 'dir-drift', detail: 'openid-configuration' };
    const tenantId = /^https:\/\/[^/]+\/([^/]+)\/(?:v2\.0)?\/?$/.exec(parsed.data.issuer)?.[1] ?? '';
    if (!GUID.test(tenantId)) return { ok: false, notFound: false, reason: 'dir-drift', detail: 'issuer' };
    return {
      ok: true,
      tenantId: tenantId.toLowerCase(),
      region: parsed.data.tenant_region_scope ?? null,
      subScope: parsed.data.tenant_region_sub_scope ?? null,
      cloud: parsed.data.cloud_instance_name ?? null,
    };
  } catch (err) {
    const e = err as { status?: unknown; message?: unknown };
    // Microsoft answers an unknown tenant with HTTP 400 and AADSTS90002 (error "invalid_tenant").
    if (e.status === 400 && /AADSTS90002|invalid_tenant/.test(String(e.message))) {
      return { ok: false, notFound: true, reason: 'openid-tenant-not-found', detail: 'AADSTS90002' };
    }
    return { ok: false, notFound: false, ...failure(err) };
  }
}

/**
 * Asks getuserrealm.srf and the OpenID configuration in parallel; falls back to common/userrealm
 * only when getuserrealm.srf gives no usable answer. At most three requests per domain.
 */
export async function gatherDirectoryFacts(domain: string, http: HttpClient, run: LookupRunner, o: DirectoryOptions): Promise<DirectoryFacts> {
  const [first, openid] = await Promise.all([askRealm(domain, http, run, o), askOpenId(domain, http, run, o)]);
  const realm = first.ok ? first : await askUserRealm(domain, http, run, o);

  const facts: Fact[] = [];
  if (realm.ok) {
    const values = [realm.namespace, realm.brand, realm.idpHost].filter((v): v is string => Boolean(v)).map((v) => v.slice(0, 300));
    if (realm.namespace === 'Unknown') facts.push({ id: 'dir-realm', state: 'no', reason: 'realm-unknown', values });
    else facts.push({ id: 'dir-realm', state: 'yes', reason: realm.namespace === 'Managed' ? 'realm-managed' : 'realm-federated', values });
  } else {
    facts.push({ id: 'dir-realm', state: 'unknown', reason: realm.reason, values: [realm.detail] });
  }
  if (openid.ok) {
    const values = [openid.tenantId, openid.region, openid.subScope, openid.cloud].filter((v): v is string => Boolean(v));
    facts.push({ id: 'dir-openid', state: 'yes', reason: 'openid-tenant', values });
  } else if (openid.notFound) {
    facts.push({ id: 'dir-openid', state: 'no', reason: openid.reason, values: [openid.detail] });
  } else {
    facts.push({ id: 'dir-openid', state: 'unknown', reason: openid.reason, values: [openid.detail] });
  }

  let state: DirectoryState;
  if (realm.ok && realm.namespace !== 'Unknown') state = realm.namespace === 'Managed' ? 'managed' : 'federated';
  else if (realm.ok && realm.namespace === 'Unknown') state = openid.ok ? 'unavailable' : 'unknown-to-microsoft';
  else if (openid.ok) state = 'exists';
  else if (openid.notFound) state = 'unknown-to-microsoft';
  else state = 'unavailable';

  const cloud = openid.ok ? [openid.cloud, openid.subScope].filter(Boolean).join(' / ') || null : realm.ok ? realm.cloud : null;
  return { facts, state, tenantId: openid.ok ? openid.tenantId : null, cloud };
}
