/** Our own status snapshot (keeps `unknown` and `suspected`): /api/status.json */
import type { APIRoute } from 'astro';
import { buildSiteStatus, jsonBody } from '../../lib/outputs.ts';
import { getSiteModel } from '../../lib/queries.ts';

export const GET: APIRoute = async () =>
  new Response(jsonBody(buildSiteStatus(await getSiteModel())), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
