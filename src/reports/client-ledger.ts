/**
 * The embedded store's rate limit and duplicate suppression, decided in memory (pure, no I/O).
 *
 * Per dedup window, one entry per client: a bit per service it has reported (first report per
 * client, service and window counts). Per minute, one counter per client (every attempt counts,
 * also duplicates and refused ones). The same rules as the PostgreSQL store's statement and the
 * earlier SQLite table: the shared store suite runs against both.
 *
 * Why memory: a client row in SQLite keyed by a random hash dirties one random database page per
 * report (4 KiB of WAL per report, and the commit's fsync waits for it): about half the cost of a
 * stored report. Here a decision costs two Map lookups, and the store appends the window's
 * "seen" bits to a small append-only table in the report's own transaction, so a restarted
 * process rebuilds the window (`load`) and a restart never lets a client count twice.
 * The minute counters are not kept: after a restart a client's minute starts anew.
 *
 * Memory: about 100 bytes per client in the current window (a million distinct clients in one
 * window: ~100 MB). Past `maxClients` in one window, new clients are refused (the store answers
 * 503) rather than letting a flood of forged addresses exhaust the process.
 */

/** One attempt, as the store computes it from the report (see `policyKeys`). */
export interface LedgerAttempt {
  client: string;
  /** The service's bit (`2 ** index in SERVICE_IDS`). */
  bit: number;
  minute: number;
  win: number;
  retryAfter: number;
}

export type LedgerDecision =
  | { kind: 'limited'; retryAfter: number }
  | { kind: 'duplicate' }
  /** Counted: the store must record `bit` for `client` in window `win` with the report. */
  | { kind: 'accept'; win: number }
  /** The window already tracks `maxClients` clients; this new one cannot be tracked. */
  | { kind: 'full' };

export interface ClientLedgerOptions {
  rateLimitPerMinute: number;
  /** The bits recorded for window `win` so far (read once when the ledger enters the window). */
  load: (win: number) => Iterable<readonly [client: string, bits: number]>;
  /** Most clients tracked in one window (default 2,000,000). */
  maxClients?: number;
}

export class ClientLedger {
  readonly #limit: number;
  readonly #load: ClientLedgerOptions['load'];
  readonly #maxClients: number;
  #win = Number.NEGATIVE_INFINITY;
  #seen = new Map<string, number>();
  #minute = Number.NEGATIVE_INFINITY;
  #attempts = new Map<string, number>();

  constructor(options: ClientLedgerOptions) {
    this.#limit = options.rateLimitPerMinute;
    this.#load = options.load;
    this.#maxClients = options.maxClients ?? 2_000_000;
  }

  /** Clients tracked in the current window. */
  get size(): number {
    return this.#seen.size;
  }

  /** The current window (after the first attempt). */
  get window(): number {
    return this.#win;
  }

  /**
   * Decides one attempt and records it (the attempt counter always; the service's bit when it is
   * accepted). A clock that stepped back into an earlier minute or window counts in the current one.
   */
  decide(a: LedgerAttempt): LedgerDecision {
    if (a.win > this.#win) this.#enter(a.win);
    if (a.minute > this.#minute) {
      this.#minute = a.minute;
      this.#attempts = new Map();
    }
    const n = (this.#attempts.get(a.client) ?? 0) + 1;
    const bits = this.#seen.get(a.client);
    if (bits === undefined && this.#seen.size >= this.#maxClients) return { kind: 'full' };
    this.#attempts.set(a.client, n);
    if (n > this.#limit) return { kind: 'limited', retryAfter: a.retryAfter };
    if (bits !== undefined && (bits & a.bit) !== 0) return { kind: 'duplicate' };
    this.#seen.set(a.client, (bits ?? 0) | a.bit);
    return { kind: 'accept', win: this.#win };
  }

  /** Takes back an accepted attempt whose report could not be stored (its client may try again). */
  forget(client: string, bit: number, win: number): void {
    if (win !== this.#win) return;
    const bits = this.#seen.get(client);
    if (bits === undefined) return;
    const rest = bits & ~bit;
    if (rest === 0) this.#seen.delete(client);
    else this.#seen.set(client, rest);
  }

  #enter(win: number): void {
    this.#win = win;
    this.#seen = new Map();
    for (const [client, bits] of this.#load(win)) this.#seen.set(client, (this.#seen.get(client) ?? 0) | bits);
  }
}
