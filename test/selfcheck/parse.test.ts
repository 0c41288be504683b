import { describe, expect, test } from 'vitest';
import { parseSymptom, parseTarget, SelfCheckInputError } from '../../src/selfcheck/parse.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SelfCheckInputError) return err.code;
    throw err;
  }
  return 'OK';
}

describe('parseTarget', () => {
  test.each([
    ['contoso.com', 'contoso.com', false],
    ['  Contoso.COM. ', 'contoso.com', false],
    ['user@contoso.de', 'contoso.de', true],
    ['first.last+tag@Mail.Contoso.co.uk', 'mail.contoso.co.uk', true],
    ['bücher.de', 'xn--bcher-kva.de', false],
    ['jörg@müller-bäckerei.de', 'xn--mller-bckerei-hfb76a.de', true],
    ['例え。テスト', 'xn--r8jz45g.xn--zckzah', false],
  ])('accepts %j as %s', (raw, domain, hadMailbox) => {
    const t = parseTarget(raw);
    expect(t.domain).toBe(domain);
    expect(t.hadMailbox).toBe(hadMailbox);
  });

  test('keeps no trace of the mailbox part', () => {
    const t = parseTarget('secret.person@contoso.com');
    expect(JSON.stringify(t)).not.toContain('secret');
  });

  test('keeps the ASCII form for display when the Unicode form would not parse again', () => {
    expect(parseTarget('xn--ls8h.la').displayDomain).toBe('xn--ls8h.la');
  });

  test('shows an IDN domain in Unicode', () => {
    expect(parseTarget('xn--bcher-kva.de').displayDomain).toBe('bücher.de');
  });

  test.each([
    ['', 'INPUT_EMPTY'],
    ['   ', 'INPUT_EMPTY'],
    ['<script>alert(1)</script>', 'INPUT_BAD_CHARS'],
    ['contoso.com<script>', 'INPUT_BAD_CHARS'],
    ['../../etc/passwd', 'INPUT_BAD_CHARS'],
    ['contoso.com/../admin', 'INPUT_BAD_CHARS'],
    ['127.0.0.1', 'INPUT_IP_LITERAL'],
    ['user@127.0.0.1', 'INPUT_IP_LITERAL'],
    ['user@[127.0.0.1]', 'INPUT_IP_LITERAL'],
    ['[::1]', 'INPUT_IP_LITERAL'],
    ['::1', 'INPUT_IP_LITERAL'],
    ['127.1', 'INPUT_IP_LITERAL'],
    ['0x7f.0.0.1', 'INPUT_IP_LITERAL'],
    ['10.0.0.300', 'INPUT_BAD_DOMAIN'],
    ['a@b@evil.example', 'INPUT_BAD_ADDRESS'],
    ['@contoso.com', 'INPUT_BAD_ADDRESS'],
    ['user@', 'INPUT_BAD_ADDRESS'],
    ['<x>@contoso.com', 'INPUT_BAD_ADDRESS'],
    ['contoso.com\r\nX-Injected: 1', 'INPUT_CONTROL_CHARS'],
    ['contoso.com\n', 'INPUT_CONTROL_CHARS'],
    ['conto so.com', 'INPUT_BAD_CHARS'],
    [`${'a'.repeat(300)}.com`, 'INPUT_LABEL_TOO_LONG'],
    [`${'a'.repeat(64)}.com`, 'INPUT_LABEL_TOO_LONG'],
    [`${'abcdefghi.'.repeat(26)}com`, 'INPUT_DOMAIN_TOO_LONG'],
    ['400 characters'.padEnd(400, 'x'), 'INPUT_TOO_LONG'],
    ['localhost', 'INPUT_RESERVED_DOMAIN'],
    ['intranet', 'INPUT_RESERVED_DOMAIN'],
    ['server', 'INPUT_SINGLE_LABEL'],
    ['printer.local', 'INPUT_RESERVED_DOMAIN'],
    ['foo.localhost', 'INPUT_RESERVED_DOMAIN'],
    ['shop.test', 'INPUT_RESERVED_DOMAIN'],
    ['x.invalid', 'INPUT_RESERVED_DOMAIN'],
    ['evil.example', 'INPUT_RESERVED_DOMAIN'],
    ['example.com', 'INPUT_RESERVED_DOMAIN'],
    ['corp.internal', 'INPUT_RESERVED_DOMAIN'],
    ['1.168.192.in-addr.arpa', 'INPUT_RESERVED_DOMAIN'],
    ['hidden.onion', 'INPUT_RESERVED_DOMAIN'],
    ['-bad.com', 'INPUT_BAD_DOMAIN'],
    ['bad-.com', 'INPUT_BAD_DOMAIN'],
    ['a..b.com', 'INPUT_BAD_DOMAIN'],
    ['.contoso.com', 'INPUT_BAD_DOMAIN'],
    ['under_score.com', 'INPUT_BAD_CHARS'],
    ['contoso.com:25', 'INPUT_BAD_CHARS'],
    ['http://contoso.com', 'INPUT_BAD_CHARS'],
    ['contoso.com\u2028', 'INPUT_CONTROL_CHARS'],
  ])('refuses %j with %s', (raw, code) => {
    expect(codeOf(() => parseTarget(raw))).toBe(code);
  });

  test('every error has a message in both languages', () => {
    try {
      parseTarget('a@b@c.de');
      expect.unreachable();
    } catch (err) {
      const e = err as SelfCheckInputError;
      expect(e.messages.en.length).toBeGreaterThan(10);
      expect(e.messages.de.length).toBeGreaterThan(10);
      expect(e.messages.de).not.toBe(e.messages.en);
      expect(e.field).toBe('target');
    }
  });
});

