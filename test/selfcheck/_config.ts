/** Writes a JSON config whose self-check points at the fake world, plus a data dir. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { World } from './_world.ts';

export async function writeWorldConfig(dir: string, dataDir: string, world: World, extra: Record<string, unknown> = {}): Promise<string> {
  const file = path.join(dir, 'outage-radar.config.json');
  const config = {
    site: { url: 'http://localhost:4321', staleAfterMinutes: 30 },
    dataDir,
    sources: [],
    reports: { enabled: false },
    selfCheck: {
      dnsServers: [world.dns.address],
      timeoutMs: 1500,
      tries: 1,
      httpTimeoutMs: 2000,
      directory: {
        realmBaseUrl: world.microsoft.baseUrl,
        userRealmBaseUrl: world.microsoft.baseUrl,
        openIdBaseUrl: world.microsoft.baseUrl,
      },
      ...extra,
    },
  };
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}
