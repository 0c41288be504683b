import { describe, expect, test } from 'vitest';
import { ShellError, compileShell, SHELL_TOKENS } from '../../../src/lib/page-shells.ts';

const shell = `<html><head><title>${SHELL_TOKENS.title} – Site</title><meta name="description" content="${SHELL_TOKENS.description}"><link rel="canonical" href="/en/${SHELL_TOKENS.path}">${SHELL_TOKENS.head}</head><body><main>${SHELL_TOKENS.main}</main></body></html>`;

describe('compileShell', () => {
  test('fills every token once, escaping text tokens', () => {
    const fill = compileShell(shell);
    const html = fill({ title: '<b>"x" & y</b>', description: '"quoted"', path: 'incidents/abc-1/', head: '<meta name="robots" content="noindex">', main: '<p>ok</p>' });
    expect(html).toContain('<title>&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt; – Site</title>');
    expect(html).toContain('content="&quot;quoted&quot;"');
    expect(html).toContain('href="/en/incidents/abc-1/"');
    expect(html).toContain('<main><p>ok</p></main>');
  });

  test('a value containing a token text is not substituted again', () => {
    const html = compileShell(shell)({ title: SHELL_TOKENS.main, description: '', path: 'incidents/abc-1/', head: '', main: SHELL_TOKENS.title });
    expect(html).toContain(`<title>${SHELL_TOKENS.main} – Site</title>`);
    expect(html).toContain(`<main>${SHELL_TOKENS.title}</main>`);
  });

  test('refuses a shell without its tokens and an id that could escape its folder', () => {
    expect(() => compileShell('<html></html>')).toThrow(ShellError);
    expect(() => compileShell(shell)({ title: '', description: '', path: '../../etc/', head: '', main: '' })).toThrow(/not a page path/);
    expect(() => compileShell(shell)({ title: '', description: '', path: 'incidents//x/', head: '', main: '' })).toThrow(/not a page path/);
  });
});
