/**
 * Shared pieces of the notification tests: a realistic outage day as incident snapshots, and a
 * webhook receiver on 127.0.0.1 whose answers each test scripts.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IncidentSchema, type Incident, type IncidentInput } from '../../src/domain/schemas.ts';
import { ConfigSchema, type Config, type ConfigInput } from '../../src/config/schema.ts';

/** Builds a valid incident; every field can be overridden. */
export function makeIncident(overrides: Partial<IncidentInput> = {}): Incident {
  return IncidentSchema.parse({
    id: 'inc-2026-11-24-exchange-online-owa',
    title: 'Outlook on the web: users cannot open their mailbox',
    services: ['exchange-online'],
    impact: 'major',
    status: 'suspected',
    confidence: 'crowd',
    classification: 'unknown',
    startedAt: '2026-11-24T07:40:00Z',
    acknowledgedAt: null,
    resolvedAt: null,
    createdAt: '2026-11-24T07:50:00Z',
    updatedAt: '2026-11-24T07:50:00Z',
    officialRefs: [],
    officialText: null,
    updates: [],
    evidence: [],
    ...overrides,
  });
}

const crowdUpdate = {
  id: 'crowd-exchange-online-2026-11-24T07:40',
  at: '2026-11-24T07:50:00Z',
  status: 'suspected' as const,
  text: '41 reports of problems with Outlook on the web in 10 minutes (usually 3).',
  source: { id: 'reports', kind: 'crowd' as const },
  url: null,
};
const pressUpdate = {
  id: 'heise-atom:outlook-stoerung-2026-11-24',
  at: '2026-11-24T08:05:00Z',
  status: 'suspected' as const,
  text: 'heise online: Outlook im Web streikt bei vielen Firmenkunden.',
  source: { id: 'heise-atom', kind: 'press' as const },
  url: 'https://www.heise.de/news/outlook-stoerung-2026-11-24.html',
};
const officialInvestigating = {
  id: 'status-cloud-microsoft-mac:EX1190021:2026-11-24T08:12',
  at: '2026-11-24T08:12:00Z',
  status: 'investigating' as const,
  text: 'We are investigating reports that users cannot open their mailbox in Outlook on the web. More details under EX1190021 in the admin center.',
  source: { id: 'status-cloud-microsoft-mac', kind: 'official' as const },
  url: 'https://status.cloud.microsoft/',
};
const officialIdentified = {
  id: 'status-cloud-microsoft-mac:EX1190021:2026-11-24T09:02',
  at: '2026-11-24T09:02:00Z',
  status: 'identified' as const,
  text: 'A recent configuration change to the service that routes Outlook on the web requests is causing the failures. We are reverting it.',
  source: { id: 'status-cloud-microsoft-mac', kind: 'official' as const },
  url: 'https://status.cloud.microsoft/',
};
const officialResolved = {
  id: 'status-cloud-microsoft-mac:EX1190021:2026-11-24T10:31',
  at: '2026-11-24T10:31:00Z',
  status: 'resolved' as const,
  text: 'The configuration change was reverted and telemetry confirms that users can open their mailbox again.',
  source: { id: 'status-cloud-microsoft-mac', kind: 'official' as const },
  url: 'https://status.cloud.microsoft/',
};

/** One outage day, as the incident looked after each cycle: suspected → confirmed → identified → resolved. */
export const outageDay = {
  suspected: makeIncident({ updates: [crowdUpdate] }),
  press: makeIncident({ confidence: 'press', updatedAt: '2026-11-24T08:05:00Z', updates: [pressUpdate, crowdUpdate] }),
  confirmed: makeIncident({
    status: 'investigating',
    confidence: 'official',
    classification: 'incident',
    acknowledgedAt: '2026-11-24T08:12:00Z',
    updatedAt: '2026-11-24T08:12:00Z',
    officialRefs: ['EX1190021'],
    officialText: officialInvestigating.text,
    updates: [officialInvestigating, pressUpdate, crowdUpdate],
  }),
  identified: makeIncident({
    status: 'identified',
    confidence: 'official',
    classification: 'incident',
    impact: 'critical',
    acknowledgedAt: '2026-11-24T08:12:00Z',
    updatedAt: '2026-11-24T09:02:00Z',
    officialRefs: ['EX1190021'],
    officialText: officialIdentified.text,
    updates: [officialIdentified, officialInvestigating, pressUpdate, crowdUpdate],
  }),
  resolved: makeIncident({
    status: 'resolved',
    confidence: 'official',
    classification: 'incident',
    impact: 'critical',
    acknowledgedAt: '2026-11-24T08:12:00Z',
    resolvedAt: '2026-11-24T10:31:00Z',
    updatedAt: '2026-11-24T10:31:00Z',
    officialRefs: ['EX1190021'],
    officialText: officialResolved.text,
    updates: [officialResolved, officialIdentified, officialInvestigating, pressUpdate, crowdUpdate],
  }),
};

