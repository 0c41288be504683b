import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { NewReport } from '../../src/reports/report.ts';
import { SqliteReportStore } from '../../src/reports/sqlite-store.ts';

const POLICY = { dedupWindowMinutes: 60, rateLimitPerMinute: 10 };
let dir: string;
let file: string;
const children: ChildProcess[] = [];
const stores: SqliteReportStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'or-sqlite-writer-'));
  file = path.join(dir, 'reports.db');
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const s of stores.splice(0)) await s.close();
  await rm(dir, { recursive: true, force: true });
});

function open(options: Parameters<typeof SqliteReportStore.open>[2] = {}): SqliteReportStore {
  const store = SqliteReportStore.open(file, POLICY, options);
  stores.push(store);
  return store;
}

function report(over: Partial<NewReport> = {}): NewReport {
  return { service: 'outlook-com', problemType: 'sign-in', code: null, clientId: 'parent', receivedAt: new Date(), ...over };
}

/** Starts a child that writes the store (holding the writer lock) and waits. */
async function startWriterChild(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'fixtures/writer-child.ts'), file], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`writer child exited early (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready true')) resolve();
    });
  });
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

test('a second process cannot write a store another live process writes, but can read and prune it; it can once the first closed', async () => {
  const child = await startWriterChild();
  const store = open();
  await expect(store.add(report())).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining(`process ${child.pid} writes this report store`) });
  // Reads and pruning need no writer lock (a `npm run scrape` cycle next to `npm start`).
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  expect((await store.countsByBucket('teams', hour, new Date(hour.getTime() + 3_600_000), 60)).counts).toEqual([1]);
  expect(await store.prune(new Date(), new Date(0))).toBe(0);
  child.stdin!.write('close\n');
  await exited(child);
  expect(existsSync(`${file}-writer`)).toBe(false);
  expect((await store.add(report())).accepted).toBe(true);
  // The child's report still counts for its client: the window was read back from the file.
  expect(await store.add(report({ clientId: 'child', service: 'teams' }))).toEqual({ accepted: false, duplicate: true });
});

test('the writer lock of a killed process is taken over', async () => {
  const child = await startWriterChild();
  child.kill('SIGKILL');
  await exited(child);
  expect(Number(await readFile(`${file}-writer`, 'utf8'))).toBe(child.pid);
  const store = open();
  expect((await store.add(report())).accepted).toBe(true);
  expect(Number(await readFile(`${file}-writer`, 'utf8'))).toBe(process.pid);
  await store.close();
  stores.splice(stores.indexOf(store), 1);
  expect(existsSync(`${file}-writer`)).toBe(false);
});

test('stores on one file in one process share one ledger and one writer', async () => {
  const a = open();
  const b = open();
  const results = await Promise.all([a.add(report()), b.add(report()), b.add(report()), a.add(report({ service: 'teams' }))]);
  expect(results.map((r) => (r.accepted ? 'accepted' : r.duplicate ? 'duplicate' : 'limited'))).toEqual(['accepted', 'duplicate', 'duplicate', 'accepted']);
  await a.close();
  stores.splice(stores.indexOf(a), 1);
  // b keeps writing (and holding the lock) after a closed.
  expect((await b.add(report({ clientId: 'other' }))).accepted).toBe(true);
  expect(existsSync(`${file}-writer`)).toBe(true);
});

test('past maxClients in one window, reports of new clients are refused (503), known clients are still judged', async () => {
  const store = open({ maxClients: 2 });
  expect((await store.add(report({ clientId: 'a' }))).accepted).toBe(true);
  expect((await store.add(report({ clientId: 'b' }))).accepted).toBe(true);
  await expect(store.add(report({ clientId: 'c' }))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('tracks 2 clients') });
  expect(await store.add(report({ clientId: 'a' }))).toEqual({ accepted: false, duplicate: true });
  expect((await store.add(report({ clientId: 'b', service: 'teams' }))).accepted).toBe(true);
});

test('a duplicate is answered only after the commit that holds its first report', async () => {
  const store = open();
  const order: string[] = [];
  const first = store.add(report()).then((r) => order.push(`first ${r.accepted}`));
  // The first report's batch is on its way to the writer; the duplicate goes into the next one.
  await new Promise((resolve) => setImmediate(resolve));
  const dup = store.add(report()).then((r) => order.push(`dup ${r.duplicate}`));
  await Promise.all([first, dup]);
  expect(order).toEqual(['first true', 'dup true']);
});
