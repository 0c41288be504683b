/**
 * A local HTTP server answering like Microsoft's public directory endpoints (getuserrealm.srf,
 * common/userrealm, OpenID configuration), with bodies derived from the recorded samples in
 * test/fixtures/selfcheck. Behaviour per domain; every request line is logged.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/selfcheck');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

export type RealmBehaviour = 'managed' | 'federated' | 'unknown' | 'drift' | '500' | 'hang';
export type UserRealmBehaviour = 'federated' | '500' | 'hang';
export type OpenIdBehaviour = 'ok' | 'not-found-2024' | 'not-found-2021' | '500' | 'hang';

export interface MicrosoftBehaviour {
  realm: RealmBehaviour;
  userRealm?: UserRealmBehaviour;
  openid: OpenIdBehaviour;
  tenantId?: string;
}

export interface FakeMicrosoft {
  baseUrl: string;
  /** `GET /path?query` of every request. */
  log: string[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'max-age=86400, private',
    'access-control-allow-origin': '*',
  });
  res.end(text);
}

export async function startFakeMicrosoft(byDomain: Record<string, MicrosoftBehaviour>): Promise<FakeMicrosoft> {
  const log: string[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    log.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://fake');
    const hang = () => {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
    };
    if (url.pathname === '/getuserrealm.srf') {
      const login = url.searchParams.get('login') ?? '';
      const domain = login.split('@').pop() ?? '';
      const b = byDomain[domain]?.realm ?? 'unknown';
      if (b === 'hang') return hang();
      if (b === '500') return send(res, 500, { error: 'server_error' });
      if (b === 'drift') return send(res, 200, { Realm: 'changed', Kind: 7 });
      const body = fixture(`getuserrealm-${b}.json`);
      return send(res, 200, { ...body, Login: login, DomainName: domain });
    }
    if (url.pathname === '/common/userrealm/' || url.pathname === '/common/userrealm') {
      const user = url.searchParams.get('user') ?? '';
      const domain = user.split('@').pop() ?? '';
      const b = byDomain[domain]?.userRealm ?? '500';
      if (b === 'hang') return hang();
      if (b === '500') return send(res, 500, { error: 'server_error' });
      return send(res, 200, { ...fixture('userrealm-v2.1-federated.json'), Login: user, DomainName: domain });
    }
    const openid = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (openid) {
      const domain = decodeURIComponent(openid[1]!);
      const behaviour = byDomain[domain];
      const b = behaviour?.openid ?? 'not-found-2024';
      if (b === 'hang') return hang();
      if (b === '500') return send(res, 500, { error: 'temporarily_unavailable' });
      if (b === 'not-found-2024') return send(res, 400, fixture('openid-configuration-v2-aadsts90002-2024.json'));
      if (b === 'not-found-2021') return send(res, 400, fixture('openid-configuration-v2-aadsts90002-2021.json'));
      const tid = behaviour?.tenantId ?? '88888888-8888-8888-8888-888888888888';
      const text = JSON.stringify(fixture('openid-configuration-v2-success.json')).replaceAll('88888888-8888-8888-8888-888888888888', tid);
      return send(res, 200, JSON.parse(text));
    }
    send(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    log,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
