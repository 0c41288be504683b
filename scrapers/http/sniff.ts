/**
 * Content sniffing on decoded bodies: is this an HTML page, and is it a bot-protection
 * interstitial? Pure functions.
 */

/** Leading XML declaration, comments, processing instructions and whitespace. */
const PROLOGUE = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/;

/** True when the body is an HTML document (doctype, `<html>`, or `<head>`/`<body>` first). */
export function looksLikeHtml(text: string): boolean {
  const start = text.slice(0, 4096).replace(PROLOGUE, '').slice(0, 200).toLowerCase();
  return /^<!doctype\s+html/.test(start) || /^<(html|head|body)[\s>]/.test(start);
}

/** The first non-whitespace character after any XML prologue, or ''. */
export function firstSignificantChar(text: string): string {
  return text.slice(0, 4096).replace(PROLOGUE, '').charAt(0);
}

const INTERSTITIAL_TITLES = [
  /<title>\s*just a moment(?:\.\.\.|…)?\s*<\/title>/i,
  /<title>\s*attention required!?\s*\|\s*cloudflare\s*<\/title>/i,
  /<title>\s*(?:please wait|checking your browser)[^<]*<\/title>/i,
  /<title>\s*access denied\s*<\/title>/i,
  /<title>\s*ddos-guard\s*<\/title>/i,
];

const INTERSTITIAL_MARKERS = [
  'cf-browser-verification',
  '/cdn-cgi/challenge-platform/',
  'cf_chl_opt',
  '_incapsula_resource',
  'px-captcha',
  'captcha-delivery.com',
  'checking your browser before accessing',
  'enable javascript and cookies to continue',
];

/**
 * True when an HTML body is a bot-protection challenge rather than the page asked for
 * (Cloudflare "Just a moment…", Incapsula, PerimeterX, DataDome, Akamai "Access Denied").
 */
export function isBotInterstitial(text: string): boolean {
  const head = text.slice(0, 64 * 1024);
  if (INTERSTITIAL_TITLES.some((re) => re.test(head))) return true;
  const lower = head.toLowerCase();
  return INTERSTITIAL_MARKERS.some((m) => lower.includes(m));
}
