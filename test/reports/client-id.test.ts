import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  ClientHasher,
  deriveSalt,
  normalizeClientAddress,
  saltPeriod,
  pickClientAddress,
  resolveReportSecret,
  SECRET_FILE_NAME,
} from '../../src/reports/client-id.ts';

const SECRET = 'test-secret-0123456789abcdef';
const t = (iso: string) => new Date(iso);

describe('client addresses', () => {
  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', 'v6:2001:db8:1:2'],
    ['2001:db8:1:2::99', 'v6:2001:db8:1:2'],
    ['2001:DB8:0001:0002:ffff::1%eth0', 'v6:2001:db8:1:2'],
    ['::1', 'v6:0:0:0:0'],
    ['not-an-ip', null],
    ['', null],
    ['1.2.3', null],
  ])('%s identifies the client as %s', (input, expected) => {
    expect(normalizeClientAddress(input)).toBe(expected);
  });

  test.each([
    [{ socketAddress: '10.0.0.1', forwardedFor: '198.51.100.9', trustProxy: false }, '10.0.0.1'],
    [{ socketAddress: '10.0.0.1', forwardedFor: '198.51.100.9', trustProxy: true }, '198.51.100.9'],
    // The client may send its own X-Forwarded-For; only the entry the proxy appended counts.
    [{ socketAddress: '10.0.0.1', forwardedFor: '1.1.1.1, 198.51.100.9', trustProxy: true }, '198.51.100.9'],
    [{ socketAddress: '10.0.0.1', forwardedFor: '198.51.100.9, garbage', trustProxy: true }, '198.51.100.9'],
    [{ socketAddress: '10.0.0.1', forwardedFor: '[2001:db8::1]:443', trustProxy: true }, '2001:db8::1'],
    [{ socketAddress: '10.0.0.1', forwardedFor: 'garbage', trustProxy: true }, '10.0.0.1'],
    [{ socketAddress: '10.0.0.1', forwardedFor: null, trustProxy: true }, '10.0.0.1'],
  ])('pickClientAddress %j → %s', (input, expected) => {
    expect(pickClientAddress(input)).toBe(expected);
  });
});

describe('salted client hash', () => {
  const hasher = new ClientHasher(SECRET, 24);

  test('is stable within a salt period, hex, and never contains the address', () => {
    const a = hasher.hash('203.0.113.7', t('2026-11-25T01:00:00Z'));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(hasher.hash('203.0.113.7', t('2026-11-25T23:59:59Z'))).toBe(a);
    expect(a).not.toContain('203');
  });

  test('is exactly HMAC-SHA256(salt of the period, normalised address)', () => {
    const now = t('2026-11-25T08:00:00Z');
    const salt = deriveSalt(SECRET, saltPeriod(now, 24));
    expect(salt).toEqual(createHmac('sha256', SECRET).update(`outage-radar/report-salt/v1/${Math.floor(now.getTime() / 86_400_000)}`).digest());
    for (const [address, client] of [['203.0.113.7', '203.0.113.7'], ['2001:db8:1:2::5', 'v6:2001:db8:1:2']]) {
      expect(hasher.hash(address!, now)).toBe(createHmac('sha256', salt).update(client!).digest('hex').slice(0, 32));
    }
  });

  test('rotates with the salt period', () => {
    expect(hasher.hash('203.0.113.7', t('2026-11-25T23:59:59Z'))).not.toBe(hasher.hash('203.0.113.7', t('2026-11-26T00:00:00Z')));
    const hourly = new ClientHasher(SECRET, 1);
    expect(hourly.hash('203.0.113.7', t('2026-11-25T01:10:00Z'))).not.toBe(hourly.hash('203.0.113.7', t('2026-11-25T02:10:00Z')));
  });

  test('differs per secret and per client, but one /64 is one client', () => {
    const now = t('2026-11-25T08:00:00Z');
    const other = new ClientHasher('another-secret-0123456789', 24);
    expect(other.hash('203.0.113.7', now)).not.toBe(hasher.hash('203.0.113.7', now));
    expect(hasher.hash('203.0.113.8', now)).not.toBe(hasher.hash('203.0.113.7', now));
    expect(hasher.hash('2001:db8:1:2::1', now)).toBe(hasher.hash('2001:db8:1:2:aaaa::9', now));
    expect(hasher.hash('::ffff:203.0.113.7', now)).toBe(hasher.hash('203.0.113.7', now));
    expect(hasher.hash('nonsense', now)).toBeNull();
  });

  test('refuses a short secret', () => {
    expect(() => new ClientHasher('short', 24)).toThrow(/16 characters/);
  });
});

describe('report secret', () => {
  test('comes from OUTAGE_RADAR_REPORT_SECRET when set', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'or-secret-'));
    expect(await resolveReportSecret({ env: { OUTAGE_RADAR_REPORT_SECRET: SECRET }, dataDir: dir })).toBe(SECRET);
    await expect(stat(path.join(dir, SECRET_FILE_NAME))).rejects.toThrow();
    await expect(resolveReportSecret({ env: { OUTAGE_RADAR_REPORT_SECRET: 'short' }, dataDir: dir })).rejects.toThrow(/16/);
  });

  test('is shared by the store when the store offers one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'or-secret-'));
    expect(await resolveReportSecret({ env: {}, dataDir: dir, sharedSecret: async () => 'from-the-database-0123' })).toBe('from-the-database-0123');
  });

  test('is generated once into the data dir with mode 0600 and reused', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'or-secret-'));
    const [a, b] = await Promise.all([resolveReportSecret({ env: {}, dataDir: dir }), resolveReportSecret({ env: {}, dataDir: dir })]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    const file = path.join(dir, SECRET_FILE_NAME);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(a);
    expect(await resolveReportSecret({ env: {}, dataDir: dir })).toBe(a);
  });
});
