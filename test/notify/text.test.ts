import { describe, expect, test } from 'vitest';
import { cleanText, escapeDiscord, escapeSlack, escapeTeams, fitEscaped } from '../../scrapers/notify/text.ts';

describe('escapers', () => {
  test.each([
    ['Slack entities', escapeSlack, 'A & B <!channel> <@U1> x>y', 'A &amp; B &lt;!channel&gt; &lt;@U1&gt; x&gt;y'],
    ['Slack broadcast words', escapeSlack, 'hey @here and @channel', 'hey @\u200Bhere and @\u200Bchannel'],
    ['Discord markdown', escapeDiscord, '**b** _i_ ~s~ `c` ||sp|| [l](u)', '\\*\\*b\\*\\* \\_i\\_ \\~s\\~ \\`c\\` \\|\\|sp\\|\\| \\[l\\](u)'],
    ['Discord mentions and headings', escapeDiscord, '# H\n@everyone <@123>', '\\# H\n\\@\u200Beveryone \\<\\@123\\>'],
    ['Teams markdown, mentions and card functions', escapeTeams, '**b** [l](u) <at>x</at> {{DATE(x)}}', '\\*\\*b\\*\\* \\[l\\](u) \\<at\\>x\\</at\\> \\{\\{DATE(x)\\}\\}'],
    ['Teams list markers at a line start', escapeTeams, '- a\n+ b\n12. c\nx - y', '\\- a\n\\+ b\n12\\. c\nx - y'],
  ])('%s', (_name, escape, input, expected) => {
    expect(escape(input)).toBe(expected);
  });

  test('control and bidi-override characters are dropped, line ends normalised', () => {
    expect(cleanText(' a\u202Eb\u0007c\r\nd\u200F ')).toBe('abc\nd');
  });
});

describe('fitEscaped', () => {
  test('text within the limit is only escaped', () => {
    expect(fitEscaped('a & b', escapeSlack, 100)).toBe('a &amp; b');
  });

  test.each([10, 11, 12, 13, 14, 15, 16, 17])('never splits an entity (limit %i)', (limit) => {
    const out = fitEscaped('&&&&&&&&&&&&&&&&&&&&', escapeSlack, limit);
    expect(out.length).toBeLessThanOrEqual(limit);
    expect(out).toMatch(/^(&amp;)*…$/);
  });

  test('never leaves a dangling backslash', () => {
    for (let limit = 2; limit < 30; limit++) {
      const out = fitEscaped('*_*_*_*_*_*_*_*_*_*_*_*_', escapeDiscord, limit);
      expect(out.length).toBeLessThanOrEqual(limit);
      expect(out.replace(/…$/, '')).toMatch(/^(\\[*_])*$/);
    }
  });

  test('never splits a surrogate pair', () => {
    const out = fitEscaped('😀'.repeat(50), (s) => s, 21);
    expect(out.length).toBeLessThanOrEqual(21);
    expect(out).toBe(`${'😀'.repeat(10)}…`);
  });
});
