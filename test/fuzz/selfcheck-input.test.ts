/**
 * Property tests for the self-check's input gate (src/selfcheck/parse.ts): whatever a visitor types,
 * the parser returns a domain that is safe to ask DNS and HTTP about — lower-case ASCII labels, no
 * IP literal, no reserved name, no mailbox, no path, host or markup — or refuses with a stable code.
 * Symptoms yield well-formed codes or a stable refusal.
 */
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isSelfCheckInputError, parseSymptom, parseTarget, SELF_CHECK_INPUT_ERROR_CODES } from '../../src/selfcheck/parse.ts';
import { hostileString } from '../support/arbitraries.ts';
import { unsafeCharsIn } from '../support/text-safety.ts';

const RUNS = { numRuns: 500 };
const RESERVED = /\.(local|localhost|localdomain|test|invalid|example|internal|intranet|private|lan|home|corp|alt|onion|arpa)$/;

const label = fc.oneof(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/), fc.constantFrom('müller', 'xn--mller-kva', 'bücher', 'пример', '例え', 'EXAMPLE', 'a'.repeat(64), '-bad', 'bad-'));
const domainish = fc.array(label, { minLength: 1, maxLength: 5 }).map((l) => l.join('.'));
const target = fc.oneof(
  domainish,
  fc.tuple(fc.stringMatching(/^[a-z0-9._%+-]{1,20}$/), domainish).map(([local, d]) => `${local}@${d}`),
  fc.tuple(domainish, fc.constantFrom('.', ':443', '/path', '?q=1', '#x', ' ', '\r\nX-Injected: 1', '@evil.example', '\u3002com')).map(([d, tail]) => `${d}${tail}`),
  fc.constantFrom('127.0.0.1', '[::1]', '::1', '10.0.0.1', '0x7f000001', 'localhost', 'contoso.local', 'example.com', 'http://contoso.com', 'contoso.com.', 'CONTOSO.COM', 'xn--80ak6aa92e.com', 'a@b@c.com', '"quoted"@contoso.com', 'contoso..com', '.contoso.com', 'contoso.com/../../etc/passwd'),
  hostileString({ maxParts: 4 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

describe('parseTarget', () => {
  test('a safe lower-case ASCII domain or a SelfCheckInputError with a stable code', () => {
    fc.assert(
      fc.property(target, (raw) => {
        let parsed;
        try {
          parsed = parseTarget(raw);
        } catch (err) {
          if (!isSelfCheckInputError(err)) throw new Error(`not a SelfCheckInputError for ${JSON.stringify(raw)}: ${String(err)}`);
          expect(SELF_CHECK_INPUT_ERROR_CODES).toContain(err.code);
          return;
        }
        const { domain, displayDomain } = parsed;
        expect(domain, JSON.stringify(raw)).toMatch(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);
        expect(domain.length).toBeLessThanOrEqual(253);
        expect(isIP(domain)).toBe(0);
        expect(domain).not.toMatch(RESERVED);
        expect(['example.com', 'example.net', 'example.org']).not.toContain(domain);
        expect(unsafeCharsIn(displayDomain)).toEqual([]);
        expect(displayDomain).not.toMatch(/[@/\\:?#<>"'\s]/);
        // Parsing again what we would show yields the same domain: no second reading.
        expect(parseTarget(domain).domain).toBe(domain);
      }),
      RUNS,
    );
  });

  test('the mailbox never survives: only the domain of an address comes back', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9._+-]{2,20}$/), fc.constantFrom('contoso.com', 'fabrikam.de', 'bücher.de'), (local, domain) => {
        const parsed = parseTarget(`${local}@${domain}`);
        expect(parsed.hadMailbox).toBe(true);
        expect(parsed.domain).not.toContain('@');
        expect(parsed.displayDomain).toBe(domain);
      }),
      { numRuns: 100 },
    );
  });
});

describe('parseSymptom', () => {
  const symptom = fc.oneof(
    hostileString({ maxParts: 6 }),
    fc.tuple(hostileString({ maxParts: 2 }), fc.constantFrom('550 5.1.10', '5.7.1', '554-5.7.1', 'AADSTS50076', '50126', '421 4.7.0', '6.0.0', '5.1234.1'), hostileString({ maxParts: 2 })).map((p) => p.join(' ')),
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc.integer({ min: 1990, max: 2100 }).map((n) => 'x'.repeat(n)),
  );

  test('well-formed codes or a SelfCheckInputError with a stable code', () => {
    fc.assert(
      fc.property(fc.option(symptom, { nil: null }), (raw) => {
        let out;
        try {
          out = parseSymptom(raw);
        } catch (err) {
          if (!isSelfCheckInputError(err)) throw new Error(`not a SelfCheckInputError for ${JSON.stringify(raw)}: ${String(err)}`);
          expect(SELF_CHECK_INPUT_ERROR_CODES).toContain(err.code);
          return;
        }
        for (const s of out) {
          if (s.kind === 'aadsts') expect(s.code).toMatch(/^\d{4,7}$/);
          else expect(s.code).toMatch(/^[245]\.\d{1,3}\.\d{1,3}$/);
        }
        expect(new Set(out.map((s) => `${s.kind}:${s.code}`)).size).toBe(out.length);
      }),
      RUNS,
    );
  });
});
