/**
 * Astro integration of the self-check. On static hosting (`site.staticHosting` or
 * OUTAGE_RADAR_STATIC=1) there is no server, so the on-demand /check pages are prerendered instead:
 * they then say the live check needs `npm start` and point to `npm run check`.
 */
import type { AstroIntegration } from 'astro';

const CHECK_PAGES = /src\/pages\/\[lang\]\/check(?:\/|\.astro$)/;

export function selfCheckRoutes(options: { staticHosting: boolean }): AstroIntegration {
  return {
    name: 'outage-radar-selfcheck',
    hooks: {
      'astro:route:setup': ({ route }) => {
        if (options.staticHosting && CHECK_PAGES.test(route.component)) route.prerender = true;
      },
    },
  };
}
