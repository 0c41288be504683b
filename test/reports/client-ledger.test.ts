import { describe, expect, test } from 'vitest';
import { ClientLedger, type LedgerAttempt } from '../../src/reports/client-ledger.ts';

const OUTLOOK = 1;
const TEAMS = 4;

function attempt(over: Partial<LedgerAttempt> = {}): LedgerAttempt {
  return { client: 'a', bit: OUTLOOK, minute: 100, win: 1, retryAfter: 30, ...over };
}

function ledger(options: { limit?: number; rows?: Record<number, [string, number][]>; maxClients?: number } = {}) {
  const loaded: number[] = [];
  const l = new ClientLedger({
    rateLimitPerMinute: options.limit ?? 3,
    load: (win) => {
      loaded.push(win);
      return options.rows?.[win] ?? [];
    },
    maxClients: options.maxClients,
  });
  return { l, loaded };
}

describe('ClientLedger', () => {
  test('the first report per client, service and window counts; the next is a duplicate; other services and clients count', () => {
    const { l } = ledger();
    expect(l.decide(attempt())).toEqual({ kind: 'accept', win: 1 });
    expect(l.decide(attempt())).toEqual({ kind: 'duplicate' });
    expect(l.decide(attempt({ bit: TEAMS }))).toEqual({ kind: 'accept', win: 1 });
    expect(l.decide(attempt({ client: 'b', minute: 101 }))).toEqual({ kind: 'accept', win: 1 });
    expect(l.size).toBe(2);
  });

  test('every attempt counts against the per-minute limit, duplicates too; the next minute starts anew', () => {
    const { l } = ledger({ limit: 3 });
    expect(l.decide(attempt()).kind).toBe('accept');
    expect(l.decide(attempt()).kind).toBe('duplicate');
    expect(l.decide(attempt()).kind).toBe('duplicate');
    // Fourth attempt of minute 100: limited, even for a service not reported yet.
    expect(l.decide(attempt({ bit: TEAMS, retryAfter: 12 }))).toEqual({ kind: 'limited', retryAfter: 12 });
    expect(l.decide(attempt({ minute: 101, bit: TEAMS }))).toEqual({ kind: 'accept', win: 1 });
    // Another client is not limited by a's attempts.
    expect(l.decide(attempt({ client: 'b', minute: 101 })).kind).toBe('accept');
  });

  test('a new window forgets the last one and loads what was recorded for it (a restarted process)', () => {
    const { l, loaded } = ledger({ rows: { 2: [['a', OUTLOOK], ['c', TEAMS], ['c', OUTLOOK]] } });
    expect(l.decide(attempt({ win: 1, client: 'x' })).kind).toBe('accept');
    expect(l.decide(attempt({ win: 2, minute: 160, client: 'x' })).kind).toBe('accept');
    expect(loaded).toEqual([1, 2]);
    expect(l.decide(attempt({ win: 2, minute: 160, client: 'a' })).kind).toBe('duplicate');
    expect(l.decide(attempt({ win: 2, minute: 160, client: 'a', bit: TEAMS })).kind).toBe('accept');
    // Rows of one client are OR-ed together.
    expect(l.decide(attempt({ win: 2, minute: 160, client: 'c', bit: OUTLOOK })).kind).toBe('duplicate');
    expect(l.decide(attempt({ win: 2, minute: 160, client: 'c', bit: TEAMS })).kind).toBe('duplicate');
    expect(l.window).toBe(2);
  });

  test('a clock that steps back counts in the current minute and window', () => {
    const { l, loaded } = ledger({ limit: 2 });
    expect(l.decide(attempt({ win: 2, minute: 160 })).kind).toBe('accept');
    // Window 1 again: still judged (and recorded) in window 2, without reloading.
    expect(l.decide(attempt({ win: 1, minute: 159 }))).toEqual({ kind: 'duplicate' });
    expect(l.decide(attempt({ win: 1, minute: 159, bit: TEAMS }))).toEqual({ kind: 'limited', retryAfter: 30 });
    expect(loaded).toEqual([2]);
  });

  test('forget takes back an accepted report that could not be stored', () => {
    const { l } = ledger();
    l.decide(attempt({ bit: TEAMS }));
    l.decide(attempt({ minute: 101 }));
    l.forget('a', OUTLOOK, 1);
    expect(l.decide(attempt({ minute: 102 })).kind).toBe('accept');
    expect(l.decide(attempt({ minute: 102, bit: TEAMS })).kind).toBe('duplicate');
    // A forget for another window changes nothing.
    l.forget('a', TEAMS, 0);
    expect(l.decide(attempt({ minute: 103, bit: TEAMS })).kind).toBe('duplicate');
    l.forget('a', OUTLOOK | TEAMS, 1);
    expect(l.size).toBe(0);
  });

  test('past maxClients a new client is refused, known clients still are judged, and the next window has room again', () => {
    const { l } = ledger({ maxClients: 2 });
    expect(l.decide(attempt({ client: 'a' })).kind).toBe('accept');
    expect(l.decide(attempt({ client: 'b' })).kind).toBe('accept');
    expect(l.decide(attempt({ client: 'c' }))).toEqual({ kind: 'full' });
    expect(l.decide(attempt({ client: 'a', bit: TEAMS })).kind).toBe('accept');
    expect(l.decide(attempt({ client: 'b' })).kind).toBe('duplicate');
    expect(l.decide(attempt({ client: 'c', win: 2, minute: 160 })).kind).toBe('accept');
  });
});
