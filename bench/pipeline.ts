/**
 * `npm run bench:pipeline`: the operating figures of `npm start`.
 *
 *  1. Source change → updated page served: the real service (src/server/main.ts, child process) on a
 *     30 s schedule over a generated history (--incidents), every configured source served by local
 *     fixture servers and due every cycle; at a random moment Microsoft's post changes, and the
 *     time until the home page served carries the change is measured. Target ≤ 60 s.
 *  2. Scheduled cycles whose inputs did not change (every source read, all unchanged): duration,
 *     and that they did not build. Target ≤ 2 s.
 *  3. Static serving, requests per second with wrk on the same built files: our server, a bare
 *     node:http + readFile server, nginx (gzip_static/brotli_static) and Astro's standalone server.
 *
 *   npm run bench:pipeline -- [--incidents 500] [--changes 3] [--unchanged 5] [--wrk-seconds 8]
 *                             [--connections 64] [--skip-pipeline] [--skip-static --client-dir d]
 *
 * Needs nginx and wrk (`apt-get install -y nginx wrk`); a missing one is reported and skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load.ts';
import { contentTypeFor } from '../src/lib/content-types.ts';
import { silentLogger } from '../src/lib/log.ts';
import { createSiteHandler } from '../src/server/site-handler.ts';
import { loadStaticSite } from '../src/server/static-site.ts';
import { parseTape } from '../src/tapes/load.ts';
import { startLiveTape } from '../scrapers/demo/live-tape.ts';
import { demoConfig } from '../scrapers/demo/plan.ts';
import { renderMacPostJson } from '../scrapers/replay/render-official.ts';
import type { CycleRecord } from '../scrapers/schedule/cycle-record.ts';
import { generateData } from './generate-data.ts';
import { freePort } from '../src/lib/free-port.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);


async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > end) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await sleep(100);
  }
}

function stats(xs: number[], digits = 1): string {
  const s = [...xs].sort((a, b) => a - b);
  const med = s[Math.floor((s.length - 1) / 2)]!;
  return `min ${s[0]!.toFixed(digits)}, median ${med.toFixed(digits)}, max ${s[s.length - 1]!.toFixed(digits)}`;
}

// ─── helper servers (run as child processes of this script) ───────────────────────────────────────

async function serveOurs(dir: string, port: number): Promise<void> {
  const site = await loadStaticSite({ id: 'bench', dir });
  const handler = createSiteHandler({ getSite: () => site, getOnDemand: () => null, health: () => ({ status: 200, body: '{}' }), log: silentLogger });
  createHttpServer({ keepAliveTimeout: 5_000 }, handler).listen(port, '127.0.0.1');
}

/** The baseline: what a few lines of node:http + readFile give. */
function serveBare(dir: string, port: number): void {
  createHttpServer((req, res) => {
    let p = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(dir, path.normalize(p));
    if (!file.startsWith(dir)) {
      res.writeHead(400).end();
      return;
    }
    fs.readFile(file).then(
      (body) => {
        res.writeHead(200, { 'Content-Type': contentTypeFor(p), 'Content-Length': body.length });
        res.end(body);
      },
      () => {
        res.writeHead(404).end();
      },
    );
  }).listen(port, '127.0.0.1');
}

// ─── parts 1 and 2: the pipeline ─────────────────────────────────────────────────────────────────

/** The service's one JSON line per cycle (src/server/cycle-log.ts). */
interface LoggedCycle {
  reason: string;
  outcome: string;
  durationMs: number;
  changed: boolean;
  build: CycleRecord['build'];
  sources: Record<string, { outcome: string }>;
}

interface PipelineResult {
  latenciesS: number[];
  buildS: number[];
  unchangedMs: number[];
  unchangedBuilt: number;
  sources: number;
  buildDir: string;
}

