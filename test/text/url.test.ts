import { describe, expect, test } from 'vitest';
import { canonicalizeUrl, urlKey } from '../../scrapers/text/url.ts';

describe('canonicalizeUrl', () => {
  test.each([
    ['drops heise wt_mc tracking', 'https://www.heise.de/news/Outlook-Stoerung-10001.html?wt_mc=rss.red.ho.ho.atom.beitrag.beitrag', 'https://www.heise.de/news/Outlook-Stoerung-10001.html'],
    ['drops heise seite=all', 'https://www.heise.de/news/x-1.html?seite=all', 'https://www.heise.de/news/x-1.html'],
    ['drops utm_*, fbclid, gclid and sorts the rest', 'https://Example.COM/a?z=1&utm_source=rss&utm_medium=feed&fbclid=abc&gclid=x&a=2', 'https://example.com/a?a=2&z=1'],
    ['drops the fragment and default port', 'https://example.com:443/story#comments', 'https://example.com/story'],
    ['unwraps The Register redirector', 'https://go.theregister.com/feed/www.theregister.com/2026/11/02/outlook_outage/', 'https://www.theregister.com/2026/11/02/outlook_outage/'],
    ['unwraps a Google /url redirect', 'https://www.google.com/url?q=https%3A%2F%2Fexample.com%2Fa%3Futm_source%3Dx&sa=D', 'https://example.com/a'],
    ['resolves a relative link against the base', '/news/1.html', 'https://www.golem.de/news/1.html', 'https://www.golem.de/rss.php'],
    ['drops credentials', 'https://user:pw@example.com/x', 'https://example.com/x'],
    ['keeps parameters that select the article', 'https://www.theverge.com/?p=695495', 'https://www.theverge.com/?p=695495'],
  ])('%s', (_name, input, expected, base?: string) => {
    expect(canonicalizeUrl(input, base)).toBe(expected);
  });

  test.each([
    ['javascript:alert(1)'],
    ['JAVASCRIPT:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['mailto:a@example.com'],
    ['ftp://example.com/file'],
    ['not a url'],
    [''],
    [`https://example.com/${'a'.repeat(3000)}`],
  ])('rejects %j', (input) => {
    expect(canonicalizeUrl(input)).toBeNull();
  });

  test('a redirector that wraps javascript: is rejected', () => {
    expect(canonicalizeUrl('https://www.google.com/url?q=javascript:alert(1)')).toBeNull();
  });

  test('urlKey ignores scheme, www and a trailing slash', () => {
    expect(urlKey('https://www.example.com/a/')).toBe(urlKey('http://example.com/a'));
  });
});
