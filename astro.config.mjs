// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import { loadConfig } from './src/config/load.ts';
import { outageRadarSite } from './src/lib/site-integration.ts';
import { onDemandRoutesIntegration } from './src/server/astro-routes.ts';
import { selfCheckRoutes } from './src/selfcheck/astro-integration.ts';

// The operator's config decides the public URL and the default language.
const siteConfig = await loadConfig();

export default defineConfig({
  site: siteConfig.site.url,
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  i18n: {
    locales: ['en', 'de'],
    defaultLocale: siteConfig.site.defaultLang,
    routing: { prefixDefaultLocale: true },
  },
  // Strict CSP (script-src/style-src 'self'): never inline bundled scripts or stylesheets.
  build: { inlineStylesheets: 'never' },
  vite: { build: { assetsInlineLimit: 0 } },
  devToolbar: { enabled: false },
  // Astro's own check compares Origin with the URL the app sees, which behind a TLS-terminating
  // proxy is http:// and refuses every form post. The only POST routes (/api/reports and
  // /<lang>/report/send/) check Origin/Referer themselves against site.url (src/reports/receive.ts).
  security: { checkOrigin: false },
  integrations: [outageRadarSite(), onDemandRoutesIntegration(), selfCheckRoutes({ staticHosting: siteConfig.site.staticHosting })],
});
