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
      // Incident routes render one shell per language in a build (filled below), every incident in dev.
      'astro:config:setup': ({ command, updateConfig }) => {
        updateConfig({ vite: { define: { 'import.meta.env.OUTAGE_RADAR_INCIDENT_SHELLS': JSON.stringify(command === 'build') } } });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const started = performance.now();
        const model = await getSiteModel();
        const loadedMs = performance.now() - started;
        const result = await writeIncidentPages(fileURLToPath(dir), model);
        logger.info(
          `${result.pages} incident pages and ${result.aliases} redirects in ${Math.round(result.ms)} ms (data ready after ${Math.round(loadedMs)} ms)`,
        );
      },
    },
  };
}
