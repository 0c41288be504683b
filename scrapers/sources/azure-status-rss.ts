/**
 * Azure status RSS (`https://rssfeed.azure.status.microsoft/en-us/status/feed/`). Healthy is an
 * empty channel, so the channel must prove it is the Azure status feed (root `<rss>`, title
 * "Azure Status") before silence counts as operational. Items are current incidents; they drop off
 * when resolved, sometimes after a "[RESOLVED]" title.
 *
 * Which services an Azure item concerns (our rule):
 * 1. always `azure`;
 * 2. services whose catalog `azureTerms` occur in the title, categories or text (Entra: "Azure
 *    Active Directory", "Entra", "identity", "authentication", "MFA" …), plus services the text names
 *    by their strong terms ("Microsoft 365", "Outlook", "Teams"). Microsoft names them: the item
 *    asserts their status too;
 * 3. Azure Front Door ("Front Door", "AFD") fronts Microsoft 365's own endpoints, so its incidents
 *    also tag sign-in and the big M365 workloads (`FRONT_DOOR_SERVICES`). That is our inference, not
 *    Microsoft's word: these services are tagged on the signal (so press and crowd evidence can join)
 *    but get no status assertion.
 */
import { SERVICES, type ServiceId } from '../../src/domain/services.ts';
import type { Signal } from '../../src/domain/schemas.ts';
import type { ComponentStatus } from '../../src/domain/vocabulary.ts';
import { SourceError } from '../http/errors.ts';
import { buildOfficialSignal, fetchOfficialSource, ServiceStatusAccumulator, XML_TYPES } from './_official-signal.ts';
import type { OfficialStatusMapping } from './_official-status.ts';
import { matchServicesInText, messageToText, parseFeedDate, shortHash, sortServices } from './_official-text.ts';
import { categoriesOf, parseRss, textOf, type RssFeed, type RssItem } from './_rss.ts';
import type { FetchContext, SourceAdapter, SourceResult } from './types.ts';

/** M365 services an Azure Front Door incident is likely to break (rule 3 above). */
export const FRONT_DOOR_SERVICES: readonly ServiceId[] = ['entra-id', 'exchange-online', 'teams', 'm365-apps', 'm365-admin'];
const FRONT_DOOR = /(?<![\p{L}\p{N}])(?:azure\s+front\s*door|front\s*door|afd)(?![\p{L}\p{N}])/iu;
const RESOLVED_TITLE = /^\s*\[?\s*(resolved|mitigated)\b\s*\]?\s*[:\-–]?\s*/i;

const ACTIVE: OfficialStatusMapping = {
  status: 'investigating',
  componentStatus: 'partial_outage',
  impact: 'major',
  isResolved: false,
  known: true,
};
const RESOLVED: OfficialStatusMapping = { status: 'resolved', componentStatus: 'operational', impact: 'none', isResolved: true, known: true };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const AZURE_TERMS = SERVICES.flatMap((s) =>
  s.azureTerms
    .filter((t) => t !== '*')
    .map((t) => ({ service: s.id, re: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(t).replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}])`, 'iu') })),
);

/** Services an Azure item names (rules 1–2) and the ones we infer (rule 3). */
export function servicesForAzureItem(text: string): { named: ServiceId[]; inferred: ServiceId[] } {
  const named = new Set<ServiceId>(['azure', ...matchServicesInText(text)]);
  for (const t of AZURE_TERMS) if (t.re.test(text)) named.add(t.service);
  const inferred = FRONT_DOOR.test(text) ? FRONT_DOOR_SERVICES.filter((s) => !named.has(s)) : [];
  return { named: sortServices(named), inferred: sortServices(inferred) };
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "Starting at 14:44 UTC on 23 July, 2026" (Azure's opening line) → ISO, or null. */
export function parseAzureStart(text: string): string | null {
  const m = /\bstarting\s+at\s+(\d{1,2}):(\d{2})\s+UTC\s+on\s+(\d{1,2})\s+([a-z]+),?\s+(\d{4})/i.exec(text);
  if (!m) return null;
  const mo = MONTHS.indexOf(m[4]!.toLowerCase());
  const day = Number(m[3]);
  if (mo < 0 || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  const d = new Date(Date.UTC(Number(m[5]), mo, day, Number(m[1]), Number(m[2])));
  return d.getUTCDate() === day ? d.toISOString() : null;
}

/** Item links point at the serving instance (`azurestatusprodeus.azurewebsites.net`); readers get the public host. */
function publicLink(link: string | undefined): string | null {
  if (!link) return null;
  try {
    const u = new URL(link);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    if (u.hostname.endsWith('.azurewebsites.net')) return `https://azure.status.microsoft${u.pathname}${u.search}`;
    return u.href;
  } catch {
    // An unreadable link is dropped; the signal keeps its title and text.
    return null;
  }
}

