import { describe, expect, test } from 'vitest';
import { chooseCoding, parseAcceptEncoding } from '../../src/server/encoding.ts';

const both = { br: true, gzip: true };

describe('chooseCoding', () => {
  test.each([
    [undefined, both, 'identity'],
    ['', both, 'identity'],
    ['gzip, deflate, br, zstd', both, 'br'],
    ['gzip, deflate, br', { br: false, gzip: true }, 'gzip'],
    ['gzip, deflate', both, 'gzip'],
    ['br;q=0.5, gzip', both, 'gzip'],
    ['br, gzip;q=0', { br: false, gzip: true }, 'identity'],
    ['x-gzip', both, 'gzip'],
    ['*', both, 'br'],
    ['*;q=0, gzip', both, 'gzip'],
    ['identity', both, 'identity'],
    ['deflate', both, 'identity'],
    ['br', { br: false, gzip: false }, 'identity'],
    ['BR', both, 'br'],
    ['gzip;q=1.0, br;q=0.9', both, 'gzip'],
  ] as const)('Accept-Encoding %j with %j → %s', (header, available, expected) => {
    expect(chooseCoding(header, available)).toBe(expected);
  });
});

test('parseAcceptEncoding reads q-values and clamps them', () => {
  expect([...parseAcceptEncoding('gzip;q=0.8, br ; q=2, identity;q=0')]).toEqual([
    ['gzip', 0.8],
    ['br', 1],
    ['identity', 0],
  ]);
});
