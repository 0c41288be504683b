import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpConfigSchema } from '../../../src/config/schema.ts';
import { SignalSchema } from '../../../src/domain/schemas.ts';
import { createHttpClient, type OwnedHttpClient } from '../../../scrapers/http/index.ts';
import { SourceError } from '../../../scrapers/http/errors.ts';
import { adapter, FRONT_DOOR_SERVICES, parseAzureStart, servicesForAzureItem } from '../../../scrapers/sources/azure-status-rss.ts';
import { startFaultServer, type FaultServer } from '../../http/_fault-server.ts';
import { fixture, makeContext } from './_ctx.ts';

let server: FaultServer;
let http: OwnedHttpClient;
let counter = 0;

async function run(body: string, now: Date, contentType = 'application/rss+xml; charset=utf-8') {
  const path = `/a${++counter}/en-us/status/feed/`;
  server.route(path, (_req, res) => res.writeHead(200, { 'content-type': contentType }).end(body));
  const result = await adapter.fetch(makeContext({ id: 'azure-status-rss', adapter: 'azure-status-rss', url: `${server.base}${path}` }, http, { now }));
  for (const s of result.signals) SignalSchema.parse(s);
  return result;
}

async function runError(body: string, contentType?: string): Promise<SourceError> {
  try {
    await run(body, new Date('2026-11-12T09:00:00Z'), contentType);
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  }
  throw new Error('expected the adapter to fail');
}

const JULY = new Date('2026-07-23T17:00:00.000Z');

beforeAll(async () => {
  server = await startFaultServer();
  http = createHttpClient({ config: HttpConfigSchema.parse({ deadlineMs: 3_000 }) });
});
afterAll(async () => {
  await http.close();
  await server.close();
});

describe('Azure status RSS', () => {
  test.each(['azure-rss-empty.xml', 'azure-rss-empty-crlf.xml'])('an empty "Azure Status" channel (%s) is healthy', async (name) => {
    const r = await run(fixture(name), JULY);
    expect(r).toMatchObject({ outcome: 'ok', signals: [], serviceStatus: { azure: 'operational' }, activeKeys: [] });
  });

  test('an incident item is an active signal keyed by its guid, with start time, categories and public link', async () => {
    const r = await run(fixture('azure-rss-incident.xml'), JULY);
    expect(r.signals).toHaveLength(1);
    const s = r.signals[0]!;
    expect(s.title).toBe('Issues connecting to resources in West US');
    expect(s.services).toEqual(['azure']);
    expect(s.url).toBe('https://azure.status.microsoft/en-us/status/');
    expect(s.observedAt).toBe('2026-07-23T16:49:55.000Z');
    expect(s.text).toContain('Affected: Network Infrastructure, West US');
    expect(s.official).toMatchObject({
      key: 'azure-issues-connecting-to-resources-in-west-us',
      status: 'investigating',
      componentStatus: 'partial_outage',
      impact: 'major',
      isResolved: false,
      startedAt: '2026-07-23T14:44:00.000Z',
      classification: 'incident',
    });
    expect(r.serviceStatus).toEqual({ azure: 'partial_outage' });
    expect(r.activeKeys).toEqual(['azure-issues-connecting-to-resources-in-west-us']);
  });

  test('an update with the same guid and pubDate keeps the key and is a new observation', async () => {
    const a = (await run(fixture('azure-rss-incident.xml'), JULY)).signals[0]!;
    const b = (await run(fixture('azure-rss-incident-update.xml'), new Date('2026-07-23T17:40:00Z'))).signals[0]!;
    expect(b.official!.key).toBe(a.official!.key);
    expect(b.id).not.toBe(a.id);
    expect(b.observedAt).toBe('2026-07-23T17:34:10.000Z');
    expect(b.text).toContain('Virtual Machines');
  });

  test('the same feed fetched twice gives the same signal', async () => {
    const a = await run(fixture('azure-rss-incident.xml'), JULY);
    const b = await run(fixture('azure-rss-incident.xml'), new Date('2026-07-23T17:05:00Z'));
    expect(b.signals[0]!.id).toBe(a.signals[0]!.id);
  });

  test('a [RESOLVED] item resolves under the same key and carries the tracking id as ref', async () => {
    const r = await run(fixture('azure-rss-resolved.xml'), new Date('2026-07-23T18:20:00Z'));
    const s = r.signals[0]!;
    expect(s.title).toBe('Issues connecting to resources in West US');
    expect(s.official).toMatchObject({ key: 'azure-issues-connecting-to-resources-in-west-us', status: 'resolved', isResolved: true, ref: 'ZJV6-SGG' });
    expect(r.activeKeys).toEqual([]);
    expect(r.serviceStatus).toEqual({ azure: 'operational' });
  });

  test('Front Door tags the M365 services it fronts without asserting them; Entra items assert Entra', async () => {
    const r = await run(fixture('azure-rss-frontdoor-entra.xml'), new Date('2026-11-12T09:00:00Z'));
    const [afd, entra] = r.signals;
    expect(afd!.services).toEqual(['exchange-online', 'teams', 'm365-apps', 'entra-id', 'azure', 'm365-admin']);
    expect(entra!.services).toEqual(['m365-apps', 'entra-id', 'azure']);
    expect(r.serviceStatus).toEqual({ azure: 'partial_outage', 'entra-id': 'partial_outage', 'm365-apps': 'partial_outage' });
    expect(r.activeKeys).toHaveLength(2);
  });

  test('a channel that is not "Azure Status" is PARSE_FAILED, never silent health', async () => {
    expect((await runError(fixture('azure-rss-wrong-channel.xml'))).code).toBe('PARSE_FAILED');
  });

  test('an HTML page, a challenge page or a JSON body fails closed', async () => {
    expect((await runError(fixture('status-spa-shell.html'), 'text/html')).code).toBe('SOURCE_WRONG_TYPE');
    expect((await runError(fixture('cloudflare-interstitial.html'), 'text/html')).code).toBe('SOURCE_BLOCKED');
    expect((await runError('{"items":[]}', 'application/json')).code).toBe('SOURCE_WRONG_TYPE');
    expect((await runError('<rss version="2.0"><channel><title>Azure Status</title>')).code).toBe('PARSE_FAILED');
  });
});

describe('Azure item rules (pure)', () => {
  test.each([
    ['Virtual Machines - West Europe - Allocation failures', ['azure'], []],
    ['Azure Active Directory - Sign-in failures', ['entra-id', 'azure'], []],
    ['Microsoft Entra ID: MFA prompts fail', ['entra-id', 'azure'], []],
    ['AFD: elevated errors', ['azure'], FRONT_DOOR_SERVICES],
    ['Azure Front Door - downstream impact to Outlook and Teams', ['exchange-online', 'teams', 'azure'], ['m365-apps', 'entra-id', 'm365-admin']],
  ])('%j → named %j, inferred %j', (text, named, inferred) => {
    const r = servicesForAzureItem(text);
    expect(r.named).toEqual(named);
    expect([...r.inferred].sort()).toEqual([...inferred].sort());
  });

  test.each([
    ['Starting at 14:44 UTC on 23 July, 2026, we began', '2026-07-23T14:44:00.000Z'],
    ['Starting at 08:05 UTC on 12 November 2026, a subset', '2026-11-12T08:05:00.000Z'],
    ['Starting at 25:00 UTC on 12 November 2026', null],
    ['Between 14:44 and 18:02 UTC on 23 July', null],
  ])('parseAzureStart(%j) = %j', (text, expected) => {
    expect(parseAzureStart(text)).toBe(expected);
  });
});
