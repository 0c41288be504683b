/**
 * Test helpers for official adapters: a FetchContext over a real HTTP client, and fixture loading.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../../src/config/load.ts';
import type { SourceConfigInput } from '../../../src/config/schema.ts';
import type { HttpClient } from '../../../scrapers/http/types.ts';
import type { FetchContext } from '../../../scrapers/sources/types.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/microsoft');

/** A fixture's raw bytes. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

/** A fixture as text (UTF-8). */
export function fixture(name: string): string {
  return fixtureBytes(name).toString('utf8');
}

export function makeContext(
  source: SourceConfigInput,
  http: HttpClient,
  options: { now?: Date; env?: NodeJS.ProcessEnv; validators?: FetchContext['validators']; signal?: AbortSignal } = {},
): FetchContext {
  const config = parseConfig({ sources: [source] }, '/tmp/outage-radar-test.config.ts', {});
  return {
    source: config.sources[0]!,
    config,
    http,
    now: options.now ?? new Date('2026-08-31T16:05:00.000Z'),
    validators: options.validators ?? { etag: null, lastModified: null },
    env: options.env ?? {},
    signal: options.signal ?? new AbortController().signal,
  };
}
