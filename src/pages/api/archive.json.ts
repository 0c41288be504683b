/** Every incident ever recorded, as stored: /api/archive.json */
import type { APIRoute } from 'astro';
import { buildArchive, jsonBody } from '../../lib/outputs.ts';
import { getSiteModel } from '../../lib/queries.ts';

export const GET: APIRoute = async () =>
  new Response(jsonBody(buildArchive(await getSiteModel())), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
