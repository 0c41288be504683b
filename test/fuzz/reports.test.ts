/**
 * Property tests for the report endpoint (src/reports/): whatever arrives — any method, content
 * type, origin, size, encoding or body — the answer is a 2xx for a valid report or a 4xx carrying
 * a stable error code, never a 5xx and never an exception. Checked on the framework-free core,
 * through the node:http fast path `npm start` mounts, and through the Astro route's Web handler,
 * with a real SQLite store behind all three.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { SERVICE_IDS } from '../../src/domain/services.ts';
import { LANGUAGES, PROBLEM_TYPES } from '../../src/domain/vocabulary.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { createReportFastPath, handleReportApi } from '../../src/reports/http.ts';
import { confirmationPath, jsonResponseFor, RECEIVE_ERROR_CODES, receiveReport, wantsPage, type ReceiveContext, type ReceiveOutcome } from '../../src/reports/receive.ts';
import { createReportRuntime, type ReportRuntime } from '../../src/reports/runtime.ts';
import { hostileString } from '../support/arbitraries.ts';

const SITE = 'https://status.example';
const MAX_BODY = 1024;

let dir: string;
let runtime: ReportRuntime;
let ctx: ReceiveContext;
let server: Server;
let origin: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'or-fuzz-reports-'));
  const config = parseConfig({ site: { url: SITE }, dataDir: 'data', sources: [], reports: { maxBodyBytes: MAX_BODY, rateLimitPerMinute: 5 } }, path.join(dir, 'config.json'), {});
  runtime = await createReportRuntime(config, { OUTAGE_RADAR_REPORT_SECRET: 'fuzz-secret-0123456789abcdef', OUTAGE_RADAR_TRUST_PROXY: '1' });
  ctx = { ...runtime.context!, log: silentLogger };
  const fast = createReportFastPath(async () => ctx, 'en');
  server = createServer((req, res) => {
    if (!fast(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await runtime.store?.close();
  await rm(dir, { recursive: true, force: true });
});

const field = (valid: readonly string[]) => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: hostileString({ maxParts: 3 }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });
const report = fc
  .record({
    service: field(SERVICE_IDS),
    problemType: field(PROBLEM_TYPES),
    code: fc.option(field(['550 5.1.10', '5.7.1', '554-5.7.1', '', '421 4.7.0', '550 4.7.1', 'AADSTS50076']), { nil: undefined }),
    lang: fc.option(field(LANGUAGES), { nil: undefined }),
    extra: fc.option(hostileString({ maxParts: 2 }), { nil: undefined, freq: 8 }),
  })
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
const formOf = (o: Record<string, unknown>) => new URLSearchParams(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
const junkBody = fc.oneof(
  { weight: 1, arbitrary: report.map((r) => Buffer.from(`${formOf(r)}&service=teams`)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? '')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: hostileString().map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_BODY - 5, max: MAX_BODY * 3 }).map((n) => Buffer.alloc(n, 'a')) },
);
const contentType = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'text/plain', 'multipart/form-data; boundary=x', ''),
  hostileString({ maxParts: 2 }),
);
const originHeader = fc.oneof(fc.constantFrom(SITE, 'https://evil.example', 'null', 'http://status.example', `${SITE}/de/`), hostileString({ maxParts: 2 }));
const clientAddress = fc.oneof({ weight: 5, arbitrary: fc.ipV4() }, { weight: 2, arbitrary: fc.ipV6() }, { weight: 1, arbitrary: fc.constantFrom('unknown', '', '1.2.3.4, 5.6.7.8') }, { weight: 1, arbitrary: hostileString({ maxParts: 1 }) });

interface FuzzRequest {
  method: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A browser-like report (right method, type and origin) with drifted fields. */
