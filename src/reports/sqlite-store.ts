/**
 * The embedded report store: node:sqlite in WAL mode with `synchronous=FULL` (or `NORMAL` by
 * choice: still safe when the process is killed), one file (`data/reports.db`, mode 0600, out of git).
 *
 * Group commit on a writer thread: `add` queues the report; while a transaction is being
 * committed (its fsync can take milliseconds on a busy disk), the next reports queue up, and they
 * all go into a later transaction. The writer applies the rate limit, duplicate suppression and
 * insert for the whole batch in one transaction, commits, and only then is each caller resolved:
 * a process killed at any moment loses no acknowledged report. The main thread never waits for
 * the disk, so it keeps reading requests while a batch is committed. Reads use a second
 * connection on the main thread (WAL: readers never block the writer).
 *
 * The writer is a worker thread built from source text (`eval`), so the store also works inside
 * the bundled server, where there is no worker file to point at.
 */
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { ServiceId } from '../domain/services.ts';
import { isServiceId, SERVICE_IDS } from '../domain/services.ts';
import type { ProblemType } from '../domain/vocabulary.ts';
import {
  alignToBucket,
  bucketCount,
  policyKeys,
  ReportStoreError,
  type AddResult,
  type BucketCounts,
  type NewReport,
  type ReportAggregate,
  type ReportPolicy,
} from './report.ts';
import { emptyAggregate, type ReportStore } from './store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS reports (
  id INTEGER PRIMARY KEY,
  service TEXT NOT NULL,
  problem_type TEXT NOT NULL,
  code TEXT,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS reports_service_time ON reports (service, received_at);
CREATE INDEX IF NOT EXISTS reports_time ON reports (received_at);
-- One row per client and dedup window: the rate counter of the client's latest minute and a bit per
-- service already counted in the window. One row (one page) per report keeps the WAL small: client
-- hashes are random, so every row lands on a different page.
-- 'seen': whether the service of the latest attempt was counted before it (set by the upsert).
CREATE TABLE IF NOT EXISTS report_clients (
  win INTEGER NOT NULL, client TEXT NOT NULL, minute INTEGER NOT NULL, n INTEGER NOT NULL, services INTEGER NOT NULL,
  seen INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (win, client)
) STRICT, WITHOUT ROWID;
`;

/** Stores created before 'seen' existed get the column (client rows live one window at most). */
const MIGRATE_CLIENTS = `ALTER TABLE report_clients ADD COLUMN seen INTEGER NOT NULL DEFAULT 0`;

/** How hard a commit waits for the disk (see `reports.sqliteSynchronous`). */
export type SqliteSynchronous = 'full' | 'normal';

// Checkpoints (copying WAL pages into the database file, with an fsync of their own) run on a
// checkpointer thread of their own, so a commit never waits for one: the writer only checkpoints
// itself when the WAL passes 16,000 pages (64 MB), i.e. when the checkpointer cannot keep up.
const pragmas = (synchronous: SqliteSynchronous) =>
  `PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}; PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 16000;`;

/** How often the checkpointer thread copies committed WAL pages into the database file. */
const CHECKPOINT_INTERVAL_MS = 250;

/**
 * The checkpointer thread: a PASSIVE checkpoint (never blocks the writer or readers) every
 * CHECKPOINT_INTERVAL_MS while reports arrive. Stops when told to.
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.file);
db.exec(workerData.pragmas);
const timer = setInterval(() => {
  try { db.exec('PRAGMA wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.on('message', (msg) => {
  if (msg === 'close') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

/** One report as the writer receives it (policy keys computed on the main thread). */
interface WriterItem {
  client: string;
  /** This service's bit in `report_clients.services`. */
  bit: number;
  service: string;
  problemType: string;
  code: string | null;
  at: number;
  minute: number;
  win: number;
  retryAfter: number;
}

type WriterRequest =
  | { type: 'batch'; id: number; items: WriterItem[]; limit: number }
  | { type: 'prune'; id: number; win: number; before: number }
  | { type: 'close'; id: number };

type WriterReply = { id: number; results?: AddResult[]; removed?: number; error?: string };
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The writer thread (CommonJS, evaluated from this text). Everything that changes the database
 * happens here, one transaction at a time.
 */
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.file);
db.exec(workerData.pragmas);
// One statement per attempt for the client row: the minute counter restarts when the client's
// minute changes (every attempt counts); the service's bit is set only for an attempt within the
// limit; 'seen' keeps whether the bit was set before (SET expressions read the old row).
const touch = db.prepare(
  'INSERT INTO report_clients (win, client, minute, n, services, seen) VALUES (?1, ?2, ?3, 1, CASE WHEN ?5 >= 1 THEN ?4 ELSE 0 END, 0) ' +
    'ON CONFLICT (win, client) DO UPDATE SET ' +
    'n = CASE WHEN minute = excluded.minute THEN n + 1 ELSE 1 END, ' +
    'services = CASE WHEN (CASE WHEN minute = excluded.minute THEN n + 1 ELSE 1 END) <= ?5 THEN services | ?4 ELSE services END, ' +
    'seen = (services & ?4) != 0, ' +
    'minute = excluded.minute ' +
    'RETURNING n, seen',
);
const insert = db.prepare('INSERT INTO reports (service, problem_type, code, received_at) VALUES (?, ?, ?, ?)');
const pruneClients = db.prepare('DELETE FROM report_clients WHERE win < ?');
const pruneReports = db.prepare('DELETE FROM reports WHERE received_at < ?');
let prunedWin = 0;

function transaction(fn) {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = fn();
    db.exec('COMMIT');
    return out;
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

parentPort.on('message', (msg) => {
  try {
    if (msg.type === 'batch') {
      const results = transaction(() => {
        const out = msg.items.map((r) => {
          const { n, seen } = touch.get(r.win, r.client, r.minute, r.bit, msg.limit);
          if (n > msg.limit) return { accepted: false, duplicate: false, retryAfter: r.retryAfter };
          if (seen) return { accepted: false, duplicate: true };
          const { lastInsertRowid } = insert.run(r.service, r.problemType, r.code, r.at);
          return { accepted: true, duplicate: false, id: String(lastInsertRowid) };
        });
        // Client rows of past windows can no longer matter.
        const last = msg.items[msg.items.length - 1];
        if (last.win > prunedWin) {
          prunedWin = last.win;
          pruneClients.run(last.win - 1);
        }
        return out;
      });
      parentPort.postMessage({ id: msg.id, results });
    } else if (msg.type === 'prune') {
      const removed = transaction(() => {
        pruneClients.run(msg.win - 1);
        return Number(pruneReports.run(msg.before).changes);
      });
      parentPort.postMessage({ id: msg.id, removed });
    } else if (msg.type === 'close') {
      db.close();
      parentPort.postMessage({ id: msg.id });
      parentPort.close();
    }
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String(err && err.message || err) });
  }
});
`;

