/**
 * What a hostile (or compromised) source sends: markup, attribute breakouts, javascript: URLs,
 * a CDATA terminator, ampersands, control characters and a bidi override, in every field each
 * source kind has. Each payload names itself (`xss-…`), so a hit says which one got through.
 */

export const H = {
  script: '<script>alert("xss-script")</script>',
  breakout: '"><img src=x onerror=alert("xss-img")>',
  svg: "'><svg onload=alert(\"xss-svg\")>",
  jsUrl: 'javascript:alert("xss-url")',
  cdataEnd: ']]>',
  amp: 'R&D &amp; &lt;b&gt;bold&lt;/b&gt; &#x202E;',
  bidi: '\u202Eexe.txt',
  /** Only where the format can carry them (JSON): XML 1.0 has no C0 controls. */
  control: '\u0007\u001b[31m\u0000',
} as const;

/** Every payload in one line, as text. */
export const HOSTILE_XML_SAFE = `${H.script} ${H.breakout} ${H.svg} ${H.jsUrl} ${H.cdataEnd} ${H.amp} ${H.bidi}`;
export const HOSTILE_ALL = `${HOSTILE_XML_SAFE} ${H.control}`;

/** A link that stays http(s) but tries to break out of an attribute. */
export const HOSTILE_LINK = 'https://evil.example/news?q="><script>alert("xss-link")</script>&utm_source=x';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function microsoftDate(d: Date): string {
  const h = d.getUTCHours();
  return `${DAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, at ${h % 12 === 0 ? 12 : h % 12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'} UTC`;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** CDATA that survives a `]]>` inside. */
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
const iso = (ms: number) => new Date(ms).toISOString();

/** status.cloud.microsoft `mac`: the post title and every section of the body. */
export function statusPost(now: Date): Record<string, string> {
  const t = now.getTime();
  const title = `Exchange Online outage ${HOSTILE_ALL}`;
  const html = [
    `Title: ${title}`,
    `User impact: Users can't send mail. ${HOSTILE_ALL}`,
    `Current status: ${H.script} we are investigating ${H.breakout}`,
    `Start time: ${microsoftDate(new Date(t - 40 * 60_000))}`,
  ]
    .map((s) => `<div>${s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</div><div><br></div>`)
    .join('');
  return { Id: 'hostile-1', AuthoredDateTime: iso(t - 30 * 60_000), InternalDateTime: iso(t - 25 * 60_000), LastUpdatedTime: iso(t - 20 * 60_000), Title: title, Message: html, Status: 'Service degradation' };
}

/** status.cloud.microsoft RSS: a Teams incident whose title sits in CDATA with a `]]>` inside. */
export function statusFeed(now: Date): string {
  const t = now.getTime();
  const title = `Teams meetings fail ${HOSTILE_XML_SAFE}`;
  const body = `<div>Title: ${escapeXml(title)}</div><div>User impact: Users can't join Teams meetings. ${escapeXml(HOSTILE_XML_SAFE)}</div><div>Start time: ${microsoftDate(new Date(t - 35 * 60_000))}</div>`;
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Microsoft Admin Center Status</title><link>https://status.cloud.microsoft/</link><lastBuildDate>${new Date(t - 60_000).toUTCString()}</lastBuildDate><item><guid isPermaLink="false">hostile-feed-1</guid><link>${escapeXml(H.jsUrl)}</link><title>${cdata(title)}</title><description>${escapeXml(body)}</description><pubDate>${new Date(t - 30 * 60_000).toUTCString()}</pubDate><status>Service degradation</status></item></channel></rss>`;
}

/** Azure status RSS: title, description and a javascript: link. */
export function azureFeed(now: Date): string {
  const t = now.getTime();
  const start = new Date(t - 50 * 60_000);
  const when = `${String(start.getUTCHours()).padStart(2, '0')}:${String(start.getUTCMinutes()).padStart(2, '0')} UTC on ${start.getUTCDate()} ${MONTHS[start.getUTCMonth()]}, ${start.getUTCFullYear()}`;
  const description = `<p>Starting at ${when}, Virtual Machines in West Europe fail. ${HOSTILE_XML_SAFE}</p><script>alert("xss-azure")</script><img src=x onerror=alert("xss-azure-img")>`;
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Azure Status</title><link>https://azure.status.microsoft/en-us/status/</link><lastBuildDate>${new Date(t - 60_000).toUTCString()}</lastBuildDate><item><guid isPermaLink="false">hostile-azure-1</guid><link>${escapeXml(H.jsUrl)}</link><category>${escapeXml(`Virtual Machines ${H.breakout}`)}</category><title>${escapeXml(`Virtual Machines - West Europe ${HOSTILE_XML_SAFE}`)}</title><description>${escapeXml(description)}</description><pubDate>${new Date(t - 45 * 60_000).toUTCString()}</pubDate></item></channel></rss>`;
}

/** Microsoft Graph: an open Entra ID issue whose title, impact and post carry everything. */
export function graphIssues(now: Date): string {
  const t = now.getTime();
  return JSON.stringify({
    value: [
      {
        id: 'EN999001',
        title: `Sign-in failures ${HOSTILE_ALL}`,
        service: 'Microsoft Entra',
        feature: H.breakout,
        featureGroup: H.script,
        impactDescription: `Users can't sign in. ${HOSTILE_ALL}`,
        classification: 'incident',
        status: 'serviceDegradation',
        isResolved: false,
        startDateTime: iso(t - 60 * 60_000),
        endDateTime: null,
        lastModifiedDateTime: iso(t - 10 * 60_000),
        posts: [{ createdDateTime: iso(t - 15 * 60_000), postType: 'regular', description: { contentType: 'html', content: `Title: Sign-in failures ${HOSTILE_ALL}\n\nUser Impact: ${HOSTILE_ALL}\n\nCurrent status: ${H.script}` } }],
      },
    ],
  });
}

export function graphOverviews(): string {
  return JSON.stringify({ value: [{ id: 'Entra', service: 'Microsoft Entra', status: 'serviceDegradation' }] });
}

/** A news feed: outage headlines that still classify, teasers and links that try everything. */
export function newsFeed(outlet: string, now: Date): string {
  const t = now.getTime();
  const items = [
    { title: `Outlook-Störung: Nutzer können keine E-Mails senden ${HOSTILE_XML_SAFE}`, link: `${HOSTILE_LINK}&o=${outlet}` },
    { title: `Outlook-Ausfall ${H.script} legt E-Mail lahm`, link: H.jsUrl },
  ];
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${escapeXml(`${outlet} ${H.script}`)}</title><link>https://${outlet}.example/</link><language>de</language>${items
    .map(
      (it, i) =>
        `<item><title>${escapeXml(it.title)}</title><link>${escapeXml(it.link)}</link><guid>${escapeXml(`${it.link}#${i}`)}</guid><pubDate>${new Date(t - (20 + i) * 60_000).toUTCString()}</pubDate><description>${cdata(`<p>Microsoft untersucht die Störung. ${HOSTILE_XML_SAFE}</p><script>alert("xss-teaser")</script><a href="javascript:alert('xss-teaser-link')">mehr</a>`)}</description></item>`,
    )
    .join('')}</channel></rss>`;
}

/** A Mastodon hashtag feed: posts are HTML from strangers. */
export function mastodonFeed(now: Date): string {
  const t = now.getTime();
  const post = `<p>Is Outlook down again? Can't send anything. ${escapeXml(HOSTILE_XML_SAFE)} <script>alert("xss-toot")</script><a href="javascript:alert('xss-toot-link')">#outlookdown</a></p>`;
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>#outlookdown</title><link>https://mastodon.example/tags/outlookdown</link><item><guid isPermaLink="true">https://mastodon.example/@eve/1</guid><link>https://mastodon.example/@eve/1</link><pubDate>${new Date(t - 12 * 60_000).toUTCString()}</pubDate><description>${escapeXml(post)}</description></item></channel></rss>`;
}
