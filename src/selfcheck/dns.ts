/**
 * DNS facts about a domain that show whether it is set up for Microsoft 365: MX to Exchange Online
 * Protection, SPF including Microsoft, the autodiscover CNAME, the DKIM selector CNAMEs and the MS=
 * verification record. Look-ups go through `node:dns` `Resolver` with configured servers and
 * timeouts. Only NXDOMAIN and "no such record" count as a definite ✗; a timeout, SERVFAIL or refusal
 * is `unknown`, never ✓. Never follows an answer anywhere: CNAME targets are only compared.
 */
import { Resolver } from 'node:dns/promises';
import type { Fact, LookupKind } from './facts.ts';

/** The part of `dns.promises.Resolver` we use (tests may pass their own). */
export interface DnsResolverLike {
  resolveMx(name: string): Promise<{ exchange: string; priority: number }[]>;
  resolveTxt(name: string): Promise<string[][]>;
  resolveCname(name: string): Promise<string[]>;
  cancel(): void;
}

export interface DnsOptions {
  /** `ip` or `ip:port` (`[v6]:port`); empty: the system's resolvers. */
  servers: readonly string[];
  timeoutMs: number;
  tries: number;
}

/** One resolver per check: cancelling it on the deadline cannot touch other visitors' queries. */
export function createDnsResolver(options: DnsOptions): DnsResolverLike {
  const r = new Resolver({ timeout: options.timeoutMs, tries: options.tries });
  if (options.servers.length > 0) r.setServers([...options.servers]);
  return r;
}

/** Wraps every outgoing look-up (concurrency cap, counters). */
export type LookupRunner = <T>(kind: LookupKind, fn: () => Promise<T>) => Promise<T>;

type Outcome<T> = { ok: true; value: T } | { ok: false; absent: boolean; nxdomain: boolean; code: string };

// c-ares codes for "the name or the record does not exist": a definite answer.
const ABSENT = new Set(['ENODATA', 'ENOTFOUND', 'NOTFOUND', 'NODATA']);

async function ask<T>(run: LookupRunner, kind: LookupKind, fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run(kind, fn) };
  } catch (err) {
    const code = String((err as { code?: unknown }).code ?? 'EUNKNOWN');
    return { ok: false, absent: ABSENT.has(code), nxdomain: code === 'ENOTFOUND' || code === 'NOTFOUND', code };
  }
}

/** Host name patterns of Exchange Online Protection per Microsoft cloud. */
const MICROSOFT_MX: readonly { re: RegExp; cloud: string }[] = [
  { re: /\.mail\.protection\.outlook\.com$/, cloud: 'worldwide' },
  { re: /\.mx\.microsoft$/, cloud: 'worldwide' },
  { re: /\.mail\.protection\.office365\.us$/, cloud: 'us-government' },
  { re: /\.mail\.protection\.partner\.outlook\.cn$/, cloud: 'china' },
];
const MICROSOFT_SPF = /(?:^|\s)[+]?include:spf\.protection\.(?:outlook\.com|office365\.us|partner\.outlook\.cn)(?:\s|$)/i;
const MICROSOFT_AUTODISCOVER = /^autodiscover(?:-s)?\.(?:outlook\.com|office365\.us|partner\.outlook\.cn)$/;
const MICROSOFT_DKIM = /\._domainkey\.[a-z0-9-]+\.(?:onmicrosoft\.com|onmicrosoft\.us|partner\.onmschina\.cn)$|\.dkim\.mail\.microsoft$/;
const MS_VERIFICATION = /^MS=ms\d{4,12}$/i;

function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

export function isMicrosoftMx(host: string): boolean {
  const h = normalizeHost(host);
  return MICROSOFT_MX.some((m) => m.re.test(h));
}

function clip(value: string): string {
  return value.length > 300 ? `${value.slice(0, 299)}…` : value;
}

