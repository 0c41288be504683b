import { describe, expect, test } from 'vitest';
import { createLogger } from '../../src/lib/log.ts';

const clock = () => new Date('2026-11-25T08:00:00.000Z');

describe('logger', () => {
  test('writes one JSON object per line with error codes preserved', () => {
    const lines: string[] = [];
    const log = createLogger({ name: 'cycle', format: 'json', write: (l) => lines.push(l), clock }).child({ cycle: 7 });
    const err = Object.assign(new Error('no answer'), { code: 'SOURCE_TIMEOUT' });
    log.warn('source failed', { source: 'heise-atom', err });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-11-25T08:00:00.000Z',
      level: 'warn',
      name: 'cycle',
      msg: 'source failed',
      cycle: 7,
      source: 'heise-atom',
      err: { code: 'SOURCE_TIMEOUT', name: 'Error', message: 'no answer' },
    });
  });

  test('a readable line on a terminal', () => {
    const lines: string[] = [];
    createLogger({ name: 'cli', format: 'pretty', write: (l) => lines.push(l), clock }).info('cycle done', { sources: 12, note: 'two words' });
    expect(lines).toEqual(['08:00:00 INFO  [cli] cycle done sources=12 note="two words"']);
  });

  test.each([
    ['debug', 4],
    ['warn', 2],
    ['silent', 0],
  ] as const)('level %s lets %s of four lines through', (level, count) => {
    const lines: string[] = [];
    const log = createLogger({ name: 'x', level, format: 'json', write: (l) => lines.push(l), clock });
    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error('d');
    expect(lines).toHaveLength(count);
  });
});
