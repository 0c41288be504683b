import { describe, expect, test } from 'vitest';
import { createMemoryRateLimiter, createSemaphore, createSingleFlight, LookupBusyError, TtlCache } from '../../src/selfcheck/limits.ts';
import { decodeRecord, encodeRecord, RecordError, type EvidenceRecord } from '../../src/selfcheck/record.ts';

describe('rate limiter', () => {
  test('allows the configured checks per minute per client, then says when to come back', () => {
    const limiter = createMemoryRateLimiter({ perMinute: 3 });
    const at = new Date('2026-11-25T12:00:10Z');
    expect([1, 2, 3].map(() => limiter.take('a', at).allowed)).toEqual([true, true, true]);
    const refused = limiter.take('a', at);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(limiter.take('b', at).allowed).toBe(true);
  });

  test('the previous minute still weighs in (sliding window), and then fades', () => {
    const limiter = createMemoryRateLimiter({ perMinute: 4 });
    const t0 = new Date('2026-11-25T12:00:50Z');
    for (let i = 0; i < 4; i++) limiter.take('a', t0);
    expect(limiter.take('a', new Date('2026-11-25T12:01:05Z')).allowed).toBe(false);
    expect(limiter.take('a', new Date('2026-11-25T12:01:50Z')).allowed).toBe(true);
    expect(limiter.take('a', new Date('2026-11-25T12:03:00Z')).allowed).toBe(true);
  });
});

test('a client reaching the day cap waits for the next UTC day', () => {
  const limiter = createMemoryRateLimiter({ perMinute: 100, perDay: 5 });
  const at = (m: number) => new Date(Date.UTC(2026, 10, 25, 23, m));
  const allowed = [0, 5, 10, 15, 20, 25].map((m) => limiter.take('a', at(m)).allowed);
  expect(allowed).toEqual([true, true, true, true, true, false]);
  expect(limiter.take('a', at(30)).retryAfterSeconds).toBe(30 * 60);
  expect(limiter.take('a', new Date(Date.UTC(2026, 10, 26, 0, 1))).allowed).toBe(true);
});

describe('semaphore, single-flight, cache', () => {
  test('never runs more than the cap and refuses beyond the queue', async () => {
    const sem = createSemaphore(2, 1);
    const gates: Array<() => void> = [];
    const job = () => sem.run(() => new Promise<void>((r) => gates.push(r)));
    const a = job();
    const b = job();
    const c = job();
    await expect(job()).rejects.toBeInstanceOf(LookupBusyError);
    await Promise.resolve();
    expect(sem.inFlight).toBe(2);
    expect(sem.waiting).toBe(1);
    gates.shift()!();
    await a;
    await new Promise((r) => setTimeout(r, 0));
    gates.splice(0).forEach((g) => g());
    await new Promise((r) => setTimeout(r, 0));
    gates.splice(0).forEach((g) => g());
    await Promise.all([b, c]);
    expect(sem.peak).toBe(2);
  });

  test('a waiter that cannot start within maxWaitMs is refused as busy', async () => {
    const sem = createSemaphore(1, 10, 20);
    let release!: () => void;
    const holder = sem.run(() => new Promise<void>((r) => (release = r)));
    await expect(sem.run(async () => 'late')).rejects.toBeInstanceOf(LookupBusyError);
    expect(sem.waiting).toBe(0);
    release();
    await holder;
    await expect(sem.run(async () => 'now')).resolves.toBe('now');
  });

  test('single-flight shares one promise per key', async () => {
    const flight = createSingleFlight<number>();
    let calls = 0;
    const fn = () => new Promise<number>((r) => setTimeout(() => r(++calls), 5));
    const results = await Promise.all([flight.run('k', fn), flight.run('k', fn), flight.run('other', fn)]);
    expect(results.sort()).toEqual([1, 1, 2]);
    expect(flight.coalesced).toBe(1);
  });

  test('cache entries expire and the oldest goes first when full', () => {
    const cache = new TtlCache<string>(2);
    cache.set('a', 'A', 1000, 0);
    cache.set('b', 'B', 1000, 0);
    cache.set('c', 'C', 1000, 0);
    expect(cache.get('a', 10)).toBeUndefined();
    expect(cache.get('b', 10)).toBe('B');
    expect(cache.get('b', 1000)).toBeUndefined();
  });
});

const RECORD: EvidenceRecord = {
  v: 1,
  checkedAt: '2026-11-25T12:00:00.000Z',
  lookedUpAt: '2026-11-25T11:58:00.000Z',
  domain: 'gone-tenant.de',
  code: '5.1.10',
  verdict: 'tenant',
  rule: 'domain-unknown-to-microsoft',
  incidents: [],
  statusAt: '2026-11-25T11:59:00.000Z',
  statusAvailable: true,
  services: [{ id: 'exchange-online', status: 'operational' }],
  crowd: { available: true, codeCount: 0, codeBaseline: 0.2 },
  directory: 'unknown-to-microsoft',
  tenantId: null,
  facts: [{ id: 'dir-realm', state: 'no', reason: 'realm-unknown', values: ['Unknown'] }],
};
const SECRET = 'test-secret-0123456789';

describe('evidence record', () => {
  test('round-trips through the signed link', () => {
    expect(decodeRecord(encodeRecord(RECORD, SECRET), SECRET)).toEqual(RECORD);
  });

  test('a changed payload, another secret or garbage is refused with a stable code', () => {
    const token = encodeRecord(RECORD, SECRET);
    const forged = encodeRecord({ ...RECORD, verdict: 'microsoft-wide', rule: 'official-incident' }, 'attacker-secret-000000');
    const spliced = `${forged.split('.')[0]}.${token.split('.')[1]}`;
    const codeOf = (t: string, s = SECRET) => {
      try {
        decodeRecord(t, s);
        return 'OK';
      } catch (err) {
        return (err as RecordError).code;
      }
    };
    expect(codeOf(spliced)).toBe('RECORD_SIGNATURE');
    expect(codeOf(token, 'another-secret-00000000')).toBe('RECORD_SIGNATURE');
    expect(codeOf('<script>.x')).toBe('RECORD_MALFORMED');
    expect(codeOf('')).toBe('RECORD_MALFORMED');
  });

  test('cannot hold a mailbox: the domain field only takes a domain', () => {
    expect(() => encodeRecord({ ...RECORD, domain: 'someone@gone-tenant.de' }, SECRET)).toThrow();
  });
});
