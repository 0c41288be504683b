import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../src/lib/log.ts';
import { ClientHasher } from '../../src/reports/client-id.ts';
import { bodyFormatOf, checkOrigin, pageLangFor, receiveReport, wantsPage, type ReceiveContext, type ReceiveRequest } from '../../src/reports/receive.ts';
import { ReportStoreError } from '../../src/reports/report.ts';
import { SqliteReportStore } from '../../src/reports/sqlite-store.ts';
import type { ReportStore } from '../../src/reports/store.ts';

const SITE = 'https://status.example';
const NOW = new Date('2026-11-25T08:00:30Z');
let store: SqliteReportStore;
let ctx: ReceiveContext;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'or-receive-'));
  store = SqliteReportStore.open(path.join(dir, 'reports.db'), { dedupWindowMinutes: 60, rateLimitPerMinute: 3 });
  ctx = { siteUrl: SITE, enabled: true, maxBodyBytes: 256, store, hasher: new ClientHasher('receive-test-secret-0123', 24), trustProxy: false, now: () => NOW, log: silentLogger };
});
afterAll(async () => {
  await store.close();
});

async function* chunks(...parts: Buffer[]): AsyncIterable<Uint8Array> {
  yield* parts;
}

function req(over: Partial<Omit<ReceiveRequest, 'header'>> & { headers?: Record<string, string>; text?: string } = {}): ReceiveRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json', origin: SITE, ...over.headers };
  const text = over.text ?? JSON.stringify({ service: 'teams', problemType: 'other' });
  return {
    method: over.method ?? 'POST',
    url: over.url ?? new URL('http://10.0.0.5:4321/api/reports'),
    header: (name) => headers[name] ?? null,
    body: over.body ?? chunks(Buffer.from(text)),
    socketAddress: 'socketAddress' in over ? (over.socketAddress ?? null) : '198.51.100.1',
  };
}

