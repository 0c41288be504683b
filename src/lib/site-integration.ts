/**
 * The Astro integration of the site: after the static build, writes every incident page from
 * the per-language shell (see incident-pages.ts) and reports how long it took.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { writeIncidentPages } from './incident-pages.ts';
import { getSiteModel } from './queries.ts';

export function outageRadarSite(): AstroIntegration {
  return {
    name: 'outage-radar-site',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const model = await getSiteModel();
        const result = await writeIncidentPages(fileURLToPath(dir), model);
        logger.info(`${result.pages} incident pages and ${result.aliases} redirects in ${Math.round(result.ms)} ms`);
      },
    },
  };
}
