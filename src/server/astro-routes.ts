/**
 * Astro integration: writes `<outDir>/on-demand-routes.json`, the routes of the build that are
 * rendered per request (reports, self-check, …), so `npm start` hands exactly those to Astro's
 * handler and answers every other unknown path with the built 404 page from memory.
 */
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { z } from 'zod';

export const ON_DEMAND_ROUTES_FILE = 'on-demand-routes.json';

export const OnDemandRoutesSchema = z.object({
  version: z.literal(1),
  routes: z.array(
    z.object({
      /** Astro's route (`/[lang]/check`). */
      route: z.string(),
      /** Source and flags of Astro's pattern RegExp for the route. */
      source: z.string(),
      flags: z.string(),
    }),
  ),
});
export type OnDemandRoutes = z.output<typeof OnDemandRoutesSchema>;

export function onDemandRoutesIntegration(): AstroIntegration {
  let outDir: URL | null = null;
  let routes: OnDemandRoutes['routes'] = [];
  return {
    name: 'outage-radar-on-demand-routes',
    hooks: {
      'astro:config:done': ({ config }) => {
        outDir = config.outDir;
      },
      'astro:routes:resolved': ({ routes: resolved }) => {
        routes = resolved
          .filter((r) => !r.isPrerendered && (r.type === 'page' || r.type === 'endpoint'))
          .map((r) => ({ route: r.pattern, source: r.patternRegex.source, flags: r.patternRegex.flags }));
      },
      'astro:build:done': async () => {
        if (!outDir) return;
        const doc: OnDemandRoutes = { version: 1, routes };
        await fs.writeFile(fileURLToPath(new URL(ON_DEMAND_ROUTES_FILE, outDir)), `${JSON.stringify(doc, null, 2)}\n`);
      },
    },
  };
}
