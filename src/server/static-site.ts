/**
 * One built site, loaded for serving: every file of a build's `client/` directory with its bytes,
 * ETag, Content-Type, Cache-Control, security headers and gzip/brotli variants, all computed once
 * when the build is swapped in (builds are immutable, so nothing is looked up per request).
 *
 * Precompressed variants are made in memory and reused: from the previous site for every file
 * whose bytes did not change, and from files already on disk (a restart). `persistVariants()`
 * writes them next to the files (`x.html.br`, `x.html.gz`) for a reverse proxy's
 * gzip_static/brotli_static, after the swap, off the critical path. Only regular files under the
 * directory are listed; symlinks, dot files and anything else are never served.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { contentTypeFor } from '../lib/content-types.ts';
import { securityHeadersFor } from '../lib/security-headers.ts';
import { cacheControlFor } from './cache-policy.ts';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** One representation of a file: its bytes (or where to read them) and the headers to send. */
export interface StaticVariant {
  /** In memory, or null when the file is served from disk (over the memory budget). */
  body: Buffer | null;
  file: string;
  length: number;
  etag: string;
  /** Flat [name, value, …] list for `res.writeHead(200, …)`. */
  headers: string[];
  /** Flat list for `res.writeHead(304, …)`. */
  notModifiedHeaders: string[];
}

export interface StaticEntry {
  /** URL path of the file itself (`/en/index.html`). */
  urlPath: string;
  file: string;
  contentType: string;
  /** Hex SHA-256 of the identity bytes. */
  hash: string;
  /** HTTP date of the first build in which these exact bytes appeared. */
  lastModified: string;
  lastModifiedMs: number;
  identity: StaticVariant;
  gzip: StaticVariant | null;
  br: StaticVariant | null;
  /** Every ETag this file answers to (identity and variants), for If-None-Match. */
  etags: ReadonlySet<string>;
}

export interface StaticSite {
  /** Build id (the build directory's name). */
  id: string;
  /** The `client/` directory. */
  dir: string;
  /** Request path → file; directory indexes are listed as `/x/` and `/x`. */
  entries: Map<string, StaticEntry>;
  /** The built 404 page, if any. */
  notFound: StaticEntry | null;
  stats: StaticSiteStats;
  /**
   * Writes the variants not yet on disk next to their files (temp name, then rename: a proxy never
   * sees half a file; not fsynced, a build directory is disposable). Returns how many were written.
   */
  persistVariants(): Promise<number>;
}

export interface StaticSiteStats {
  files: number;
  bytes: number;
  /** Bytes held in memory (all variants). */
  cachedBytes: number;
  /** Variants compressed in this load / reused from the previous site or the disk. */
  compressed: number;
  reused: number;
  loadMs: number;
}

export interface LoadStaticSiteOptions {
  id: string;
  /** The build's `client/` directory. */
  dir: string;
  /** The site being replaced: unchanged files reuse its variants and Last-Modified. */
  previous?: StaticSite | null;
  /** Memory for file bytes (all variants); beyond it files are read from disk per request. Default 256 MiB. */
  memoryBudgetBytes?: number;
  /** The swap time (Last-Modified of new content). */
  now?: Date;
}

export class StaticSiteError extends Error {
  readonly code = 'STATIC_SITE_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StaticSiteError';
  }
}

const COMPRESSIBLE = /\.(html|css|js|mjs|json|svg|xml|rss|atom|txt|webmanifest|map)$/i;
const MIN_COMPRESS_BYTES = 256;
const MAX_CACHED_FILE_BYTES = 8 * 1024 * 1024;
/**
 * Brotli quality: the best (11, ~1.8 s per MB here) only for fingerprinted assets, compressed once
 * and reused by every later build; pages change with every build ("Page built: …"), so they get 5
 * (~40 ms per MB, about 10 % larger).
 */
const qualityFor = (urlPath: string): number => (urlPath.startsWith('/_astro/') ? 11 : 5);
const VARIANT_SUFFIX: Record<'gzip' | 'br', string> = { gzip: '.gz', br: '.br' };

