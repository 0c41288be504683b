import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { SERVICE_IDS, type ServiceId } from '../../src/domain/services.ts';
import type { ProblemType } from '../../src/domain/vocabulary.ts';
import type { AddResult, NewReport, ReportPolicy } from '../../src/reports/report.ts';
import { SqliteReportStore } from '../../src/reports/sqlite-store.ts';
import type { ReportStore } from '../../src/reports/store.ts';
import { BACKENDS, PG_URL, type TestDatabase } from './store-backends.ts';

const T0 = Date.parse('2026-11-25T08:00:00.000Z');
const at = (minutes: number, seconds = 0) => new Date(T0 + minutes * 60_000 + seconds * 1000);
const POLICY: ReportPolicy = { dedupWindowMinutes: 60, rateLimitPerMinute: 10 };

function report(over: Partial<NewReport> = {}): NewReport {
  return {
    service: 'outlook-com',
    problemType: 'sign-in',
    code: null,
    clientId: 'client-a',
    receivedAt: at(0),
    ...over,
  };
}

if (!PG_URL) {
  console.warn('[report store] PostgreSQL half SKIPPED: OUTAGE_RADAR_TEST_PG_URL is not set (.ci/run sets it).');
  test.skip('PostgreSQL report store (skipped: OUTAGE_RADAR_TEST_PG_URL is not set)', () => undefined);
}

