/**
 * `npm run bench:reports [-- --duration 30 --connections 50]`: load on the report endpoint.
 *
 * Builds the site into a temp dir, then drives `POST /api/reports` with wrk over loopback (every
 * request a new client via X-Forwarded-For, OUTAGE_RADAR_TRUST_PROXY=1, so every report is
 * stored), one target after another in the same run:
 *   1. trivial   — a bare node:http server doing the same parse (read body, JSON.parse, answer);
 *   2. npm start — the built server with the report fast path in front of Astro's handler, as
 *                  `npm start` mounts it (src/reports/http.ts), node:sqlite with group commit,
 *                  with the default `reports.sqliteSynchronous: 'full'` and again with `'normal'`;
 *                  and once more with the database on tmpfs (no disk cost: what the code costs);
 *   3. astro     — the built standalone server alone (`dist/server/entry.mjs`, the Astro route).
 * Prints reports/s, p50/p99 latency, the ratio to the trivial server, and acknowledged (2xx) vs
 * stored counts (read from reports.db after the server stopped). Targets for the served path (2,
 * default settings): ≥ 0.5× the trivial rate, p99 ≤ 50 ms, 0 lost. A synced commit costs what the
 * disk's fsync costs, so the disk's commit latency is probed and printed next to the figures.
 *
 * Needs wrk (`apt-get install -y wrk`). Internal modes: `--serve trivial|fast <outDir>`.
 * `--json`: after the printed lines, one line with the figures as JSON (for `npm run bench`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { buildTestSite, startBuiltServer, whenListening, type RunningServer } from '../test/reports/built-server.ts';

const LUA = String.raw`
local counter = 0
local services = {"outlook-com","exchange-online","teams","sharepoint","onedrive","m365-apps","entra-id","copilot","azure","m365-admin"}
local kinds = {"sign-in","receiving-mail","sending-mail","mail-bounces","outlook-desktop","mobile-app","web-access","teams-calls-chat","other"}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function init(args)
  origin = args[1]
  -- Each run starts its client addresses elsewhere, so a later run never repeats an earlier client.
  counter = tonumber(args[2] or "0")
  accepted = 0
  duplicate = 0
  other = 0
end
function request()
  counter = counter + 1
  local ip = string.format("%d.%d.%d.%d", 10 + tid, math.floor(counter / 65536) % 256, math.floor(counter / 256) % 256, counter % 256)
  local body = string.format('{"service":"%s","problemType":"%s"}', services[counter % #services + 1], kinds[counter % #kinds + 1])
  return wrk.format("POST", "/api/reports", {["Content-Type"] = "application/json", ["Origin"] = origin, ["X-Forwarded-For"] = ip}, body)
end
function response(status, headers, body)
  if status == 202 then accepted = accepted + 1 elseif status == 200 then duplicate = duplicate + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local a, d, o = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    d = d + t:get("duplicate")
    o = o + t:get("other")
  end
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,"accepted":%d,"duplicate":%d,"other":%d,"socketErrors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max, a, d, o,
    e.connect + e.read + e.write + e.timeout))
end
`;

interface WrkResult {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  accepted: number;
  duplicate: number;
  other: number;
  socketErrors: number;
}

// ---- internal server modes -------------------------------------------------------------------

/** The reference: node:http reading the body and parsing it, nothing else. */
function serveTrivial(): void {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: { service?: unknown; problemType?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"INVALID_JSON"}}');
        return;
      }
      const text = JSON.stringify({ status: 'accepted', service: body.service, problemType: body.problemType });
      res.writeHead(202, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}`));
}

/** The built site's handler with the report fast path in front, as `npm start` serves it. */
async function serveFast(outDir: string): Promise<void> {
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const entry = (await import(pathToFileURL(path.join(outDir, 'server', 'entry.mjs')).href)) as { handler: http.RequestListener };
  const { createReportFastPath } = await import('../src/reports/http.ts');
  const { getReportRuntime } = await import('../src/reports/runtime.ts');
  const runtime = await getReportRuntime();
  const fast = createReportFastPath(async () => (await getReportRuntime()).context, runtime.config.site.defaultLang);
  const server = http.createServer((req, res) => {
    if (!fast(req, res)) entry.handler(req, res);
  });
  const stop = () =>
    server.close(() => {
      const commits = (runtime.store as { commits?: number } | null)?.commits;
      void runtime.store?.close().then(() => {
        console.log(`COMMITS ${commits ?? 0}`);
        process.exit(0);
      });
    });
  process.on('SIGTERM', stop);
  server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}`));
}

