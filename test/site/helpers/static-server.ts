/**
 * A tiny static server for the built site on 127.0.0.1 (port 0), serving files the way the
 * project's server is meant to: Content-Type from contentTypeFor, headers from securityHeadersFor,
 * `/dir` → 301 `/dir/`, missing → 404.html with status 404.
 */
import { createServer, type Server } from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { contentTypeFor } from '../../../src/lib/content-types.ts';
import { securityHeadersFor } from '../../../src/lib/security-headers.ts';

export interface StaticServer {
  url: string;
  origin: string;
  server: Server;
  close(): Promise<void>;
}

async function resolveFile(root: string, pathname: string): Promise<{ file: string } | { redirect: string } | null> {
  const target = path.join(root, pathname);
  if (!target.startsWith(root)) return null;
  const stat = await fs.stat(target).catch(() => null);
  if (stat?.isFile()) return { file: target };
  if (stat?.isDirectory()) {
    if (!pathname.endsWith('/')) return { redirect: `${pathname}/` };
    const index = path.join(target, 'index.html');
    return (await fs.stat(index).catch(() => null)) ? { file: index } : null;
  }
  return null;
}

export async function startStaticServer(root: string, extra?: (pathname: string) => { status: number; type: string; body: string; headers?: Record<string, string> } | null): Promise<StaticServer> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const pathname = decodeURIComponent(url.pathname);
      const custom = extra?.(pathname);
      if (custom) {
        res.writeHead(custom.status, { 'Content-Type': custom.type, ...custom.headers });
        res.end(custom.body);
        return;
      }
      const found = await resolveFile(root, pathname);
      if (found && 'redirect' in found) {
        res.writeHead(301, { Location: found.redirect });
        res.end();
        return;
      }
      const file = found?.file ?? path.join(root, '404.html');
      const body = await fs.readFile(file);
      res.writeHead(found ? 200 : 404, {
        'Content-Type': contentTypeFor(file),
        'Cache-Control': 'no-store',
        ...securityHeadersFor(pathname),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    })().catch((err: Error) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(err.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    url: `${origin}/`,
    origin,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
