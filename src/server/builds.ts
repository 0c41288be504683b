/**
 * Build directories of `npm start`: every site build goes into a fresh `builds/<id>/` (Astro's
 * outDir: `client/` static files, `server/` the on-demand handler), is verified, and only then
 * becomes current. `builds/current` is a symlink to it, replaced atomically (rename), so a reverse
 * proxy can serve `builds/current/client`. Old builds are deleted, except the ones still in use.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedConfig } from '../config/load.ts';
import type { Logger } from '../lib/log.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CURRENT_LINK = 'current';

export class BuildError extends Error {
  readonly code: 'BUILD_FAILED' | 'BUILD_INVALID' | 'BUILD_ABORTED';
  /** Last lines of the build's output. */
  readonly output: string;
  constructor(code: BuildError['code'], message: string, output = '', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BuildError';
    this.code = code;
    this.output = output;
  }
}

export interface BuildResult {
  id: string;
  /** `builds/<id>` */
  dir: string;
  clientDir: string;
  /** Wall-clock time the build finished. */
  builtAt: string;
  durationMs: number;
  /** From the built api/status.json: the data the pages show. */
  dataAsOf: string | null;
  generatedAt: string | null;
}

/** A sortable, unique build id: `20261125T080000Z-3f9a`. */
export function newBuildId(wall: Date): string {
  return `${wall.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

const BUILD_ID = /^\d{8}T\d{6}Z-[0-9a-f]{4}$/;

/**
 * Astro's server chunks import packages by name, which Node resolves by walking up from the file:
 * a builds directory outside the project gets a `node_modules` link to the project's.
 */
export async function prepareBuildsRoot(buildsRoot: string, projectRoot = PROJECT_ROOT): Promise<void> {
  await fs.mkdir(buildsRoot, { recursive: true });
  const rel = path.relative(projectRoot, path.resolve(buildsRoot));
  if ((!rel.startsWith('..') && !path.isAbsolute(rel)) || path.dirname(path.resolve(buildsRoot)) === path.resolve(buildsRoot)) return;
  const link = path.join(buildsRoot, 'node_modules');
  try {
    await fs.lstat(link);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await fs.symlink(path.join(projectRoot, 'node_modules'), link, 'dir');
  }
}

/** Reads and checks the built status JSON; throws BuildError BUILD_INVALID. */
export async function verifyBuild(dir: string): Promise<{ dataAsOf: string | null; generatedAt: string | null }> {
  const client = path.join(dir, 'client');
  for (const required of ['index.html', '404.html']) {
    try {
      const st = await fs.stat(path.join(client, required));
      if (!st.isFile() || st.size === 0) throw new BuildError('BUILD_INVALID', `${dir}: client/${required} is empty`);
    } catch (err) {
      if (err instanceof BuildError) throw err;
      throw new BuildError('BUILD_INVALID', `${dir}: client/${required} is missing`, '', { cause: err });
    }
  }
  let status: unknown;
  try {
    status = JSON.parse(await fs.readFile(path.join(client, 'api', 'status.json'), 'utf8'));
  } catch (cause) {
    throw new BuildError('BUILD_INVALID', `${dir}: client/api/status.json is missing or not JSON`, '', { cause });
  }
  const s = status as { services?: unknown; lastSuccessfulCycleAt?: unknown; generatedAt?: unknown };
  if (!Array.isArray(s.services) || s.services.length === 0) throw new BuildError('BUILD_INVALID', `${dir}: client/api/status.json lists no services`);
  return {
    dataAsOf: typeof s.lastSuccessfulCycleAt === 'string' ? s.lastSuccessfulCycleAt : null,
    generatedAt: typeof s.generatedAt === 'string' ? s.generatedAt : null,
  };
}

export interface RunBuildOptions {
  buildsRoot: string;
  config: LoadedConfig;
  /** The cycle's time: what the pages call "now" (OUTAGE_RADAR_NOW). */
  now: Date;
  /** Wall clock (build ids, durations). */
  wall?: () => Date;
  env?: NodeJS.ProcessEnv;
  log: Logger;
  signal?: AbortSignal;
  projectRoot?: string;
}

/**
 * Builds the site from the config's data directory into a fresh `builds/<id>/` and verifies it.
 * On failure the directory is removed and BuildError is thrown; nothing current changes.
 */
export async function runBuild(options: RunBuildOptions): Promise<BuildResult> {
  const wall = options.wall ?? (() => new Date());
  const projectRoot = options.projectRoot ?? PROJECT_ROOT;
  const started = wall();
  const id = newBuildId(started);
  const dir = path.join(path.resolve(options.buildsRoot), id);
  await prepareBuildsRoot(options.buildsRoot, projectRoot);
  const astro = path.join(projectRoot, 'node_modules', 'astro', 'bin', 'astro.mjs');
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    OUTAGE_RADAR_CONFIG: options.config.configFile,
    OUTAGE_RADAR_DATA_DIR: options.config.dataDirAbs,
    OUTAGE_RADAR_NOW: options.now.toISOString(),
    ASTRO_TELEMETRY_DISABLED: '1',
  };
  let output = '';
  let killedBy: NodeJS.Signals | null = null;
  const code = await new Promise<number>((resolve, reject) => {
    // A process group of its own: Ctrl-C in a terminal must not kill the build behind the
    // service's back; shutdown lets it finish (bounded) or stops it through `signal`.
    const child = spawn(process.execPath, [astro, 'build', '--outDir', dir], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const collect = (d: Buffer) => {
      output += d.toString('utf8');
      if (output.length > 64_000) output = output.slice(-32_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const abort = () => {
      // The whole group: Astro's helpers (esbuild's service) go with it.
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (err) => reject(new BuildError('BUILD_FAILED', `astro build could not start: ${err.message}`, '', { cause: err })));
    child.on('close', (c, sig) => {
      options.signal?.removeEventListener('abort', abort);
      killedBy = sig;
      resolve(c ?? (sig ? 1 : 0));
    });
  }).catch(async (err: unknown) => {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  });
  const tail = output.split('\n').slice(-30).join('\n');
  try {
    if (options.signal?.aborted) throw new BuildError('BUILD_ABORTED', 'the build was stopped (shutdown)', tail);
    if (killedBy) throw new BuildError('BUILD_ABORTED', `the build was stopped by ${killedBy}`, tail);
    if (code !== 0) throw new BuildError('BUILD_FAILED', `astro build exited with code ${code}`, tail);
    const facts = await verifyBuild(dir);
    const finished = wall();
    return { id, dir, clientDir: path.join(dir, 'client'), builtAt: finished.toISOString(), durationMs: finished.getTime() - started.getTime(), ...facts };
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Points `builds/current` at `id` atomically (a new symlink renamed over the old one). */
export async function activateBuild(buildsRoot: string, id: string): Promise<void> {
  const link = path.join(buildsRoot, CURRENT_LINK);
  const tmp = path.join(buildsRoot, `.${CURRENT_LINK}.${process.pid}.${randomBytes(3).toString('hex')}`);
  await fs.symlink(id, tmp, 'dir');
  await fs.rename(tmp, link);
}

/** The build `builds/current` points at, or null. */
export async function readCurrentBuild(buildsRoot: string): Promise<{ id: string; dir: string } | null> {
  try {
    const target = await fs.readlink(path.join(buildsRoot, CURRENT_LINK));
    const id = path.basename(target);
    if (!BUILD_ID.test(id)) return null;
    return { id, dir: path.join(path.resolve(buildsRoot), id) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EINVAL') return null;
    throw err;
  }
}

/** Deletes every build directory (and stray temp link) except those in `keep`; returns the ids removed. */
export async function pruneBuilds(buildsRoot: string, keep: ReadonlySet<string>): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(buildsRoot);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of names) {
    if (name.startsWith(`.${CURRENT_LINK}.`)) {
      await fs.rm(path.join(buildsRoot, name), { force: true });
      continue;
    }
    if (!BUILD_ID.test(name) || keep.has(name)) continue;
    await fs.rm(path.join(buildsRoot, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
