/**
 * Incident pages at scale. Astro renders one "shell" incident page per language with placeholder
 * tokens (the real BaseLayout: head, CSP, navigation, footer, CSS and script links); after the
 * build, `writeIncidentPages` fills the shell with each incident's pure-rendered content and
 * writes `/<lang>/incidents/<id>/index.html`. For 5,000 incidents × 2 languages rendering takes
 * about 1.5 s and writing the 10,000 files 1.5–4 s on the 2-core build machine, against ~35 s as
 * separate Astro pages (≈300 pages/s there).
 * In `astro dev` the route renders every incident itself with the same renderer.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Incident } from '../domain/schemas.ts';
import { LANGUAGES, type Lang } from '../domain/vocabulary.ts';
import { useMessages } from '../i18n/index.ts';
import { escapeHtml } from './escape.ts';
import { describeIncident, renderIncidentMain } from './render/incident.ts';
import type { SiteModel } from './queries.ts';
import { createSourceLabeler } from './sources.ts';
import { paths } from './urls.ts';

/** Route id of the shell page; never a valid incident id (ids start with a letter or digit). */
export const INCIDENT_SHELL_ID = '__shell__';

/** Tokens the shell carries; each is replaced once per page. */
export const SHELL_TOKENS = {
  title: '%%OR:TITLE%%',
  description: '%%OR:DESCRIPTION%%',
  id: '%%OR:ID%%',
  head: '%%OR:HEAD%%',
  main: '%%OR:MAIN%%',
} as const;
type TokenName = keyof typeof SHELL_TOKENS;
const TOKEN_NAMES = Object.keys(SHELL_TOKENS) as TokenName[];
const TOKEN_PATTERN = /%%OR:([A-Z]+)%%/g;

export class ShellError extends Error {
  readonly code = 'SITE_SHELL_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ShellError';
  }
}

/** Values per token: `title` and `description` are plain text (escaped on fill), `head` and `main` HTML. */
export type ShellValues = Record<TokenName, string>;
const TEXT_TOKENS: ReadonlySet<TokenName> = new Set(['title', 'description']);
export type CompiledShell = (values: ShellValues) => string;

/**
 * Splits a shell page at its tokens once; the returned function joins literal parts and values in
 * one pass, so a value that happens to contain a token text is never substituted again.
 */
export function compileShell(html: string): CompiledShell {
  const parts: (string | TokenName)[] = [];
  const seen = new Set<TokenName>();
  let last = 0;
  for (const match of html.matchAll(TOKEN_PATTERN)) {
    const name = match[1]!.toLowerCase() as TokenName;
    if (!TOKEN_NAMES.includes(name)) throw new ShellError(`unknown shell token ${match[0]}`);
    parts.push(html.slice(last, match.index));
    parts.push(name);
    seen.add(name);
    last = match.index + match[0].length;
  }
  parts.push(html.slice(last));
  for (const required of ['title', 'main', 'id'] as const) {
    if (!seen.has(required)) throw new ShellError(`shell lacks ${SHELL_TOKENS[required]}`);
  }
  // Even indexes are literals, odd indexes token names.
  return (values) => {
    if (!/^[a-z0-9_][a-z0-9_-]*$/.test(values.id)) throw new ShellError(`not a page id: ${values.id}`);
    let out = '';
    for (let k = 0; k < parts.length; k++) {
      if (k % 2 === 0) out += parts[k] as string;
      else {
        const name = parts[k] as TokenName;
        out += TEXT_TOKENS.has(name) ? escapeHtml(values[name]) : values[name];
      }
    }
    return out;
  };
}

/** Shell values for one incident page. */
export function incidentShellValues(
  incident: Incident,
  lang: Lang,
  model: SiteModel,
  labelSource = createSourceLabeler(model.data.config),
): ShellValues {
  return {
    title: incident.title,
    description: describeIncident(incident, lang),
    id: incident.id,
    head: '',
    main: renderIncidentMain(incident, { lang, now: model.now, labelSource }),
  };
}

/** Shell values for the page at a merged-away id: a redirect to the surviving incident. */
export function aliasShellValues(alias: string, target: Incident, lang: Lang): ShellValues {
  const m = useMessages(lang).incident;
  const href = paths.incident(lang, target.id);
  return {
    title: m.aliasTitle,
    description: m.aliasTitle,
    // Canonical and language links point at the surviving incident.
    id: target.id,
    head: `<meta http-equiv="refresh" content="0; url=${href}"><meta name="robots" content="noindex">`,
    main: `<article class="incident"><h1>${escapeHtml(m.aliasTitle)}</h1><p>${escapeHtml(m.aliasBody)} <a href="${href}">${escapeHtml(target.title)}</a>.</p><p class="meta">${escapeHtml(alias)}</p></article>`,
  };
}

// Rendering is CPU-bound and writing I/O-bound: a pool of async writers lets both overlap.
async function writeAll(jobs: { file: string; html: () => string }[], concurrency = 32): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const html = job.html();
      await fs.mkdir(path.dirname(job.file), { recursive: true });
      await fs.writeFile(job.file, html);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
}

export interface IncidentPagesResult {
  pages: number;
  aliases: number;
  ms: number;
}

/**
 * Fills the shells in `clientDir` for every incident and alias in every language, then removes
 * the shells. Throws ShellError when a shell is missing or malformed.
 */
export async function writeIncidentPages(clientDir: string, model: SiteModel): Promise<IncidentPagesResult> {
  const started = performance.now();
  let pages = 0;
  let aliases = 0;
  const labelSource = createSourceLabeler(model.data.config);
  for (const lang of LANGUAGES) {
    const shellDir = path.join(clientDir, lang, 'incidents', INCIDENT_SHELL_ID);
    let shellHtml: string;
    try {
      shellHtml = await fs.readFile(path.join(shellDir, 'index.html'), 'utf8');
    } catch (cause) {
      throw new ShellError(`incident shell for ${lang} not built (${(cause as Error).message})`);
    }
    const fill = compileShell(shellHtml);
    const jobs = model.incidents.map((incident) => ({
      file: path.join(clientDir, lang, 'incidents', incident.id, 'index.html'),
      html: () => fill(incidentShellValues(incident, lang, model, labelSource)),
    }));
    for (const [alias, targetId] of model.aliases) {
      const target = model.incidentById.get(targetId)!;
      jobs.push({ file: path.join(clientDir, lang, 'incidents', alias, 'index.html'), html: () => fill(aliasShellValues(alias, target, lang)) });
      aliases++;
    }
    await writeAll(jobs);
    pages += model.incidents.length;
    await fs.rm(shellDir, { recursive: true, force: true });
  }
  return { pages, aliases, ms: performance.now() - started };
}
