/**
 * The site's security header plan, for whoever serves the built files (the Node server, a CDN, a
 * reverse proxy) and for the `<meta>` CSP every page carries for hosts that cannot set headers.
 *
 * - Pages load only same-origin scripts, styles, images and JSON; the one inline script (theme
 *   before first paint) is allowed by its hash. No third party is ever contacted.
 * - Every page refuses to be framed (`frame-ancestors 'none'`), except the widget pages under
 *   `/<lang>/widget/`, which exist to be iframed by anyone (`frame-ancestors *`).
 * - Public machine-readable files (API JSON, badges, feeds, widget.js) are readable cross-origin:
 *   `Access-Control-Allow-Origin: *` and `Cross-Origin-Resource-Policy: cross-origin`, so the
 *   widget script works on a host page and shields.io and feed readers can fetch them.
 * `frame-ancestors` only works as a header: a `<meta>` CSP cannot carry it.
 */
import { createHash } from 'node:crypto';

/** Applies a stored theme choice before the first paint (no flash of the wrong theme). */
export const THEME_SCRIPT =
  "try{var t=localStorage.getItem('or-theme');if(t==='dark'||t==='light')document.documentElement.dataset.theme=t}catch(e){}";

/** CSP source expression of the inline theme script. */
export const THEME_SCRIPT_HASH = `'sha256-${createHash('sha256').update(THEME_SCRIPT).digest('base64')}'`;

/** Directives shared by header and meta CSP. */
export function baseCspDirectives(): string[] {
  return [
    "default-src 'none'",
    `script-src 'self' ${THEME_SCRIPT_HASH}`,
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
  ];
}

/** The CSP for a `<meta http-equiv>` tag (no frame-ancestors: browsers ignore it there). */
export function metaContentSecurityPolicy(): string {
  return baseCspDirectives().join('; ');
}

/** True for paths meant to be embedded in other sites' iframes. */
export function isFramablePath(pathname: string): boolean {
  return /^\/(en|de)\/widget(\/|$)/.test(pathname);
}

/** True for public machine-readable files other origins may read. */
export function isCrossOriginReadable(pathname: string): boolean {
  return (
    pathname.startsWith('/api/') ||
    pathname.startsWith('/badges/') ||
    pathname === '/widget.js' ||
    /\.(rss|atom)$/.test(pathname)
  );
}

/** The CSP header value for a path. */
export function contentSecurityPolicyFor(pathname: string): string {
  return [...baseCspDirectives(), `frame-ancestors ${isFramablePath(pathname) ? '*' : "'none'"}`].join('; ');
}

/**
 * Every security header a response for `pathname` should carry (values ready to set). Content-Type
 * comes from `contentTypeFor` in content-types.ts.
 */
export function securityHeadersFor(pathname: string): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicyFor(pathname),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  if (!isFramablePath(pathname)) headers['X-Frame-Options'] = 'DENY';
  if (isCrossOriginReadable(pathname)) {
    headers['Access-Control-Allow-Origin'] = '*';
    headers['Cross-Origin-Resource-Policy'] = 'cross-origin';
  } else {
    headers['Cross-Origin-Resource-Policy'] = isFramablePath(pathname) ? 'cross-origin' : 'same-origin';
  }
  return headers;
}
