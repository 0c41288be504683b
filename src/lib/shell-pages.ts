/**
 * Writes every shell-filled page of a build (incidents, merged-id redirects, history) and the
 * archive JSON into the client dir, then removes the shells. Used by the build worker
 * (shell-pages-worker.ts).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LANGUAGES } from '../domain/vocabulary.ts';
import { historyPageJobs } from './history-pages.ts';
import { incidentPageJobs } from './incident-pages.ts';
import { buildArchive, jsonBody } from './outputs.ts';
import { readShell, removeShell, writePageJobs, type PageJob } from './page-shells.ts';
import type { SiteModel } from './queries.ts';
import { paths } from './urls.ts';

export interface ShellPagesResult {
  incidentPages: number;
  aliases: number;
  historyPages: number;
  ms: number;
}

export async function writeShellPages(clientDir: string, model: SiteModel): Promise<ShellPagesResult> {
  const started = performance.now();
  const jobs: PageJob[] = [];
  let historyPages = 0;
  for (const lang of LANGUAGES) {
    jobs.push(...incidentPageJobs(model, lang, await readShell(clientDir, lang, 'incidents')));
    const history = historyPageJobs(model, lang, await readShell(clientDir, lang, 'history'));
    historyPages += history.length;
    jobs.push(...history);
  }
  await writePageJobs(clientDir, jobs);
  const archive = path.join(clientDir, paths.api.archive);
  await fs.mkdir(path.dirname(archive), { recursive: true });
  await fs.writeFile(archive, jsonBody(buildArchive(model)));
  for (const lang of LANGUAGES) {
    await removeShell(clientDir, lang, 'incidents');
    await removeShell(clientDir, lang, 'history');
  }
  return {
    incidentPages: model.incidents.length * LANGUAGES.length,
    aliases: model.aliases.size * LANGUAGES.length,
    historyPages,
    ms: performance.now() - started,
  };
}
