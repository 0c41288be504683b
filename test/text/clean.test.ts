import { describe, expect, test } from 'vitest';
import { cleanTitle, decodeEntities, htmlToText, truncateText } from '../../scrapers/text/clean.ts';

describe('cleanTitle', () => {
  test.each([
    ['numeric entities inside CDATA (The Verge)', 'Microsoft&#8217;s Outlook outage &#8220;fixed&#8221;&#8230;', 'Microsoft’s Outlook outage “fixed”…'],
    ['escaped HTML in an Atom title (The Register)', '&lt;i&gt;Dr No&lt;/i&gt; meets Outlook', 'Dr No meets Outlook'],
    ['double-escaped tags', '&amp;lt;i&amp;gt;Outlook&amp;lt;/i&amp;gt; down', 'Outlook down'],
    ['double-escaped dash (WordPress)', 'Outlook &amp;#8211; Störung &amp;amp; Ausfall', 'Outlook – Störung & Ausfall'],
    ['real tags after XML decoding', '<i>Teams</i> ist <b>gestört</b>', 'Teams ist gestört'],
    ['block tags become spaces', 'Outlook<br/>down', 'Outlook down'],
    ['zero-width space and NBSP (heise)', 'Outlook\u200B-Störung:\u00A0Microsoft\u202Funtersucht', 'Outlook-Störung: Microsoft untersucht'],
    ['control characters', 'Out\u0007look\u0000 down\u0085', 'Outlook down'],
    ['bidi override cannot reorder the title', 'Outlook \u202Enwod\u202C is \u2066fine\u2069', 'Outlook nwod is fine'],
    ['NFC: decomposed umlaut', 'Sto\u0308rung', 'Störung'],
    ['whitespace collapsed and trimmed', '  Outlook \n\t down  ', 'Outlook down'],
    ['a lone ampersand stays', 'AT&T and Outlook', 'AT&T and Outlook'],
    ['a comparison is not a tag', 'Latency < 5 ms > target', 'Latency < 5 ms > target'],
    ['script tags are stripped, their text is harmless text', '&lt;script&gt;alert(1)&lt;/script&gt;Outlook', 'alert(1) Outlook'],
  ])('%s', (_name, input, expected) => {
    expect(cleanTitle(input)).toBe(expected);
  });

  test('empty and missing input give an empty string', () => {
    expect(cleanTitle(undefined)).toBe('');
    expect(cleanTitle(null)).toBe('');
    expect(cleanTitle('')).toBe('');
  });

  test('decodes at most three levels of escaping', () => {
    expect(decodeEntities('&amp;amp;amp;amp;')).toBe('&amp;');
  });
});

describe('htmlToText', () => {
  test('drops images, tracking pixels and scripts and separates blocks', () => {
    const html =
      '<p>Outlook ist <a href="https://x.example/">gestört</a>.</p><p>Microsoft untersucht.</p><img src="https://cpx.golem.de/cpx.php?x=1" width="1" height="1"/><script>evil()</script>';
    expect(htmlToText(html)).toBe('Outlook ist gestört. Microsoft untersucht.');
  });

  test('decodes entities once (cheerio) and normalises spaces', () => {
    expect(htmlToText('Teams&nbsp;&amp;&#160;Outlook &#8211; down')).toBe('Teams & Outlook – down');
  });
});

describe('truncateText', () => {
  test('keeps short text and cuts long text at a word boundary with an ellipsis', () => {
    expect(truncateText('short', 10)).toBe('short');
    const cut = truncateText('Outlook ist seit dem Morgen weltweit gestört und Microsoft untersucht', 30);
    expect(cut.length).toBeLessThanOrEqual(30);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).toBe('Outlook ist seit dem Morgen…');
  });

  test('never splits a surrogate pair', () => {
    const cut = truncateText(`${'a'.repeat(8)}😀😀😀`, 10);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
