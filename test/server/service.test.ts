/**
 * The service's build lifecycle with a stand-in site builder: a project root whose
 * `node_modules/astro/bin/astro.mjs` writes a tiny site (or fails, or writes a broken one, as the
 * test says), so swaps, failed builds, retries, pruning and restarts are checked in seconds. The
 * real Astro build is exercised by test/e2e/.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startService, type Service } from '../../src/server/service.ts';
import { renderMacPostJson, MAC_BOILERPLATE } from '../../scrapers/replay/render-official.ts';
import { startFixtureServer, type FixtureServer } from '../../scrapers/testing/fixture-server.ts';

const FAKE_ASTRO = `
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
const outDir = process.argv[process.argv.indexOf('--outDir') + 1];
const data = process.env.OUTAGE_RADAR_DATA_DIR;
const mode = existsSync(path.join(data, 'fake-build-mode')) ? readFileSync(path.join(data, 'fake-build-mode'), 'utf8').trim() : 'ok';
if (mode === 'fail') { console.error('fake astro: build error'); process.exit(1); }
if (mode === 'slow') { writeFileSync(path.join(data, 'fake-build.pid'), String(process.pid)); setInterval(() => {}, 1000); }
else {
const statusFile = path.join(data, 'status.json');
const status = existsSync(statusFile) ? JSON.parse(readFileSync(statusFile, 'utf8')) : { services: [{ id: 'teams' }], lastSuccessfulCycleAt: null, generatedAt: null };
const client = path.join(outDir, 'client');
mkdirSync(path.join(client, 'api'), { recursive: true });
writeFileSync(path.join(client, 'index.html'), '<!doctype html><title>home</title><p>data as of ' + status.lastSuccessfulCycleAt + ' now ' + process.env.OUTAGE_RADAR_NOW + '</p>');
writeFileSync(path.join(client, '404.html'), '<!doctype html><title>not found</title>');
if (mode !== 'invalid') writeFileSync(path.join(client, 'api', 'status.json'), JSON.stringify({ services: status.services, lastSuccessfulCycleAt: status.lastSuccessfulCycleAt, generatedAt: status.generatedAt }));
}
`;

let root: string;
let project: string;
let dataDir: string;
let buildsRoot: string;
let fixture: FixtureServer;
let service: Service | null = null;

async function setMode(mode: 'ok' | 'fail' | 'invalid' | 'slow'): Promise<void> {
  await fs.writeFile(path.join(dataDir, 'fake-build-mode'), mode);
}

async function start(extra: { refreshMinutes?: number; cycleGraceMs?: number } = {}): Promise<Service> {
  const config = parseConfig(
    {
      site: { url: 'http://127.0.0.1:1' },
      dataDir,
      schedule: '0 0 1 1 *',
      http: { deadlineMs: 2_000, retries: 0 },
      reports: { enabled: false },
      sources: [{ id: 'status-cloud-microsoft-mac', adapter: 'status-cloud-microsoft-posts', url: fixture.url('/api/posts/mac'), intervalMinutes: 0.0001 }],
    },
    path.join(root, 'config.json'),
    {},
  );
  await fs.writeFile(config.configFile, '{}');
  service = await startService({ config, port: 0, log: silentLogger, buildsRoot, projectRoot: project, refreshMinutes: extra.refreshMinutes ?? 0, cycleGraceMs: extra.cycleGraceMs, prettyLog: false });
  return service;
}

async function page(s: Service, p = '/'): Promise<{ status: number; text: string }> {
  const res = await fetch(`${s.url}${p}`);
  return { status: res.status, text: await res.text() };
}

async function buildDirs(): Promise<string[]> {
  return (await fs.readdir(buildsRoot)).filter((n) => /^\d{8}T/.test(n)).sort();
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'or-service-'));
  project = path.join(root, 'project');
  dataDir = path.join(root, 'data');
  buildsRoot = path.join(root, 'builds');
  await fs.mkdir(path.join(project, 'node_modules', 'astro', 'bin'), { recursive: true });
  await fs.writeFile(path.join(project, 'node_modules', 'astro', 'bin', 'astro.mjs'), FAKE_ASTRO);
  await fs.mkdir(path.join(project, 'src'), { recursive: true });
  await fs.mkdir(dataDir, { recursive: true });
  fixture = await startFixtureServer();
  const healthy = { postId: 'a', authoredAt: Date.now() - 86_400_000, status: 'Available', title: '', message: MAC_BOILERPLATE };
  fixture.set('/api/posts/mac', { body: renderMacPostJson(healthy, Date.now()), contentType: 'application/json; charset=utf-8' });
});

afterEach(async () => {
  await service?.close();
  service = null;
  await fixture.close();
  await fs.rm(root, { recursive: true, force: true });
});

test('starts without a build: builds one, serves it, runs the first cycle and rebuilds with its data', async () => {
  const s = await start();
  const first = s.served();
  expect(first).not.toBeNull();
  const r = await s.runCycleNow();
  expect(r!.outcome).toBe('ok');
  expect(r!.build).toMatchObject({ ok: true });
  expect(s.served()!.id).not.toBe(first!.id);
  const home = await page(s);
  expect(home.status).toBe(200);
  expect(home.text).toContain(`data as of ${s.served()!.dataAsOf}`);
  expect((await fs.readlink(path.join(buildsRoot, 'current')))).toBe(s.served()!.id);
});

test('a failed build keeps the last good site online, shows in /healthz, and is retried by the next cycle', async () => {
  const s = await start({ refreshMinutes: 60 });
  await s.runCycleNow();
  const good = s.served()!;
  const before = await page(s);

  await fs.writeFile(path.join(dataDir, 'fake-build-mode'), 'fail');
  fixture.set('/api/posts/mac', { body: renderMacPostJson({ postId: 'b', authoredAt: Date.now(), status: 'Service degradation', title: 'Users may be unable to access Microsoft Teams', message: '<div>User impact: Users may be unable to access Microsoft Teams.</div>' }, Date.now()), contentType: 'application/json; charset=utf-8' });
  const failed = await s.runCycleNow();
  expect(failed!.changed).toBe(true);
  expect(failed!.build).toMatchObject({ reason: 'changed', ok: false, error: { code: 'BUILD_FAILED' } });
  expect(s.served()!.id).toBe(good.id);
  expect(await page(s)).toEqual(before);
  const h = await (await fetch(`${s.url}/healthz`)).json();
  expect(h.status).toBe('degraded');
  expect(h.lastBuildError.code).toBe('BUILD_FAILED');
  expect(h.build.id).toBe(good.id);
  // The failed build's directory is gone.
  expect(await buildDirs()).not.toContain(failed!.build!.id);

  await setMode('invalid');
  const invalid = await s.runCycleNow();
  expect(invalid!.build).toMatchObject({ reason: 'retry', ok: false, error: { code: 'BUILD_INVALID' } });
  expect(s.served()!.id).toBe(good.id);

  await setMode('ok');
  const retried = await s.runCycleNow();
  expect(retried!.build).toMatchObject({ reason: 'retry', ok: true });
  expect(s.served()!.id).not.toBe(good.id);
  const h2 = await (await fetch(`${s.url}/healthz`)).json();
  expect(h2.status).toBe('ok');
  expect(h2.lastBuildError).toBeNull();
});

test('old builds are deleted; the current and the previous one stay', async () => {
  const s = await start();
  for (let i = 0; i < 4; i++) await s.runCycleNow();
  const dirs = await buildDirs();
  expect(dirs).toHaveLength(2);
  expect(dirs).toContain(s.served()!.id);
});

test('without changes and within the refresh interval, a cycle does not build', async () => {
  const s = await start({ refreshMinutes: 60 });
  await s.runCycleNow();
  const id = s.served()!.id;
  const r = await s.runCycleNow();
  expect(r!.changed).toBe(false);
  expect(r!.build).toBeNull();
  expect(s.served()!.id).toBe(id);
});

test('a restart serves the current build at once, without building', async () => {
  const s = await start({ refreshMinutes: 60 });
  await s.runCycleNow();
  const id = s.served()!.id;
  await s.close();
  service = null;
  await setMode('fail');
  const again = await start({ refreshMinutes: 60 });
  expect(again.served()!.id).toBe(id);
  expect((await page(again)).status).toBe(200);
});

test('close() lets the running cycle finish and stops the server', async () => {
  const s = await start();
  const running = s.runCycleNow();
  await new Promise((r) => setTimeout(r, 30));
  await s.close();
  service = null;
  const record = await running;
  expect(record?.outcome).toBe('ok');
  await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
});

test('close() stops a build that outlasts the grace period; the current site stays', async () => {
  const s = await start({ cycleGraceMs: 300 });
  await s.runCycleNow();
  const served = s.served()!.id;
  await setMode('slow');
  const running = s.runCycleNow();
  const pidFile = path.join(dataDir, 'fake-build.pid');
  for (let i = 0; i < 100 && !(await fs.stat(pidFile).catch(() => null)); i++) await new Promise((r) => setTimeout(r, 50));
  const pid = Number(await fs.readFile(pidFile, 'utf8'));
  await s.close();
  service = null;
  const record = await running;
  expect(record!.build).toMatchObject({ ok: false, error: { code: 'BUILD_ABORTED' } });
  expect(await fs.readlink(path.join(buildsRoot, 'current'))).toBe(served);
  expect(() => process.kill(pid, 0)).toThrow();
});