/** Batches on their way to the writer at once (see #pump). */
const MAX_IN_FLIGHT = 2;

interface Pending {
  report: NewReport;
  resolve: (result: AddResult) => void;
  reject: (err: Error) => void;
}

export interface SqliteStoreOptions {
  /** Clock for the store's creation time (coverage start). */
  now?: () => Date;
  /** Most reports committed in one transaction. */
  maxBatch?: number;
  /** `full` (default): every commit reaches the disk before reports are acknowledged. */
  synchronous?: SqliteSynchronous;
}

export class SqliteReportStore implements ReportStore {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  /** The main thread's connection: reads only. */
  readonly #db: DatabaseSync;
  readonly #policy: ReportPolicy;
  readonly #maxBatch: number;
  readonly #pragmas: string;
  #writer: Worker | null = null;
  #checkpointer: Worker | null = null;
  #nextId = 1;
  readonly #replies = new Map<number, (reply: WriterReply) => void>();
  #queue: Pending[] = [];
  /** Batches sent to the writer and not answered yet. */
  #inFlight = 0;
  readonly #idleWaiters: (() => void)[] = [];
  #scheduled = false;
  #closed = false;
  /** Transactions committed so far (for tests and the benchmark). */
  commits = 0;

  private constructor(file: string, policy: ReportPolicy, options: SqliteStoreOptions) {
    this.file = file;
    this.#policy = policy;
    this.#maxBatch = options.maxBatch ?? 2000;
    this.#pragmas = pragmas(options.synchronous ?? 'full');
    mkdirSync(path.dirname(file), { recursive: true });
    // Client ids live here for up to one window: create the file private, and SQLite gives its
    // -wal and -shm files the same mode.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    try {
      this.#db = new DatabaseSync(file);
      this.#db.exec(this.#pragmas);
      this.#db.exec(SCHEMA);
      const columns = this.#db.prepare(`PRAGMA table_info(report_clients)`).all() as { name: string }[];
      if (!columns.some((c) => c.name === 'seen')) this.#db.exec(MIGRATE_CLIENTS);
      this.#db
        .prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('created_at', ?), ('schema_version', '1')`)
        .run(String((options.now ?? (() => new Date()))().getTime()));
    } catch (cause) {
      throw new ReportStoreError('STORE_SCHEMA', `${file}: cannot open report store: ${(cause as Error).message}`, { cause });
    }
  }

  /** Opens (and creates) the store at `file`. Throws ReportStoreError (`STORE_SCHEMA`). */
  static open(file: string, policy: ReportPolicy, options: SqliteStoreOptions = {}): SqliteReportStore {
    return new SqliteReportStore(file, policy, options);
  }

  #startWriter(): Worker {
    this.#checkpointer ??= new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { file: this.file, pragmas: this.#pragmas, intervalMs: CHECKPOINT_INTERVAL_MS } });
    this.#checkpointer.on('error', () => {});
    const writer = new Worker(WRITER_SOURCE, { eval: true, workerData: { file: this.file, pragmas: this.#pragmas } });
    writer.on('message', (reply: WriterReply) => {
      const settle = this.#replies.get(reply.id);
      this.#replies.delete(reply.id);
      settle?.(reply);
      this.#updateRef();
    });
    const fail = (message: string) => {
      if (this.#writer === writer) this.#writer = null;
      for (const [id, settle] of this.#replies) {
        this.#replies.delete(id);
        settle({ id, error: message });
      }
    };
    writer.on('error', (err) => fail(`report store writer failed: ${err.message}`));
    writer.on('exit', (code) => fail(`report store writer exited (${code})`));
    return writer;
  }

  /** Sends one request to the writer (started on demand) and resolves with its reply. */
  #ask(request: Unsent<WriterRequest>): Promise<WriterReply> {
    this.#writer ??= this.#startWriter();
    const id = this.#nextId++;
    const writer = this.#writer;
    return new Promise((resolve) => {
      this.#replies.set(id, resolve);
      this.#updateRef();
      writer.postMessage({ ...request, id });
    });
  }

  /** The writer keeps the process alive only while it has work, never when idle. */
  #updateRef(): void {
    if (!this.#writer) return;
    const busy = this.#replies.size > 0 || this.#queue.length > 0;
    for (const w of [this.#writer, this.#checkpointer]) {
      if (!w) continue;
      if (busy) w.ref();
      else w.unref();
    }
  }

  add(report: NewReport): Promise<AddResult> {
    if (this.#closed) return Promise.reject(new ReportStoreError('STORE_CLOSED', 'report store is closed'));
    return new Promise<AddResult>((resolve, reject) => {
      this.#queue.push({ report, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // Everything queued during this event-loop turn joins one batch.
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  /**
   * Sends queued reports to the writer as one batch per event-loop turn, with at most two batches
   * on their way: while the writer commits one, the next is already waiting for it, so the writer
   * never idles for a round trip, and reports keep gathering into the batch after that.
   */
  #pump(): void {
    while (this.#queue.length > 0 && this.#inFlight < MAX_IN_FLIGHT) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#inFlight++;
      void this.#commit(batch).finally(() => {
        this.#inFlight--;
        if (this.#queue.length > 0) this.#pump();
        else if (this.#inFlight === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
        this.#updateRef();
      });
    }
  }

  async #commit(batch: Pending[]): Promise<void> {
    const items: WriterItem[] = batch.map(({ report: r }) => {
      const { minute, window, retryAfter } = policyKeys(this.#policy, r.receivedAt);
      const bit = 2 ** SERVICE_IDS.indexOf(r.service);
      return { client: r.clientId, bit, service: r.service, problemType: r.problemType, code: r.code, at: r.receivedAt.getTime(), minute, win: window, retryAfter };
    });
    const reply = await this.#ask({ type: 'batch', items, limit: this.#policy.rateLimitPerMinute });
    if (reply.error !== undefined || !reply.results) {
      const err = new ReportStoreError('STORE_UNAVAILABLE', `report store commit failed: ${reply.error ?? 'no results'}`);
      for (const p of batch) p.reject(err);
      return;
    }
    this.commits++;
    batch.forEach((p, i) => p.resolve(reply.results![i]!));
  }

  /** Resolves once nothing is queued or on its way to the writer. */
  #whenIdle(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async countsByBucket(service: ServiceId, from: Date, to: Date, bucketMinutes: number): Promise<BucketCounts> {
    const start = alignToBucket(from, bucketMinutes);
    const counts = new Array<number>(bucketCount(from, to, bucketMinutes)).fill(0);
    const size = bucketMinutes * 60_000;
    const rows = this.#db
      .prepare(
        `SELECT (received_at - ?) / ? AS b, count(*) AS n FROM reports
         WHERE service = ? AND received_at >= ? AND received_at < ? GROUP BY b`,
      )
      // BigInt parameters bind as INTEGER, so `/` is integer division (a JS number binds as REAL).
      .all(BigInt(start.getTime()), BigInt(size), service, start.getTime(), to.getTime()) as { b: number; n: number }[];
    for (const r of rows) if (r.b >= 0 && r.b < counts.length) counts[r.b] = r.n;
    return { from: start, bucketMinutes, counts };
  }

  async aggregate(from: Date, to: Date): Promise<Partial<Record<ServiceId, ReportAggregate>>> {
    const out: Partial<Record<ServiceId, ReportAggregate>> = {};
    const types = this.#db
      .prepare(
        `SELECT service, problem_type AS k, count(*) AS n FROM reports
         WHERE received_at >= ? AND received_at < ? GROUP BY service, problem_type`,
      )
      .all(from.getTime(), to.getTime()) as { service: string; k: string; n: number }[];
    const codes = this.#db
      .prepare(
        `SELECT service, code AS k, count(*) AS n FROM reports
         WHERE received_at >= ? AND received_at < ? AND code IS NOT NULL GROUP BY service, code`,
      )
      .all(from.getTime(), to.getTime()) as { service: string; k: string; n: number }[];
    for (const r of types) {
      if (!isServiceId(r.service)) continue;
      const agg = (out[r.service] ??= emptyAggregate());
      agg.count += r.n;
      agg.problemTypes[r.k as ProblemType] = r.n;
    }
    for (const r of codes) {
      if (!isServiceId(r.service)) continue;
      (out[r.service] ??= emptyAggregate()).codes[r.k] = r.n;
    }
    return out;
  }

  recentAggregate(now: Date): Promise<Partial<Record<ServiceId, ReportAggregate>>> {
    return this.aggregate(new Date(now.getTime() - 3_600_000), new Date(now.getTime() + 1));
  }

  async coverageStart(): Promise<Date | null> {
    const row = this.#db
      .prepare(`SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'created_at') AS created, (SELECT min(received_at) FROM reports) AS oldest`)
      .get() as { created: number | null; oldest: number | null };
    const candidates = [row.created, row.oldest].filter((v): v is number => typeof v === 'number');
    return candidates.length ? new Date(Math.min(...candidates)) : null;
  }

  async prune(now: Date, reportsBefore: Date): Promise<number> {
    if (this.#closed) throw new ReportStoreError('STORE_CLOSED', 'report store is closed');
    const { window } = policyKeys(this.#policy, now);
    const reply = await this.#ask({ type: 'prune', win: window, before: reportsBefore.getTime() });
    if (reply.error !== undefined) throw new ReportStoreError('STORE_UNAVAILABLE', `report store prune failed: ${reply.error}`);
    return reply.removed ?? 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Whatever was acknowledged is committed already; commit what is still queued.
    this.#pump();
    await this.#whenIdle();
    if (this.#writer) {
      const writer = this.#writer;
      await this.#ask({ type: 'close' });
      this.#writer = null;
      await writer.terminate();
    }
    if (this.#checkpointer) {
      const checkpointer = this.#checkpointer;
      this.#checkpointer = null;
      // Keep the process alive until the checkpointer has closed its connection (an unref'd
      // worker and nothing else pending would let the process exit in the middle of close()).
      checkpointer.ref();
      const exited = new Promise<void>((resolve) => checkpointer.once('exit', () => resolve()));
      checkpointer.postMessage('close');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      await checkpointer.terminate();
    }
    this.#db.close();
  }
}