// ---- the benchmark ---------------------------------------------------------------------------

async function startChild(args: string[], env: Record<string, string>): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, [path.resolve(import.meta.dirname, 'reports.ts'), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return whenListening(child);
}

async function runWrk(url: string, script: string, seconds: number, connections: number, firstClient: number): Promise<WrkResult> {
  const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', script, `${url}/api/reports`, '--', url, String(firstClient)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`wrk exited ${code}:\n${out}`))));
  });
  const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  return JSON.parse(line.slice('WRK_RESULT '.length)) as WrkResult;
}

/** Latency of small fsync'd SQLite commits in `dir` right now (WAL, synchronous=FULL), in ms. */
function probeCommitLatency(dir: string): { p50: number; p90: number } {
  const db = new DatabaseSync(path.join(dir, 'probe.db'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE IF NOT EXISTS t (x INTEGER)');
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const started = performance.now();
    db.exec('BEGIN IMMEDIATE');
    insert.run(i);
    db.exec('COMMIT');
    times.push(performance.now() - started);
  }
  db.close();
  times.sort((a, b) => a - b);
  return { p50: times[20]!, p90: times[36]! };
}

function storedReports(dataDir: string): number {
  const db = new DatabaseSync(path.join(dataDir, 'reports.db'), { readOnly: true });
  const { n } = db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number };
  db.close();
  return n;
}

interface Row {
  name: string;
  rate: number;
  p50: number;
  p99: number;
  acked: number;
  stored: number | null;
  other: number;
  socketErrors: number;
}

