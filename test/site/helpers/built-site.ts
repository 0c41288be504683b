/**
 * The site built from generated data, once per set of inputs: the first test file that asks builds
 * it (under a lock, so parallel vitest workers wait instead of building twice); later files and
 * later runs with unchanged sources reuse it. The key hashes every input of the build (src/,
 * public/, configs, generator, lockfile), so a change to any of them rebuilds.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSite, PROJECT_ROOT } from '../../../bench/build-site.ts';
import { generateData, type GeneratedData } from '../../../bench/generate-data.ts';

export const NOW = '2026-11-20T12:00:00.000Z';

export interface SiteVariant {
  name: string;
  incidents: number;
  seed: number;
  hostile?: boolean;
  stale?: boolean;
  noCycle?: boolean;
}

/** Realistic data plus the hostile incidents: what most site tests read. */
export const MAIN_SITE: SiteVariant = { name: 'main', incidents: 120, seed: 7, hostile: true };
/** A site whose last successful cycle is 3 hours old. */
export const STALE_SITE: SiteVariant = { name: 'stale', incidents: 12, seed: 3, stale: true };
/** A fresh install: no incident, no cycle has completed yet. */
export const EMPTY_SITE: SiteVariant = { name: 'empty', incidents: 0, seed: 1, noCycle: true };

export interface BuiltTestSite {
  variant: SiteVariant;
  root: string;
  dataDir: string;
  clientDir: string;
  data: GeneratedData;
}

const INPUTS = ['src', 'public', 'astro.config.mjs', 'outage-radar.config.ts', 'bench/generate-data.ts', 'bench/build-site.ts', 'package-lock.json'];
const CACHE_ROOT = path.join(os.tmpdir(), 'outage-radar-site-test');

async function hashInputs(variant: SiteVariant): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify({ variant, NOW }));
  const visit = async (p: string): Promise<void> => {
    const stat = await fs.stat(p).catch(() => null);
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of (await fs.readdir(p)).sort()) await visit(path.join(p, name));
    } else {
      hash.update(path.relative(PROJECT_ROOT, p)).update(await fs.readFile(p));
    }
  };
  for (const input of INPUTS) await visit(path.join(PROJECT_ROOT, input));
  return hash.digest('hex').slice(0, 16);
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

async function build(variant: SiteVariant, root: string): Promise<void> {
  await fs.rm(root, { recursive: true, force: true });
  const dataDir = path.join(root, 'data');
  const data = await generateData({ dir: dataDir, incidents: variant.incidents, seed: variant.seed, now: NOW, hostile: variant.hostile, stale: variant.stale, noCycle: variant.noCycle });
  // The tests serve the build with a plain static server, so build it as for static hosting:
  // no on-demand routes (report intake, self-check) are linked or called.
  await buildSite({ dataDir, outDir: path.join(root, 'dist'), now: NOW, env: { OUTAGE_RADAR_STATIC: '1' } });
  await fs.writeFile(path.join(root, 'generated.json'), JSON.stringify(data));
  await fs.writeFile(path.join(root, '.complete'), new Date().toISOString());
}

/** Returns the built site for `variant`, building it if no up-to-date build exists. */
export async function getBuiltSite(variant: SiteVariant = MAIN_SITE): Promise<BuiltTestSite> {
  const key = `${variant.name}-${await hashInputs(variant)}`;
  const root = path.join(CACHE_ROOT, key);
  const lock = `${root}.lock`;
  await fs.mkdir(CACHE_ROOT, { recursive: true });
  for (let waited = 0; !(await exists(path.join(root, '.complete'))); waited += 250) {
    try {
      await fs.mkdir(lock);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Another worker is building: wait for it (a lock older than 5 minutes is abandoned).
      const age = Date.now() - (await fs.stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 300_000) await fs.rm(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (!(await exists(path.join(root, '.complete')))) await build(variant, root);
    } finally {
      await fs.rm(lock, { recursive: true, force: true });
    }
  }
  const data = JSON.parse(await fs.readFile(path.join(root, 'generated.json'), 'utf8')) as GeneratedData;
  return { variant, root, dataDir: path.join(root, 'data'), clientDir: path.join(root, 'dist', 'client'), data };
}
