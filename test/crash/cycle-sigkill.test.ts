/**
 * Crash safety of the cycle: the real cycle CLI (`node scrapers/cli.ts scrape`) runs as a child
 * process against local fixture servers whose content changes every round (a new official post,
 * new Azure incidents), and is killed with SIGKILL at a random moment after its
 * first write — while it appends signals and replaces crowd, incident, health, observation, hosts
 * and status files. After every kill:
 *   - every record in data/ is still valid and loadable (incidents, signals, source health,
 *     status, observations, crowd data, hosts.json);
 *   - nothing stored before the killed cycle is missing;
 *   - the next cycle (same code, in process) takes over the dead owner's lock and completes, and
 *     afterwards nothing is missing either (neither what was stored before nor what the killed
 *     cycle managed to write).
 * Two lanes (separate data directories) run side by side to use both cores.
 */
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCycle } from '../../scrapers/cycle.ts';
import { createHttpClient } from '../../scrapers/http/client.ts';
import { readObservations } from '../../scrapers/status/observation-store.ts';
import { startFixtureServer, type FixtureServer } from '../../scrapers/testing/fixture-server.ts';
import { parseConfig } from '../../src/config/load.ts';
import { crowdFile, readCrowdData } from '../../src/reports/crowd-data.ts';
import { dataPaths } from '../../src/store/data-store.ts';
import { expectNothingLost, resolveAnyAdapter, snapshot, type Snapshot } from '../support/fault-world.ts';
import { azureFeed, statusPost } from './content.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'scrapers/cli.ts');
const LANES = 2;
const KILLS_PER_LANE = 25;
const T0 = Date.parse('2026-11-24T06:00:00.000Z');
const MINUTE = 60_000;

interface Lane {
  n: number;
  dir: string;
  dataDir: string;
  configFile: string;
  rawConfig: Record<string, unknown>;
  servers: FixtureServer[];
  /** Serves round `k`'s content. */
  publish(k: number, at: Date): void;
}

type KillPhase = 'before-writes' | 'during-writes' | 'after-writes';
const phases: Record<KillPhase, number> = { 'before-writes': 0, 'during-writes': 0, 'after-writes': 0 };
let strayTempFiles = 0;

async function createLane(n: number): Promise<Lane> {
  const dir = await mkdtemp(path.join(tmpdir(), `or-crash-${n}-`));
  const dataDir = path.join(dir, 'data');
  // One server per source: each real source is its own host.
  const scm = await startFixtureServer();
  const azure = await startFixtureServer();
  const rawConfig = {
    dataDir: 'data',
    site: { blindAfterMinutes: 20 },
    http: { deadlineMs: 10_000, headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, retries: 0 },
    sources: [
      { id: 'scm-mac', adapter: 'status-cloud-microsoft-posts', url: scm.url('/api/posts/mac'), intervalMinutes: 5, services: ['exchange-online', 'teams'] },
      { id: 'azure-status', adapter: 'azure-status-rss', url: azure.url('/en-us/status/feed/'), intervalMinutes: 5 },
    ],
  };
  await mkdir(dataDir, { recursive: true });
  const configFile = path.join(dir, 'outage-radar.config.json');
  await writeFile(configFile, JSON.stringify(rawConfig, null, 2));
  return {
    n,
    dir,
    dataDir,
    configFile,
    rawConfig,
    servers: [scm, azure],
    publish(k, at) {
      scm.set('/api/posts/mac', { body: JSON.stringify(statusPost(k, at)), contentType: 'application/json; charset=utf-8', etag: 'auto' });
      azure.set('/en-us/status/feed/', { body: azureFeed(k, at), contentType: 'application/rss+xml', etag: 'auto' });
    },
  };
}

/** Every record in data/ read and validated, plus the files the cycle keeps outside the domain schemas. */
async function loadEverything(dataDir: string): Promise<Snapshot> {
  const snap = await snapshot(dataDir);
  await readObservations(dataDir);
  await readCrowdData(dataDir);
  const hosts = await readFile(path.join(dataDir, 'hosts.json'), 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
  if (hosts !== null) JSON.parse(hosts);
  return snap;
}

/**
 * Runs the CLI and watches the data directory; once the cycle writes its first record (the lock
 * file aside), kills it after `delayMs` (null: let it finish). Returns when it is gone.
 */
function runCli(lane: Lane, at: Date, delayMs: number | null): Promise<{ killed: boolean; code: number | null; writeStartMs: number | null; statusMs: number | null; exitMs: number; stderr: string }> {
  const started = performance.now();
  // Node's compile cache: the children start twice as fast, so the time goes into cycles, not parsing.
  const env: NodeJS.ProcessEnv = { ...process.env, OUTAGE_RADAR_LOG_LEVEL: 'warn', NODE_COMPILE_CACHE: path.join(tmpdir(), 'outage-radar-node-cache') };
  delete env.OUTAGE_RADAR_DATA_DIR;
  let writeStartMs: number | null = null;
  let statusMs: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  const child = spawn(process.execPath, [CLI, 'scrape', '--config', lane.configFile, '--data', lane.dataDir, '--now', at.toISOString()], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const watcher = watch(lane.dataDir, { recursive: true }, (_event, name) => {
    // The lock is taken at the start; reports.db is SQLite's own (write-ahead log) business.
    if (!name || path.basename(name) === '.cycle.lock' || path.basename(name).startsWith('reports.db')) return;
    const t = performance.now() - started;
    if (name === 'status.json') statusMs ??= t;
    if (writeStartMs !== null) return;
    writeStartMs = t;
    if (delayMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      watcher.close();
      if (timer) clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code, writeStartMs, statusMs, exitMs: performance.now() - started, stderr });
    });
  });
}