async function measure(name: string, server: RunningServer, script: string, seconds: number, connections: number, dataDir: string | null): Promise<Row> {
  const warm = await runWrk(server.url, script, Math.min(3, seconds), connections, 0);
  const main = await runWrk(server.url, script, seconds, connections, 1 << 22);
  await server.stop();
  const acked = warm.accepted + main.accepted;
  return {
    name,
    rate: main.requests / (main.durationUs / 1e6),
    p50: main.p50Us / 1000,
    p99: main.p99Us / 1000,
    acked,
    stored: dataDir ? storedReports(dataDir) : null,
    other: warm.other + main.other,
    socketErrors: main.socketErrors,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30' },
      connections: { type: 'string', default: '50' },
      serve: { type: 'string' },
      'keep-build': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    args: process.argv.slice(2),
  });
  if (values.serve === 'trivial') return serveTrivial();
  if (values.serve === 'fast') return serveFast(process.argv.at(-1)!);

  const seconds = Number(values.duration);
  const connections = Number(values.connections);
  if (spawnSync('wrk', ['--version']).error) throw new Error('wrk is not installed: apt-get install -y wrk');
  console.log(`bench:reports — wrk -t1 -c${connections}, ${seconds} s per target (+ 3 s warm-up), ${os.cpus().length} CPUs, Node ${process.version}`);

  const started = performance.now();
  const site = await buildTestSite({ site: { url: 'http://127.0.0.1' } }, { OUTAGE_RADAR_REPORT_SECRET: 'bench-secret-0123456789abcdef', OUTAGE_RADAR_LOG_LEVEL: 'warn' });
  console.log(`site built in ${((performance.now() - started) / 1000).toFixed(1)} s (${site.outDir})`);
  const script = path.join(site.root, 'post.lua');
  await fs.writeFile(script, LUA);
  const dataFor = async (name: string) => {
    const dir = path.join(site.root, `data-${name}`);
    await fs.mkdir(dir, { recursive: true });
    return dir;
  };

  try {
    const rows: Row[] = [];
    rows.push(await measure('trivial node:http (same parse)', await startChild(['--serve', 'trivial'], {}), script, seconds, connections, null));
    const fastData = await dataFor('fast');
    const probe = probeCommitLatency(fastData);
    const fastEnv = { ...site.env, OUTAGE_RADAR_DATA_DIR: fastData, OUTAGE_RADAR_TRUST_PROXY: '1' };
    rows.push(await measure('npm start path (sqlite, sync full)', await startChild(['--serve', 'fast', site.outDir], fastEnv), script, seconds, connections, fastData));
    const normalData = await dataFor('normal');
    const normalConfig = path.join(site.root, 'normal.config.json');
    const base = JSON.parse(await fs.readFile(site.configFile, 'utf8')) as { reports?: Record<string, unknown> };
    await fs.writeFile(normalConfig, JSON.stringify({ ...base, reports: { ...base.reports, sqliteSynchronous: 'normal' } }));
    const normalEnv = { ...fastEnv, OUTAGE_RADAR_DATA_DIR: normalData, OUTAGE_RADAR_CONFIG: normalConfig };
    rows.push(await measure('npm start path (sqlite, sync normal)', await startChild(['--serve', 'fast', site.outDir], normalEnv), script, seconds, connections, normalData));
    // The same path with the database in memory (tmpfs: fsync costs nothing) shows what the code
    // itself costs, apart from the disk.
    if (existsSync('/dev/shm')) {
      const shmData = await fs.mkdtemp(path.join('/dev/shm', 'or-bench-reports-'));
      try {
        const shmEnv = { ...fastEnv, OUTAGE_RADAR_DATA_DIR: shmData };
        rows.push(await measure('npm start path (sqlite on tmpfs)', await startChild(['--serve', 'fast', site.outDir], shmEnv), script, seconds, connections, shmData));
      } finally {
        await fs.rm(shmData, { recursive: true, force: true });
      }
    }
    const astroData = await dataFor('astro');
    rows.push(await measure('Astro route alone (entry.mjs)', await startBuiltServer(site, { OUTAGE_RADAR_DATA_DIR: astroData, OUTAGE_RADAR_TRUST_PROXY: '1' }), script, seconds, connections, astroData));

    const trivialRate = rows[0]!.rate;
    const after = probeCommitLatency(fastData);
    console.log('');
    console.log(`disk: a synced SQLite commit took ${probe.p50.toFixed(2)} ms (p50) / ${probe.p90.toFixed(2)} ms (p90) before the runs, ${after.p50.toFixed(2)} / ${after.p90.toFixed(2)} ms after`);
    console.log(`${'target'.padEnd(38)} ${'reports/s'.padStart(10)} ${'ratio'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'acked'.padStart(9)} ${'stored'.padStart(9)} ${'lost'.padStart(5)} ${'non-2xx'.padStart(8)}`);
    for (const r of rows) {
      const lost = r.stored === null ? '–' : String(Math.max(0, r.acked - r.stored));
      console.log(
        `${r.name.padEnd(38)} ${r.rate.toFixed(0).padStart(10)} ${(r.rate / trivialRate).toFixed(2).padStart(6)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.acked).padStart(9)} ${(r.stored === null ? '–' : String(r.stored)).padStart(9)} ${lost.padStart(5)} ${String(r.other).padStart(8)}`,
      );
    }
    const served = rows[1]!;
    const checks = [
      [`rate ≥ 0.5× trivial (${(served.rate / trivialRate).toFixed(2)}×)`, served.rate >= 0.5 * trivialRate],
      [`p99 ≤ 50 ms (${served.p99.toFixed(1)} ms)`, served.p99 <= 50],
      [`0 lost (${Math.max(0, served.acked - (served.stored ?? 0))})`, served.stored !== null && served.stored >= served.acked],
      [`no refused reports (${served.other} non-2xx)`, served.other === 0],
    ] as const;
    console.log('');
    for (const [label, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  npm start path (defaults): ${label}`);
    for (const r of rows.slice(2)) {
      console.log(`info  ${r.name}: ${(r.rate / trivialRate).toFixed(2)}× trivial, p99 ${r.p99.toFixed(1)} ms, lost ${Math.max(0, r.acked - (r.stored ?? 0))}`);
    }
    if (values.json) {
      const figures = rows.map((r) => ({ ...r, ratio: r.rate / trivialRate, lost: r.stored === null ? null : Math.max(0, r.acked - r.stored) }));
      console.log(JSON.stringify({ trivial: figures[0], served: figures[1], others: figures.slice(2), commitMs: { before: probe, after }, checks: checks.map(([label, ok]) => ({ label, ok })) }));
    }
    process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    if (!values['keep-build']) await site.remove();
  }
}

await main();
