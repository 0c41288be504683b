/**
 * The on-demand part of a build: Astro's request handler from `<build>/server/entry.mjs` (the
 * @astrojs/node standalone entry, imported with autostart off) and the list of routes it renders
 * (`on-demand-routes.json`, see astro-routes.ts).
 *
 * An ES module can never be unloaded, so importing every new build's entry would grow the process
 * by ~1 MB heap and ~2 MB RSS per build (measured) for as long as it runs. The handler is therefore
 * re-imported only when the code it is built from changed: each build carries a fingerprint of its
 * inputs (src/, astro.config.mjs, package-lock.json, the config), and a build whose fingerprint
 * equals the loaded handler's reuses it. Same inputs give the same routes and the same asset
 * names, so the handler renders exactly what the new build would; its build directory stays on
 * disk while it is in use (for the prerendered error pages Astro reads from there).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ON_DEMAND_ROUTES_FILE, OnDemandRoutesSchema } from './astro-routes.ts';
import { exists } from '../store/files.ts';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface OnDemandApp {
  /** The build the handler was imported from. */
  buildDir: string;
  fingerprint: string | null;
  handle: NodeHandler;
  /** True when `pathname` is one of the build's on-demand routes. */
  matches(pathname: string): boolean;
  routes: readonly string[];
}

export class OnDemandError extends Error {
  readonly code = 'ON_DEMAND_LOAD_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnDemandError';
  }
}

/** The route matcher of a build; null when the build has no route list (then Astro sees every unknown path). */
export async function readRouteMatcher(buildDir: string): Promise<{ routes: string[]; matches: (p: string) => boolean } | null> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(buildDir, ON_DEMAND_ROUTES_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const doc = OnDemandRoutesSchema.parse(JSON.parse(raw));
  const patterns = doc.routes.map((r) => new RegExp(r.source, r.flags));
  return { routes: doc.routes.map((r) => r.route), matches: (p) => patterns.some((re) => re.test(p)) };
}

/**
 * Loads the on-demand handler of `buildDir` (null when the build has no server entry), reusing
 * `previous` when the fingerprints match.
 */
export async function loadOnDemandApp(buildDir: string, fingerprint: string | null, previous: OnDemandApp | null): Promise<OnDemandApp | null> {
  const entry = path.join(buildDir, 'server', 'entry.mjs');
  if (!(await exists(entry))) return null;
  const matcher = await readRouteMatcher(buildDir);
  const routes = matcher?.routes ?? [];
  const matches = matcher?.matches ?? (() => true);
  if (previous && fingerprint !== null && previous.fingerprint === fingerprint) {
    return { ...previous, routes, matches };
  }
  // The standalone entry starts its own server on import unless told not to.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  let mod: { handler?: unknown };
  try {
    mod = (await import(pathToFileURL(entry).href)) as { handler?: unknown };
  } catch (cause) {
    throw new OnDemandError(`${entry}: cannot load the on-demand handler: ${(cause as Error).message}`, { cause });
  }
  if (typeof mod.handler !== 'function') throw new OnDemandError(`${entry}: exports no handler (is the @astrojs/node adapter configured?)`);
  return { buildDir, fingerprint, handle: mod.handler as NodeHandler, matches, routes };
}

/** Files whose content decides the server bundle, relative to the project root. */
const FINGERPRINT_ROOTS = ['src', 'astro.config.mjs', 'package-lock.json', 'tsconfig.json'];

/**
 * Hash of everything the server bundle is built from: the files under `src/`, the Astro config,
 * the lock file, the operator config and the environment overrides the build reads.
 */
export async function fingerprintSources(projectRoot: string, configFile: string, env: NodeJS.ProcessEnv): Promise<string> {
  const hash = createHash('sha256');
  const add = async (abs: string, rel: string): Promise<void> => {
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (stat.isDirectory()) {
      const names = (await fs.readdir(abs)).sort();
      for (const n of names) await add(path.join(abs, n), `${rel}/${n}`);
    } else if (stat.isFile()) {
      hash.update(`${rel}\u0000${stat.size}\u0000`);
      hash.update(await fs.readFile(abs));
    }
  };
  for (const r of FINGERPRINT_ROOTS) await add(path.join(projectRoot, r), r);
  await add(configFile, 'config');
  for (const k of ['OUTAGE_RADAR_SITE_URL', 'OUTAGE_RADAR_STATIC']) hash.update(`${k}=${env[k] ?? ''}\u0000`);
  return hash.digest('hex').slice(0, 32);
}
