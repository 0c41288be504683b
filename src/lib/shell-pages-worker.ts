/**
 * Worker thread that writes the shell-filled pages (incidents, merged-id redirects, history)
 * while Astro is still prerendering the other pages (the build machine has two cores; Astro uses
 * one). It loads the data itself, waits until every shell exists in one of the candidate output
 * folders, then fills them (see page-shells.ts) and reports back. Started and awaited by
 * site-integration.ts.
 */
import { promises as fs } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { LANGUAGES } from '../domain/vocabulary.ts';
import { shellFile, type ShellSection } from './page-shells.ts';
import { buildSiteModel } from './queries.ts';
import { writeShellPages, type ShellPagesResult } from './shell-pages.ts';
import { loadSiteData } from './site-data.ts';

export interface ShellWorkerInput {
  /** Folders the static pages may be written to (Astro's client dir, or its outDir). */
  candidates: string[];
  /** Poll interval while waiting for the shells. */
  pollMs?: number;
}

export type ShellWorkerMessage =
  | ({ ok: true; clientDir: string; loadMs: number } & ShellPagesResult)
  | { ok: false; code: string; message: string };

/** A shell is complete once its closing tag is there (Astro writes each page with one call). */
async function isShellComplete(file: string): Promise<boolean> {
  try {
    return (await fs.readFile(file, 'utf8')).trimEnd().endsWith('</html>');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function waitForShells(candidates: string[], pollMs: number): Promise<string> {
  for (;;) {
    for (const dir of candidates) {
      const shells = LANGUAGES.flatMap((lang) => (['incidents', 'history'] as ShellSection[]).map((section) => shellFile(dir, lang, section)));
      const done = await Promise.all(shells.map(isShellComplete));
      if (done.every(Boolean)) return dir;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

async function run(input: ShellWorkerInput): Promise<ShellWorkerMessage> {
  const started = performance.now();
  const model = buildSiteModel(await loadSiteData());
  const loadMs = performance.now() - started;
  const clientDir = await waitForShells(input.candidates, input.pollMs ?? 25);
  const result = await writeShellPages(clientDir, model);
  return { ok: true, clientDir, loadMs, ...result };
}

if (parentPort) {
  const port = parentPort;
  run(workerData as ShellWorkerInput).then(
    (message) => port.postMessage(message),
    (err: Error & { code?: string }) => port.postMessage({ ok: false, code: err.code ?? 'SITE_INCIDENT_PAGES_FAILED', message: err.message }),
  );
}
