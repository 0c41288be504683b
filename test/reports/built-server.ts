/**
 * The real built site for report tests and the report benchmark: `astro build` into a temporary
 * out dir (never ./dist) with a config file of the test's own, and the built standalone server
 * (`dist/server/entry.mjs`) started on 127.0.0.1 with PORT=0 (the port is read from its log).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TestSite {
  root: string;
  dataDir: string;
  configFile: string;
  outDir: string;
  env: Record<string, string>;
  remove(): Promise<void>;
}

/**
 * Writes `config` (JSON) and builds the site. The out dir's parent gets a node_modules symlink:
 * the built server imports packages by name, resolved from the chunk's location.
 */
export async function buildTestSite(config: Record<string, unknown>, extraEnv: Record<string, string> = {}): Promise<TestSite> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'or-reports-site-'));
  await fs.symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const dataDir = path.join(root, 'data');
  await fs.mkdir(dataDir, { recursive: true });
  const configFile = path.join(root, 'outage-radar.config.json');
  await fs.writeFile(configFile, JSON.stringify({ sources: [], ...config }, null, 2));
  const outDir = path.join(root, 'dist');
  const env = { OUTAGE_RADAR_CONFIG: configFile, OUTAGE_RADAR_DATA_DIR: dataDir, ASTRO_TELEMETRY_DISABLED: '1', ...extraEnv };
  await rebuild({ root, dataDir, configFile, outDir, env, remove: async () => undefined });
  return { root, dataDir, configFile, outDir, env, remove: () => fs.rm(root, { recursive: true, force: true }) };
}

/** Builds (again) from the site's current data. */
export async function rebuild(site: TestSite): Promise<void> {
  const astro = path.join(PROJECT_ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
  const child = spawn(process.execPath, [astro, 'build', '--outDir', site.outDir], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...site.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    const lines = output.split('\n').filter((l) => !/[├└]─/.test(l));
    throw new Error(`astro build failed (${code}):\n${lines.join('\n').slice(-4000)}`);
  }
}

export interface RunningServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the server logged so far. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts the built standalone server; resolves once it listens. */
export async function startBuiltServer(site: Pick<TestSite, 'outDir' | 'env'>, env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, [path.join(site.outDir, 'server', 'entry.mjs')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...site.env, HOST: '127.0.0.1', PORT: '0', OUTAGE_RADAR_LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return whenListening(child);
}

/**
 * A spawned server (stdout and stderr piped) as a RunningServer, once it printed
 * `listening on http://127.0.0.1:<port>`; rejects if it exits or stays silent for 20 s.
 */
export async function whenListening(child: ChildProcess): Promise<RunningServer> {
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const onData = (c: Buffer) => {
      output += c.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    log: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
