import { describe, expect, test } from 'vitest';
import { isPlainPath, normalizeRequestPath, pathOf } from '../../src/server/paths.ts';

describe('normalizeRequestPath', () => {
  test.each([
    ['/', '/'],
    ['/en/', '/en/'],
    ['/en/index.html?x=1#top', '/en/index.html'],
    ['/de/history.rss', '/de/history.rss'],
    ['//en//about/', '/en/about/'],
    ['/en/./about', '/en/about'],
    ['/en/../de/', '/de/'],
    ['/en/%61bout/', '/en/about/'],
    ['/files/a%20b.txt', '/files/a b.txt'],
    ['/caf%C3%A9', '/café'],
    ['/en/..', '/'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeRequestPath(raw)).toEqual({ ok: true, pathname: expected });
  });

  test.each([
    ['/../etc/passwd', 'PATH_TRAVERSAL'],
    ['/en/../../etc/passwd', 'PATH_TRAVERSAL'],
    ['/%2e%2e/etc/passwd', 'PATH_TRAVERSAL'],
    ['/%2E%2E/%2E%2E/etc/passwd', 'PATH_TRAVERSAL'],
    ['/..%2fetc%2fpasswd', 'PATH_FORBIDDEN_CHAR'],
    ['/en%2f..%2f..%2fetc', 'PATH_FORBIDDEN_CHAR'],
    ['/..%5c..%5cwindows', 'PATH_FORBIDDEN_CHAR'],
    ['/a%00.html', 'PATH_FORBIDDEN_CHAR'],
    ['/a%0d%0aSet-Cookie:x', 'PATH_FORBIDDEN_CHAR'],
    ['/%E0%A4%A', 'PATH_MALFORMED'],
    ['/%zz', 'PATH_MALFORMED'],
    ['*', 'PATH_MALFORMED'],
    ['http://evil.example/x', 'PATH_MALFORMED'],
    [`/${'a'.repeat(3000)}`, 'PATH_TOO_LONG'],
  ])('refuses %s (%s)', (raw, code) => {
    const r = normalizeRequestPath(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });
});

describe('isPlainPath', () => {
  test.each([
    ['/en/index.html', true],
    ['/_astro/x.abc.css', true],
    ['/', true],
    ['/en/%20', false],
    ['/en/../x', false],
    ['/.env', false],
    ['//x', false],
    ['/a\\b', false],
    ['/a b', false],
    ['', false],
  ])('%s → %s', (raw, expected) => {
    expect(isPlainPath(raw)).toBe(expected);
  });
});

test('pathOf cuts the query and the fragment', () => {
  expect(pathOf('/a?b#c')).toBe('/a');
  expect(pathOf('/a#c?b')).toBe('/a');
  expect(pathOf('/a')).toBe('/a');
});