function failedFact(id: Fact['id'], o: { code: string }): Fact {
  const timedOut = o.code === 'ETIMEOUT' || o.code === 'ECANCELLED' || o.code === 'SELFCHECK_BUSY';
  return { id, state: 'unknown', reason: timedOut ? 'lookup-timeout' : 'lookup-failed', values: [o.code] };
}

export interface DnsFacts {
  facts: Fact[];
  domainExists: boolean | null;
  mxAtMicrosoft: boolean | null;
  microsoftDnsTraces: boolean | null;
  /** Microsoft cloud implied by the MX, when it is at Microsoft. */
  mxCloud: string | null;
}

/** Asks the five DNS questions (in parallel) and turns the answers into facts. */
export async function gatherDnsFacts(domain: string, resolver: DnsResolverLike, run: LookupRunner): Promise<DnsFacts> {
  const [mx, txt, autodiscover, dkim1, dkim2] = await Promise.all([
    ask(run, 'mx', () => resolver.resolveMx(domain)),
    ask(run, 'txt', () => resolver.resolveTxt(domain)),
    ask(run, 'autodiscover', () => resolver.resolveCname(`autodiscover.${domain}`)),
    ask(run, 'dkim1', () => resolver.resolveCname(`selector1._domainkey.${domain}`)),
    ask(run, 'dkim2', () => resolver.resolveCname(`selector2._domainkey.${domain}`)),
  ]);

  const facts: Fact[] = [];
  let domainExists: boolean | null = null;
  let mxAtMicrosoft: boolean | null = null;
  let mxCloud: string | null = null;

  // MX: Exchange Online must be the lowest-preference (first-tried) exchanger.
  if (mx.ok) {
    domainExists = true;
    const records = [...mx.value].sort((a, b) => a.priority - b.priority);
    const hosts = records.map((r) => `${r.priority} ${normalizeHost(r.exchange) || '.'}`);
    const isNullMx = records.length === 1 && normalizeHost(records[0]!.exchange) === '';
    const lowest = records.filter((r) => r.priority === records[0]?.priority).map((r) => normalizeHost(r.exchange));
    const anyMicrosoft = records.some((r) => isMicrosoftMx(r.exchange));
    if (isNullMx) {
      mxAtMicrosoft = false;
      facts.push({ id: 'dns-mx', state: 'no', reason: 'mx-null', values: hosts });
    } else if (records.length === 0) {
      mxAtMicrosoft = false;
      facts.push({ id: 'dns-mx', state: 'no', reason: 'mx-none', values: [] });
    } else if (lowest.every((h) => isMicrosoftMx(h))) {
      mxAtMicrosoft = true;
      mxCloud = MICROSOFT_MX.find((m) => m.re.test(lowest[0]!))?.cloud ?? null;
      facts.push({ id: 'dns-mx', state: 'yes', reason: records.length > lowest.length ? 'mx-microsoft-extra' : 'mx-microsoft', values: hosts.map(clip) });
    } else {
      mxAtMicrosoft = false;
      facts.push({ id: 'dns-mx', state: 'no', reason: anyMicrosoft ? 'mx-gateway-first' : 'mx-elsewhere', values: hosts.slice(0, 12).map(clip) });
    }
  } else if (mx.absent) {
    domainExists = !mx.nxdomain;
    mxAtMicrosoft = false;
    facts.push({ id: 'dns-mx', state: 'no', reason: mx.nxdomain ? 'domain-nxdomain' : 'mx-none', values: [] });
  } else {
    facts.push(failedFact('dns-mx', mx));
  }

  // TXT at the apex: SPF and the MS= verification record.
  if (txt.ok) {
    const records = txt.value.map((chunks) => chunks.join(''));
    const spf = records.filter((r) => /^v=spf1(?:\s|$)/i.test(r.trim()));
    if (spf.length === 0) facts.push({ id: 'dns-spf', state: 'no', reason: 'spf-none', values: [] });
    else if (spf.length > 1) facts.push({ id: 'dns-spf', state: 'no', reason: 'spf-multiple', values: spf.slice(0, 4).map(clip) });
    else if (MICROSOFT_SPF.test(spf[0]!)) facts.push({ id: 'dns-spf', state: 'yes', reason: 'spf-microsoft', values: [clip(spf[0]!)] });
    else facts.push({ id: 'dns-spf', state: 'no', reason: 'spf-no-microsoft', values: [clip(spf[0]!)] });
    const ms = records.filter((r) => MS_VERIFICATION.test(r.trim()));
    facts.push(
      ms.length > 0
        ? { id: 'dns-ms-txt', state: 'yes', reason: 'ms-txt-present', values: ms.slice(0, 3).map(clip) }
        : { id: 'dns-ms-txt', state: 'no', reason: 'ms-txt-absent', values: [] },
    );
  } else if (txt.absent) {
    if (txt.nxdomain) domainExists = domainExists ?? false;
    facts.push({ id: 'dns-spf', state: 'no', reason: 'spf-none', values: [] });
    facts.push({ id: 'dns-ms-txt', state: 'no', reason: 'ms-txt-absent', values: [] });
  } else {
    facts.push(failedFact('dns-spf', txt), failedFact('dns-ms-txt', txt));
  }

  // Autodiscover: Outlook's set-up, not delivery.
  if (autodiscover.ok) {
    const targets = autodiscover.value.map(normalizeHost);
    const atMicrosoft = targets.some((t) => MICROSOFT_AUTODISCOVER.test(t));
    facts.push({ id: 'dns-autodiscover', state: atMicrosoft ? 'yes' : 'no', reason: atMicrosoft ? 'autodiscover-microsoft' : 'autodiscover-elsewhere', values: targets.map(clip) });
  } else if (autodiscover.absent) {
    facts.push({ id: 'dns-autodiscover', state: 'no', reason: 'autodiscover-none', values: [] });
  } else {
    facts.push(failedFact('dns-autodiscover', autodiscover));
  }

  // DKIM: both selectors should be CNAMEs into the tenant's onmicrosoft.com (or the 2025 dkim.mail.microsoft) zone.
  {
    const answers = [dkim1, dkim2];
    const targets = answers.flatMap((a) => (a.ok ? a.value.map(normalizeHost) : []));
    const microsoftTargets = targets.filter((t) => MICROSOFT_DKIM.test(t));
    const failed = answers.find((a): a is Extract<typeof a, { ok: false }> => !a.ok && !a.absent);
    if (microsoftTargets.length === 2) facts.push({ id: 'dns-dkim', state: 'yes', reason: 'dkim-microsoft', values: microsoftTargets.map(clip) });
    else if (microsoftTargets.length === 1) facts.push({ id: 'dns-dkim', state: 'yes', reason: 'dkim-partial', values: microsoftTargets.map(clip) });
    else if (failed) facts.push(failedFact('dns-dkim', failed));
    else if (targets.length > 0) facts.push({ id: 'dns-dkim', state: 'no', reason: 'dkim-elsewhere', values: targets.map(clip) });
    else facts.push({ id: 'dns-dkim', state: 'no', reason: 'dkim-none', values: [] });
  }

  const traceFacts = facts.filter((f) => f.id !== 'dns-mx' || f.reason !== 'mx-gateway-first');
  const anyMicrosoftMx = mx.ok && mx.value.some((r) => isMicrosoftMx(r.exchange));
  let microsoftDnsTraces: boolean | null;
  if (anyMicrosoftMx || facts.some((f) => f.state === 'yes')) microsoftDnsTraces = true;
  else if (traceFacts.every((f) => f.state === 'no')) microsoftDnsTraces = false;
  else microsoftDnsTraces = null;

  return { facts, domainExists, mxAtMicrosoft, microsoftDnsTraces, mxCloud };
}
