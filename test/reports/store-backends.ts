/**
 * The report store backends the shared suite runs against: node:sqlite always, PostgreSQL when
 * OUTAGE_RADAR_TEST_PG_URL names a server (`.ci/run` starts a throwaway cluster and sets it).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PgReportStore } from '../../src/reports/pg-store.ts';
import type { ReportPolicy } from '../../src/reports/report.ts';
import { SqliteReportStore } from '../../src/reports/sqlite-store.ts';
import type { ReportStore } from '../../src/reports/store.ts';

export const PG_URL = process.env.OUTAGE_RADAR_TEST_PG_URL;

/** One database that several store instances ("app nodes") can open. */
export interface TestDatabase {
  /** Opens one more node on this database. */
  open(policy: ReportPolicy, now?: () => Date): Promise<ReportStore>;
  /** Where a child process finds it: `sqlite:<file>`, `sqlite-normal:<file>` or `postgres:<schema>`. */
  locator: string;
  drop(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'sqlite (synchronous=normal)' | 'postgres';
  create(): Promise<TestDatabase>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async create() {
    const dir = await mkdtemp(path.join(tmpdir(), 'or-reports-'));
    const file = path.join(dir, 'reports.db');
    return {
      locator: `sqlite:${file}`,
      open: async (policy, now) => SqliteReportStore.open(file, policy, { now }),
      drop: async () => undefined,
    };
  },
};

/** The same store with `reports.sqliteSynchronous: 'normal'`: still no loss when the process dies. */
const sqliteNormal: Backend = {
  name: 'sqlite (synchronous=normal)',
  async create() {
    const dir = await mkdtemp(path.join(tmpdir(), 'or-reports-'));
    const file = path.join(dir, 'reports.db');
    return {
      locator: `sqlite-normal:${file}`,
      open: async (policy, now) => SqliteReportStore.open(file, policy, { now, synchronous: 'normal' }),
      drop: async () => undefined,
    };
  },
};

const postgres: Backend = {
  name: 'postgres',
  async create() {
    const schema = `or_test_${randomBytes(6).toString('hex')}`;
    return {
      locator: `postgres:${schema}`,
      open: (policy, now) => PgReportStore.open(PG_URL!, policy, { schema, now, poolSize: 8 }),
      drop: async () => {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    };
  },
};

export const BACKENDS: Backend[] = PG_URL ? [sqlite, sqliteNormal, postgres] : [sqlite, sqliteNormal];
