/**
 * deploy/*.service and *.timer: what the units promise (dedicated user, restart on failure,
 * secrets from an environment file, a read-only system with data/ and dist/ writable, the same
 * commands as the npm scripts), and `systemd-analyze verify` / `security --offline` on them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

type Unit = Map<string, Map<string, string[]>>;

/** systemd's INI dialect: sections, repeated keys accumulate, `#` comments. */
function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = new Map();
      unit.set(header[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 0) throw new Error(`bad line: ${line}`);
    const key = line.slice(0, eq);
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1)]);
  }
  return unit;
}

const read = (name: string) => readFileSync(path.join('deploy', name), 'utf8');
const service = parseUnit(read('outage-radar.service'));
const update = parseUnit(read('outage-radar-update.service'));
const timer = parseUnit(read('outage-radar-update.timer'));
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const get = (unit: Unit, section: string, key: string) => unit.get(section)?.get(key) ?? [];

describe.each([
  ['outage-radar.service', service],
  ['outage-radar-update.service', update],
])('%s', (_name, unit) => {
  test('runs as a dedicated user from the project directory with secrets from an environment file', () => {
    expect(get(unit, 'Service', 'User')).toEqual(['outage-radar']);
    expect(get(unit, 'Service', 'WorkingDirectory')).toEqual(['/srv/outage-radar']);
    expect(get(unit, 'Service', 'EnvironmentFile')).toEqual(['/etc/outage-radar/env']);
  });

  test('sees a read-only system and may write only data/, dist/, builds/ (npm start swaps builds there) and the build caches', () => {
    expect(get(unit, 'Service', 'ProtectSystem')).toEqual(['strict']);
    const writable = get(unit, 'Service', 'ReadWritePaths').flatMap((v) => v.split(/\s+/)).map((p) => p.replace(/^-/, ''));
    expect(writable).toEqual(expect.arrayContaining(['/srv/outage-radar/data', '/srv/outage-radar/dist']));
    for (const p of writable) expect(p).toMatch(/^\/srv\/outage-radar\/(data|dist|builds|\.astro|node_modules\/\.astro|node_modules\/\.vite)$/);
    for (const key of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'PrivateDevices', 'RestrictSUIDSGID']) {
      expect(get(unit, 'Service', key)).toEqual(['yes']);
    }
    expect(get(unit, 'Service', 'CapabilityBoundingSet')).toEqual(['']);
  });
});

describe('the units run what the npm scripts run', () => {
  test('outage-radar.service is `npm start`, restarted on failure, stopped with SIGTERM', () => {
    expect(get(service, 'Service', 'ExecStart')).toEqual([`/srv/outage-radar/node_modules/.bin/${scripts.start}`]);
    expect(get(service, 'Service', 'Restart')).toEqual(['on-failure']);
    expect(get(service, 'Service', 'KillSignal')).toEqual(['SIGTERM']);
    expect(get(service, 'Install', 'WantedBy')).toEqual(['multi-user.target']);
  });

  test('outage-radar-update.service is one `npm run update` in static mode, started by the timer', () => {
    expect(get(update, 'Service', 'ExecStart')).toEqual([`/srv/outage-radar/node_modules/.bin/${scripts.update}`]);
    expect(get(update, 'Service', 'Type')).toEqual(['oneshot']);
    expect(get(update, 'Service', 'Environment').join(' ')).toContain('OUTAGE_RADAR_STATIC=1');
    expect(get(timer, 'Timer', 'Unit')).toEqual(['outage-radar-update.service']);
    expect(get(timer, 'Timer', 'OnUnitInactiveSec')).toEqual(['2min']);
    expect(get(timer, 'Install', 'WantedBy')).toEqual(['timers.target']);
  });
});

const SYSTEMD_ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p)) ?? null;
if (!SYSTEMD_ANALYZE) console.warn('test/deploy/systemd.test.ts: systemd-analyze not installed; skipping the verify checks');

describe.skipIf(!SYSTEMD_ANALYZE)('systemd-analyze', () => {
  let dir: string;
  const names = ['outage-radar.service', 'outage-radar-update.service', 'outage-radar-update.timer'];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outage-radar-systemd-'));
    // verify checks that ExecStart exists: point the units at this checkout's Node.
    for (const name of names) writeFileSync(path.join(dir, name), read(name).replaceAll('/srv/outage-radar', process.cwd()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('verify finds nothing to complain about', () => {
    const res = spawnSync(SYSTEMD_ANALYZE!, ['verify', '--man=no', ...names.map((n) => `./${n}`)], { cwd: dir, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  test.each(['outage-radar.service', 'outage-radar-update.service'])('%s has a low exposure score', (name) => {
    const res = spawnSync(SYSTEMD_ANALYZE!, ['security', '--offline=true', `./${name}`], { cwd: dir, encoding: 'utf8' });
    const score = /Overall exposure level for \S+: ([\d.]+)/.exec(res.stdout + res.stderr);
    expect(score, res.stderr).not.toBeNull();
    console.log(`${name}: systemd-analyze security exposure ${score![1]} (0 = fully confined, 10 = unprotected)`);
    expect(Number(score![1])).toBeLessThanOrEqual(2);
  });
});

describe('outage-radar.service (npm start)', () => {
  test('may write builds/, where the scheduler builds and swaps the served site', () => {
    const writable = get(service, 'Service', 'ReadWritePaths').flatMap((v) => v.split(/\s+/)).map((p) => p.replace(/^-/, ''));
    expect(writable).toContain('/srv/outage-radar/builds');
  });
});
