/**
 * Request paths → the canonical URL path a built file is keyed by. Pure. Static files are served
 * from an in-memory table of the files a build holds, so nothing outside the build can ever be
 * read; this module still refuses what no honest client sends (traversal above the root, encoded
 * slashes, NUL and control bytes, malformed escapes) so such requests get a clear 400.
 */

export type PathResult = { ok: true; pathname: string } | { ok: false; code: PathErrorCode; message: string };

export const PATH_ERROR_CODES = ['PATH_MALFORMED', 'PATH_TRAVERSAL', 'PATH_FORBIDDEN_CHAR', 'PATH_TOO_LONG'] as const;
export type PathErrorCode = (typeof PATH_ERROR_CODES)[number];

const MAX_PATH_LENGTH = 2048;

/** The part of a request target before `?` or `#`. */
export function pathOf(rawUrl: string): string {
  let end = rawUrl.length;
  const q = rawUrl.indexOf('?');
  if (q !== -1) end = q;
  const h = rawUrl.indexOf('#');
  if (h !== -1 && h < end) end = h;
  return rawUrl.slice(0, end);
}

/** True when the raw path needs no decoding or normalizing (the common case, checked first). */
export function isPlainPath(raw: string): boolean {
  if (raw.length === 0 || raw.length > MAX_PATH_LENGTH || raw.charCodeAt(0) !== 47 /* / */) return false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 37 /* % */ || c === 92 /* \ */ || c < 0x21 || c === 0x7f) return false;
    // `//`, `/.` (dot segments, dot files) take the slow path.
    if (c === 47 && i + 1 < raw.length && (raw.charCodeAt(i + 1) === 47 || raw.charCodeAt(i + 1) === 46)) return false;
  }
  return true;
}

/**
 * Decodes and normalizes a request path (`/en/../de//x%20y` → `/de/x y`). A trailing slash is kept
 * (it selects a directory index). Refuses `..` above the root, `%2F`/`%5C` inside a segment, NUL
 * and other control characters, invalid UTF-8 escapes and paths longer than 2048 bytes.
 */
export function normalizeRequestPath(rawUrl: string): PathResult {
  const raw = pathOf(rawUrl);
  if (isPlainPath(raw)) return { ok: true, pathname: raw };
  if (raw.length > MAX_PATH_LENGTH) return { ok: false, code: 'PATH_TOO_LONG', message: 'request path too long' };
  if (!raw.startsWith('/')) return { ok: false, code: 'PATH_MALFORMED', message: 'request path must start with /' };
  const out: string[] = [];
  const parts = raw.split('/');
  const trailingSlash = raw.endsWith('/') && raw.length > 1;
  for (let i = 1; i < parts.length; i++) {
    let seg: string;
    try {
      seg = decodeURIComponent(parts[i]!);
    } catch {
      // decodeURIComponent's URIError has no code of its own; the caller gets ours.
      return { ok: false, code: 'PATH_MALFORMED', message: 'malformed percent-encoding in path' };
    }
    if (seg.includes('/') || seg.includes('\\')) return { ok: false, code: 'PATH_FORBIDDEN_CHAR', message: 'encoded slash or backslash in path' };
    if (/[\u0000-\u001f\u007f]/.test(seg)) return { ok: false, code: 'PATH_FORBIDDEN_CHAR', message: 'control character in path' };
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return { ok: false, code: 'PATH_TRAVERSAL', message: 'path leaves the site root' };
      out.pop();
      continue;
    }
    out.push(seg);
  }
  const joined = `/${out.join('/')}`;
  return { ok: true, pathname: trailingSlash && out.length > 0 ? `${joined}/` : joined };
}
