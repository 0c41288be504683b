/**
 * The embedded report store: node:sqlite in WAL mode with `synchronous=FULL`, one file
 * (`data/reports.db`, mode 0600, out of git).
 *
 * Group commit: `add` queues the report; one transaction per event-loop turn applies the rate
 * limit, duplicate suppression and insert for everything queued, commits (fsync of the WAL), and
 * only then resolves each caller. A process killed at any moment loses no acknowledged report.
 * node:sqlite is synchronous, so a batch never interleaves with another one in this process.
 */
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { ServiceId } from '../domain/services.ts';
import { isServiceId } from '../domain/services.ts';
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
CREATE TABLE IF NOT EXISTS report_rate (
  client TEXT NOT NULL, minute INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (client, minute)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS report_rate_minute ON report_rate (minute);
CREATE TABLE IF NOT EXISTS report_dedup (
  client TEXT NOT NULL, service TEXT NOT NULL, win INTEGER NOT NULL, PRIMARY KEY (client, service, win)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS report_dedup_win ON report_dedup (win);
`;

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
}

export class SqliteReportStore implements ReportStore {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  readonly #db: DatabaseSync;
  readonly #policy: ReportPolicy;
  readonly #maxBatch: number;
  readonly #rate: StatementSync;
  readonly #dedup: StatementSync;
  readonly #insert: StatementSync;
  readonly #pruneRate: StatementSync;
  readonly #pruneDedup: StatementSync;
  #queue: Pending[] = [];
  #scheduled = false;
  #closed = false;
  #prunedMinute = 0;
  /** Transactions committed so far (for tests and the benchmark). */
  commits = 0;

  private constructor(file: string, policy: ReportPolicy, options: SqliteStoreOptions) {
    this.file = file;
    this.#policy = policy;
    this.#maxBatch = options.maxBatch ?? 2000;
    mkdirSync(path.dirname(file), { recursive: true });
    // Client ids live here for up to one window: create the file private, and SQLite gives its
    // -wal and -shm files the same mode.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    try {
      this.#db = new DatabaseSync(file);
      this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
      this.#db.exec(SCHEMA);
      this.#db
        .prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('created_at', ?), ('schema_version', '1')`)
        .run(String((options.now ?? (() => new Date()))().getTime()));
    } catch (cause) {
      throw new ReportStoreError('STORE_SCHEMA', `${file}: cannot open report store: ${(cause as Error).message}`, { cause });
    }
    this.#rate = this.#db.prepare(
      `INSERT INTO report_rate (client, minute, n) VALUES (?, ?, 1)
       ON CONFLICT (client, minute) DO UPDATE SET n = n + 1 RETURNING n`,
    );
    this.#dedup = this.#db.prepare(
      `INSERT INTO report_dedup (client, service, win) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1 AS fresh`,
    );
    this.#insert = this.#db.prepare(
      `INSERT INTO reports (service, problem_type, code, received_at) VALUES (?, ?, ?, ?) RETURNING id`,
    );
    this.#pruneRate = this.#db.prepare(`DELETE FROM report_rate WHERE minute < ?`);
    this.#pruneDedup = this.#db.prepare(`DELETE FROM report_dedup WHERE win < ?`);
  }

  /** Opens (and creates) the store at `file`. Throws ReportStoreError (`STORE_SCHEMA`). */
  static open(file: string, policy: ReportPolicy, options: SqliteStoreOptions = {}): SqliteReportStore {
    return new SqliteReportStore(file, policy, options);
  }

  add(report: NewReport): Promise<AddResult> {
    if (this.#closed) return Promise.reject(new ReportStoreError('STORE_CLOSED', 'report store is closed'));
    return new Promise<AddResult>((resolve, reject) => {
      this.#queue.push({ report, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // Everything queued during this event-loop turn joins one transaction.
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#commit(batch);
    }
  }

  #commit(batch: Pending[]): void {
    const results: AddResult[] = [];
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      for (const { report } of batch) results.push(this.#apply(report));
      this.#pruneWindows(batch[batch.length - 1]!.report.receivedAt);
      this.#db.exec('COMMIT');
      this.commits++;
    } catch (cause) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      const err = new ReportStoreError('STORE_UNAVAILABLE', `report store commit failed: ${(cause as Error).message}`, { cause });
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
  }

  #apply(report: NewReport): AddResult {
    const { minute, window, retryAfter } = policyKeys(this.#policy, report.receivedAt);
    const { n } = this.#rate.get(report.clientId, minute) as { n: number };
    if (n > this.#policy.rateLimitPerMinute) return { accepted: false, duplicate: false, retryAfter };
    const fresh = this.#dedup.get(report.clientId, report.service, window);
    if (!fresh) return { accepted: false, duplicate: true };
    const row = this.#insert.get(report.service, report.problemType, report.code, report.receivedAt.getTime()) as { id: number };
    return { accepted: true, duplicate: false, id: String(row.id) };
  }

  /** Drops rate counters and dedup keys that can no longer matter (inside the open transaction). */
  #pruneWindows(at: Date): void {
    const { minute, window } = policyKeys(this.#policy, at);
    if (minute <= this.#prunedMinute) return;
    this.#prunedMinute = minute;
    this.#pruneRate.run(minute - 1);
    this.#pruneDedup.run(window - 1);
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
    const { minute, window } = policyKeys(this.#policy, now);
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#pruneRate.run(minute - 1);
      this.#pruneDedup.run(window - 1);
      const { changes } = this.#db.prepare(`DELETE FROM reports WHERE received_at < ?`).run(reportsBefore.getTime());
      this.#db.exec('COMMIT');
      return Number(changes);
    } catch (cause) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw new ReportStoreError('STORE_UNAVAILABLE', `report store prune failed: ${(cause as Error).message}`, { cause });
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    this.#db.close();
  }
}
