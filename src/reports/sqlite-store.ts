/**
 * The embedded report store: node:sqlite in WAL mode with `synchronous=FULL` (or `NORMAL` by
 * choice: still safe when the process is killed), one file (`data/reports.db`, mode 0600, out of git).
 *
 * Rate limit and duplicate suppression are decided on the main thread by a `ClientLedger` (in
 * memory, rebuilt from the `report_seen` table when a process enters a window; see
 * client-ledger.ts). One process writes a database file at a time: the first `add` takes
 * `<file>-writer` (a pid file; a dead owner's is taken over), and a second live process gets
 * STORE_UNAVAILABLE instead of a duplicate suppression that would not hold between the two
 * (several app nodes: use PostgreSQL). Stores on one file within one process share one write side
 * (ledger, queue, writer thread).
 *
 * Group commit on a writer thread: `add` queues the counted report; every event-loop turn's
 * reports go to the writer as one batch, and the writer puts every batch that arrived while it
 * was committing into ONE transaction (report rows + seen bits), commits, and only then is each
 * caller resolved: a process killed at any moment loses no acknowledged report. A duplicate is
 * answered only once the commit holding its client's first report is done, so it never vouches
 * for a report that is not on disk yet. The main thread never waits for the disk, so it keeps
 * reading requests while a batch is committed. Reads use a second connection on the main thread
 * (WAL: readers never block the writer).
 *
 * The writer is a worker thread built from source text (`eval`), so the store also works inside
 * the bundled server, where there is no worker file to point at.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
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
import { isAlive } from '../store/files.ts';
import { ClientLedger } from './client-ledger.ts';
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
-- The services each client has reported in a dedup window (the ClientLedger's durable half):
-- append-only, one row per counted report, read back when a process enters the window.
CREATE TABLE IF NOT EXISTS report_seen (win INTEGER NOT NULL, client TEXT NOT NULL, bits INTEGER NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS report_seen_win ON report_seen (win);
`;

/**
 * Stores created before the ledger kept one upserted row per client and window
 * (`report_clients`): its bits move to `report_seen`, so the current window still holds.
 */
const MIGRATE_CLIENTS = `
INSERT INTO report_seen (win, client, bits) SELECT win, client, services FROM report_clients WHERE services != 0;
DROP TABLE report_clients;
`;

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

/** One counted report as the writer receives it (decided on the main thread). */
interface WriterItem {
  client: string;
  /** This service's bit in `report_seen.bits`. */
  bit: number;
  win: number;
  service: string;
  problemType: string;
  code: string | null;
  at: number;
}

type WriterRequest =
  /** `items`: the WriterItem[] as JSON (cheaper to send between threads than cloned objects). */
  | { type: 'batch'; id: number; items: string }
  | { type: 'prune'; id: number; win: number; before: number }
  | { type: 'close'; id: number };

/**
 * A batch's stored row ids, in order: `first` and `count` when they are consecutive (one writer
 * appending: always, in practice), else all of them in `ids`.
 */
type WriterReply = { id: number; first?: number; count?: number; ids?: number[]; removed?: number; error?: string };
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
const insert = db.prepare('INSERT INTO reports (service, problem_type, code, received_at) VALUES (?, ?, ?, ?)');
const seen = db.prepare('INSERT INTO report_seen (win, client, bits) VALUES (?, ?, ?)');
const pruneSeen = db.prepare('DELETE FROM report_seen WHERE win < ?');
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

function store(items) {
  if (items.length === 0) return [];
  return transaction(() => {
    const ids = items.map((r) => {
      seen.run(r.win, r.client, r.bit);
      return Number(insert.run(r.service, r.problemType, r.code, r.at).lastInsertRowid);
    });
    // Seen bits of past windows can no longer matter.
    const last = items[items.length - 1];
    if (last.win > prunedWin) {
      prunedWin = last.win;
      pruneSeen.run(last.win);
    }
    return ids;
  });
}