const wellFormed: fc.Arbitrary<FuzzRequest> = fc.record({ json: fc.boolean(), r: report, xff: clientAddress, accept: fc.constantFrom('application/json', 'text/html', '*/*') }).map(({ json, r, xff, accept }) => ({
  method: 'POST',
  headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', origin: SITE, 'x-forwarded-for': xff, accept },
  body: Buffer.from(json ? JSON.stringify(r) : formOf(r)),
}));
/** Anything at all. */
const anything: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constantFrom('POST', 'POST', 'GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
  headers: fc.record(
    {
      'content-type': contentType,
      origin: originHeader,
      referer: fc.oneof(fc.constantFrom(`${SITE}/de/services/teams/`, `${SITE}/en/`, 'https://evil.example/'), hostileString({ maxParts: 2 })),
      accept: fc.constantFrom('application/json', 'text/html', '*/*'),
      'x-forwarded-for': clientAddress,
    },
    { requiredKeys: [] },
  ),
  body: fc.oneof(junkBody, report.map((r) => Buffer.from(JSON.stringify(r)))),
});
/** Past the header checks, with a body that is not a report. */
const junkFromSite: fc.Arbitrary<FuzzRequest> = fc.record({ json: fc.boolean(), body: junkBody, xff: clientAddress }).map(({ json, body, xff }) => ({
  method: 'POST',
  headers: { 'content-type': json ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded', origin: SITE, 'x-forwarded-for': xff },
  body,
}));
const anyRequest = fc.oneof({ weight: 2, arbitrary: wellFormed }, { weight: 1, arbitrary: junkFromSite }, { weight: 2, arbitrary: anything });

function expectWellFormed(outcome: ReceiveOutcome): void {
  if (outcome.ok) {
    expect([200, 202]).toContain(outcome.status);
  } else {
    expect(RECEIVE_ERROR_CODES).toContain(outcome.code);
    expect(outcome.status, outcome.code).toBeGreaterThanOrEqual(400);
    expect(outcome.status, outcome.code).toBeLessThan(500);
  }
  const plain = jsonResponseFor(outcome);
  const parsed = JSON.parse(plain.body) as { error?: { code: string }; status?: string };
  if (!outcome.ok) expect(parsed.error?.code).toBe(outcome.code);
  if (outcome.ok) for (const lang of LANGUAGES) expect(confirmationPath(outcome, lang)).toBe(`/${lang}/report/${outcome.result}/${outcome.report.service}/`);
}

async function* chunked(bytes: Buffer, cut: number, fail: boolean): AsyncIterable<Uint8Array> {
  yield bytes.subarray(0, cut);
  if (fail) throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
  yield bytes.subarray(cut);
}

describe('receiveReport (the core every route calls)', () => {
  test('any request: 2xx for a valid report, otherwise a 4xx with a stable code; never throws', async () => {
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(anyRequest, fc.nat(), fc.boolean(), fc.option(fc.integer({ min: -1, max: 10 * MAX_BODY }).map(String), { nil: undefined, freq: 4 }), async (req, cut, fail, declared) => {
        const all: Record<string, string> = { ...req.headers, ...(declared !== undefined ? { 'content-length': declared } : {}) };
        const b = req.body;
        const outcome = await receiveReport(
          {
            method: req.method,
            url: new URL(`${SITE}/api/reports`),
            header: (name) => all[name] ?? null,
            body: chunked(b, b.length ? cut % b.length : 0, fail && cut % 5 === 0),
            socketAddress: '127.0.0.1',
          },
          ctx,
        );
        expectWellFormed(outcome);
        codes.add(outcome.ok ? outcome.result : outcome.code);
      }),
      { numRuns: 500 },
    );
    // The generators reach deep: past every cheap check to storage, and into most refusals.
    expect(codes).toContain('accepted');
    for (const c of ['METHOD_NOT_ALLOWED', 'UNSUPPORTED_MEDIA_TYPE', 'ORIGIN_MISMATCH', 'PAYLOAD_TOO_LARGE', 'INVALID_JSON', 'INVALID_REPORT']) expect(codes).toContain(c);
  });
});

describe('over HTTP', () => {
  test('the node:http fast path answers every request with 2xx or a 4xx JSON error', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(anyRequest, async ({ method: m, headers: h, body: b }) => {
        // Browser form posts are Astro's (the form page answers them); the fast path passes them on.
        if (wantsPage((name) => h[name] ?? null)) return;
        const res = await request(`${origin}/api/reports`, { method: m as 'POST', headers: { ...h, ...(h.origin === SITE ? { origin } : {}) }, body: m === 'GET' ? undefined : b }).catch((err: Error) => {
          // undici itself refuses some header values before sending; that is the client's business.
          if (/invalid .*header|InvalidArgument/i.test(`${err.name} ${err.message}`)) return null;
          throw err;
        });
        if (!res) return;
        const text = await res.body.text();
        statuses.add(res.statusCode);
        expect(res.statusCode, text).toBeLessThan(500);
        if (res.statusCode >= 400) {
          const parsed = JSON.parse(text) as { error: { code: string } };
          expect(RECEIVE_ERROR_CODES).toContain(parsed.error.code);
        } else {
          expect([200, 202, 303]).toContain(res.statusCode);
        }
      }),
      // Seeded: the rate limit (5/min) is shared across properties, and an unlucky draw that repeats
      // a few addresses could leave no accepted report to prove the 2xx path.
      { numRuns: 150, seed: 20261125 },
    );
    expect(statuses).toContain(202);
    expect([...statuses].some((st) => st >= 400)).toBe(true);
  });

  test('the Astro route handler (Web Request) does the same', async () => {
    await fc.assert(
      fc.asyncProperty(anyRequest, async ({ method: m, headers: h, body: b }) => {
        let req: Request;
        try {
          req = new Request(`${SITE}/api/reports`, { method: m, headers: h, body: m === 'GET' ? undefined : new Uint8Array(b) });
        } catch {
          // Header values a Web Request cannot even carry never reach a route.
          return;
        }
        const res = await handleReportApi(req, '203.0.113.7', ctx);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(RECEIVE_ERROR_CODES).toContain(((await res.json()) as { error: { code: string } }).error.code);
      }),
      { numRuns: 200 },
    );
  });
});
