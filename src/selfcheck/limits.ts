/**
 * What keeps the self-check from hurting anyone when thousands ask at once: a cap on outgoing
 * look-ups, coalescing of identical look-ups, a short per-domain cache and a per-client rate limit.
 * Time is always passed in; nothing here reads the clock.
 */
import { createHmac, randomBytes } from 'node:crypto';

export class LookupBusyError extends Error {
  readonly code = 'SELFCHECK_BUSY';
  constructor() {
    super('too many look-ups are waiting; try again shortly');
    this.name = 'LookupBusyError';
  }
}

export interface Semaphore {
  /** Runs `fn` when a slot is free. Throws LookupBusyError at once when the queue is full. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly inFlight: number;
  readonly waiting: number;
  /** Highest number in flight at once since creation (for tests and the benchmark). */
  readonly peak: number;
}

export function createSemaphore(max: number, maxQueued: number, maxWaitMs = Number.POSITIVE_INFINITY): Semaphore {
  let inFlight = 0;
  let peak = 0;
  const queue: Array<{ start: () => void }> = [];
  const release = () => {
    inFlight--;
    const next = queue.shift();
    if (next) next.start();
  };
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (inFlight >= max) {
        if (queue.length >= maxQueued) throw new LookupBusyError();
        // A look-up that cannot start in time is reported as unknown rather than making the visitor wait.
        await new Promise<void>((resolve, reject) => {
          const waiter = {
            start: () => {
              clearTimeout(timer);
              resolve();
            },
          };
          const timer = Number.isFinite(maxWaitMs)
            ? setTimeout(() => {
                const i = queue.indexOf(waiter);
                if (i !== -1) queue.splice(i, 1);
                reject(new LookupBusyError());
              }, maxWaitMs)
            : undefined;
          queue.push(waiter);
        });
      }
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await fn();
      } finally {
        release();
      }
    },
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return queue.length;
    },
    get peak() {
      return peak;
    },
  };
}

/** Concurrent calls with the same key share one promise (single-flight). */
export function createSingleFlight<V>() {
  const pending = new Map<string, Promise<V>>();
  let coalesced = 0;
  return {
    run(key: string, fn: () => Promise<V>): Promise<V> {
      const existing = pending.get(key);
      if (existing) {
        coalesced++;
        return existing;
      }
      const p = fn().finally(() => pending.delete(key));
      pending.set(key, p);
      return p;
    },
    get coalesced() {
      return coalesced;
    },
  };
}

/** A bounded map whose entries expire; the oldest entry goes first when it is full. */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #maxEntries: number;
  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }
  get(key: string, nowMs: number): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= nowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }
  set(key: string, value: V, ttlMs: number, nowMs: number): void {
    if (ttlMs <= 0) return;
    this.#entries.delete(key);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt: nowMs + ttlMs });
  }
  get size(): number {
    return this.#entries.size;
  }
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the client may check again (0 when allowed). */
  retryAfterSeconds: number;
}

/** Per-client limit on checks. `clientKey` is already a hash, never an address. */
export interface RateLimiter {
  take(clientKey: string, now: Date): RateDecision;
}

/**
 * In-memory limiter: a sliding one-minute window (two fixed windows weighted) plus a fixed UTC-day
 * cap, bounded in size. Keys are re-hashed with a per-process random salt so the map never holds
 * anything reversible. The day cap keeps anyone from using the check to enumerate tenants.
 */
export function createMemoryRateLimiter(options: { perMinute: number; perDay?: number; maxClients?: number }): RateLimiter {
  const salt = randomBytes(16);
  const maxClients = options.maxClients ?? 50_000;
  const perDay = options.perDay ?? Number.POSITIVE_INFINITY;
  const windows = new Map<string, { minute: number; current: number; previous: number; day: number; today: number }>();
  return {
    take(clientKey, now) {
      const key = createHmac('sha256', salt).update(clientKey).digest('base64url').slice(0, 22);
      const ms = now.getTime();
      const minute = Math.floor(ms / 60_000);
      const day = Math.floor(ms / 86_400_000);
      let w = windows.get(key) ?? { minute, current: 0, previous: 0, day, today: 0 };
      if (w.minute < minute - 1) w = { ...w, minute, current: 0, previous: 0 };
      else if (w.minute === minute - 1) w = { ...w, minute, current: 0, previous: w.current };
      if (w.day !== day) w = { ...w, day, today: 0 };
      windows.delete(key);
      if (windows.size >= maxClients) {
        const oldest = windows.keys().next();
        if (!oldest.done) windows.delete(oldest.value);
      }
      windows.set(key, w);
      if (w.today + 1 > perDay) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((day + 1) * 86_400_000 - ms) / 1000)) };
      }
      const elapsed = (ms % 60_000) / 60_000;
      const estimate = w.previous * (1 - elapsed) + w.current;
      if (estimate + 1 > options.perMinute) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(60 - (ms % 60_000) / 1000)) };
      }
      w.current++;
      w.today++;
      return { allowed: true, retryAfterSeconds: 0 };
    },
  };
}