describe('receiveReport', () => {
  test('the cheap checks run before the body is read', async () => {
    let read = false;
    const body = {
      async *[Symbol.asyncIterator]() {
        read = true;
        yield Buffer.from('{}');
      },
    };
    for (const r of [req({ method: 'GET', body }), req({ headers: { 'content-type': 'text/plain' }, body }), req({ headers: { origin: 'https://evil.example' }, body }), req({ headers: { 'content-length': '9999' }, body })]) {
      expect((await receiveReport(r, ctx)).ok).toBe(false);
    }
    expect(read).toBe(false);
  });

  test('accepted, duplicate, then rate limited with the seconds left in the minute', async () => {
    const client = { socketAddress: '198.51.100.20' };
    expect(await receiveReport(req(client), ctx)).toMatchObject({ ok: true, status: 202, result: 'accepted' });
    expect(await receiveReport(req(client), ctx)).toMatchObject({ ok: true, status: 200, result: 'duplicate' });
    expect(await receiveReport(req(client), ctx)).toMatchObject({ ok: true, result: 'duplicate' });
    // 08:00:30 → 30 s until the next minute.
    expect(await receiveReport(req(client), ctx)).toMatchObject({ ok: false, status: 429, code: 'RATE_LIMITED', retryAfter: 30 });
  });

  test('a node:http-style stream body is read with its events: accepted, cut off at the cap, or incomplete', async () => {
    const ok = Readable.from([Buffer.from('{"service":"onedrive",'), Buffer.from('"problemType":"other"}')]);
    expect(await receiveReport(req({ body: ok, socketAddress: '198.51.100.40' }), ctx)).toMatchObject({ ok: true, status: 202 });
    // Four 100-byte chunks against a 256-byte cap: refused while reading, and the stream is left paused, not destroyed.
    const big = Readable.from(Array.from({ length: 4 }, () => Buffer.from('x'.repeat(100))));
    expect(await receiveReport(req({ body: big, socketAddress: '198.51.100.41' }), ctx)).toMatchObject({ ok: false, status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(big.destroyed).toBe(false);
    const broken = new Readable({ read() {} });
    broken.push(Buffer.from('{"service":'));
    setTimeout(() => broken.destroy(), 5);
    expect(await receiveReport(req({ body: broken, socketAddress: '198.51.100.42' }), ctx)).toMatchObject({ ok: false, code: 'BODY_INCOMPLETE' });
  });

  test('a client address that is no address is refused, not hashed', async () => {
    expect(await receiveReport(req({ socketAddress: null }), ctx)).toMatchObject({ ok: false, status: 400, code: 'CLIENT_UNKNOWN' });
  });

  test('X-Forwarded-For counts only when the proxy is trusted', async () => {
    const forwarded = (ip: string) => req({ socketAddress: '10.0.0.1', headers: { 'x-forwarded-for': ip }, text: JSON.stringify({ service: 'azure', problemType: 'other' }) });
    expect((await receiveReport(forwarded('203.0.113.1'), ctx)).ok && 'accepted').toBe('accepted');
    expect(await receiveReport(forwarded('203.0.113.2'), ctx)).toMatchObject({ result: 'duplicate' });
    const trusting = { ...ctx, trustProxy: true };
    expect(await receiveReport(forwarded('203.0.113.3'), trusting)).toMatchObject({ result: 'accepted' });
  });

  test('a store that cannot commit is a 503 with Retry-After, and the failure is logged', async () => {
    const lines: string[] = [];
    const unused = () => Promise.reject(new Error('not used by receiveReport'));
    const broken: ReportStore = {
      kind: 'sqlite',
      add: () => Promise.reject(new ReportStoreError('STORE_UNAVAILABLE', 'disk full')),
      countsByBucket: unused,
      aggregate: unused,
      recentAggregate: unused,
      coverageStart: unused,
      prune: unused,
      close: async () => undefined,
    };
    const log = { ...silentLogger, error: (msg: string) => lines.push(msg) };
    expect(await receiveReport(req({ socketAddress: '198.51.100.30' }), { ...ctx, store: broken, log })).toMatchObject({ ok: false, status: 503, code: 'STORE_UNAVAILABLE', retryAfter: 5 });
    expect(lines).toEqual(['report store failed']);
  });

  test('reports switched off answer 404 before anything else', async () => {
    expect(await receiveReport(req({ method: 'GET' }), { ...ctx, enabled: false })).toMatchObject({ ok: false, status: 404, code: 'REPORTS_DISABLED' });
  });
});

describe('request helpers', () => {
  test.each([
    ['application/json', 'json'],
    ['application/json; charset=UTF-8', 'json'],
    ['Application/JSON;charset="utf-8"', 'json'],
    ['application/x-www-form-urlencoded', 'form'],
    ['application/json; charset=latin1', null],
    ['multipart/form-data; boundary=x', null],
    ['text/plain', null],
    [null, null],
  ])('bodyFormatOf(%j) = %j', (type, format) => {
    expect(bodyFormatOf(type)).toBe(format);
  });

  const at = new URL('http://10.0.0.5:4321/api/reports');
  test.each([
    [{ origin: SITE }, null],
    [{ origin: 'http://10.0.0.5:4321' }, null],
    [{ origin: 'HTTPS://STATUS.EXAMPLE' }, null],
    [{ origin: 'https://status.example.evil' }, 'ORIGIN_MISMATCH'],
    [{ origin: 'null' }, 'ORIGIN_MISMATCH'],
    [{ referer: `${SITE}/de/services/teams/` }, null],
    [{ referer: 'https://evil.example/' }, 'ORIGIN_MISMATCH'],
    [{ referer: 'not a url' }, 'ORIGIN_MISMATCH'],
    [{}, 'ORIGIN_REQUIRED'],
  ])('checkOrigin(%j) = %j', (headers: Record<string, string>, expected) => {
    expect(checkOrigin({ url: at, header: (n) => headers[n] ?? null }, SITE)).toBe(expected);
  });

  test('browser form posts want a page; scripts and JSON do not', () => {
    const h = (headers: Record<string, string>) => (n: string) => headers[n] ?? null;
    expect(wantsPage(h({ 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,*/*' }))).toBe(true);
    expect(wantsPage(h({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }))).toBe(false);
    expect(wantsPage(h({ 'content-type': 'application/json', accept: 'text/html' }))).toBe(false);
  });

  test('the page language comes from ?lang, then the Referer, then the default', () => {
    expect(pageLangFor(new URL(`${SITE}/api/reports?lang=de`), `${SITE}/en/`, 'en')).toBe('de');
    expect(pageLangFor(new URL(`${SITE}/api/reports?lang=fr`), `${SITE}/de/services/teams/`, 'en')).toBe('de');
    expect(pageLangFor(new URL(`${SITE}/api/reports`), 'garbage', 'de')).toBe('de');
    expect(pageLangFor(new URL(`${SITE}/api/reports`), null, 'en')).toBe('en');
  });
});
