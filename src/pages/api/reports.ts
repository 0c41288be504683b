/**
 * POST /api/reports — a crowd report as JSON or as a form (see src/reports/receive.ts for every
 * check and error code). JSON in, JSON out. A browser's form post (form body, Accept: text/html)
 * is rewritten to /<lang>/report/send/, which answers with pages (303 to a confirmation, or the
 * error with its status); `?lang=` on the form's action picks the language.
 * `npm start` answers the JSON requests on this path before Astro (src/reports/http.ts).
 */
import type { APIRoute } from 'astro';
import { handleReportApi, unavailable } from '../../reports/http.ts';
import { getReportRuntime } from '../../reports/runtime.ts';
import { formHandlerPath, jsonResponseFor, pageLangFor, wantsPage } from '../../reports/receive.ts';
import { createLogger } from '../../lib/log.ts';

export const prerender = false;

const log = createLogger({ name: 'reports' });

function plain(p: { status: number; headers: Record<string, string>; body: string }): Response {
  return new Response(p.body, { status: p.status, headers: p.headers });
}

export const ALL: APIRoute = async ({ request, clientAddress, url, rewrite }) => {
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
  if (request.method === 'POST' && wantsPage((name) => request.headers.get(name))) {
    // The body is still unread: the page route receives it with the request.
    return rewrite(formHandlerPath(pageLangFor(url, request.headers.get('referer'), runtime.config.site.defaultLang)));
  }
  return handleReportApi(request, clientAddress ?? null, runtime.context);
};
