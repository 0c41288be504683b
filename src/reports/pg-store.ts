/**
 * The report store on PostgreSQL, for operators who run several app nodes behind a load balancer.
 * Chosen when OUTAGE_RADAR_REPORTS_DATABASE_URL is set (see open-store.ts).
 *
 * Each `add` is ONE statement (data-modifying CTEs, so one atomic transaction): it bumps the
 * client's counter row for the current minute with INSERT … ON CONFLICT DO UPDATE, claims the
 * (client, service, window) key with INSERT … ON CONFLICT DO NOTHING only while under the limit, and
 * inserts the report only if it claimed the key. Row locks on the counter and the unique key make
 * concurrent nodes serialise exactly where they must, so limits and dedup hold across nodes. With
 * PostgreSQL's default `synchronous_commit = on`, the statement returns after the commit is durable.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
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

export interface PgStoreOptions {
  /** PostgreSQL schema holding the tables (created when missing). */
  schema?: string;
  /** Connections per node. */
  poolSize?: number;
  now?: () => Date;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function schemaSql(s: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.reports (
  id bigserial PRIMARY KEY,
  service text NOT NULL,
  problem_type text NOT NULL,
  code text,
  received_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_service_time ON ${s}.reports (service, received_at);
CREATE INDEX IF NOT EXISTS reports_time ON ${s}.reports (received_at);
CREATE TABLE IF NOT EXISTS ${s}.report_rate (
  client text NOT NULL, minute bigint NOT NULL, n integer NOT NULL, PRIMARY KEY (client, minute)
);
CREATE INDEX IF NOT EXISTS report_rate_minute ON ${s}.report_rate (minute);
CREATE TABLE IF NOT EXISTS ${s}.report_dedup (
  client text NOT NULL, service text NOT NULL, win bigint NOT NULL, PRIMARY KEY (client, service, win)
);
CREATE INDEX IF NOT EXISTS report_dedup_win ON ${s}.report_dedup (win);
`;
}

export class PgReportStore implements ReportStore {
  readonly kind = 'postgres' as const;
  readonly schema: string;
  readonly #pool: pg.Pool;
  readonly #policy: ReportPolicy;
  readonly #addSql: string;
  #closed = false;
  #prunedMinute = 0;
  /** Last error of an idle pooled connection (the pool replaces it; kept for diagnostics). */
  lastIdleError: Error | null = null;

  private constructor(pool: pg.Pool, policy: ReportPolicy, schema: string) {
    this.#pool = pool;
    // An idle connection that drops must not crash the process; the next query opens a new one.
    pool.on('error', (err) => {
      this.lastIdleError = err;
    });
    this.#policy = policy;
    this.schema = schema;
    const s = schema;
    this.#addSql = `
WITH rl AS (
  INSERT INTO ${s}.report_rate AS r (client, minute, n) VALUES ($1, $2::bigint, 1)
  ON CONFLICT (client, minute) DO UPDATE SET n = r.n + 1
  RETURNING n
), dd AS (
  INSERT INTO ${s}.report_dedup (client, service, win)
  SELECT $1, $3, $4::bigint FROM rl WHERE rl.n <= $5::integer
  ON CONFLICT DO NOTHING
  RETURNING 1 AS fresh
), ins AS (
  INSERT INTO ${s}.reports (service, problem_type, code, received_at)
  SELECT $3, $6, $7, $8::bigint FROM dd
  RETURNING id
)
SELECT (SELECT n FROM rl) AS n, (SELECT id FROM ins)::text AS id`;
  }

  /**
   * Connects and creates the schema when missing (under an advisory lock, so nodes starting
   * together do not race). Throws ReportStoreError (`STORE_SCHEMA`) when the server is unreachable.
   */
  static async open(url: string, policy: ReportPolicy, options: PgStoreOptions = {}): Promise<PgReportStore> {
    const schema = options.schema ?? 'outage_radar';
    if (!SCHEMA_NAME.test(schema)) throw new ReportStoreError('STORE_SCHEMA', `invalid PostgreSQL schema name: ${schema}`);
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
    const now = (options.now ?? (() => new Date()))();
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('outage-radar/report-schema'))`);
      await client.query(schemaSql(schema));
      await client.query(
        `INSERT INTO ${schema}.meta (key, value) VALUES ('created_at', $1), ('schema_version', '1'), ('secret', $2)
         ON CONFLICT (key) DO NOTHING`,
        [String(now.getTime()), randomBytes(32).toString('hex')],
      );
      await client.query('COMMIT');
    } catch (cause) {
      // Destroying the connection discards the open transaction; no ROLLBACK round trip needed.
      client?.release(true);
      await pool.end();
      throw new ReportStoreError('STORE_SCHEMA', `cannot prepare PostgreSQL report store: ${(cause as Error).message}`, { cause });
    }
    client.release();
    return new PgReportStore(pool, policy, schema);
  }

  async #query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.#closed) throw new ReportStoreError('STORE_CLOSED', 'report store is closed');
    try {
      return await this.#pool.query<R>(sql, params);
    } catch (cause) {
      throw new ReportStoreError('STORE_UNAVAILABLE', `PostgreSQL report store: ${(cause as Error).message}`, { cause });
    }
  }

  async add(report: NewReport): Promise<AddResult> {
    const { minute, window, retryAfter } = policyKeys(this.#policy, report.receivedAt);
    const { rows } = await this.#query<{ n: number; id: string | null }>(this.#addSql, [
      report.clientId,
      minute,
      report.service,
      window,
      this.#policy.rateLimitPerMinute,
      report.problemType,
      report.code,
      report.receivedAt.getTime(),
    ]);
    if (minute > this.#prunedMinute) {
      this.#prunedMinute = minute;
      await this.#pruneWindows(report.receivedAt);
    }
    const row = rows[0]!;
    if (row.n > this.#policy.rateLimitPerMinute) return { accepted: false, duplicate: false, retryAfter };
    if (row.id === null) return { accepted: false, duplicate: true };
    return { accepted: true, duplicate: false, id: row.id };
  }

  async #pruneWindows(at: Date): Promise<void> {
    const { minute, window } = policyKeys(this.#policy, at);
    await this.#query(`DELETE FROM ${this.schema}.report_rate WHERE minute < $1::bigint`, [minute - 1]);
    await this.#query(`DELETE FROM ${this.schema}.report_dedup WHERE win < $1::bigint`, [window - 1]);
  }

  async countsByBucket(service: ServiceId, from: Date, to: Date, bucketMinutes: number): Promise<BucketCounts> {
    const start = alignToBucket(from, bucketMinutes);
    const counts = new Array<number>(bucketCount(from, to, bucketMinutes)).fill(0);
    const { rows } = await this.#query<{ b: string; n: string }>(
      `SELECT (received_at - $1::bigint) / $2::bigint AS b, count(*) AS n FROM ${this.schema}.reports
       WHERE service = $3 AND received_at >= $1::bigint AND received_at < $4::bigint GROUP BY b`,
      [start.getTime(), bucketMinutes * 60_000, service, to.getTime()],
    );
    for (const r of rows) {
      const b = Number(r.b);
      if (b >= 0 && b < counts.length) counts[b] = Number(r.n);
    }
    return { from: start, bucketMinutes, counts };
  }

  async aggregate(from: Date, to: Date): Promise<Partial<Record<ServiceId, ReportAggregate>>> {
    const out: Partial<Record<ServiceId, ReportAggregate>> = {};
    const range = [from.getTime(), to.getTime()];
    const types = await this.#query<{ service: string; k: string; n: string }>(
      `SELECT service, problem_type AS k, count(*) AS n FROM ${this.schema}.reports
       WHERE received_at >= $1::bigint AND received_at < $2::bigint GROUP BY service, problem_type`,
      range,
    );
    const codes = await this.#query<{ service: string; k: string; n: string }>(
      `SELECT service, code AS k, count(*) AS n FROM ${this.schema}.reports
       WHERE received_at >= $1::bigint AND received_at < $2::bigint AND code IS NOT NULL GROUP BY service, code`,
      range,
    );
    for (const r of types.rows) {
      if (!isServiceId(r.service)) continue;
      const agg = (out[r.service] ??= emptyAggregate());
      agg.count += Number(r.n);
      agg.problemTypes[r.k as ProblemType] = Number(r.n);
    }
    for (const r of codes.rows) {
      if (!isServiceId(r.service)) continue;
      (out[r.service] ??= emptyAggregate()).codes[r.k] = Number(r.n);
    }
    return out;
  }

  recentAggregate(now: Date): Promise<Partial<Record<ServiceId, ReportAggregate>>> {
    return this.aggregate(new Date(now.getTime() - 3_600_000), new Date(now.getTime() + 1));
  }

  async coverageStart(): Promise<Date | null> {
    const { rows } = await this.#query<{ created: string | null; oldest: string | null }>(
      `SELECT (SELECT value FROM ${this.schema}.meta WHERE key = 'created_at') AS created,
              (SELECT min(received_at) FROM ${this.schema}.reports)::text AS oldest`,
    );
    const candidates = [rows[0]?.created, rows[0]?.oldest].filter((v): v is string => typeof v === 'string').map(Number);
    return candidates.length ? new Date(Math.min(...candidates)) : null;
  }

  async prune(now: Date, reportsBefore: Date): Promise<number> {
    await this.#pruneWindows(now);
    const { rowCount } = await this.#query(`DELETE FROM ${this.schema}.reports WHERE received_at < $1::bigint`, [
      reportsBefore.getTime(),
    ]);
    return rowCount ?? 0;
  }

  async sharedSecret(): Promise<string> {
    const { rows } = await this.#query<{ value: string }>(`SELECT value FROM ${this.schema}.meta WHERE key = 'secret'`);
    const secret = rows[0]?.value;
    if (!secret) throw new ReportStoreError('STORE_SCHEMA', `${this.schema}.meta has no secret row`);
    return secret;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}
