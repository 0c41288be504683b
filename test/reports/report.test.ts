import { describe, expect, test } from 'vitest';
import { alignToBucket, bucketCount, normalizeBounceCode, policyKeys, validateReportInput } from '../../src/reports/report.ts';

describe('bounce codes', () => {
  test.each([
    ['550 5.1.10', '550 5.1.10'],
    ['5.7.1', '5.7.1'],
    ['4.7.500', '4.7.500'],
    ['550-5.7.1', '550 5.7.1'],
    ['  550   5.7.001 ', '550 5.7.1'],
    ['421', '421'],
    ['554 5.7.708', '554 5.7.708'],
    ['550 4.7.1', null], // classes disagree
    ['650', null],
    ['5.7', null],
    ['5.7.1000', null],
    ['550 5.7.1 extra words', null],
    ['<script>', null],
    [`550 ${'5'.repeat(60)}`, null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeBounceCode(input)).toBe(expected);
  });
});

describe('report input validation', () => {
  const ok = { service: 'exchange-online', problemType: 'mail-bounces' };
  test.each([
    [{ ...ok }, { ...ok, code: null }],
    [{ ...ok, code: '550 5.1.10' }, { ...ok, code: '550 5.1.10' }],
    [{ ...ok, code: '' }, { ...ok, code: null }],
    [{ ...ok, code: null }, { ...ok, code: null }],
    [{ ...ok, lang: 'de' }, { ...ok, code: null, lang: 'de' }],
  ])('accepts %j', (input, expected) => {
    expect(validateReportInput(input)).toEqual({ ok: true, value: expected });
  });

  test.each([
    [{}, [['service', 'SERVICE_MISSING'], ['problemType', 'PROBLEM_TYPE_MISSING']]],
    [{ ...ok, service: 'gmail' }, [['service', 'SERVICE_UNKNOWN']]],
    [{ ...ok, service: 42 }, [['service', 'SERVICE_UNKNOWN']]],
    [{ ...ok, problemType: 'slow' }, [['problemType', 'PROBLEM_TYPE_UNKNOWN']]],
    [{ service: 'teams' }, [['problemType', 'PROBLEM_TYPE_MISSING']]],
    [{ ...ok, code: '550 4.7.1' }, [['code', 'BOUNCE_CODE_INVALID']]],
    [{ ...ok, code: 550 }, [['code', 'FIELD_NOT_TEXT']]],
    [{ ...ok, lang: 'fr' }, [['lang', 'LANG_UNKNOWN']]],
    [{ ...ok, email: 'a@b.c' }, [['email', 'FIELD_UNKNOWN']]],
    [null, [['(body)', 'BODY_NOT_OBJECT']]],
    [[ok], [['(body)', 'BODY_NOT_OBJECT']]],
    ['service=teams', [['(body)', 'BODY_NOT_OBJECT']]],
  ])('refuses %j with %j', (input, expected) => {
    const result = validateReportInput(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => [e.field, e.code])).toEqual(expected);
  });
});

describe('window arithmetic', () => {
  test('policy keys: minute, dedup window and seconds to the next minute', () => {
    const keys = policyKeys({ dedupWindowMinutes: 60, rateLimitPerMinute: 10 }, new Date('2026-11-25T08:05:13.250Z'));
    expect(keys.retryAfter).toBe(47);
    expect(keys.minute).toBe(Date.parse('2026-11-25T08:05:00Z') / 60_000);
    expect(keys.window).toBe(Date.parse('2026-11-25T08:00:00Z') / 3_600_000);
  });

  test('buckets align to multiples of their length since the epoch', () => {
    expect(alignToBucket(new Date('2026-11-25T08:07:59Z'), 5).toISOString()).toBe('2026-11-25T08:05:00.000Z');
    expect(bucketCount(new Date('2026-11-25T08:07:00Z'), new Date('2026-11-25T08:20:00Z'), 5)).toBe(3);
    expect(bucketCount(new Date('2026-11-25T08:07:00Z'), new Date('2026-11-25T08:20:01Z'), 5)).toBe(4);
  });
});
