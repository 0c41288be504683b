import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeRecord, resolveRecordSecret } from '../../src/selfcheck/record.ts';
import { writeWorldConfig } from './_config.ts';
import { makeDataDir, operationalSnapshot } from './_status.ts';
import { startWorld, type World } from './_world.ts';

let world: World;
let env: NodeJS.ProcessEnv;
let dataDir: string;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['src/selfcheck/cli.ts', ...args], { env, cwd: path.resolve(import.meta.dirname, '../..') });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  world = await startWorld();
  dataDir = await makeDataDir(operationalSnapshot(new Date()));
  const dir = await mkdtemp(path.join(tmpdir(), 'selfcheck-cli-'));
  const file = await writeWorldConfig(dir, dataDir, world);
  env = { ...process.env, OUTAGE_RADAR_CONFIG: file, OUTAGE_RADAR_SELFCHECK_SECRET: '' };
});
afterAll(() => world.close());

describe('npm run check', () => {
  test('the partner case prints the tenant verdict and exits 12', async () => {
    const r = await runCli(['partner@gone-tenant.de', '--code', '550 5.1.10 RESOLVER.ADR.RecipientNotFound']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(12);
    expect(r.stdout).toContain('Looks specific to your domain or tenant');
    expect(r.stdout).toContain('Rule: domain-unknown-to-microsoft');
    expect(r.stdout).toContain('✗ Microsoft\'s directory knows the domain: no');
    expect(r.stdout).toContain('5.1.10: Recipient not found');
    expect(r.stdout).not.toContain('partner@');
  });

  test('--json carries the verdict, a record without the mailbox and a verifiable permalink', async () => {
    const r = await runCli(['secret.person@healthy-managed.de', '--code', '5.1.10', '--json']);
    expect(r.code).toBe(13);
    const out = JSON.parse(r.stdout) as { verdict: { kind: string }; exitCode: number; record: { domain: string }; permalink: string };
    expect(out.verdict.kind).toBe('mailbox');
    expect(out.exitCode).toBe(13);
    expect(out.record.domain).toBe('healthy-managed.de');
    expect(r.stdout).not.toContain('secret.person');
    const token = new URL(out.permalink).searchParams.get('r')!;
    const record = decodeRecord(token, await resolveRecordSecret({}, dataDir));
    expect(record).toMatchObject({ domain: 'healthy-managed.de', code: '5.1.10', verdict: 'mailbox', rule: 'one-mailbox-code' });
  });

  test('German output', async () => {
    const r = await runCli(['gone-tenant.de', '--lang', 'de']);
    expect(r.stdout).toContain('Sieht nach Ihrer Domain oder Ihrem Tenant aus');
  });

  test.each([
    ['<script>alert(1)</script>'],
    ['a@b@evil.example'],
    ['127.0.0.1'],
    ['../../etc/passwd'],
  ])('hostile input %j exits 2 with a clear error and asks nobody', async (input) => {
    const dnsBefore = world.dns.log.length;
    const httpBefore = world.microsoft.log.length;
    const r = await runCli([input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^INPUT_[A-Z_]+: /);
    expect(world.dns.log.length).toBe(dnsBefore);
    expect(world.microsoft.log.length).toBe(httpBefore);
  });
});
