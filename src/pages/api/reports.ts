/**
 * POST /api/reports — a crowd report as JSON or as a form (see src/reports/receive.ts for every
 * check and error code). JSON in, JSON out; a browser form post gets a 303 to the confirmation page.
 * `npm start` answers this path with the same code before Astro (src/reports/http.ts).
 */
import type { APIRoute } from 'astro';
import { handleReportApi, unavailable } from '../../reports/http.ts';
import { getReportRuntime } from '../../reports/runtime.ts';
import { jsonResponseFor } from '../../reports/receive.ts';
import { createLogger } from '../../lib/log.ts';

export const prerender = false;

const log = createLogger({ name: 'reports' });

function plain(p: { status: number; headers: Record<string, string>; body: string }): Response {
  return new Response(p.body, { status: p.status, headers: p.headers });
}

export const ALL: APIRoute = async ({ request, clientAddress }) => {
  let runtime;
  try {
    runtime = await getReportRuntime();
  } catch (err) {
    log.error('report intake unavailable', { err });
    return plain(unavailable());
  }
  if (!runtime.context) {
    return plain(jsonResponseFor({ ok: false, status: 404, code: 'REPORTS_DISABLED', message: 'This site does not accept problem reports.', format: null }));
  }
  return handleReportApi(request, clientAddress ?? null, runtime.context, runtime.config.site.defaultLang);
};