describe.each(BACKENDS)('$name report store', (backend) => {
  let db: TestDatabase;
  const open: ReportStore[] = [];
  async function node(policy = POLICY, now?: () => Date): Promise<ReportStore> {
    db ??= await backend.create();
    const store = await db.open(policy, now);
    open.push(store);
    return store;
  }
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    if (db) await db.drop();
    db = undefined as unknown as TestDatabase;
  });

  test('an accepted report is counted in its bucket and in the aggregate', async () => {
    const store = await node();
    const result = await store.add(report({ receivedAt: at(7, 30), code: '550 5.1.10', problemType: 'mail-bounces' }));
    expect(result).toMatchObject({ accepted: true, duplicate: false });
    expect(result.id).toMatch(/^\d+$/);
    const buckets = await store.countsByBucket('outlook-com', at(0), at(15), 5);
    expect(buckets.from.toISOString()).toBe('2026-11-25T08:00:00.000Z');
    expect(buckets.counts).toEqual([0, 1, 0]);
    expect(await store.aggregate(at(0), at(60))).toEqual({
      'outlook-com': { count: 1, problemTypes: { 'mail-bounces': 1 }, codes: { '550 5.1.10': 1 } },
    });
  });

  test('only the first report per client, service and window counts', async () => {
    const store = await node();
    expect((await store.add(report({ receivedAt: at(1) }))).accepted).toBe(true);
    // Same client, same service, same window: duplicate even with another problem type.
    expect(await store.add(report({ receivedAt: at(20), problemType: 'web-access' }))).toEqual({ accepted: false, duplicate: true });
    // Another service or another client counts.
    expect((await store.add(report({ receivedAt: at(21), service: 'teams' }))).accepted).toBe(true);
    expect((await store.add(report({ receivedAt: at(22), clientId: 'client-b' }))).accepted).toBe(true);
    // The next window (09:00) counts again.
    expect((await store.add(report({ receivedAt: at(61) }))).accepted).toBe(true);
    const counts = await store.countsByBucket('outlook-com', at(0), at(120), 60);
    expect(counts.counts).toEqual([2, 1]);
  });

  test('the rate limit counts every attempt per client and minute and says when to retry', async () => {
    const store = await node({ dedupWindowMinutes: 60, rateLimitPerMinute: 3 });
    const results: AddResult[] = [];
    for (const [i, service] of (['outlook-com', 'outlook-com', 'teams', 'azure', 'copilot'] as ServiceId[]).entries()) {
      results.push(await store.add(report({ service, receivedAt: at(5, 10 + i) })));
    }
    expect(results.map((r) => (r.accepted ? 'ok' : r.duplicate ? 'dup' : 'limited'))).toEqual(['ok', 'dup', 'ok', 'limited', 'limited']);
    // 08:05:13 → the minute ends at 08:06:00: 47 s.
    expect(results[3]!.retryAfter).toBe(47);
    expect(results[4]!.retryAfter).toBe(46);
    // Another client is not affected; the same client may report again in the next minute.
    expect((await store.add(report({ clientId: 'client-b', service: 'azure', receivedAt: at(5, 20) }))).accepted).toBe(true);
    expect((await store.add(report({ service: 'azure', receivedAt: at(6, 1) }))).accepted).toBe(true);
  });

  test('concurrent adds are all acknowledged and stored', async () => {
    const store = await node();
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => store.add(report({ clientId: `c${i}`, receivedAt: at(3, i % 60) }))),
    );
    expect(results.every((r) => r.accepted)).toBe(true);
    expect(new Set(results.map((r) => r.id)).size).toBe(300);
    expect((await store.countsByBucket('outlook-com', at(0), at(5), 5)).counts).toEqual([300]);
    if (store instanceof SqliteReportStore) {
      // Group commit: 300 concurrent adds share a handful of transactions, not 300.
      expect(store.commits).toBeLessThanOrEqual(3);
    }
  });

  test('counts per bucket are zero-filled, end-exclusive and per service', async () => {
    const store = await node();
    const adds: Promise<AddResult>[] = [];
    const minutes = [0, 4.99, 5, 14, 29.99, 30];
    minutes.forEach((m, i) => adds.push(store.add(report({ clientId: `b${i}`, receivedAt: new Date(T0 + m * 60_000) }))));
    adds.push(store.add(report({ clientId: 'other', service: 'teams', receivedAt: at(1) })));
    await Promise.all(adds);
    // `from` 08:02 aligns down to 08:00; `to` 08:30 excludes the report at 08:30.
    const buckets = await store.countsByBucket('outlook-com', at(2), at(30), 5);
    expect(buckets.from.getTime()).toBe(T0);
    expect(buckets.counts).toEqual([2, 1, 1, 0, 0, 1]);
  });

  test('recentAggregate covers the last hour with problem types and bounce codes per service', async () => {
    const store = await node();
    const rows: [ServiceId, ProblemType, string | null, number][] = [
      ['exchange-online', 'mail-bounces', '550 5.7.1', 10],
      ['exchange-online', 'mail-bounces', '550 5.7.1', 20],
      ['exchange-online', 'mail-bounces', '4.7.500', 30],
      ['exchange-online', 'sending-mail', null, 40],
      ['teams', 'teams-calls-chat', null, 50],
      ['teams', 'teams-calls-chat', null, -6], // more than an hour before 08:55
    ];
    await Promise.all(
      rows.map(([service, problemType, code, m], i) => store.add(report({ clientId: `r${i}`, service, problemType, code, receivedAt: at(m) }))),
    );
    expect(await store.recentAggregate(at(55))).toEqual({
      'exchange-online': { count: 4, problemTypes: { 'mail-bounces': 3, 'sending-mail': 1 }, codes: { '550 5.7.1': 2, '4.7.500': 1 } },
      teams: { count: 1, problemTypes: { 'teams-calls-chat': 1 }, codes: {} },
    });
  });

  test('coverage starts at creation or the oldest report, whichever is earlier', async () => {
    const store = await node(POLICY, () => at(100));
    expect((await store.coverageStart())?.getTime()).toBe(at(100).getTime());
    await store.add(report({ receivedAt: at(-30) }));
    expect((await store.coverageStart())?.getTime()).toBe(at(-30).getTime());
  });

  test('prune removes old reports and forgets expired client windows', async () => {
    const store = await node();
    await store.add(report({ receivedAt: at(0) }));
    await store.add(report({ clientId: 'b', receivedAt: at(200) }));
    expect(await store.prune(at(200), at(100))).toBe(1);
    expect((await store.countsByBucket('outlook-com', at(0), at(300), 60)).counts).toEqual([0, 0, 0, 1, 0]);
    // Client b's window (11:00–12:00) still holds.
    expect((await store.add(report({ clientId: 'b', receivedAt: at(201) }))).duplicate).toBe(true);
  });

  test('acknowledged reports survive closing and reopening', async () => {
    const first = await node();
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => first.add(report({ clientId: `p${i}` }))));
    await first.close();
    open.splice(open.indexOf(first), 1);
    const second = await node();
    expect((await second.countsByBucket('outlook-com', at(0), at(5), 5)).counts).toEqual([20]);
    expect(ids.every((r) => r.accepted)).toBe(true);
  });

  test('a reopened store still knows who reported in the current window', async () => {
    const first = await node();
    expect((await first.add(report({ clientId: 'r1' }))).accepted).toBe(true);
    expect((await first.add(report({ clientId: 'r1', service: 'teams', receivedAt: at(1) }))).accepted).toBe(true);
    await first.close();
    open.splice(open.indexOf(first), 1);
    const second = await node();
    expect(await second.add(report({ clientId: 'r1', receivedAt: at(30) }))).toEqual({ accepted: false, duplicate: true });
    expect(await second.add(report({ clientId: 'r1', service: 'teams', receivedAt: at(31) }))).toEqual({ accepted: false, duplicate: true });
    expect((await second.add(report({ clientId: 'r1', service: 'onedrive', receivedAt: at(32) }))).accepted).toBe(true);
    // The next window starts afresh.
    expect((await second.add(report({ clientId: 'r1', receivedAt: at(61) }))).accepted).toBe(true);
  });

  test('two nodes on one database share duplicate suppression and rate limits', async () => {
    const a = await node({ dedupWindowMinutes: 60, rateLimitPerMinute: 3 });
    const b = await node({ dedupWindowMinutes: 60, rateLimitPerMinute: 3 });
    // The same client hits both nodes at once for one service: exactly one report counts.
    const same = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).add(report({ clientId: 'shared', receivedAt: at(1, i) }))),
    );
    expect(same.filter((r) => r.accepted)).toHaveLength(1);
    expect(same.filter((r) => r.duplicate)).toHaveLength(2); // attempts 2 and 3 of the minute
    expect(same.filter((r) => r.retryAfter !== undefined)).toHaveLength(7);
    // Another client sprays all services across both nodes within one minute: exactly 3 count.
    const spray = await Promise.all(
      SERVICE_IDS.map((service, i) => (i % 2 ? a : b).add(report({ clientId: 'sprayer', service, receivedAt: at(2, i) }))),
    );
    expect(spray.filter((r) => r.accepted)).toHaveLength(3);
    expect(spray.filter((r) => r.retryAfter !== undefined)).toHaveLength(SERVICE_IDS.length - 3);
    const totals = await a.aggregate(at(0), at(60));
    expect(Object.values(totals).reduce((n, agg) => n + agg.count, 0)).toBe(4);
  });

  test('a process killed with SIGKILL loses no acknowledged report', async () => {
    db = await backend.create();
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'fixtures/crash-child.ts'), db.locator], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: string[] = [];
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, sig) => (sig === 'SIGKILL' ? resolve() : reject(new Error(`child exited early: ${code}`))));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
        if (acked.length >= 1500 && !child.killed) child.kill('SIGKILL');
      });
    });
    expect(acked.length).toBeGreaterThanOrEqual(1500);
    const ids = await storedIds(db);
    expect(acked.filter((id) => !ids.has(id))).toEqual([]);
    // More may be stored than acknowledged (committed, killed before the ack), never fewer.
    expect(ids.size).toBeGreaterThanOrEqual(acked.length);
  });
});

/** Ids of all stored reports, read straight from the database. */
async function storedIds(db: TestDatabase): Promise<Set<string>> {
  if (db.locator.startsWith('sqlite')) {
    const { DatabaseSync } = await import('node:sqlite');
    const raw = new DatabaseSync(db.locator.slice(db.locator.indexOf(':') + 1), { readOnly: true });
    const rows = raw.prepare('SELECT id FROM reports').all() as { id: number }[];
    raw.close();
    return new Set(rows.map((r) => String(r.id)));
  }
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  const { rows } = await client.query<{ id: string }>(`SELECT id::text AS id FROM ${db.locator.slice('postgres:'.length)}.reports`);
  await client.end();
  return new Set(rows.map((r) => r.id));
}
