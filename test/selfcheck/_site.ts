/**
 * Builds the Astro site into a temporary outDir (inside node_modules/.cache so the built server
 * resolves its packages) and runs the built @astrojs/node standalone server on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../../src/lib/free-port.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** vitest exports Vite's env (NODE_ENV=test, MODE, DEV=1, …) to process.env; a child build must not inherit it. */
function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const vite = new Set(['NODE_ENV', 'MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL', 'TEST']);
  return { ...Object.fromEntries(Object.entries(env).filter(([k]) => !vite.has(k) && !k.startsWith('VITEST'))), NODE_ENV: 'production' };
}

function runToEnd(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${out.slice(-4000)}`))));
  });
}

export async function buildSite(env: NodeJS.ProcessEnv): Promise<{ outDir: string; log: string; remove(): Promise<void> }> {
  // Inside the project so the build resolves node_modules; the cache folder is absent on a fresh clone.
  await mkdir(path.join(ROOT, 'node_modules/.cache'), { recursive: true });
  const base = await mkdtemp(path.join(ROOT, 'node_modules/.cache/selfcheck-site-'));
  const outDir = path.join(base, 'out');
  const astro = path.join(ROOT, 'node_modules/astro/bin/astro.mjs');
  const remove = () => rm(base, { recursive: true, force: true });
  try {
    const log = await runToEnd(process.execPath, [astro, 'build', '--outDir', outDir], { ...cleanEnv(env), ASTRO_TELEMETRY_DISABLED: '1' });
    return { outDir, log, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}


export interface RunningSite {
  baseUrl: string;
  output: () => string;
  close(): Promise<void>;
}

export async function startBuiltServer(outDir: string, env: NodeJS.ProcessEnv): Promise<RunningSite> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(outDir, 'server/entry.mjs')], {
    cwd: ROOT,
    env: { ...cleanEnv(env), HOST: '127.0.0.1', PORT: String(port) },
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${baseUrl}/en/codes/`);
      await res.arrayBuffer();
      break;
    } catch {
      if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    baseUrl,
    output: () => output,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** axe violations (WCAG 2.x A and AA) as short strings; empty when clean. */
export async function findAxeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')})`);
}
