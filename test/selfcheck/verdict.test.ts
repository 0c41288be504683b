import { describe, expect, test } from 'vitest';
import { getCatalogEntry } from '../../src/selfcheck/catalog/index.ts';
import type { CrowdContext, DomainSummary, IncidentBrief, StatusContext } from '../../src/selfcheck/facts.ts';
import type { Symptom } from '../../src/selfcheck/parse.ts';
import { decideVerdict, isCrowdElevated, type VerdictInput } from '../../src/selfcheck/verdict.ts';
import { SERVICE_IDS } from '../../src/domain/services.ts';

const healthyDomain: DomainSummary = {
  domainExists: true,
  mxAtMicrosoft: true,
  microsoftDnsTraces: true,
  directory: 'managed',
  tenantId: '88888888-8888-8888-8888-888888888888',
  cloud: 'microsoftonline.com',
};
const goneDomain: DomainSummary = { ...healthyDomain, directory: 'unknown-to-microsoft', tenantId: null };
const blindDomain: DomainSummary = {
  domainExists: null,
  mxAtMicrosoft: null,
  microsoftDnsTraces: null,
  directory: 'unavailable',
  tenantId: null,
  cloud: null,
};

function statusWith(overrides: Partial<StatusContext> = {}): StatusContext {
  return {
    available: true,
    generatedAt: '2026-11-25T12:00:00Z',
    lastSuccessfulCycleAt: '2026-11-25T12:00:00Z',
    services: SERVICE_IDS.map((id) => ({ id, status: 'operational', crowdElevated: false })),
    incidents: [],
    ...overrides,
  };
}
const quietCrowd: CrowdContext = {
  available: true,
  windowMinutes: 60,
  services: [{ id: 'exchange-online', count: 2, baseline: 3, elevated: false }],
  code: { code: '5.1.10', count: 0, baseline: 0.2, elevated: false },
};
const codeSpike: CrowdContext = { ...quietCrowd, code: { code: '5.1.10', count: 37, baseline: 1, elevated: true } };
const noCrowd: CrowdContext = { available: false, windowMinutes: 60, services: [], code: null };

const exchangeIncident: IncidentBrief = {
  id: 'ex1151485-mail-delays',
  title: 'Some users cannot send or receive mail',
  status: 'investigating',
  confidence: 'official',
  impact: 'major',
  services: ['exchange-online'],
  officialRefs: ['EX1151485'],
  startedAt: '2026-11-25T11:00:00Z',
};
const suspectedIncident: IncidentBrief = { ...exchangeIncident, id: 'suspected-outlook', status: 'suspected', confidence: 'press', officialRefs: [] };
const entraIncident: IncidentBrief = { ...exchangeIncident, id: 'mo1-sign-in', services: ['entra-id'] };

const ndr = (code: string): Symptom => ({ kind: 'ndr', code, smtp: '550' });
const aad = (code: string): Symptom => ({ kind: 'aadsts', code });

function input(symptom: Symptom | null, entryId: string | null, over: Partial<VerdictInput> = {}): VerdictInput {
  return {
    symptom,
    entry: entryId ? getCatalogEntry(entryId) : null,
    domain: healthyDomain,
    status: statusWith(),
    crowd: quietCrowd,
    ...over,
  };
}