function compress(body: Buffer, coding: 'br' | 'gzip', urlPath: string): Promise<Buffer> {
  return coding === 'br'
    ? brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: qualityFor(urlPath), [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } })
    : gzip(body, { level: 9 });
}

/** A variant over the memory budget is not kept: compress it again from the file to write it. */
async function compressFile(file: string, coding: 'br' | 'gzip', urlPath: string): Promise<Buffer> {
  return compress(await fs.readFile(file), coding, urlPath);
}

/** Strong ETag for `bytes` of a coding: `"<22 chars of base64url SHA-256>[-br|-gz]"`. */
function etagFor(hash: string, coding: 'identity' | 'gzip' | 'br'): string {
  const tag = Buffer.from(hash.slice(0, 32), 'hex').toString('base64url');
  return `"${tag}${coding === 'identity' ? '' : coding === 'br' ? '-br' : '-gz'}"`;
}

interface FileInfo {
  urlPath: string;
  file: string;
  size: number;
}

/** Regular, non-hidden files under `dir` (precompressed variants excluded), sorted by URL path. */
async function listFiles(dir: string): Promise<{ files: FileInfo[]; variants: Set<string> }> {
  const files: FileInfo[] = [];
  const variants = new Set<string>();
  const walk = async (abs: string, url: string): Promise<void> => {
    const dirents = await fs.readdir(abs, { withFileTypes: true });
    for (const d of dirents) {
      if (d.name.startsWith('.')) continue;
      const childAbs = path.join(abs, d.name);
      if (d.isDirectory()) await walk(childAbs, `${url}${d.name}/`);
      else if (d.isFile()) {
        if (/\.(gz|br)$/.test(d.name)) variants.add(childAbs);
        else files.push({ urlPath: `${url}${d.name}`, file: childAbs, size: 0 });
      }
      // Symlinks and special files are never served: a build must not point outside itself.
    }
  };
  await walk(dir, '/');
  // A `.gz`/`.br` without its original is a file of its own.
  for (const v of variants) {
    const base = v.slice(0, -3);
    if (!files.some((f) => f.file === base)) {
      variants.delete(v);
      files.push({ urlPath: `/${path.relative(dir, v).split(path.sep).join('/')}`, file: v, size: 0 });
    }
  }
  files.sort((a, b) => (a.urlPath < b.urlPath ? -1 : 1));
  return { files, variants };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function headerList(entry: { urlPath: string; contentType: string; lastModified: string }, v: { length: number; etag: string }, coding: 'identity' | 'gzip' | 'br', vary: boolean): { full: string[]; notModified: string[] } {
  const cache = cacheControlFor(entry.urlPath);
  const full = ['Content-Type', entry.contentType, 'Content-Length', String(v.length), 'ETag', v.etag, 'Last-Modified', entry.lastModified, 'Cache-Control', cache];
  const notModified = ['ETag', v.etag, 'Last-Modified', entry.lastModified, 'Cache-Control', cache];
  if (coding !== 'identity') full.push('Content-Encoding', coding);
  if (vary) {
    full.push('Vary', 'Accept-Encoding');
    notModified.push('Vary', 'Accept-Encoding');
  }
  for (const [k, val] of Object.entries(securityHeadersFor(entry.urlPath))) full.push(k, val);
  return { full, notModified };
}

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Loads a build's client directory for serving. Throws StaticSiteError when it is not a directory. */
export async function loadStaticSite(options: LoadStaticSiteOptions): Promise<StaticSite> {
  const t0 = performance.now();
  const dir = path.resolve(options.dir);
  const now = options.now ?? new Date();
  let budget = options.memoryBudgetBytes ?? 256 * 1024 * 1024;
  const stat = await fs.stat(dir).catch((cause: unknown) => {
    throw new StaticSiteError(`${dir}: cannot read the built site`, { cause });
  });
  if (!stat.isDirectory()) throw new StaticSiteError(`${dir}: not a directory`);

  const reuse = new Map<string, StaticEntry>();
  for (const e of options.previous?.entries.values() ?? []) reuse.set(e.hash, e);
  const { files, variants } = await listFiles(dir);
  let compressed = 0;
  let reused = 0;
  let bytes = 0;
  let cachedBytes = 0;

  const loaded = await mapLimit(files, 4, async (f) => {
    const body = await fs.readFile(f.file);
    bytes += body.length;
    const hash = createHash('sha256').update(body).digest('hex');
    const prev = reuse.get(hash);
    const contentType = contentTypeFor(f.urlPath);
    const lastModifiedMs = prev?.lastModifiedMs ?? Math.floor(now.getTime() / 1000) * 1000;
    const lastModified = new Date(lastModifiedMs).toUTCString();
    const wantVariants = COMPRESSIBLE.test(f.urlPath) && body.length >= MIN_COMPRESS_BYTES;

    const encoded: Partial<Record<'gzip' | 'br', Buffer>> = {};
    if (wantVariants) {
      for (const coding of ['br', 'gzip'] as const) {
        const variantFile = f.file + VARIANT_SUFFIX[coding];
        let out: Buffer | null = null;
        const fromPrev = prev?.[coding];
        if (fromPrev) out = fromPrev.body ?? (await readIfExists(fromPrev.file));
        if (!out && variants.has(variantFile)) out = await readIfExists(variantFile);
        if (out) {
          reused++;
        } else {
          out = await compress(body, coding, f.urlPath);
          compressed++;
        }
        // A variant that saves under 5 % is not worth a Vary miss in caches.
        if (out.length < body.length * 0.95) encoded[coding] = out;
      }
    }
    const vary = encoded.br !== undefined || encoded.gzip !== undefined;
    const base = { urlPath: f.urlPath, contentType, lastModified };
    const make = (coding: 'identity' | 'gzip' | 'br', buf: Buffer, file: string): StaticVariant => {
      const etag = etagFor(hash, coding);
      const keep = buf.length <= MAX_CACHED_FILE_BYTES && budget >= buf.length;
      if (keep) {
        budget -= buf.length;
        cachedBytes += buf.length;
      }
      const h = headerList(base, { length: buf.length, etag }, coding, vary);
      return { body: keep ? buf : null, file, length: buf.length, etag, headers: h.full, notModifiedHeaders: h.notModified };
    };
    const identity = make('identity', body, f.file);
    const br = encoded.br ? make('br', encoded.br, f.file + '.br') : null;
    const gz = encoded.gzip ? make('gzip', encoded.gzip, f.file + '.gz') : null;
    const etags = new Set([identity.etag, ...(br ? [br.etag] : []), ...(gz ? [gz.etag] : [])]);
    const entry: StaticEntry = { urlPath: f.urlPath, file: f.file, contentType, hash, lastModified, lastModifiedMs, identity, gzip: gz, br, etags };
    return entry;
  });

  const entries = new Map<string, StaticEntry>();
  for (const e of loaded) entries.set(e.urlPath, e);
  for (const e of loaded) {
    if (e.urlPath.endsWith('/index.html')) {
      const dirPath = e.urlPath.slice(0, -'index.html'.length);
      if (!entries.has(dirPath)) entries.set(dirPath, e);
      const bare = dirPath.length > 1 ? dirPath.slice(0, -1) : dirPath;
      if (!entries.has(bare)) entries.set(bare, e);
    } else if (e.urlPath.endsWith('.html')) {
      const bare = e.urlPath.slice(0, -'.html'.length);
      if (!entries.has(bare)) entries.set(bare, e);
    }
  }
  const persistVariants = async (): Promise<number> => {
    let written = 0;
    for (const e of loaded) {
      for (const v of [e.br, e.gzip]) {
        if (!v || variants.has(v.file)) continue;
        const body = v.body ?? (await compressFile(e.file, v === e.br ? 'br' : 'gzip', e.urlPath));
        const tmp = `${path.dirname(v.file)}/.${path.basename(v.file)}.tmp`;
        await fs.writeFile(tmp, body);
        await fs.rename(tmp, v.file);
        variants.add(v.file);
        written++;
      }
    }
    return written;
  };
  return {
    id: options.id,
    dir,
    entries,
    notFound: entries.get('/404.html') ?? null,
    stats: { files: loaded.length, bytes, cachedBytes, compressed, reused, loadMs: Math.round(performance.now() - t0) },
    persistVariants,
  };
}
