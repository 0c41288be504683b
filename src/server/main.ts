/**
 * `npm start`: the whole service in one process (README § Running the service).
 *
 * Environment: PORT (default 4321), HOST (default 127.0.0.1), OUTAGE_RADAR_CONFIG,
 * OUTAGE_RADAR_DATA_DIR, OUTAGE_RADAR_BUILDS_DIR (default `<project>/builds`),
 * OUTAGE_RADAR_STATIC_CACHE_MB (default 256), OUTAGE_RADAR_TEST_TRIGGER=1 (tests only), and the
 * log variables of src/lib/log.ts. SIGTERM / SIGINT stop it gracefully (exit 0); a second signal
 * exits at once (exit 1).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfigPath, loadConfig } from '../config/load.ts';
import { createLogger } from '../lib/log.ts';
import { startService } from './service.ts';

export const EXIT = { ok: 0, failure: 1, config: 2 } as const;

/** Port and host from the environment; throws a CONFIG_INVALID error for a bad PORT. */
export function listenAddress(env: NodeJS.ProcessEnv): { port: number; host: string } {
  const raw = env.PORT ?? '4321';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65_535) throw Object.assign(new Error(`PORT must be a number from 0 to 65535, not "${raw}"`), { code: 'CONFIG_INVALID' });
  return { port, host: env.HOST || '127.0.0.1' };
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const log = createLogger({ name: 'server' });
  let service;
  try {
    const config = await loadConfig(defaultConfigPath(), env);
    const { port, host } = listenAddress(env);
    const cacheMb = env.OUTAGE_RADAR_STATIC_CACHE_MB ? Number(env.OUTAGE_RADAR_STATIC_CACHE_MB) : 256;
    service = await startService({
      config,
      port,
      host,
      env,
      log,
      buildsRoot: env.OUTAGE_RADAR_BUILDS_DIR ? path.resolve(env.OUTAGE_RADAR_BUILDS_DIR) : undefined,
      memoryBudgetBytes: Number.isFinite(cacheMb) && cacheMb >= 0 ? cacheMb * 1024 * 1024 : undefined,
      testTrigger: env.OUTAGE_RADAR_TEST_TRIGGER === '1',
    });
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    log.error('cannot start', { err });
    process.stderr.write(`${(err as Error).message}\n`);
    return code === 'CONFIG_INVALID' ? EXIT.config : EXIT.failure;
  }
  process.stdout.write(`Outage Radar is serving ${service.url}/ (health: ${service.url}/healthz)\n`);
  const running = service;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn('second signal: exiting now', { signal });
        resolve(EXIT.failure);
        return;
      }
      stopping = true;
      log.info('signal received', { signal });
      running.close().then(
        () => resolve(EXIT.ok),
        (err: unknown) => {
          log.error('shutdown failed', { err });
          resolve(EXIT.failure);
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Exit explicitly: a hung source's socket must not keep a stopped service alive.
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(EXIT.failure);
    },
  );
}