// Batches that arrive while a transaction commits wait here and then go into ONE transaction
// together: one commit (and one fsync) for all of them.
let waiting = [];
let flushing = false;
function flush() {
  flushing = false;
  if (waiting.length === 0) return;
  const batches = waiting;
  waiting = [];
  let ids;
  try {
    for (const b of batches) b.items = JSON.parse(b.items);
    ids = store(batches.length === 1 ? batches[0].items : batches.flatMap((b) => b.items));
  } catch (err) {
    for (const b of batches) parentPort.postMessage({ id: b.id, error: String(err && err.message || err) });
    return;
  }
  let at = 0;
  for (const b of batches) {
    const mine = ids.slice(at, at + b.items.length);
    at += b.items.length;
    const consecutive = mine.every((id, i) => id === mine[0] + i);
    parentPort.postMessage(consecutive ? { id: b.id, first: mine[0] ?? 0, count: mine.length } : { id: b.id, ids: mine });
  }
}

parentPort.on('message', (msg) => {
  if (msg.type === 'batch') {
    waiting.push(msg);
    if (!flushing) {
      flushing = true;
      // Runs after every message already delivered to this thread has been queued.
      setImmediate(flush);
    }
    return;
  }
  // Anything else keeps its order after the batches sent before it.
  flush();
  try {
    if (msg.type === 'prune') {
      const removed = transaction(() => {
        pruneSeen.run(msg.win - 1);
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

/**
 * Takes `<file>-writer` for this process. A live other owner → ReportStoreError; a dead one's file
 * (killed process) is taken over.
 */
function takeWriterLock(lockFile: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let pid = Number.NaN;
    try {
      pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    } catch {
      // Removed in between: try again.
    }
    if (pid === process.pid) return;
    if (Number.isFinite(pid) && pid > 0 && isAlive(pid)) {
      throw new ReportStoreError(
        'STORE_UNAVAILABLE',
        `${lockFile}: process ${pid} writes this report store; one process at a time can (several app nodes: use PostgreSQL)`,
      );
    }
    try {
      unlinkSync(lockFile);
    } catch {
      // Another process took it over first: the next attempt sees its pid.
    }
  }
  throw new ReportStoreError('STORE_UNAVAILABLE', `${lockFile}: cannot take the report store's writer lock`);
}

/** A report waiting for its batch's commit: counted (`item`) or a duplicate (null). */
interface Pending {
  item: WriterItem | null;
  resolve: (result: AddResult) => void;
  reject: (err: Error) => void;
}

export interface SqliteStoreOptions {
  /** Clock for the store's creation time (coverage start). */
  now?: () => Date;
  /** Most reports sent to the writer in one batch. */
  maxBatch?: number;
  /** Most clients tracked in one dedup window (see client-ledger.ts; default 2,000,000). */
  maxClients?: number;
  /** `full` (default): every commit reaches the disk before reports are acknowledged. */
  synchronous?: SqliteSynchronous;
}

/**
 * Everything that writes one database file in this process: the ledger, the queue, the writer
 * and checkpointer threads and the writer lock. Stores opened on the same file share it (first
 * opener's policy and settings), so their reports go through one ledger and one ordered writer.
 */
class WriteSide {
  readonly file: string;
  /** The file's real path (this side's key among the process's write sides). */
  readonly key: string;
  readonly #policy: ReportPolicy;
  readonly #maxBatch: number;
  readonly #maxClients: number | undefined;
  readonly #pragmas: string;
  /** Stores using this write side. */
  users = 0;
  #ledger: ClientLedger | null = null;
  #ledgerDb: DatabaseSync | null = null;
  #lockFile: string | null = null;
  #writer: Worker | null = null;
  #checkpointer: Worker | null = null;
  #nextId = 1;
  readonly #replies = new Map<number, (reply: WriterReply) => void>();
  #queue: Pending[] = [];
  /** Batches sent to the writer and not answered yet. */
  #inFlight = 0;
  readonly #idleWaiters: (() => void)[] = [];
  #scheduled = false;
  /** Batches with reports committed so far (merged batches share a transaction; for tests and the benchmark). */
  commits = 0;

  constructor(file: string, key: string, policy: ReportPolicy, options: SqliteStoreOptions) {
    this.file = file;
    this.key = key;
    this.#policy = policy;
    this.#maxBatch = options.maxBatch ?? 2000;
    this.#maxClients = options.maxClients;
    this.#pragmas = pragmas(options.synchronous ?? 'full');
  }

  /** Whether this side holds the file's writer lock. */
  get locked(): boolean {
    return this.#lockFile !== null;
  }

  /** The ledger, after taking the writer lock (first add). */
  #ledgerFor(): ClientLedger {
    if (this.#ledger) return this.#ledger;
    const lockFile = `${this.file}-writer`;
    takeWriterLock(lockFile);
    this.#lockFile = lockFile;
    const db = new DatabaseSync(this.file);
    this.#ledgerDb = db;
    const load = db.prepare('SELECT client, bits FROM report_seen WHERE win = ?');
    this.#ledger = new ClientLedger({
      rateLimitPerMinute: this.#policy.rateLimitPerMinute,
      load: (win) => (load.all(win) as { client: string; bits: number }[]).map((r) => [r.client, r.bits] as const),
      maxClients: this.#maxClients,
    });
    return this.#ledger;
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
    let ledger: ClientLedger;
    try {
      ledger = this.#ledgerFor();
    } catch (err) {
      return Promise.reject(err);
    }
    const { minute, window, retryAfter } = policyKeys(this.#policy, report.receivedAt);
    const bit = 2 ** SERVICE_IDS.indexOf(report.service);
    const decision = ledger.decide({ client: report.clientId, bit, minute, win: window, retryAfter });
    // Refused: nothing to store, nothing to wait for.
    if (decision.kind === 'limited') return Promise.resolve({ accepted: false, duplicate: false, retryAfter: decision.retryAfter });
    if (decision.kind === 'full') {
      return Promise.reject(
        new ReportStoreError('STORE_UNAVAILABLE', `report store tracks ${ledger.size} clients in this window already; refusing new ones until it ends`),
      );
    }
    const item: WriterItem | null =
      decision.kind === 'accept'
        ? { client: report.clientId, bit, win: decision.win, service: report.service, problemType: report.problemType, code: report.code, at: report.receivedAt.getTime() }
        : null;
    return new Promise<AddResult>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
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
   * Sends this event-loop turn's reports to the writer as one batch, at once: batches that reach
   * the writer while it commits go into its next transaction together, so the writer never idles
   * for a round trip and a report waits for at most the commit in progress and its own.
   */
  #pump(): void {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#inFlight++;
      void this.#commit(batch).finally(() => {
        this.#inFlight--;
        if (this.#inFlight === 0 && this.#queue.length === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
        this.#updateRef();
      });
    }
  }

  async #commit(batch: Pending[]): Promise<void> {
    const items: WriterItem[] = [];
    for (const p of batch) if (p.item) items.push(p.item);
    // Duplicates go through the writer too (even a batch of nothing else): it answers in order,
    // so a duplicate is answered only after the commit that holds its client's first report.
    const reply = await this.#ask({ type: 'batch', items: JSON.stringify(items) });
    const ids = reply.ids ?? (reply.first !== undefined && reply.count === items.length ? Array.from({ length: items.length }, (_, i) => reply.first! + i) : undefined);
    if (reply.error !== undefined || !ids || ids.length !== items.length) {
      const err = new ReportStoreError('STORE_UNAVAILABLE', `report store commit failed: ${reply.error ?? 'no results'}`);
      for (const p of batch) {
        // Not stored: the client may try again.
        if (p.item) this.#ledger?.forget(p.item.client, p.item.bit, p.item.win);
        p.reject(err);
      }
      return;
    }
    if (items.length > 0) this.commits++;
    let i = 0;
    for (const p of batch) p.resolve(p.item ? { accepted: true, duplicate: false, id: String(ids[i++]) } : { accepted: false, duplicate: true });
  }

  /** Resolves once nothing is queued or on its way to the writer. */
  #whenIdle(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async prune(now: Date, reportsBefore: Date): Promise<number> {
    const { window } = policyKeys(this.#policy, now);
    const reply = await this.#ask({ type: 'prune', win: window, before: reportsBefore.getTime() });
    if (reply.error !== undefined) throw new ReportStoreError('STORE_UNAVAILABLE', `report store prune failed: ${reply.error}`);
    return reply.removed ?? 0;
  }

  /** Commits what is queued, stops the threads and releases the writer lock. */
  async close(): Promise<void> {
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
    this.#ledgerDb?.close();
    this.#ledgerDb = null;
    this.#ledger = null;
    // A store opened on the file while this one closed has a side of its own that may hold the
    // lock already (same pid): then it is theirs now.
    const successor = writeSides().get(this.key);
    if (this.#lockFile && !(successor && successor !== this && successor.locked)) {
      try {
        unlinkSync(this.#lockFile);
      } catch {
        // Already gone: nothing to release.
      }
    }
    this.#lockFile = null;
  }
}

const WRITE_SIDES_KEY = Symbol.for('outage-radar.sqlite-write-sides');

/** Write sides by real path, per process (also when this module is loaded twice: bundled server and `src/`). */
function writeSides(): Map<string, WriteSide> {
  const g = globalThis as unknown as Record<symbol, Map<string, WriteSide> | undefined>;
  return (g[WRITE_SIDES_KEY] ??= new Map());
}

export class SqliteReportStore implements ReportStore {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  /** The main thread's connection: reads only. */
  readonly #db: DatabaseSync;
  readonly #side: WriteSide;
  #closed = false;

  private constructor(file: string, policy: ReportPolicy, options: SqliteStoreOptions) {
    this.file = file;
    const synchronous = options.synchronous ?? 'full';
    mkdirSync(path.dirname(file), { recursive: true });
    // Client ids live here for up to one window: create the file private, and SQLite gives its
    // -wal and -shm files the same mode.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    try {
      this.#db = new DatabaseSync(file);
      this.#db.exec(pragmas(synchronous));
      this.#db.exec(SCHEMA);
      if (this.#db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'report_clients'`).get()) {
        this.#db.exec('BEGIN IMMEDIATE');
        try {
          this.#db.exec(MIGRATE_CLIENTS);
          this.#db.exec('COMMIT');
        } catch (err) {
          this.#db.exec('ROLLBACK');
          throw err;
        }
      }
      this.#db
        .prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('created_at', ?), ('schema_version', '1')`)
        .run(String((options.now ?? (() => new Date()))().getTime()));
    } catch (cause) {
      throw new ReportStoreError('STORE_SCHEMA', `${file}: cannot open report store: ${(cause as Error).message}`, { cause });
    }
    const key = realpathSync(file);
    let side = writeSides().get(key);
    if (!side) {
      side = new WriteSide(file, key, policy, options);
      writeSides().set(key, side);
    }
    side.users++;
    this.#side = side;
  }

  /** Opens (and creates) the store at `file`. Throws ReportStoreError (`STORE_SCHEMA`). */
  static open(file: string, policy: ReportPolicy, options: SqliteStoreOptions = {}): SqliteReportStore {
    return new SqliteReportStore(file, policy, options);
  }

  /** Batches with reports committed so far by this file's writer in this process. */
  get commits(): number {
    return this.#side.commits;
  }

  add(report: NewReport): Promise<AddResult> {
    if (this.#closed) return Promise.reject(new ReportStoreError('STORE_CLOSED', 'report store is closed'));
    return this.#side.add(report);
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
    return this.#side.prune(now, reportsBefore);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (--this.#side.users === 0) {
      if (writeSides().get(this.#side.key) === this.#side) writeSides().delete(this.#side.key);
      await this.#side.close();
    }
    this.#db.close();
  }
}