/** A Teams incident on another service, to exercise service filters. */
export const teamsIncident = makeIncident({
  id: 'inc-2026-11-24-teams-calls',
  title: 'Teams: calls drop after a few seconds',
  services: ['teams'],
  impact: 'minor',
  status: 'investigating',
  confidence: 'official',
  classification: 'incident',
  acknowledgedAt: '2026-11-24T09:30:00Z',
  startedAt: '2026-11-24T09:20:00Z',
  createdAt: '2026-11-24T09:30:00Z',
  updatedAt: '2026-11-24T09:30:00Z',
  officialRefs: ['TM1190140'],
  officialText: 'We are investigating calls that drop shortly after they connect.',
  updates: [
    {
      id: 'status-cloud-microsoft-mac:TM1190140:2026-11-24T09:30',
      at: '2026-11-24T09:30:00Z',
      status: 'investigating',
      text: 'We are investigating calls that drop shortly after they connect.',
      source: { id: 'status-cloud-microsoft-mac', kind: 'official' },
      url: null,
    },
  ],
});

/** Titles and texts that try to break out of each chat format. */
export const HOSTILE_TITLE =
  '@everyone <!channel> <@U024BE7LH> @here **URGENT** [click](https://evil.example/x) <at>Admin</at> {{DATE(2020-01-01T00:00:00Z)}} `code` ||spoiler|| # Heading & <b>bold</b> \u202Eevil\u202C';
export const HOSTILE_TEXT = `> quoted\n- list item\n1. numbered\n<https://evil.example|Microsoft login> @channel ~strike~ _it_ <t:0:R> $\{secret}`;

export function makeConfig(input: Partial<ConfigInput> = {}): Config {
  return ConfigSchema.parse({
    site: { url: 'https://status.example.org', title: 'Outage Radar' },
    sources: [],
    ...input,
  });
}

// ---------------------------------------------------------------------------------------------

export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
  /** performance.now() when the body was complete. */
  at: number;
}

/** What the receiver does with one request: answer, or hang until released. */
export type Behaviour = { status: number; headers?: Record<string, string>; body?: string } | { hang: true };

export interface Receiver {
  url(path: string): string;
  requests: ReceivedRequest[];
  /** Scripts the next answers for `path`; when the script is empty, 204. */
  script(path: string, ...behaviours: Behaviour[]): void;
  /** Resolves once `n` requests have arrived for `path`. */
  waitFor(path: string, n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Answers every hanging request with 204 (or lets them be cut by the client). */
  releaseHanging(): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const scripts = new Map<string, Behaviour[]>();
  const hanging = new Set<ServerResponse>();
  const listeners = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const path = req.url ?? '/';
      requests.push({ path, headers: req.headers, body, json, at: performance.now() });
      for (const l of [...listeners]) l();
      const behaviour = scripts.get(path)?.shift() ?? { status: 204 };
      if ('hang' in behaviour) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(behaviour.status, behaviour.headers ?? {});
      res.end(behaviour.body ?? '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    script(path, ...behaviours) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...behaviours]);
    },
    waitFor(path, n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const got = requests.filter((r) => r.path === path);
          if (got.length >= n) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(got);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`receiver: ${requests.filter((r) => r.path === path).length}/${n} requests for ${path} within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    releaseHanging() {
      for (const res of hanging) {
        if (!res.writableEnded) res.writeHead(204).end();
      }
      hanging.clear();
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