async function runPipeline(opts: { incidents: number; changes: number; unchanged: number; work: string }): Promise<PipelineResult> {
  const dataDir = path.join(opts.work, 'data');
  say(`generating ${opts.incidents} incidents of history…`);
  await generateData({ dir: dataDir, incidents: opts.incidents, now: new Date() });
  const base = await loadConfig(path.join(ROOT, 'outage-radar.config.ts'), {});
  const start = Date.now() - 3_600_000;
  const tape = parseTape(
    JSON.stringify({
      tapeVersion: 1,
      id: 'bench-quiet',
      title: 'Bench',
      kind: 'quiet',
      summary: 'Every source healthy and unchanged.',
      start: new Date(start).toISOString(),
      end: new Date(start + 86_400_000).toISOString(),
      reconstruction: 'synthetic',
      events: [],
    }),
    'bench.tape.json',
  );
  // Every source is due at every 30 s cycle (27 s interval: a cycle starting a few ms early must
  // not find its sources not yet due): the worst case for an unchanged cycle, and a change is read
  // by the next cycle (what the schedule promises).
  const sources = base.sources.map((s) => ({ ...s, intervalMinutes: 0.45 }));
  const live = await startLiveTape({ tape, sources, historyWeeks: 1 });
  live.advanceTo(Date.now());
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const configFile = path.join(opts.work, 'bench.config.json');
  const config = demoConfig({ base, sources: live.sources, dataDir, siteUrl: baseUrl, schedule: '*/30 * * * * *' });
  config.site = { ...config.site, staleAfterMinutes: 30, title: base.site.title };
  await fs.writeFile(configFile, JSON.stringify(config, null, 2));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('OUTAGE_RADAR_')) delete env[k];
  Object.assign(env, {
    OUTAGE_RADAR_CONFIG: configFile,
    OUTAGE_RADAR_BUILDS_DIR: path.join(opts.work, 'builds'),
    OUTAGE_RADAR_LOG_FORMAT: 'json',
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  const records: LoggedCycle[] = [];
  let output = '';
  let pending = '';
  const child = spawn(process.execPath, [path.join(ROOT, 'src/server/main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      output += `${line}\n`;
      if (line.includes('"msg":"cycle"')) records.push(JSON.parse(line) as LoggedCycle);
    }
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await live.close();
  };
  try {
    say('starting the service (first build, first cycle)…');
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`server exited:\n${output.slice(-3000)}`);
      try {
        const h = (await (await fetch(`${baseUrl}/healthz`)).json()) as { build: unknown; lastCycle: unknown; cycleRunning: boolean };
        if (h.build && h.lastCycle && !h.cycleRunning) break;
      } catch {
        // Not listening yet.
      }
      if (i > 3000) throw new Error('service not ready after 5 minutes');
      await sleep(100);
    }

    const latenciesS: number[] = [];
    const buildS: number[] = [];
    const macId = 'status-cloud-microsoft-mac';
    for (let i = 1; i <= opts.changes; i++) {
      // A random phase against the schedule, as a real change would have.
      await sleep(Math.random() * 30_000);
      // Odd changes open an incident, even ones resolve it ("Service restored" on the same post).
      const incident = i % 2 === 1;
      const title = `Bench change ${incident ? i : i - 1}: users may be unable to access Microsoft Teams`;
      const post = incident
        ? { postId: `bench-${i}`, authoredAt: Date.now(), status: 'Service degradation', title, message: `<div>Title: ${title}<br><br>User impact: Users may be unable to access Microsoft Teams.</div>` }
        : { postId: `bench-${i}`, authoredAt: Date.now(), status: 'Service restored', title, message: `<div>Title: ${title}<br><br>Final status: Access to Microsoft Teams is restored.</div>` };
      // The home page's "active incidents" section lists it, or no longer does.
      const shown = (html: string) => {
        const active = html.slice(html.indexOf('id="h-active"'), html.indexOf('id="h-suspected"'));
        return active.includes(title.slice(0, 40)) === incident;
      };
      const before = records.length;
      const changedAt = performance.now();
      live.override(macId, { body: renderMacPostJson(post, Date.now()), contentType: 'application/json; charset=utf-8' });
      for (;;) {
        const html = await (await fetch(`${baseUrl}/en/`)).text();
        if (shown(html)) break;
        if (child.exitCode !== null) throw new Error(`server exited:\n${output.slice(-3000)}`);
        if (performance.now() - changedAt > 300_000) throw new Error('the change never reached the page');
        await sleep(100);
      }
      const s = (performance.now() - changedAt) / 1000;
      latenciesS.push(s);
      // The cycle's log line comes right after the swap.
      for (let w = 0; w < 50 && !records.slice(before).some((r) => r.build?.ok); w++) await sleep(100);
      const built = records.slice(before).find((r) => r.build?.ok);
      if (built?.build) buildS.push(built.build.ms / 1000);
      say(`  change ${i} (${incident ? 'Microsoft posts an incident' : 'Microsoft posts "Service restored"'}): served after ${s.toFixed(1)} s (of which build + swap ${built?.build ? (built.build.ms / 1000).toFixed(1) : '?'} s)`);
    }

    // Scheduled cycles after the last change settled: nothing new at any source.
    const unchangedMs: number[] = [];
    let unchangedBuilt = 0;
    let seen = records.length;
    say(`  waiting for ${opts.unchanged} scheduled cycles without change (every 30 s)…`);
    while (unchangedMs.length < opts.unchanged) {
      await sleep(1_000);
      if (child.exitCode !== null) throw new Error(`server exited:\n${output.slice(-3000)}`);
      for (const r of records.slice(seen)) {
        if (r.reason !== 'schedule' || r.outcome !== 'ok' || r.changed) continue;
        unchangedMs.push(r.durationMs);
        if (r.build) unchangedBuilt++;
        const all = Object.values(r.sources);
        const read = all.filter((x) => x.outcome === 'ok' || x.outcome === 'not_modified').length;
        say(`  unchanged cycle ${unchangedMs.length}: ${r.durationMs} ms (${read} of ${all.length} sources read, ${r.build ? `built: ${r.build.reason}` : 'no build'})`);
      }
      seen = records.length;
    }
    const h = (await (await fetch(`${baseUrl}/healthz`)).json()) as { build: { id: string } };
    await stop();
    return { latenciesS, buildS, unchangedMs, unchangedBuilt, sources: live.sources.length, buildDir: path.join(opts.work, 'builds', h.build.id) };
  } catch (err) {
    await stop();
    throw err;
  }
}

