/**
 * Renders a tape's official state in the wire formats Microsoft serves (shapes from the recorded
 * samples: status.cloud.microsoft posts and feed, m365Consumer, Azure status RSS, Graph service
 * health), so the real adapters parse real-shaped payloads. Pure.
 */
import { SERVICES } from '../../src/domain/services.ts';
import { graphDate, isoWithOffset, rfc822 } from './render-time.ts';

export function escapeXmlText(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const TEN_MINUTES = 10 * 60_000;
const DOTNET_MIN = '0001-01-01T00:00:00+00:00';

/** The healthy mac post text (Microsoft's own boilerplate, from the samples). */
export const MAC_BOILERPLATE =
  '<div>This site is updated when service issues are preventing tenant administrators from accessing Service health in the Microsoft 365 admin center. Alternatively, customers can reference&nbsp;<a target="_blank" href="https://www.twitter.com/MSFT365Status">https://www.twitter.com/MSFT365Status</a>&nbsp;for additional insights into widespread, active incidents.</div>';

export interface MacPost {
  postId: string;
  authoredAt: number;
  status: string;
  title: string;
  message: string;
}

/** `LastUpdatedTime` is the server clock with 7 fractional digits; `InternalDateTime` moves in 10-minute steps. */
function serverTimes(now: number, authoredAt: number): { internal: string; lastUpdated: string } {
  const internal = Math.max(authoredAt, Math.floor(now / TEN_MINUTES) * TEN_MINUTES);
  const frac = String(now % 1000).padStart(3, '0');
  return { internal: isoWithOffset(internal), lastUpdated: `${new Date(now).toISOString().slice(0, 19)}.${frac}0412+00:00` };
}

/** `GET /api/posts/mac`: one JSON object. */
export function renderMacPostJson(post: MacPost, now: number): string {
  const t = serverTimes(now, post.authoredAt);
  return JSON.stringify({
    Id: post.postId,
    AuthoredDateTime: isoWithOffset(post.authoredAt),
    InternalDateTime: t.internal,
    LastUpdatedTime: t.lastUpdated,
    Title: post.title,
    Message: post.message,
    Status: post.status,
  });
}

/** `GET /api/feed/mac`: RSS 2.0 with one item, bare-Z dates and a non-namespaced `<status>`. */
export function renderMacFeed(post: MacPost, now: number): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<rss xmlns:a10="http://www.w3.org/2005/Atom" version="2.0">
  <channel>
    <title>Microsoft Admin Center Status</title>
    <link>https://status.cloud.microsoft/</link>
    <description>Microsoft Admin Center Status</description>
    <lastBuildDate>${rfc822(now, { bareZ: true })}</lastBuildDate>
    <item>
      <guid isPermaLink="false">${escapeXmlText(post.postId)}</guid>
      <link>https://status.cloud.microsoft/</link>
      <title>Microsoft Admin Center</title>
      <description>${escapeXmlText(post.message)}</description>
      <pubDate>${rfc822(post.authoredAt, { bareZ: true })}</pubDate>
      <status>${escapeXmlText(post.status)}</status>
    </item>
  </channel>
</rss>
`;
}

/** The ten m365Consumer rows, in Microsoft's order (display name, workload name). */
export const CONSUMER_WORKLOADS: readonly (readonly [string, string])[] = [
  ['Microsoft 365 (Consumer)', 'M365Consumer'],
  ['Microsoft Copilot', 'CopilotConsumer'],
  ['Microsoft Lists', 'ConsumerList'],
  ['Microsoft Teams Free', 'TeamsforLife'],
  ['Microsoft To-Do', 'microsofttodo'],
  ['Microsoft Whiteboard', 'Whiteboard'],
  ['Office for the web (Consumer)', 'OfficeOnlineConsumer'],
  ['OneDrive', 'OneDriveConsumer'],
  ['Outlook.com', 'Outlook.com'],
  ['Phone Link', 'YourPhone'],
];

export interface ConsumerRow {
  status: string;
  title: string;
  message: string;
  authoredAt: number;
}

/** `GET /api/posts/m365Consumer`: a JSON array of ten rows; affected rows sort first. */
export function renderConsumerJson(rows: ReadonlyMap<string, ConsumerRow>, now: number): string {
  const out = CONSUMER_WORKLOADS.map(([display, workload], order) => {
    const row = rows.get(workload);
    const t = serverTimes(now, row?.authoredAt ?? 0);
    return {
      order,
      affected: row !== undefined,
      value: {
        ServiceDisplayName: display,
        ServiceWorkloadName: workload,
        Id: null,
        AuthoredDateTime: row ? isoWithOffset(row.authoredAt) : DOTNET_MIN,
        InternalDateTime: row ? t.internal : DOTNET_MIN,
        LastUpdatedTime: t.lastUpdated,
        Title: row?.title ?? '',
        Message: row?.message ?? '',
        Status: row?.status ?? 'Operational',
      },
    };
  });
  out.sort((a, b) => Number(b.affected) - Number(a.affected) || a.order - b.order);
  return JSON.stringify(out.map((r) => r.value));
}

export interface AzureItem {
  guid: string;
  title: string;
  categories: string[];
  description: string;
  pubDate: number;
}

/** Azure status RSS: healthy = a channel with no items. */
export function renderAzureRss(items: readonly AzureItem[], now: number): string {
  const body = items
    .map(
      (i) => `
    <item>
      <guid
        isPermaLink="false">${escapeXmlText(i.guid)}</guid>
      <link>https://azurestatusprodeus.azurewebsites.net/en-us/status/</link>
${i.categories.map((c) => `      <category>${escapeXmlText(c)}</category>\n`).join('')}      <title>${escapeXmlText(i.title)}</title>
      <description>${escapeXmlText(i.description)}</description>
      <pubDate>${rfc822(i.pubDate, { bareZ: true })}</pubDate>
    </item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss xmlns:a10="http://www.w3.org/2005/Atom"
  version="2.0">
  <channel xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <title>Azure Status</title>
    <link>https://azurestatusprodeus.azurewebsites.net/en-us/status/</link>
    <description>Azure Status</description>
    <language>en-us</language>
    <lastBuildDate>${rfc822(now, { bareZ: true })}</lastBuildDate>${body}
  </channel>
</rss>
`;
}

export interface GraphIssue {
  id: string;
  service: string;
  title: string;
  classification: string;
  status: string;
  impactDescription: string;
  feature: string;
  featureGroup: string;
  startDateTime: number;
  endDateTime: number | null;
  isResolved: boolean;
  lastModified: number;
  posts: { at: number; text: string }[];
}

function graphIssueJson(i: GraphIssue): Record<string, unknown> {
  return {
    startDateTime: graphDate(i.startDateTime),
    endDateTime: i.endDateTime === null ? null : graphDate(i.endDateTime),
    lastModifiedDateTime: graphDate(i.lastModified),
    title: i.title,
    id: i.id,
    impactDescription: i.impactDescription,
    classification: i.classification,
    origin: 'microsoft',
    status: i.status,
    service: i.service,
    feature: i.feature,
    featureGroup: i.featureGroup,
    isResolved: i.isResolved,
    highImpact: null,
    details: [],
    posts: i.posts.map((p) => ({
      createdDateTime: graphDate(p.at),
      postType: 'regular',
      description: { contentType: 'html', content: p.text },
    })),
  };
}

const GRAPH_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#admin/serviceAnnouncement';

/** `GET /admin/serviceAnnouncement/issues`: every issue, newest change first. */
export function renderGraphIssues(issues: readonly GraphIssue[]): string {
  const sorted = [...issues].sort((a, b) => b.lastModified - a.lastModified);
  return JSON.stringify({ '@odata.context': `${GRAPH_CONTEXT}/issues`, value: sorted.map(graphIssueJson) });
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
const SEVERITY = ['serviceinterruption', 'servicedegradation', 'restoringservice', 'extendedrecovery', 'investigating', 'verifyingservice'];

/** `GET /admin/serviceAnnouncement/healthOverviews` (optionally `$expand=issues`): one row per service. */
export function renderGraphHealthOverviews(issues: readonly GraphIssue[], expand: boolean): string {
  const names = new Set<string>();
  for (const s of SERVICES) for (const n of s.graphServiceNames) names.add(n);
  for (const i of issues) names.add(i.service);
  const value = [...names].sort().map((service) => {
    const mine = issues.filter((i) => i.service === service);
    const open = mine.filter((i) => !i.isResolved && norm(i.classification) === 'incident').map((i) => norm(i.status));
    const worst = SEVERITY.find((s) => open.includes(s));
    const status = worst ? mine.find((i) => norm(i.status) === worst)!.status : 'serviceOperational';
    const row: Record<string, unknown> = { service, status, id: service.replace(/[^A-Za-z0-9]/g, '') };
    if (expand) row.issues = mine.map(graphIssueJson);
    return row;
  });
  return JSON.stringify({ '@odata.context': `${GRAPH_CONTEXT}/healthOverviews${expand ? '(issues())' : ''}`, value });
}

/** Entra client-credentials token response (shape from the sample; the token is a placeholder). */
export function renderGraphToken(): string {
  return JSON.stringify({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'tape-replay-token' });
}

/** The SPA shell status.cloud.microsoft answers where an API path drifted: HTML with 200. */
export const SPA_SHELL_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Microsoft 365 Status</title></head><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>';
