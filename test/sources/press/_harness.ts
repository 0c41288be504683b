/**
 * Test harness for the press and community adapters: a real node:http server on 127.0.0.1:0 that
 * serves fixture files (raw bytes, chosen content type), records every request, and a FetchContext
 * wired to the project's real HTTP client.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../../src/config/load.ts';
import { HttpConfigSchema, type SourceConfigInput } from '../../../src/config/schema.ts';
import { createHttpClient, type OwnedHttpClient } from '../../../scrapers/http/index.ts';
import type { FetchContext } from '../../../scrapers/sources/types.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FeedServer {
  base: string;
  /** Paths requested, in order. */
  requests: string[];
  headers: Map<string, IncomingMessage['headers']>;
  route(path: string, handler: Handler): void;
  /** Serves a fixture file's bytes with `contentType` (and an ETag; 304 when it matches). */
  serveFixture(path: string, file: string, contentType: string, etag?: string): void;
  close(): Promise<void>;
}

export function fixture(file: string): Buffer {
  return readFileSync(new URL(`../../fixtures/news/${file}`, import.meta.url));
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Handler>();
  const requests: string[] = [];
  const headers = new Map<string, IncomingMessage['headers']>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(path);
    headers.set(path, req.headers);
    const h = routes.get(path);
    if (!h) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    h(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    headers,
    route: (path, handler) => void routes.set(path, handler),
    serveFixture(path, file, contentType, etag) {
      routes.set(path, (req, res) => {
        if (etag && req.headers['if-none-match'] === etag) {
          res.writeHead(304, { etag }).end();
          return;
        }
        res.writeHead(200, { 'content-type': contentType, ...(etag ? { etag } : {}) }).end(fixture(file));
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function createTestHttp(): OwnedHttpClient {
  return createHttpClient({
    config: HttpConfigSchema.parse({
      userAgent: 'OutageRadar/0.1 (+https://example.test/outage-radar)',
      deadlineMs: 3_000,
      connectTimeoutMs: 1_000,
      headersTimeoutMs: 2_000,
      bodyTimeoutMs: 2_000,
      retries: 0,
    }),
  });
}

export function contextFor(
  source: SourceConfigInput,
  http: OwnedHttpClient,
  now: Date,
  options: { env?: NodeJS.ProcessEnv; validators?: FetchContext['validators'] } = {},
): FetchContext {
  const config = parseConfig({ sources: [source] }, '/tmp/outage-radar-test.config.ts', {});
  return {
    source: config.sources[0]!,
    config,
    http,
    now,
    validators: options.validators ?? { etag: null, lastModified: null },
    env: options.env ?? {},
    signal: new AbortController().signal,
  };
}
