import { describe, expect, test } from 'vitest';
import { cleanText, escapeHtml, escapeXml, safeHttpUrl, serializeJsonForHtml, truncateText } from '../../../src/lib/escape.ts';

describe('escapeHtml', () => {
  test.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ["it's & that", 'it&#39;s &amp; that'],
    ['Tom &amp; Jerry', 'Tom &amp;amp; Jerry'],
    ['evil\u202Egnp.exe\u202C', 'evilgnp.exe'],
    ['a\u0000b\u0007c', 'abc'],
    ['keeps\nnewlines\tand tabs', 'keeps\nnewlines\tand tabs'],
  ])('escapes %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('escapeXml', () => {
  test('strips characters XML 1.0 forbids and escapes markup', () => {
    expect(escapeXml('a\u0001b\uFFFEc\uD800d ]]> <x> & \'q\' "d"')).toBe('abcd ]]&gt; &lt;x&gt; &amp; &apos;q&apos; &quot;d&quot;');
  });
  test('keeps astral characters', () => {
    expect(escapeXml('Outlook 📧')).toBe('Outlook 📧');
  });
});

describe('safeHttpUrl', () => {
  test.each([
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    [' javascript:alert(1)', null],
    ['data:text/html,<script>alert(1)</script>', null],
    ['vbscript:msgbox(1)', null],
    ['/relative/path', null],
    ['//evil.example/x', null],
    ['https://user:pass@evil.example/', null],
    ['not a url', null],
    [null, null],
    ['https://www.heise.de/news/x.html', 'https://www.heise.de/news/x.html'],
    ['http://example.com/a?b="><script>', 'http://example.com/a?b=%22%3E%3Cscript%3E'],
  ])('%j → %j', (input, expected) => {
    expect(safeHttpUrl(input)).toBe(expected);
  });
});

describe('serializeJsonForHtml', () => {
  test('cannot close the script element or open a comment', () => {
    const out = serializeJsonForHtml({ t: '</script><script>alert(1)</script><!-- \u2028 &' });
    expect(out).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(out)).toEqual({ t: '</script><script>alert(1)</script><!-- \u2028 &' });
  });
});

describe('cleanText and truncateText', () => {
  test('trim and collapse', () => {
    expect(cleanText('  \u202Ehi  ')).toBe('hi');
    expect(truncateText('alpha beta gamma', 12)).toBe('alpha beta…');
    expect(truncateText('abcdefghijklmnop', 8)).toBe('abcdefg…');
    expect(truncateText('short', 12)).toBe('short');
  });
});
