import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { generateData } from '../../bench/generate-data.ts';
import { readIncidents, readSourceHealth, readStatus } from '../../src/store/data-store.ts';
import { listBuiltFiles } from './helpers/files.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), 'or-gen-test-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

describe('generateData', () => {
  test('is deterministic: same options, byte-identical files', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    const options = { incidents: 60, seed: 11, now: '2026-11-20T12:00:00Z', hostile: true };
    await generateData({ dir: a, ...options });
    await generateData({ dir: b, ...options });
    const files = (await listBuiltFiles(a, '')).map((f) => path.relative(a, f));
    expect(files.length).toBeGreaterThan(60);
    for (const f of files) expect(await fs.readFile(path.join(b, f), 'utf8'), f).toBe(await fs.readFile(path.join(a, f), 'utf8'));
  });

  test('writes what the data store reads back and validates: scenario incidents included', async () => {
    const dir = await tempDir();
    const result = await generateData({ dir, incidents: 30, seed: 2, now: '2026-11-20T12:00:00Z' });
    const incidents = await readIncidents(dir);
    expect(incidents).toHaveLength(30);
    expect(result.activeIds).toHaveLength(2);
    expect(result.suspectedIds).toHaveLength(1);
    const suspected = incidents.find((i) => i.id === result.suspectedIds[0])!;
    expect(suspected.acknowledgedAt).toBeNull();
    expect(new Set(suspected.evidence.map((e) => e.source.kind))).toEqual(new Set(['press', 'crowd']));
    for (const i of incidents) {
      expect(i.updates.map((u) => u.at)).toEqual([...i.updates.map((u) => u.at)].sort().reverse());
      expect(Date.parse(i.updatedAt)).toBeLessThanOrEqual(Date.parse('2026-11-20T12:00:00Z'));
    }
    const status = await readStatus(dir);
    expect(status?.services.find((s) => s.id === 'copilot')?.status).toBe('unknown');
    const health = await readSourceHealth(dir);
    expect(health.get('graph-service-health')).toMatchObject({ state: 'failed', services: ['copilot'] });
    expect(health.get('status-cloud-microsoft-consumer')?.state).toBe('ok');
  });

  test('no cycle, no status file', async () => {
    const dir = await tempDir();
    await generateData({ dir, incidents: 3, noCycle: true });
    expect(await readStatus(dir)).toBeNull();
  });
});
