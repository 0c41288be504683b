/**
 * Outage Radar's operator configuration. Every option is documented in README.md § Configuration.
 * Secrets (Graph tenant credentials, database URL) come from the environment, never from here.
 */
import { defineConfig } from './src/config/schema.ts';

export default defineConfig({
  site: {
    url: 'http://localhost:4321',
    title: 'Outage Radar',
    defaultLang: 'en',
    staleAfterMinutes: 30,
  },
  dataDir: 'data',
  schedule: '*/2 * * * *',
  // Tuned on the outage tapes, never per tape (npm run replay; docs/benchmarks.md § Outage tape
  // replay): at a young site's volume, 5 reports per 5-minute bucket (twice in a row, still scored
  // against the baseline) find the tapes' outages about 8 minutes earlier than the default 8, with
  // no crowd false alarm in 60 quiet days.
  crowd: { minCount: 5 },
  sources: [
    // Official: Microsoft
    { id: 'status-cloud-microsoft-mac', adapter: 'status-cloud-microsoft-posts', url: 'https://status.cloud.microsoft/api/posts/mac', intervalMinutes: 5, services: ['m365-admin', 'exchange-online', 'teams', 'sharepoint', 'onedrive', 'm365-apps', 'copilot'] },
    { id: 'status-cloud-microsoft-consumer', adapter: 'status-cloud-microsoft-posts', url: 'https://status.cloud.microsoft/api/posts/m365Consumer', intervalMinutes: 5, services: ['outlook-com', 'teams', 'sharepoint', 'onedrive', 'm365-apps', 'copilot'] },
    { id: 'status-cloud-microsoft-feed', adapter: 'status-cloud-microsoft-feed', url: 'https://status.cloud.microsoft/api/feed/mac', intervalMinutes: 5, services: ['m365-admin', 'exchange-online', 'teams', 'sharepoint', 'onedrive', 'm365-apps', 'copilot'] },
    { id: 'azure-status-rss', adapter: 'azure-status-rss', url: 'https://rssfeed.azure.status.microsoft/en-us/status/feed/', intervalMinutes: 5 },
    // Active only when GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET are set.
    { id: 'graph-service-health', adapter: 'graph-service-health', url: 'https://graph.microsoft.com/v1.0', tokenUrl: 'https://login.microsoftonline.com', intervalMinutes: 3 },
    // Press: German
    { id: 'heise-atom', adapter: 'news-feed', url: 'https://www.heise.de/rss/heise-atom.xml', outlet: 'heise online', lang: 'de', intervalMinutes: 10 },
    { id: 'golem-rss', adapter: 'news-feed', url: 'https://rss.golem.de/rss.php?feed=RSS2.0', outlet: 'Golem.de', lang: 'de', intervalMinutes: 10 },
    { id: 'borncity-rss', adapter: 'news-feed', url: 'https://www.borncity.com/blog/feed/', outlet: 'Borns IT- und Windows-Blog', lang: 'de', intervalMinutes: 15 },
    { id: 'drwindows-rss', adapter: 'news-feed', url: 'https://www.drwindows.de/news/feed', outlet: 'Dr. Windows', lang: 'de', intervalMinutes: 15 },
    // Press: English
    { id: 'bleepingcomputer-rss', adapter: 'news-feed', url: 'https://www.bleepingcomputer.com/feed/', outlet: 'BleepingComputer', lang: 'en', intervalMinutes: 10 },
    { id: 'theregister-atom', adapter: 'news-feed', url: 'https://www.theregister.com/headlines.atom', outlet: 'The Register', lang: 'en', intervalMinutes: 15 },
    { id: 'theverge-atom', adapter: 'news-feed', url: 'https://www.theverge.com/rss/index.xml', outlet: 'The Verge', lang: 'en', intervalMinutes: 15 },
    { id: 'windowscentral-rss', adapter: 'news-feed', url: 'https://www.windowscentral.com/feeds.xml', outlet: 'Windows Central', lang: 'en', intervalMinutes: 15 },
    { id: 'neowin-rss', adapter: 'news-feed', url: 'https://www.neowin.net/news/rss/', outlet: 'Neowin', lang: 'en', intervalMinutes: 15 },
    // Community
    { id: 'mastodon-social-outlookdown', adapter: 'mastodon-tag', url: 'https://mastodon.social/tags/outlookdown.rss', outlet: 'mastodon.social #outlookdown', intervalMinutes: 10 },
    { id: 'chaos-social-outlookdown', adapter: 'mastodon-tag', url: 'https://chaos.social/tags/outlookdown.rss', outlet: 'chaos.social #outlookdown', intervalMinutes: 10 },
    // Reddit refuses unauthenticated feeds since mid-2026; enable only with a registered User-Agent.
    { id: 'reddit-office365', adapter: 'reddit', url: 'https://www.reddit.com/r/Office365/new/.rss', outlet: 'r/Office365', enabled: false, intervalMinutes: 30 },
  ],
});