// ─── part 3: static serving ──────────────────────────────────────────────────────────────────────

function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function wrk(url: string, seconds: number, connections: number, headers: string[] = []): { rps: number; non2xx: number } {
  const args = ['-t2', `-c${connections}`, `-d${seconds}s`, ...headers.flatMap((h) => ['-H', h]), url];
  const out = spawnSync('wrk', args, { encoding: 'utf8' }).stdout;
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
  };
}

async function startChild(cmd: string, args: string[], env: NodeJS.ProcessEnv, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  try {
    await waitFor(readyUrl, 60_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${cmd} did not start: ${(e as Error).message}\n${err.slice(-2000)}`);
  }
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function nginxConf(dir: string, client: string, port: number): string {
  const brotli = existsSync('/usr/lib/nginx/modules/ngx_http_brotli_static_module.so');
  // Workers run as root when we do: the temporary build directory is not readable by www-data.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${brotli ? 'load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;\n' : ''}${user}worker_processes auto;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  include /etc/nginx/mime.types;
  charset utf-8;
  etag on;
  gzip_static on;
  ${brotli ? 'brotli_static on;' : ''}
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${client};
    index index.html;
    location / { try_files $uri $uri/index.html $uri.html =404; }
  }
}
`;
}

async function runStatic(opts: { buildDir: string; seconds: number; connections: number; work: string }): Promise<void> {
  if (!hasCommand('wrk')) {
    say('wrk is not installed (apt-get install -y wrk): static serving not measured');
    return;
  }
  const clientDir = path.join(opts.buildDir, 'client');
  const self = fileURLToPath(import.meta.url);
  const urls = ['/en/', '/api/status.json', '/badges/en/teams.svg'];
  const kinds: { name: string; start: () => Promise<{ child: ChildProcess; port: number }> }[] = [
    {
      name: 'ours (npm start)',
      start: async () => {
        const port = await freePort();
        return { child: await startChild(process.execPath, [self, '--serve-ours', clientDir, String(port)], process.env, `http://127.0.0.1:${port}/en/`), port };
      },
    },
    {
      name: 'node:http + readFile',
      start: async () => {
        const port = await freePort();
        return { child: await startChild(process.execPath, [self, '--serve-bare', clientDir, String(port)], process.env, `http://127.0.0.1:${port}/en/`), port };
      },
    },
  ];
  const nginx = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : hasCommand('nginx') ? 'nginx' : null;
  if (nginx) {
    kinds.push({
      name: 'nginx',
      start: async () => {
        const port = await freePort();
        const dir = await fs.mkdtemp(path.join(opts.work, 'nginx-'));
        await fs.writeFile(path.join(dir, 'nginx.conf'), nginxConf(dir, clientDir, port));
        return { child: await startChild(nginx, ['-c', path.join(dir, 'nginx.conf'), '-p', dir], process.env, `http://127.0.0.1:${port}/en/`), port };
      },
    });
  } else {
    say('nginx is not installed (apt-get install -y nginx): not measured');
  }
  if (existsSync(path.join(opts.buildDir, 'server', 'entry.mjs'))) {
    kinds.push({
      name: 'Astro standalone',
      start: async () => {
        const port = await freePort();
        const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', ASTRO_NODE_LOGGING: 'disabled' };
        return { child: await startChild(process.execPath, [path.join(opts.buildDir, 'server', 'entry.mjs')], env, `http://127.0.0.1:${port}/en/`), port };
      },
    });
  }

  const sizes = await Promise.all(urls.map(async (u) => (await fs.stat(path.join(clientDir, u.endsWith('/') ? `${u}index.html` : u))).size));
  say(`\nstatic serving, requests/s: wrk -t2 -c${opts.connections} -d${opts.seconds}s on ${os.cpus().length} cores (server and wrk share them)`);
  say(`  files: ${urls.map((u, i) => `${u} ${(sizes[i]! / 1024).toFixed(1)} KiB`).join(', ')}; last column with Accept-Encoding: br, gzip`);
  say(`  ${'server'.padEnd(22)}${urls.map((u) => u.padStart(22)).join('')}${'/en/ (br)'.padStart(14)}`);
  for (const kind of kinds) {
    const { child, port } = await kind.start();
    try {
      wrk(`http://127.0.0.1:${port}/en/`, 2, opts.connections);
      const cells: string[] = [];
      for (const u of urls) {
        const r = wrk(`http://127.0.0.1:${port}${u}`, opts.seconds, opts.connections);
        cells.push(`${Math.round(r.rps)}${r.non2xx ? ` (${r.non2xx} non-2xx)` : ''}`.padStart(22));
      }
      const br = wrk(`http://127.0.0.1:${port}/en/`, opts.seconds, opts.connections, ['Accept-Encoding: br, gzip']);
      say(`  ${kind.name.padEnd(22)}${cells.join('')}${String(Math.round(br.rps)).padStart(14)}`);
    } finally {
      await stopChild(child);
    }
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--serve-ours') return serveOurs(argv[1]!, Number(argv[2]));
  if (argv[0] === '--serve-bare') return serveBare(argv[1]!, Number(argv[2]));
  const { values } = parseArgs({
    args: argv,
    options: {
      incidents: { type: 'string', default: '500' },
      changes: { type: 'string', default: '3' },
      unchanged: { type: 'string', default: '5' },
      'wrk-seconds': { type: 'string', default: '8' },
      connections: { type: 'string', default: '64' },
      'skip-pipeline': { type: 'boolean', default: false },
      'skip-static': { type: 'boolean', default: false },
      'build-dir': { type: 'string' },
    },
  });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'or-bench-pipeline-'));
  try {
    let buildDir = values['build-dir'] ? path.resolve(values['build-dir']) : '';
    if (!values['skip-pipeline']) {
      const r = await runPipeline({ incidents: Number(values.incidents), changes: Number(values.changes), unchanged: Number(values.unchanged), work });
      say(`\npipeline (${values.incidents} incidents of history, ${r.sources} sources, schedule every 30 s, every source due each cycle):`);
      say(`  source change → updated page served: ${stats(r.latenciesS)} s over ${r.latenciesS.length} changes (target ≤ 60 s)`);
      if (r.buildS.length) say(`  of which site build + swap: ${stats(r.buildS)} s`);
      say(`  cycle with unchanged inputs: ${stats(r.unchangedMs, 0)} ms over ${r.unchangedMs.length} cycles, ${r.unchangedBuilt} rebuilt (target ≤ 2000 ms, no rebuild)`);
      buildDir ||= r.buildDir;
    }
    if (!values['skip-static']) {
      if (!buildDir) throw new Error('--skip-pipeline needs --build-dir <a build directory with client/>');
      await runStatic({ buildDir, seconds: Number(values['wrk-seconds']), connections: Number(values.connections), work });
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
