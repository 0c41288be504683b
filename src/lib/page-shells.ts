/**
 * Pages at scale. Astro renders one "shell" page per language and section (incidents, history)
 * with placeholder tokens: the real BaseLayout, with head, CSP, navigation, footer, CSS and
 * script links. After that, the build fills the shell with each page's pure-rendered content and
 * writes the files. For 5,000 incidents × 2 languages, rendering takes about 1.5 s and writing the
 * 10,000 files 1.5–4 s on the 2-core build machine, against ~35 s as separate Astro pages
 * (≈300 pages/s there). In `astro dev` the routes render every page themselves with the same
 * renderers.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Lang } from '../domain/vocabulary.ts';
import { escapeHtml } from './escape.ts';

/** Route parameter of a shell page; never a valid incident id or page number. */
export const SHELL_ID = '__shell__';

export type ShellSection = 'incidents' | 'history';

/** Tokens a shell carries; each is replaced once per page. */
export const SHELL_TOKENS = {
  title: '%%OR:TITLE%%',
  description: '%%OR:DESCRIPTION%%',
  /** The page's path after `/<lang>/`, e.g. `incidents/<id>/` (canonical, hreflang, language switch). */
  path: '%%OR:PATH%%',
  head: '%%OR:HEAD%%',
  main: '%%OR:MAIN%%',
} as const;
type TokenName = keyof typeof SHELL_TOKENS;
const TOKEN_NAMES = Object.keys(SHELL_TOKENS) as TokenName[];
const TOKEN_PATTERN = /%%OR:([A-Z]+)%%/g;
const TEXT_TOKENS: ReadonlySet<TokenName> = new Set(['title', 'description']);
const PAGE_PATH = /^[a-z0-9][a-z0-9/-]*\/$/;

export class ShellError extends Error {
  readonly code = 'SITE_SHELL_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ShellError';
  }
}

/** Values per token: `title` and `description` are plain text (escaped on fill), `head` and `main` HTML. */
export type ShellValues = Record<TokenName, string>;
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
  for (const required of ['title', 'main', 'path'] as const) {
    if (!seen.has(required)) throw new ShellError(`shell lacks ${SHELL_TOKENS[required]}`);
  }
  // Even indexes are literals, odd indexes token names.
  return (values) => {
    if (!PAGE_PATH.test(values.path) || values.path.includes('//')) throw new ShellError(`not a page path: ${values.path}`);
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

/** Where Astro writes the shell of a section. */
export function shellFile(clientDir: string, lang: Lang, section: ShellSection): string {
  return path.join(clientDir, lang, section, SHELL_ID, 'index.html');
}

/** Reads and compiles a shell; ShellError when it was not built. */
export async function readShell(clientDir: string, lang: Lang, section: ShellSection): Promise<CompiledShell> {
  try {
    return compileShell(await fs.readFile(shellFile(clientDir, lang, section), 'utf8'));
  } catch (cause) {
    if (cause instanceof ShellError) throw cause;
    throw new ShellError(`${section} shell for ${lang} not built (${(cause as Error).message})`);
  }
}

/** Removes a section's shell once its pages are written. */
export async function removeShell(clientDir: string, lang: Lang, section: ShellSection): Promise<void> {
  await fs.rm(path.dirname(shellFile(clientDir, lang, section)), { recursive: true, force: true });
}

export interface PageJob {
  /** Page path after `/<lang>/`, as in ShellValues.path. */
  lang: Lang;
  path: string;
  html: () => string;
}

// Rendering is CPU-bound and writing I/O-bound: a pool of async writers lets both overlap.
export async function writePageJobs(clientDir: string, jobs: PageJob[], concurrency = 32): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const html = job.html();
      const dir = path.join(clientDir, job.lang, job.path);
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, 'index.html'), html);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
}
