/**
 * Property tests for config loading (src/config/load.ts): any JSON value, and any valid config with
 * a few fields drifted, either loads as a config that keeps the schema's promises or fails with a
 * ConfigError (code CONFIG_INVALID) whose message names the file. Never another exception.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, parseConfig, type LoadedConfig } from '../../src/config/load.ts';
import { SOURCE_ADAPTERS } from '../../src/config/schema.ts';
import { hostileString, mutatedJson } from '../support/arbitraries.ts';

const FILE = '/srv/outage-radar/outage-radar.config.json';

const VALID = {
  site: { url: 'https://status.example', title: 'Status', defaultLang: 'de', blindAfterMinutes: 20 },
  dataDir: 'data',
  http: { deadlineMs: 1500, retries: 0, maxBytes: 1048576 },
  sources: [
    { id: 'scm-mac', adapter: 'status-cloud-microsoft-posts', url: 'https://status.cloud.microsoft/api/posts/mac', intervalMinutes: 5, services: ['exchange-online', 'teams'] },
    { id: 'heise-atom', adapter: 'news-feed', url: 'https://www.heise.de/rss/heise-atom.xml', outlet: 'heise online', lang: 'de' },
    { id: 'graph', adapter: 'graph-service-health', url: 'https://graph.microsoft.com/v1.0', tokenUrl: 'https://login.microsoftonline.com' },
  ],
  correlation: { attachWindowMinutes: 360 },
  reports: { enabled: true, maxBodyBytes: 4096 },
  notifications: { targets: [{ id: 'ops', format: 'json', urlEnv: 'OPS_WEBHOOK' }] },
  selfCheck: { dnsServers: ['127.0.0.1:53'] },
};

/** What every loaded config promises, whatever the input was. */
function expectSound(c: LoadedConfig): void {
  expect(path.isAbsolute(c.dataDirAbs)).toBe(true);
  expect(c.configFile).toBe(FILE);
  const ids = c.sources.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const s of c.sources) {
    expect(SOURCE_ADAPTERS).toContain(s.adapter);
    expect(new URL(s.url).protocol).toMatch(/^https?:$/);
    expect(s.intervalMinutes).toBeGreaterThan(0);
  }
  expect(new URL(c.site.url).protocol).toMatch(/^https?:$/);
  expect(c.http.deadlineMs).toBeGreaterThan(0);
  expect(Number.isInteger(c.http.retries) && c.http.retries >= 0).toBe(true);
}

function check(raw: unknown, env: NodeJS.ProcessEnv = {}): 'ok' | 'invalid' {
  try {
    expectSound(parseConfig(raw, FILE, env));
    return 'ok';
  } catch (err) {
    if (!(err instanceof ConfigError)) throw new Error(`not a ConfigError: ${(err as Error)?.stack ?? String(err)}`);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.file).toBe(FILE);
    expect(err.message.startsWith(FILE)).toBe(true);
    expect(err.message.length).toBeLessThan(20_000);
    return 'invalid';
  }
}

describe('parseConfig', () => {
  test('the reference config loads', () => {
    expect(check(VALID)).toBe('ok');
  });

  test('any JSON value: a sound config or a ConfigError naming the file', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (raw) => {
        check(raw);
      }),
      { numRuns: 300 },
    );
  });

  test('a valid config with drifted fields: a sound config or a ConfigError naming the field', () => {
    const seen = { ok: 0, invalid: 0 };
    fc.assert(
      fc.property(mutatedJson(VALID, { maxEdits: 2 }), (raw) => {
        seen[check(structuredClone(raw))]++;
      }),
      { numRuns: 150 },
    );
    // Both sides were reached: the drift is neither always fatal nor always harmless.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.invalid).toBeGreaterThan(0);
  });

  test('hostile strings in every string field, and hostile environment overrides', () => {
    const strings = fc.record({ id: hostileString({ maxParts: 3 }), url: hostileString({ maxParts: 3 }), title: hostileString({ maxParts: 3 }), dataDir: hostileString({ maxParts: 3 }) });
    fc.assert(
      fc.property(strings, fc.record({ OUTAGE_RADAR_DATA_DIR: fc.option(hostileString({ maxParts: 2 }), { nil: undefined }), OUTAGE_RADAR_SITE_URL: fc.option(fc.oneof(fc.webUrl(), hostileString({ maxParts: 2 })), { nil: undefined }) }), (s, env) => {
        const raw = { ...structuredClone(VALID), dataDir: s.dataDir, site: { ...VALID.site, title: s.title } };
        raw.sources[0] = { ...raw.sources[0]!, id: s.id, url: s.url };
        const cleanEnv = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && !v.includes('\u0000')));
        const outcome = check(raw, cleanEnv);
        if (outcome === 'ok') expect(raw.sources[0]!.id).toMatch(/^[a-z0-9][a-z0-9-]{1,60}$/);
      }),
      { numRuns: 300 },
    );
  });

  test('duplicate source ids are refused by name', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID.sources.map((s) => s.id)), (id) => {
        const raw = structuredClone(VALID);
        raw.sources.push({ ...raw.sources.find((s) => s.id === id)! });
        expect(() => parseConfig(raw, FILE, {})).toThrow(new RegExp(`source id "${id}" appears twice`));
      }),
      { numRuns: 10 },
    );
  });
});

describe('loadConfig from a file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'or-fuzz-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('any bytes in a .json config: a config or a ConfigError, never another exception', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''), hostileString(), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1'))), async (content) => {
        const file = path.join(dir, `c${n++}.json`);
        await writeFile(file, content, 'latin1');
        try {
          await loadConfig(file, {});
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          expect((err as ConfigError).message).toContain(file);
        }
      }),
      { numRuns: 100 },
    );
  });
});
