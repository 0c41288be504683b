/**
 * Canonical article URLs: the key that makes one story from two feeds (or two fetches) the same
 * signal, and the link we store. Pure; the tables are data.
 */

/** Query parameters that only track the click (lower-case names; `utm_` is a prefix). */
export const TRACKING_PARAMS: readonly string[] = [
  'fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'igshid', 'twclid', 'ttclid', 'li_fat_id',
  'mc_cid', 'mc_eid', 'ocid', 'cmpid', 'cmp', 'ref', 'ref_src', 'ref_url',
  'at_medium', 'at_campaign', 'at_custom1', 'at_custom2', 'at_custom3', 'at_custom4', 'spm', '_ga', '_gl',
  'wt_mc', 'wt_zmc', 'wt.mc_id', 'wt_mc_id', 'xtor', 'soc_src', 'soc_trk',
  'hss_channel', 'mkt_tok', 'vero_id', 'sr_share', 'guccounter', 'guce_referrer', 'guce_referrer_sig',
];
const TRACKING_PREFIXES: readonly string[] = ['utm_', 'pk_', 'mtm_', 'at_', 'wt_'];

/** Per-host parameters that change nothing about which article is shown. */
export const HOST_PARAMS: Readonly<Record<string, readonly string[]>> = {
  'heise.de': ['seite', 'view'],
  'news.google.com': ['oc', 'hl', 'gl', 'ceid'],
};

interface Redirector {
  host: string;
  /** Returns the wrapped target (maybe scheme-less) or null. */
  unwrap(u: URL): string | null;
}

/** Click redirectors whose target is readable from the URL itself. */
export const REDIRECTORS: readonly Redirector[] = [
  { host: 'go.theregister.com', unwrap: (u) => (u.pathname.startsWith('/feed/') ? u.pathname.slice('/feed/'.length) + u.search : null) },
  { host: 'go.theregister.co.uk', unwrap: (u) => (u.pathname.startsWith('/feed/') ? u.pathname.slice('/feed/'.length) + u.search : null) },
  { host: 'www.google.com', unwrap: (u) => (u.pathname === '/url' ? (u.searchParams.get('q') ?? u.searchParams.get('url')) : null) },
  { host: 'l.facebook.com', unwrap: (u) => (u.pathname === '/l.php' ? u.searchParams.get('u') : null) },
  { host: 'out.reddit.com', unwrap: (u) => u.searchParams.get('url') },
  { host: 'feedproxy.google.com', unwrap: () => null },
];

const MAX_URL = 2048;
const MAX_UNWRAP = 3;

function isTrackingParam(name: string, host: string): boolean {
  const n = name.toLowerCase();
  if (TRACKING_PARAMS.includes(n) || TRACKING_PREFIXES.some((p) => n.startsWith(p))) return true;
  for (const [suffix, params] of Object.entries(HOST_PARAMS)) {
    if ((host === suffix || host.endsWith(`.${suffix}`)) && params.includes(n)) return true;
  }
  return false;
}

function parseHttp(raw: string, base?: string): URL | null {
  let u: URL;
  try {
    u = base ? new URL(raw, base) : new URL(raw);
  } catch {
    // Not a URL at all: the caller treats null as "no link".
    return null;
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
}

/**
 * The canonical form of an article link, or null for anything that is not an absolute http(s)
 * URL (javascript:, data:, mailto:, garbage). Resolves relative links against `base`, unwraps known
 * redirectors, lower-cases the host, drops credentials, default ports, fragments and tracking
 * parameters, and sorts the remaining parameters.
 */
export function canonicalizeUrl(raw: string | null | undefined, base?: string): string | null {
  if (!raw) return null;
  // Control characters and spaces inside a feed link are junk from the feed, never part of the URL.
  let u = parseHttp(raw.trim().replace(/[\u0000-\u001F\u007F\s]+/g, ''), base);
  for (let i = 0; u && i < MAX_UNWRAP; i++) {
    const host = u.hostname.toLowerCase();
    const r = REDIRECTORS.find((d) => d.host === host);
    const target = r?.unwrap(u);
    if (!target) break;
    const absolute = /^[a-z][a-z0-9+.-]*:/i.test(target) ? target : `https://${target.replace(/^\/+/, '')}`;
    u = parseHttp(absolute);
  }
  if (!u) return null;
  u.hostname = u.hostname.toLowerCase().replace(/\.$/, '');
  u.username = '';
  u.password = '';
  u.hash = '';
  const kept = [...u.searchParams.entries()]
    .filter(([k]) => !isTrackingParam(k, u.hostname))
    .sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a < b ? -1 : 1));
  u.search = kept.length ? new URLSearchParams(kept).toString() : '';
  const out = u.toString();
  return out.length <= MAX_URL ? out : null;
}

/**
 * A looser key for "same article": canonical URL without scheme, `www.` and trailing slash.
 * Not a link; only for comparing.
 */
export function urlKey(canonical: string): string {
  return canonical
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/(?=\?|$)/, '');
}