async function countTempFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => /(^|\/)\..*\.tmp$/.test(e)).length;
}

/** The next cycle, in process: same config, same data directory, a fresh HTTP client. */
async function completeCycle(lane: Lane, at: Date) {
  const config = parseConfig(lane.rawConfig, lane.configFile, {});
  const offset = at.getTime() - Date.now();
  const http = createHttpClient({ config: config.http, hostsFile: path.join(lane.dataDir, 'hosts.json'), clock: () => new Date(Date.now() + offset) });
  try {
    return await runCycle({ config, now: at, http, env: {}, adapters: resolveAnyAdapter });
  } finally {
    await http.close();
  }
}

function classify(before: Snapshot, after: Snapshot, mtimes: { status: [number, number]; crowd: [number, number] }): KillPhase {
  if (mtimes.status[0] !== mtimes.status[1]) return 'after-writes';
  const changed =
    mtimes.crowd[0] !== mtimes.crowd[1] ||
    after.signals.length !== before.signals.length ||
    JSON.stringify(after.incidents) !== JSON.stringify(before.incidents) ||
    [...after.health.values()].some((h) => JSON.stringify(h) !== JSON.stringify(before.health.get(h.id)));
  return changed ? 'during-writes' : 'before-writes';
}

const mtimeOf = (file: string) => stat(file).then((s) => s.mtimeMs, () => 0);

async function runLane(lane: Lane): Promise<void> {
  // Round 0 completes (through the CLI) and tells how long a cycle writes: first record to status.json.
  lane.publish(0, new Date(T0));
  const first = await runCli(lane, new Date(T0), null);
  expect(first.code, first.stderr).toBe(0);
  const spanOf = (r: { writeStartMs: number | null; statusMs: number | null; exitMs: number }) => (r.statusMs ?? r.exitMs) - (r.writeStartMs ?? 0);
  let window = spanOf(first);
  let committed = await loadEverything(lane.dataDir);

  for (let k = 1; k <= KILLS_PER_LANE; k++) {
    const at = new Date(T0 + k * 10 * MINUTE);
    lane.publish(k, at);
    const statusBefore = await mtimeOf(dataPaths(lane.dataDir).status);
    const crowdBefore = await mtimeOf(crowdFile(lane.dataDir));
    // Uniform over the write phase, a little past its end (the status write and exit).
    const delay = Math.random() * window * 1.1;
    const run = await runCli(lane, at, delay);
    if (!run.killed) {
      // It finished before the kill: a complete cycle (and a hint that the window is too wide).
      expect(run.code, run.stderr).toBe(0);
      window = 0.7 * window + 0.3 * spanOf(run);
    }

    // Right after the kill: everything loads, nothing stored before is missing.
    const crashed = await loadEverything(lane.dataDir);
    expectNothingLost(committed, crashed);
    const mtimes = { status: [statusBefore, await mtimeOf(dataPaths(lane.dataDir).status)] as [number, number], crowd: [crowdBefore, await mtimeOf(crowdFile(lane.dataDir))] as [number, number] };
    phases[run.killed ? classify(committed, crashed, mtimes) : 'after-writes']++;
    strayTempFiles = Math.max(strayTempFiles, await countTempFiles(lane.dataDir));

    // The next cycle takes over the dead owner's lock, completes, and keeps everything.
    const report = await completeCycle(lane, new Date(at.getTime() + 5 * MINUTE));
    expect(report.sources.filter((s) => s.outcome === 'failed').map((s) => `${s.id}: ${s.error?.code} ${s.error?.message}`)).toEqual([]);
    const after = await loadEverything(lane.dataDir);
    expectNothingLost(committed, after);
    expectNothingLost(crashed, after);
    await expect(stat(dataPaths(lane.dataDir).lock)).rejects.toMatchObject({ code: 'ENOENT' });
    committed = after;
  }
  // The rounds made history: official incidents and press evidence accumulated across the kills.
  expect(committed.incidents.length).toBeGreaterThan(KILLS_PER_LANE);
}

const lanes: Lane[] = [];
beforeAll(async () => {
  for (let n = 0; n < LANES; n++) lanes.push(await createLane(n));
});
afterAll(async () => {
  await Promise.all(lanes.flatMap((l) => l.servers.map((s) => s.close())));
  await Promise.all(lanes.map((l) => rm(l.dir, { recursive: true, force: true })));
});

describe('SIGKILL during a cycle', () => {
  test(`${LANES * KILLS_PER_LANE} kills at random moments: data stays valid, the next cycle completes, nothing is lost`, async () => {
    await Promise.all(lanes.map(runLane));
    // Most kills must hit the writes, or this test proves little: report where they landed.
    process.stderr.write(`crash suite: kills ${JSON.stringify(phases)}; most stray temp files at once: ${strayTempFiles}\n`);
    expect(phases['during-writes']).toBeGreaterThanOrEqual(Math.ceil(LANES * KILLS_PER_LANE * 0.2));
  }, 240_000);
});