describe('decideVerdict', () => {
  test.each([
    ['official Exchange incident + 5.1.10', input(ndr('5.1.10'), '5.1.10', { status: statusWith({ incidents: [exchangeIncident] }) }), 'microsoft-wide', 'official-incident'],
    ['official incident + no code', input(null, null, { status: statusWith({ incidents: [exchangeIncident] }) }), 'microsoft-wide', 'official-incident'],
    ['official incident wins even when the directory looks gone', input(ndr('5.1.10'), '5.1.10', { domain: goneDomain, status: statusWith({ incidents: [exchangeIncident] }) }), 'microsoft-wide', 'official-incident'],
    ['Entra incident does not explain a mail code', input(ndr('5.1.10'), '5.1.10', { status: statusWith({ incidents: [entraIncident] }) }), 'mailbox', 'one-mailbox-code'],
    ['Entra incident explains a sign-in code', input(aad('50034'), 'aadsts50034', { status: statusWith({ incidents: [entraIncident] }) }), 'microsoft-wide', 'official-incident'],
    ['official incident does not explain the sender\'s own SPF failure', input(ndr('5.7.23'), '5.7.23', { status: statusWith({ incidents: [exchangeIncident] }) }), 'tenant', 'sender-side-code'],
    ['crowd spike on the code without official word', input(ndr('5.1.10'), '5.1.10', { crowd: codeSpike }), 'unconfirmed-spike', 'crowd-spike-code'],
    ['suspected incident from press', input(ndr('5.1.10'), '5.1.10', { status: statusWith({ incidents: [suspectedIncident] }) }), 'unconfirmed-spike', 'suspected-incident'],
    ['service crowd flag in our snapshot', input(null, null, { status: statusWith({ services: SERVICE_IDS.map((id) => ({ id, status: 'operational', crowdElevated: id === 'exchange-online' })) }) }), 'unconfirmed-spike', 'crowd-spike-service'],
    ['degraded status without an incident record', input(null, null, { status: statusWith({ services: SERVICE_IDS.map((id) => ({ id, status: id === 'entra-id' ? 'degraded_performance' : 'operational', crowdElevated: false })) }) }), 'unconfirmed-spike', 'status-degraded-unconfirmed'],
    ['partner case: all normal, domain unknown to Microsoft', input(ndr('5.1.10'), '5.1.10', { domain: goneDomain }), 'tenant', 'domain-unknown-to-microsoft'],
    ['partner case without a code, MX still at Microsoft', input(null, null, { domain: goneDomain }), 'tenant', 'domain-unknown-to-microsoft'],
    ['partner case with crowd reports unavailable', input(aad('50034'), 'aadsts50034', { domain: goneDomain, crowd: noCrowd }), 'tenant', 'domain-unknown-to-microsoft'],
    ['domain that never used Microsoft 365', input(null, null, { domain: { ...goneDomain, mxAtMicrosoft: false, microsoftDnsTraces: false } }), 'tenant', 'domain-not-at-microsoft'],
    ['domain does not exist in DNS', input(ndr('5.1.10'), '5.1.10', { domain: { ...blindDomain, domainExists: false } }), 'tenant', 'domain-does-not-exist'],
    ['one-mailbox code with a healthy domain', input(ndr('5.1.10'), '5.1.10', {}), 'mailbox', 'one-mailbox-code'],
    ['one-account sign-in code with a healthy federated domain', input(aad('50057'), 'aadsts50057', { domain: { ...healthyDomain, directory: 'federated' } }), 'mailbox', 'one-mailbox-code'],
    ['one-mailbox code but domain facts failed', input(ndr('5.1.10'), '5.1.10', { domain: blindDomain }), 'cannot-tell', 'domain-facts-blind'],
    ['MX not at Microsoft, tenant exists', input(ndr('5.1.10'), '5.1.10', { domain: { ...healthyDomain, mxAtMicrosoft: false } }), 'tenant', 'mx-not-at-microsoft'],
    ['recipient-tenant code', input(ndr('5.7.1'), '5.7.1'), 'tenant', 'tenant-side-code'],
    ['tenant sending ban feels like an outage but is not', input(ndr('5.7.705'), '5.7.705'), 'tenant', 'sender-side-code'],
    ['service-side code while everything is quiet', input(ndr('4.7.500'), '4.7.500-699'), 'cannot-tell', 'service-side-code-quiet'],
    ['connector code, side unclear', input(ndr('4.4.316'), '4.4.316'), 'cannot-tell', 'code-side-unclear'],
    ['code we do not know', input(ndr('5.9.999'), null), 'cannot-tell', 'unknown-code'],
    ['no snapshot at all: sources blind', input(ndr('5.1.10'), '5.1.10', { status: statusWith({ available: false }) }), 'cannot-tell', 'status-blind'],
    ['sources blind even though the directory looks gone', input(ndr('5.1.10'), '5.1.10', { domain: goneDomain, status: statusWith({ services: SERVICE_IDS.map((id) => ({ id, status: 'unknown', crowdElevated: false })) }) }), 'cannot-tell', 'status-blind'],
    ['service missing from the snapshot counts as blind', input(aad('50034'), 'aadsts50034', { status: statusWith({ services: [] }) }), 'cannot-tell', 'status-blind'],
    ['a crowd spike still shows when status is blind', input(ndr('5.1.10'), '5.1.10', { crowd: codeSpike, status: statusWith({ available: false }) }), 'unconfirmed-spike', 'crowd-spike-code'],
    ['everything healthy, no code', input(null, null), 'cannot-tell', 'nothing-found'],
    ['everything blind, no code', input(null, null, { domain: blindDomain }), 'cannot-tell', 'domain-facts-blind'],
  ])('%s', (_name, given, kind, rule) => {
    const v = decideVerdict(given);
    expect({ kind: v.kind, rule: v.rule }).toEqual({ kind, rule });
  });

  test('names the incident that decided', () => {
    const v = decideVerdict(input(ndr('5.1.10'), '5.1.10', { status: statusWith({ incidents: [exchangeIncident, entraIncident] }) }));
    expect(v.incidents.map((i) => i.id)).toEqual(['ex1151485-mail-delays']);
  });

  test('a resolved official incident does not count', () => {
    const v = decideVerdict(input(ndr('5.1.10'), '5.1.10', { status: statusWith({ incidents: [{ ...exchangeIncident, status: 'resolved' }] }) }));
    expect(v.kind).toBe('mailbox');
  });

  test('notes the directory fact even when an incident decides', () => {
    const v = decideVerdict(input(ndr('5.1.10'), '5.1.10', { domain: goneDomain, status: statusWith({ incidents: [exchangeIncident] }) }));
    expect(v.notes).toContain('note-directory-unknown');
  });
});

describe('isCrowdElevated', () => {
  test.each([
    [37, 1, 8, true],
    [7, 0, 8, false],
    [20, 10, 8, false],
    [30, 10, 8, true],
  ])('%i reports against %f usual (min %i) → %s', (count, baseline, min, expected) => {
    expect(isCrowdElevated(count, baseline, min)).toBe(expected);
  });
});
