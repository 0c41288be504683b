import { spawn } from 'node:child_process';
import { readFile, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// One-shot runs (`npm run scrape` / `npm run update` from cron or CI) must send the webhooks of
// the incidents they open, and wait for the receiver before the process exits.

const posts = await readFile(path.resolve('test/fixtures/microsoft/posts-m365consumer-outlook-incident.json'), 'utf8');
let server: Server;
let base = '';
const received: { path: string; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/hook') {
        received.push({ path: req.url, body: JSON.parse(body) });
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(posts);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scrapers/cli.ts', ...args], { env: { ...process.env, OUTAGE_RADAR_CONFIG: '' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('one-shot cycle', () => {
  test('queues and delivers the webhook for an incident it opens before exiting', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'or-cli-notify-'));
    const config = {
      dataDir: path.join(dir, 'data'),
      sources: [{ id: 'consumer', adapter: 'status-cloud-microsoft-posts', url: `${base}/api/posts/m365Consumer` }],
      notifications: { targets: [{ id: 'ops', format: 'json', url: `${base}/hook` }] },
    };
    const file = path.join(dir, 'config.json');
    await writeFile(file, JSON.stringify(config));
    const { code, out } = await run(['scrape', '--config', file, '--now', '2026-09-03T10:00:00Z']);
    expect(code, out).toBe(0);
    expect(received.length).toBeGreaterThan(0);
    const payload = received[0]!.body as { incident: { name: string; components: { name: string }[] } };
    expect(payload.incident.components.map((c) => c.name).join(' ')).toMatch(/Outlook\.com/);
    const log = await readFile(path.join(dir, 'data', 'notifications', 'deliveries.jsonl'), 'utf8');
    expect(log).toMatch(/"targetId":"ops"/);
  });
});