describe('parseSymptom', () => {
  test.each([
    ['5.1.10', [{ kind: 'ndr', code: '5.1.10', smtp: null }]],
    ['550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', [{ kind: 'ndr', code: '5.1.10', smtp: '550' }]],
    ['Remote Server returned \'550 5.7.1 Unable to relay\'', [{ kind: 'ndr', code: '5.7.1', smtp: '550' }]],
    ['451 4.7.500 Server busy. Please try again later from [10.5.1.10]. (AS770)', [{ kind: 'ndr', code: '4.7.500', smtp: '451' }]],
    ['AADSTS50034: The user account {EUII Hidden} does not exist', [{ kind: 'aadsts', code: '50034' }]],
    ['aadsts53003', [{ kind: 'aadsts', code: '53003' }]],
    ['50126', [{ kind: 'aadsts', code: '50126' }]],
    ['Error AADSTS50076 then 5.7.1', [{ kind: 'aadsts', code: '50076' }, { kind: 'ndr', code: '5.7.1', smtp: null }]],
    ['5.1.10\r\n5.1.10\n550-5.1.10', [{ kind: 'ndr', code: '5.1.10', smtp: null }]],
  ])('finds the code in %j', (raw, expected) => {
    expect(parseSymptom(raw)).toEqual(expected);
  });

  test('an empty symptom is allowed', () => {
    expect(parseSymptom('')).toEqual([]);
    expect(parseSymptom(undefined)).toEqual([]);
    expect(parseSymptom('  \n ')).toEqual([]);
  });

  test.each([
    ['version 10.5.1.10.2 of something', 'SYMPTOM_NO_CODE'],
    ['<script>alert(1)</script>', 'SYMPTOM_NO_CODE'],
    ['mail does not work', 'SYMPTOM_NO_CODE'],
    ['2,001 characters'.padEnd(2001, 'x'), 'SYMPTOM_TOO_LONG'],
    ['5.1.10\u0000', 'SYMPTOM_BAD_CHARS'],
  ])('refuses %j with %s', (raw, code) => {
    expect(codeOf(() => parseSymptom(raw))).toBe(code);
  });
});
