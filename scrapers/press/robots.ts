/**
 * robots.txt for article pages, per host, through the project's HTTP client. RFC 9309: a robots.txt
 * that is unavailable (4xx) allows everything; one that is unreachable (5xx, timeout, network error,
 * rate limit) disallows everything until we can read it. Rules for our token ("OutageRadar") win over
 * "*", as robots-parser implements.
 */
import robotsParser from 'robots-parser';
import { isSourceError } from '../http/errors.ts';
import type { HttpClient } from '../http/types.ts';

/** The product token our User-Agent starts with; robots.txt groups name it. */
export const ROBOTS_USER_AGENT_TOKEN = 'OutageRadar';

export interface RobotsDecision {
  allowed: boolean;
  /** `rules`, `no-robots-txt (404)`, `unreachable (SOURCE_TIMEOUT)`, … */
  reason: string;
}

export interface RobotsChecker {
  /** May `url` be fetched now? Reads (and caches) the host's robots.txt first. */
  check(url: string, now: Date, signal?: AbortSignal): Promise<RobotsDecision>;
}

export interface RobotsOptions {
  http: HttpClient;
  userAgentToken?: string;
  /** How long a read robots.txt (or a 4xx) is trusted. */
  ttlMinutes?: number;
  /** How long an unreachable robots.txt blocks the host before we ask again. */
  failureTtlMinutes?: number;
  sourceId?: string;
}

type Entry = { until: number; decide: (url: string) => RobotsDecision };

/** A per-host robots.txt cache (in memory, for the life of the process). */
export function createRobotsChecker(options: RobotsOptions): RobotsChecker {
  const token = options.userAgentToken ?? ROBOTS_USER_AGENT_TOKEN;
  const ttl = (options.ttlMinutes ?? 24 * 60) * 60_000;
  const failureTtl = (options.failureTtlMinutes ?? 60) * 60_000;
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();

  async function load(origin: string, now: Date, signal?: AbortSignal): Promise<Entry> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const res = await options.http.request({ url: robotsUrl, expect: 'text', signal, sourceId: options.sourceId, maxBytes: 512 * 1024 });
      const robot = robotsParser(robotsUrl, res.text);
      return {
        until: now.getTime() + ttl,
        decide: (url) => {
          const allowed = robot.isAllowed(url, token);
          return { allowed: allowed !== false, reason: allowed === false ? 'disallowed by robots.txt' : 'rules' };
        },
      };
    } catch (err) {
      if (isSourceError(err) && err.code === 'SOURCE_HTTP_STATUS' && err.status !== null && err.status >= 400 && err.status < 500) {
        const reason = `no robots.txt (${err.status})`;
        return { until: now.getTime() + ttl, decide: () => ({ allowed: true, reason }) };
      }
      if (isSourceError(err) && (err.code === 'SOURCE_WRONG_TYPE' || err.code === 'SOURCE_EMPTY')) {
        // A 200 that is no robots.txt (an HTML page, an empty body) states no rules.
        const reason = `robots.txt without rules (${err.code})`;
        return { until: now.getTime() + ttl, decide: () => ({ allowed: true, reason }) };
      }
      const code = isSourceError(err) ? err.code : 'UNKNOWN';
      const reason = `robots.txt unreachable (${code}${isSourceError(err) && err.status ? ` ${err.status}` : ''})`;
      return { until: now.getTime() + failureTtl, decide: () => ({ allowed: false, reason }) };
    }
  }

  return {
    async check(url, now, signal) {
      let origin: string;
      try {
        const u = new URL(url);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') return { allowed: false, reason: 'not an http(s) URL' };
        origin = u.origin;
      } catch {
        // An unparseable URL cannot be fetched at all.
        return { allowed: false, reason: 'not a URL' };
      }
      const hit = cache.get(origin);
      if (hit && hit.until > now.getTime()) return hit.decide(url);
      let pending = inFlight.get(origin);
      if (!pending) {
        pending = load(origin, now, signal).finally(() => inFlight.delete(origin));
        inFlight.set(origin, pending);
      }
      const entry = await pending;
      cache.set(origin, entry);
      return entry.decide(url);
    },
  };
}
