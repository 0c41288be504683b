import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { appendLinesDurable, LockedError, withLock, writeFileAtomic } from '../../src/store/files.ts';
import { appendSignals, DataError, readSignals } from '../../src/store/data-store.ts';
import type { Signal } from '../../src/domain/schemas.ts';

const tmp = () => mkdtemp(path.join(tmpdir(), 'or-store-'));

function signal(id: string, at = '2026-11-25T08:00:00Z'): Signal {
  return {
    id,
    source: { id: 'heise-atom', kind: 'press' },
    observedAt: at,
    fetchedAt: at,
    services: ['exchange-online'],
    title: `Outlook-Störung ${id}`,
    text: '',
    url: null,
    lang: 'de',
  };
}

describe('atomic files', () => {
  test('writeFileAtomic replaces content and leaves no temp file', async () => {
    const dir = await tmp();
    const f = path.join(dir, 'a', 'x.json');
    await writeFileAtomic(f, 'one');
    await writeFileAtomic(f, 'two');
    expect(await readFile(f, 'utf8')).toBe('two');
  });

  test('a torn line from a crash is terminated before the next append', async () => {
    const dir = await tmp();
    const f = path.join(dir, 's.jsonl');
    await writeFile(f, '{"a":1}\n{"b":');
    await appendLinesDurable(f, ['{"c":3}']);
    expect((await readFile(f, 'utf8')).split('\n')).toEqual(['{"a":1}', '{"b":', '{"c":3}', '']);
  });

  test('a live lock holder makes a second cycle fail fast; a dead one is taken over', async () => {
    const dir = await tmp();
    const lock = path.join(dir, '.lock');
    await withLock(lock, async () => {
      await expect(withLock(lock, async () => 1)).rejects.toBeInstanceOf(LockedError);
    });
    await writeFile(lock, '999999999');
    await expect(withLock(lock, async () => 'ran')).resolves.toBe('ran');
  });
});

describe('signal log', () => {
  test('appends only unseen signals and reads them back, skipping a torn tail', async () => {
    const dir = await tmp();
    const known = new Set<string>();
    const first = await appendSignals(dir, [signal('a'), signal('b')], known);
    const again = await appendSignals(dir, [signal('a'), signal('c')], known);
    expect(first.map((s) => s.id)).toEqual(['a', 'b']);
    expect(again.map((s) => s.id)).toEqual(['c']);
    const file = path.join(dir, 'signals', '2026-11-25.jsonl');
    await writeFile(file, `${await readFile(file, 'utf8')}{"id":"tor`);
    expect((await readSignals(dir)).map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  test('an invalid record names the file and line', async () => {
    const dir = await tmp();
    await appendLinesDurable(path.join(dir, 'signals', '2026-11-25.jsonl'), [JSON.stringify({ id: 'x' })]);
    await expect(readSignals(dir)).rejects.toThrow(DataError);
    await expect(readSignals(dir)).rejects.toThrow(/2026-11-25\.jsonl:1: /);
  });
});

describe('temp files of interrupted writes', () => {
  test('those of dead writers are removed, a live writer’s is kept', async () => {
    const { removeStaleTempFiles } = await import('../../src/store/files.ts');
    const dir = await tmp();
    const dead = path.join(dir, 'incidents', '2026', '.x.json.999999999.0a1b2c3d.tmp');
    const live = path.join(dir, `.status.json.${process.pid}.0a1b2c3d.tmp`);
    await writeFileAtomic(path.join(dir, 'incidents', '2026', 'x.json'), '{}');
    await writeFile(dead, 'half');
    await writeFile(live, 'in flight');
    expect(await removeStaleTempFiles(dir)).toBe(1);
    await expect(readFile(dead, 'utf8')).rejects.toThrow();
    expect(await readFile(live, 'utf8')).toBe('in flight');
    expect(await readFile(path.join(dir, 'incidents', '2026', 'x.json'), 'utf8')).toBe('{}');
  });
});
