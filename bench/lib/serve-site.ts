/**
 * Serves a built site's `client/` directory the way `npm start` serves its static part
 * (loadStaticSite + createSiteHandler: precompressed variants, ETags, cache and security headers),
 * in its own process, for Lighthouse and browser measurements.
 *
 *   node bench/lib/serve-site.ts <client dir> [port]      → prints "listening on http://127.0.0.1:<port>"
 *
 * `startSiteServer` runs it as a child and resolves once it listens.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../src/lib/log.ts';
import { createSiteHandler } from '../../src/server/site-handler.ts';
import { loadStaticSite } from '../../src/server/static-site.ts';

export interface SiteServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function serve(clientDir: string, port: number): Promise<void> {
  const site = await loadStaticSite({ id: 'bench', dir: path.resolve(clientDir) });
  const handler = createSiteHandler({ getSite: () => site, getOnDemand: () => null, health: () => ({ status: 200, body: '{}' }), log: silentLogger });
  const server = createServer({ keepAliveTimeout: 5_000 }, handler);
  server.listen(port, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/** `port` 0: any free port. The site's own URL (canonical links) should match when pages are audited. */
export async function startSiteServer(clientDir: string, port = 0): Promise<SiteServer> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), clientDir, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (c: Buffer) => {
      output += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`serve-site exited (${code}):\n${output}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await serve(process.argv[2] ?? '.', Number(process.argv[3] ?? 0));
}
