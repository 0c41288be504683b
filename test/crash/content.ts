/**
 * Content for the crash rounds: every round `k` publishes a new official post and new Azure
 * incidents, so every cycle has signals to append and incidents to write (and, as Azure lists
 * only active incidents, earlier ones to mark as vanished).
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "Monday, August 31, 2026, at 2:00 PM UTC", as Microsoft writes it. */
function microsoftDate(d: Date): string {
  const h = d.getUTCHours();
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  return `${DAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, at ${hour12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'} UTC`;
}

const rfc822 = (d: Date) => d.toUTCString().replace('GMT', 'Z');
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The status.cloud.microsoft `mac` post of round k: a new incident title every round. */
export function statusPost(k: number, at: Date): Record<string, string> {
  const start = new Date(at.getTime() - 20 * 60_000);
  const title = `Users may be unable to send mail in Exchange Online (wave ${k})`;
  const restored = k % 4 === 3;
  const sections = [
    `Title: ${title}`,
    `User impact: Users may be unable to send or receive email in Outlook on the web and Outlook desktop (wave ${k}).`,
    restored ? 'Final status: We have confirmed that service is restored.' : 'Current status: We are reviewing telemetry to isolate the cause.',
    `Start time: ${microsoftDate(start)}`,
  ];
  return {
    Id: `crash-post-${k}`,
    AuthoredDateTime: new Date(at.getTime() - 10 * 60_000).toISOString(),
    InternalDateTime: new Date(at.getTime() - 5 * 60_000).toISOString(),
    LastUpdatedTime: new Date(at.getTime() - 4 * 60_000).toISOString(),
    Title: title,
    Message: sections.map((s) => `<div>${escapeXml(s)}</div><div><br></div>`).join(''),
    Status: restored ? 'Service restored' : 'Service degradation',
  };
}

/** The Azure status feed of round k: six new incidents (and no old ones: Azure lists active ones only). */
export function azureFeed(k: number, at: Date): string {
  const items = [0, 1, 2, 3, 4, 5].map((j) => {
    const start = new Date(at.getTime() - (30 + j) * 60_000);
    const when = `${String(start.getUTCHours()).padStart(2, '0')}:${String(start.getUTCMinutes()).padStart(2, '0')} UTC on ${start.getUTCDate()} ${MONTHS[start.getUTCMonth()]}, ${start.getUTCFullYear()}`;
    return `<item><guid isPermaLink="false">crash-${k}-${j}</guid><link>https://azure.status.microsoft/en-us/status/</link><category>Virtual Machines</category><category>West Europe</category><title>Issues connecting to resources in West Europe (${k}.${j})</title><description>${escapeXml(`<p>Starting at ${when}, we began investigating connection failures to Virtual Machines in West Europe. Tracking ID: CR${k}-${j}X</p>`)}</description><pubDate>${rfc822(new Date(at.getTime() - (10 + j) * 60_000))}</pubDate></item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Azure Status</title><link>https://azure.status.microsoft/en-us/status/</link><description>Azure Status</description><lastBuildDate>${rfc822(new Date(at.getTime() - 60_000))}</lastBuildDate>${items.join('')}</channel></rss>`;
}
