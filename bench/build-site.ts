/**
 * Builds the site into a chosen directory from a chosen data dir, in a child process (the same
 * `astro build` that `npm run build` runs), for tests and benchmarks. Never touches ./dist.
 *
 * Astro's prerender step imports the server chunks it writes into the out dir, and those import
 * packages by name; Node resolves them from the chunk's location. So the out dir's parent gets a
 * `node_modules` symlink to the project's, which lets the out dir live anywhere (e.g. /tmp).
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export class SiteBuildError extends Error {
  readonly code = 'SITE_BUILD_FAILED';
  readonly output: string;
  constructor(message: string, output: string) {
    super(message);
    this.name = 'SiteBuildError';
    this.output = output;
  }
}

export interface BuildSiteOptions {
  dataDir: string;
  /** Astro's outDir; static files land in `<outDir>/client`. */
  outDir: string;
  /** The build's "now" (OUTAGE_RADAR_NOW). */
  now?: string;
  siteUrl?: string;
  env?: Record<string, string>;
}

export interface BuiltSite {
  outDir: string;
  clientDir: string;
  ms: number;
  /** CPU seconds (user + system) of the build, when /usr/bin/time is available; null otherwise. */
  cpuSeconds: number | null;
  output: string;
}

const TIME_BIN = '/usr/bin/time';

async function linkNodeModules(outDir: string): Promise<void> {
  const parent = path.dirname(path.resolve(outDir));
  const link = path.join(parent, 'node_modules');
  if (parent === PROJECT_ROOT || parent.startsWith(`${PROJECT_ROOT}${path.sep}`)) return;
  await fs.mkdir(parent, { recursive: true });
  try {
    await fs.symlink(path.join(PROJECT_ROOT, 'node_modules'), link, 'dir');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** Runs `astro build`; resolves with timings, rejects with SiteBuildError (and the build's output). */
export async function buildSite(options: BuildSiteOptions): Promise<BuiltSite> {
  const outDir = path.resolve(options.outDir);
  await linkNodeModules(outDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    // A test runner's NODE_ENV=test must not leak into the production build.
    NODE_ENV: 'production',
    OUTAGE_RADAR_DATA_DIR: path.resolve(options.dataDir),
    ...(options.now ? { OUTAGE_RADAR_NOW: options.now } : {}),
    ...(options.siteUrl ? { OUTAGE_RADAR_SITE_URL: options.siteUrl } : {}),
    ...options.env,
  };
  const started = performance.now();
  const astro = path.join(PROJECT_ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
  const command = [process.execPath, astro, 'build', '--outDir', outDir];
  // CPU time does not depend on what else the machine runs, wall time does: record both.
  const timeFile = `${outDir}.time`;
  const timed = await fs.access(TIME_BIN).then(
    () => true,
    () => false,
  );
  const [bin, ...args] = timed ? [TIME_BIN, '-f', '%U %S', '-o', timeFile, ...command] : command;
  const child = spawn(bin!, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const ms = performance.now() - started;
  let cpuSeconds: number | null = null;
  if (timed) {
    const [user, system] = (await fs.readFile(timeFile, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number);
    cpuSeconds = user! + system!;
    await fs.rm(timeFile, { force: true });
  }
  if (code !== 0) throw new SiteBuildError(`astro build exited with ${code}:\n${output.slice(-4000)}`, output);
  return { outDir, clientDir: path.join(outDir, 'client'), ms, cpuSeconds, output };
}
