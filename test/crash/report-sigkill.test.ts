/**
 * Crash safety of crowd reports, repeated: a process serving /api/reports (the runtime and node:http
 * fast path `npm start` uses, SQLite store with group commit) takes reports from 32 concurrent
 * clients and is killed with SIGKILL at a random moment, then restarted on the same database —
 * again and again. Every report that got a 202 must be in the database afterwards; the database
 * stays readable and the restarted process keeps accepting. (test/reports/store.test.ts kills a
 * bare store once; this goes through HTTP, many times.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SERVICE_IDS } from '../../src/domain/services.ts';
import { PROBLEM_TYPES } from '../../src/domain/vocabulary.ts';

const CHILD = path.join(import.meta.dirname, 'fixtures/report-server.ts');
const ROUNDS = 10;
const CLIENTS = 32;

let dir: string;
let configFile: string;
let dbFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'or-crash-reports-'));
  configFile = path.join(dir, 'outage-radar.config.json');
  dbFile = path.join(dir, 'data', 'reports.db');
  await writeFile(configFile, JSON.stringify({ dataDir: 'data', sources: [], reports: { rateLimitPerMinute: 1000 } }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The n-th report: a unique bounce code (5.x.y) makes it findable in the database. */
function reportBody(n: number): { body: string; code: string } {
  const code = `5.${Math.floor(n / 1000)}.${n % 1000}`;
  return { code, body: JSON.stringify({ service: SERVICE_IDS[n % SERVICE_IDS.length], problemType: PROBLEM_TYPES[n % PROBLEM_TYPES.length], code }) };
}

async function startChild(): Promise<{ child: ChildProcess; port: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, OUTAGE_RADAR_TRUST_PROXY: '1', OUTAGE_RADAR_REPORT_SECRET: 'crash-suite-secret-0123456789', OUTAGE_RADAR_LOG_LEVEL: 'error', NODE_COMPILE_CACHE: path.join(tmpdir(), 'outage-radar-node-cache') };
  delete env.OUTAGE_RADAR_REPORTS_DATABASE_URL;
  delete env.OUTAGE_RADAR_DATA_DIR;
  const child = spawn(process.execPath, [CHILD, configFile], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`report server exited early (${code})`)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  return { child, port };
}

describe('SIGKILL while acknowledging reports', () => {
  test(`${ROUNDS} kills at random moments: every acknowledged report is stored`, async () => {
    const acked = new Set<string>();
    let next = 0;
    let failedInFlight = 0;
    const refused: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { child, port } = await startChild();
      const origin = `http://127.0.0.1:${port}`;
      const pool = new Pool(origin, { connections: CLIENTS });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      let stop = false;
      const client = async () => {
        while (!stop) {
          const n = next++;
          const { body, code } = reportBody(n);
          try {
            const res = await pool.request({
              method: 'POST',
              path: '/api/reports',
              headers: { 'content-type': 'application/json', origin, 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` },
              body,
            });
            const text = await res.body.text();
            // Acknowledged means: the client saw the 202 (the store committed before answering).
            if (res.statusCode === 202) acked.add(code);
            else refused.push(`report ${n}: ${res.statusCode} ${text}`);
          } catch {
            // The connection died with the process: not acknowledged, so nothing is promised.
            failedInFlight++;
            return;
          }
        }
      };
      const before = acked.size;
      const clients = Array.from({ length: CLIENTS }, client);
      // Killed after a random number of acknowledgements (so the load really ran, however slow the
      // machine), plus a random few milliseconds: mid-batch, mid-commit or mid-answer.
      const target = before + 20 + Math.floor(Math.random() * 150);
      for (let waited = 0; acked.size < target && waited < 30_000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
      child.kill('SIGKILL');
      await exited;
      stop = true;
      await Promise.all(clients);
      await pool.destroy();
    }
    expect(refused).toEqual([]);
    expect(acked.size).toBeGreaterThanOrEqual(ROUNDS * 20);

    const db = new DatabaseSync(dbFile, { readOnly: true });
    try {
      expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      const stored = new Set((db.prepare('SELECT code FROM reports').all() as { code: string }[]).map((r) => r.code));
      expect([...acked].filter((c) => !stored.has(c))).toEqual([]);
      // More may be stored than acknowledged (committed, killed before the answer), never fewer.
      expect(stored.size).toBeGreaterThanOrEqual(acked.size);
    } finally {
      db.close();
    }
    process.stderr.write(`report crash suite: ${acked.size} acknowledged over ${ROUNDS} kills, ${failedInFlight} requests cut off in flight\n`);

    // And the intake opens again on that database and accepts.
    const { child, port } = await startChild();
    try {
      const pool = new Pool(`http://127.0.0.1:${port}`);
      const { body } = reportBody(next++);
      const res = await pool.request({ method: 'POST', path: '/api/reports', headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}`, 'x-forwarded-for': '192.0.2.1' }, body });
      expect(res.statusCode, await res.body.text()).toBe(202);
      await pool.close();
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
