/**
 * Loads and validates the operator's config. The file is `outage-radar.config.ts` in the project
 * root unless `OUTAGE_RADAR_CONFIG` names another (.ts, .mjs, .js or .json). `OUTAGE_RADAR_DATA_DIR`
 * and `OUTAGE_RADAR_SITE_URL` override the file. Relative paths resolve against the file's folder.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigSchema, type Config } from './schema.ts';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly file: string;
  constructor(message: string, file: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
    this.file = file;
  }
}

export interface LoadedConfig extends Config {
  /** Absolute path of the file it came from. */
  configFile: string;
  /** Absolute data directory. */
  dataDirAbs: string;
}

export function defaultConfigPath(cwd = process.cwd()): string {
  return path.resolve(cwd, process.env.OUTAGE_RADAR_CONFIG ?? 'outage-radar.config.ts');
}

/** Validates a raw config object; throws ConfigError naming every bad field. */
export function parseConfig(raw: unknown, file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(`${file}: invalid config\n${z.prettifyError(result.error)}`, file, { cause: result.error });
  }
  const config = result.data;
  if (env.OUTAGE_RADAR_DATA_DIR) config.dataDir = env.OUTAGE_RADAR_DATA_DIR;
  if (env.OUTAGE_RADAR_SITE_URL) config.site.url = env.OUTAGE_RADAR_SITE_URL;
  if (env.OUTAGE_RADAR_STATIC === '1') config.site.staticHosting = true;
  const ids = new Set<string>();
  for (const s of config.sources) {
    if (ids.has(s.id)) throw new ConfigError(`${file}: source id "${s.id}" appears twice`, file);
    ids.add(s.id);
  }
  return { ...config, configFile: file, dataDirAbs: path.resolve(path.dirname(file), config.dataDir) };
}

/** Reads the config file at `file` (default: see module doc). */
export async function loadConfig(file = defaultConfigPath(), env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  let raw: unknown;
  try {
    if (file.endsWith('.json')) {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } else {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      raw = mod.default;
    }
  } catch (cause) {
    throw new ConfigError(`${file}: cannot read config: ${(cause as Error).message}`, file, { cause });
  }
  return parseConfig(raw, file, env);
}