function itemSignal(item: RssItem, feed: RssFeed, ctx: { sourceId: string; now: Date }): { signal: Signal; named: ServiceId[] } {
  // rss-parser hands over an xml2js node, not a string, when an element has children or attributes.
  const rawTitle = textOf(item.title).replace(/\s+/g, ' ').trim();
  const resolved = RESOLVED_TITLE.test(rawTitle);
  const title = rawTitle.replace(RESOLVED_TITLE, '') || '(untitled Azure incident)';
  const text = messageToText(textOf(item.content));
  const categories = categoriesOf(item);
  const { named, inferred } = servicesForAzureItem(`${title}\n${categories.join('\n')}\n${text}`);
  const guid = textOf(item.guid);
  const key = `azure-${guid ? guid.slice(0, 180) : shortHash(title.toLowerCase())}`;
  const pub = parseFeedDate(textOf(item.pubDate));
  const built = parseFeedDate(textOf(feed.lastBuildDate));
  // pubDate does not move when Microsoft updates an item; the channel's build time does.
  const observed = [built, pub].find((t): t is string => t !== null && Date.parse(t) <= ctx.now.getTime()) ?? ctx.now.toISOString();
  const tracking = /\btracking\s+id\s*:?\s*([A-Z0-9_]{3,5}-[A-Z0-9_]{2,4})\b/i.exec(text)?.[1] ?? null;
  const mapping = resolved ? RESOLVED : ACTIVE;
  const signal = buildOfficialSignal({
    sourceId: ctx.sourceId,
    id: `${ctx.sourceId}:${key}:${shortHash(rawTitle, text, categories.join('|'))}`,
    observedAt: observed,
    fetchedAt: ctx.now,
    services: sortServices([...named, ...inferred]),
    title,
    text: categories.length ? `${text}\n\nAffected: ${categories.join(', ')}` : text,
    url: publicLink(textOf(item.link)),
    ref: tracking,
    key,
    mapping,
    classification: 'incident',
    rawStatus: resolved ? 'Resolved' : 'Active',
    startedAt: parseAzureStart(text) ?? pub,
    endedAt: null,
  });
  return { signal, named };
}

/** Pure: a parsed Azure status feed → signals, per-service status and active keys. */
export function parseAzureFeed(feed: RssFeed, ctx: { sourceId: string; now: Date }): {
  signals: Signal[];
  serviceStatus: Partial<Record<ServiceId, ComponentStatus>>;
  activeKeys: string[];
} {
  if ((feed.title ?? '').trim() !== 'Azure Status') {
    throw new SourceError('PARSE_FAILED', `${ctx.sourceId}: channel "${feed.title ?? ''}" is not "Azure Status"`, { sourceId: ctx.sourceId });
  }
  const acc = new ServiceStatusAccumulator();
  acc.set(['azure'], 'operational');
  const signals: Signal[] = [];
  const activeKeys: string[] = [];
  for (const item of feed.items) {
    const { signal, named } = itemSignal(item, feed, ctx);
    signals.push(signal);
    acc.set(named, signal.official!.componentStatus);
    if (!signal.official!.isResolved) activeKeys.push(signal.official!.key);
  }
  return { signals, serviceStatus: acc.toRecord(), activeKeys: [...new Set(activeKeys)].sort() };
}

async function fetchAzure(ctx: FetchContext): Promise<SourceResult> {
  return fetchOfficialSource(ctx, 'feed', XML_TYPES, async (text) =>
    parseAzureFeed(await parseRss(text, ctx.source.id), { sourceId: ctx.source.id, now: ctx.now }),
  );
}

export const adapter: SourceAdapter = {
  name: 'azure-status-rss',
  kind: 'official',
  // Azure's status page also carries platform-wide identity incidents (Entra ID / Azure AD), so
  // without Graph credentials it is the official source that can vouch for sign-in.
  defaultServices: ['azure', 'entra-id'],
  fetch: fetchAzure,
};
