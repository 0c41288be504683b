/**
 * Every incident ever recorded, as stored: /api/archive.json. Megabytes of JSON with a large
 * archive, so in a build the shell worker writes it beside the prerender (see lib/shell-pages.ts);
 * this route serves it in `astro dev`.
 */
import type { APIRoute } from 'astro';
import { buildArchive, jsonBody } from '../../lib/outputs.ts';
import { getSiteModel } from '../../lib/queries.ts';

export const getStaticPaths = () => (import.meta.env.OUTAGE_RADAR_SHELL_BUILD ? [] : [{ params: { archive: 'archive.json' } }]);

export const GET: APIRoute = async () =>
  new Response(jsonBody(buildArchive(await getSiteModel())), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
