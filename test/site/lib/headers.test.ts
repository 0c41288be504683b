import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { contentTypeFor } from '../../../src/lib/content-types.ts';
import { THEME_SCRIPT, THEME_SCRIPT_HASH, contentSecurityPolicyFor, metaContentSecurityPolicy, securityHeadersFor } from '../../../src/lib/security-headers.ts';

describe('contentTypeFor', () => {
  test.each([
    ['/en/history.rss', 'application/rss+xml; charset=utf-8'],
    ['/de/services/teams/history.atom', 'application/atom+xml; charset=utf-8'],
    ['/badges/en/all.svg', 'image/svg+xml; charset=utf-8'],
    ['/api/v2/summary.json', 'application/json; charset=utf-8'],
    ['/widget.js', 'text/javascript; charset=utf-8'],
    ['/en/', 'text/html; charset=utf-8'],
    ['/en/index.html', 'text/html; charset=utf-8'],
    ['/_astro/x.css?v=1', 'text/css; charset=utf-8'],
    ['/something.bin', 'application/octet-stream'],
  ])('%s → %s', (path, type) => {
    expect(contentTypeFor(path)).toBe(type);
  });
});

describe('security headers', () => {
  test('the inline theme script hash matches the script', () => {
    expect(THEME_SCRIPT_HASH).toBe(`'sha256-${createHash('sha256').update(THEME_SCRIPT).digest('base64')}'`);
  });

  test('pages refuse framing, widget pages allow it', () => {
    expect(contentSecurityPolicyFor('/en/')).toContain("frame-ancestors 'none'");
    expect(securityHeadersFor('/en/')['X-Frame-Options']).toBe('DENY');
    expect(contentSecurityPolicyFor('/de/widget/teams/')).toContain('frame-ancestors *');
    expect(securityHeadersFor('/de/widget/')['X-Frame-Options']).toBeUndefined();
  });

  test('the meta CSP is strict and carries no frame-ancestors', () => {
    const csp = metaContentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self' 'sha256-");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('frame-ancestors');
  });

  test('public machine-readable files are readable cross-origin, pages are not', () => {
    for (const p of ['/api/status.json', '/api/v2/summary.json', '/badges/en/all.svg', '/widget.js', '/en/history.atom']) {
      expect(securityHeadersFor(p)['Access-Control-Allow-Origin']).toBe('*');
    }
    expect(securityHeadersFor('/en/')['Access-Control-Allow-Origin']).toBeUndefined();
    expect(securityHeadersFor('/en/')['X-Content-Type-Options']).toBe('nosniff');
  });
});
