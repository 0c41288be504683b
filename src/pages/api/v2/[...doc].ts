/** The eight Statuspage v2 documents under /api/v2/ (see lib/statuspage.ts for the mapping). */
import type { APIRoute } from 'astro';
import { getStatuspageApi, jsonBody } from '../../../lib/outputs.ts';
import { getSiteModel } from '../../../lib/queries.ts';
import type { StatuspageApi } from '../../../lib/statuspage.ts';

const DOCUMENTS: Record<string, keyof StatuspageApi> = {
  'summary.json': 'summary',
  'status.json': 'status',
  'components.json': 'components',
  'incidents.json': 'incidents',
  'incidents/unresolved.json': 'unresolved',
  'scheduled-maintenances.json': 'scheduledMaintenances',
  'scheduled-maintenances/upcoming.json': 'upcoming',
  'scheduled-maintenances/active.json': 'activeMaintenances',
};

export const getStaticPaths = () => Object.keys(DOCUMENTS).map((doc) => ({ params: { doc } }));

export const GET: APIRoute = async ({ params }) => {
  const api = getStatuspageApi(await getSiteModel());
  return new Response(jsonBody(api[DOCUMENTS[params.doc as string]!]), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
};
