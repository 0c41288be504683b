import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { activateBuild, newBuildId, prepareBuildsRoot, pruneBuilds, readCurrentBuild, verifyBuild } from '../../src/server/builds.ts';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'or-builds-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function fakeBuild(id: string, status: unknown = { services: [{ id: 'teams' }], lastSuccessfulCycleAt: '2026-11-25T08:00:00.000Z', generatedAt: '2026-11-25T08:00:01.000Z' }): Promise<string> {
  const dir = path.join(root, id);
  await fs.mkdir(path.join(dir, 'client', 'api'), { recursive: true });
  await fs.writeFile(path.join(dir, 'client', 'index.html'), '<!doctype html>');
  await fs.writeFile(path.join(dir, 'client', '404.html'), '<!doctype html>');
  await fs.writeFile(path.join(dir, 'client', 'api', 'status.json'), typeof status === 'string' ? status : JSON.stringify(status));
  return dir;
}

test('build ids sort by time and are unique', () => {
  const a = newBuildId(new Date('2026-11-25T08:00:00.123Z'));
  const b = newBuildId(new Date('2026-11-25T08:00:01Z'));
  expect(a).toMatch(/^20261125T080000Z-[0-9a-f]{4}$/);
  expect([b, a].sort()).toEqual([a, b]);
  expect(newBuildId(new Date(0))).not.toBe(newBuildId(new Date(0)));
});

test('verifyBuild reads the data time of a good build', async () => {
  const dir = await fakeBuild('20261125T080000Z-aaaa');
  expect(await verifyBuild(dir)).toEqual({ dataAsOf: '2026-11-25T08:00:00.000Z', generatedAt: '2026-11-25T08:00:01.000Z' });
});

test.each([
  ['status JSON that does not parse', '{"services": ['],
  ['status JSON without services', { services: [] }],
])('verifyBuild refuses %s', async (_l, status) => {
  const dir = await fakeBuild('20261125T080000Z-aaaa', status);
  await expect(verifyBuild(dir)).rejects.toMatchObject({ code: 'BUILD_INVALID' });
});

test('verifyBuild refuses a build without its index page', async () => {
  const dir = await fakeBuild('20261125T080000Z-aaaa');
  await fs.rm(path.join(dir, 'client', 'index.html'));
  await expect(verifyBuild(dir)).rejects.toMatchObject({ code: 'BUILD_INVALID', message: expect.stringContaining('index.html') });
});

test('activateBuild swaps the current link; prune keeps what is in use', async () => {
  const ids = ['20261125T080000Z-aaaa', '20261125T080200Z-bbbb', '20261125T080400Z-cccc', '20261125T080600Z-dddd'];
  for (const id of ids) await fakeBuild(id);
  await fs.mkdir(path.join(root, 'not-a-build'));
  expect(await readCurrentBuild(root)).toBeNull();
  await activateBuild(root, ids[2]!);
  expect(await readCurrentBuild(root)).toEqual({ id: ids[2], dir: path.join(root, ids[2]!) });
  await activateBuild(root, ids[3]!);
  expect((await readCurrentBuild(root))!.id).toBe(ids[3]);
  expect(await fs.readFile(path.join(root, 'current', 'client', 'index.html'), 'utf8')).toBe('<!doctype html>');
  const removed = await pruneBuilds(root, new Set([ids[3]!, ids[2]!, ids[0]!]));
  expect(removed).toEqual([ids[1]]);
  expect((await fs.readdir(root)).sort()).toEqual([ids[0], ids[2], ids[3], 'current', 'not-a-build'].sort());
});

test('a builds directory outside the project links the project node_modules (Astro chunks import packages by name)', async () => {
  await prepareBuildsRoot(root);
  const link = await fs.readlink(path.join(root, 'node_modules'));
  expect(link).toMatch(/node_modules$/);
  await expect(fs.access(path.join(root, 'node_modules', 'astro', 'package.json'))).resolves.toBeUndefined();
  await prepareBuildsRoot(root);
});
