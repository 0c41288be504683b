/**
 * GET /api/reports/summary.json — reports per service in the last hour (problem types, bounce
 * codes) and whether the last cycle saw a spike. Public, no personal data, cached 5 s.
 */
import type { APIRoute } from 'astro';
import { createLogger } from '../../../lib/log.ts';
import { unavailable } from '../../../reports/http.ts';
import { getReportRuntime } from '../../../reports/runtime.ts';

export const prerender = false;

const log = createLogger({ name: 'reports' });

export const GET: APIRoute = async () => {
  try {
    const runtime = await getReportRuntime();
    if (!runtime.summary) {
      return Response.json({ error: { code: 'REPORTS_DISABLED', message: 'This site does not accept problem reports.' } }, { status: 404 });
    }
    return new Response(await runtime.summary.get(), {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'public, max-age=5',
        'access-control-allow-origin': '*',
      },
    });
  } catch (err) {
    log.error('report summary unavailable', { err });
    const p = unavailable();
    return new Response(p.body, { status: p.status, headers: p.headers });
  }
};
