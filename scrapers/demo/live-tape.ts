/**
 * A tape played live: local fixture servers (one per original host) answer the configured sources
 * in the real wire formats with what the tape says at the current moment, and the tape's crowd
 * reports go into a report store as their time comes. Built from the replay's parts (planSources,
 * TapePlayer, expandTapeReports); where the replay steps a virtual clock itself, this follows any
 * clock the caller advances (`advanceTo`), so a running `npm start` service can read it.
 */
import type { SourceConfig } from '../../src/config/schema.ts';
import type { ReportStore } from '../../src/reports/store.ts';
import { expandTapeReports, type TapeReport } from '../../src/tapes/crowd.ts';
import type { Tape } from '../../src/tapes/schema.ts';
import { planSources, type SourcePlan } from '../replay/plan.ts';
import { TapePlayer } from '../replay/player.ts';
import { startFixtureServer, type FixtureRoute, type FixtureServer } from '../testing/fixture-server.ts';

export class LiveTapeError extends Error {
  readonly code = 'LIVE_TAPE_NO_ROUTE';
  constructor(message: string) {
    super(message);
    this.name = 'LiveTapeError';
  }
}

export interface LiveTape {
  readonly tape: Tape;
  /** The configured sources, moved onto the fixture servers. */
  readonly sources: SourceConfig[];
  readonly plan: SourcePlan;
  /** Every crowd report the tape implies (history and events), sorted by time. */
  readonly reports: readonly TapeReport[];
  /** Applies the tape up to `t` (epoch ms; never backwards) and serves that state; true when a tape event was applied. */
  advanceTo(t: number): boolean;
  /**
   * Sends the reports up to `t` not sent yet to `store`; returns how many. Reports are sent in
   * time order and each only once.
   */
  feedReports(store: ReportStore, t: number): Promise<number>;
  /** Serves `route` for a source instead of the tape's answer (tests: a failing source), until `clearOverride`. */
  override(sourceId: string, route: FixtureRoute): void;
  clearOverride(sourceId: string): void;
  /** The fixture server of a source (requests it saw). */
  serverFor(sourceId: string): FixtureServer;
  close(): Promise<void>;
}

export interface StartLiveTapeOptions {
  tape: Tape;
  /** Sources to play the tape through (adapter, interval, services are kept; URLs move). */
  sources: readonly SourceConfig[];
  /** Weeks of baseline crowd history to generate before the tape's start. */
  historyWeeks: number;
}

export async function startLiveTape(options: StartLiveTapeOptions): Promise<LiveTape> {
  const { tape } = options;
  const servers = new Map<string, FixtureServer>();
  try {
    const hosts = new Set<string>();
    const probe = planSources(options.sources, tape, (host) => {
      hosts.add(host);
      return `http://${host}`;
    });
    for (const r of probe.routes) hosts.add(r.host);
    for (const host of [...hosts].sort()) servers.set(host, await startFixtureServer());
  } catch (err) {
    await Promise.all([...servers.values()].map((s) => s.close()));
    throw err;
  }
  const plan = planSources(options.sources, tape, (host) => servers.get(host)!.origin);
  const player = new TapePlayer(tape, {
    pressFeedFor: (outlet, feed) => feed ?? plan.pressFeedByOutlet.get(outlet.toLowerCase())!,
    communityFeedFor: (feed) => feed ?? plan.communityFeedIds[0]!,
  });
  const reports = expandTapeReports(tape, options.historyWeeks);
  const overrides = new Map<string, FixtureRoute>();
  let now = Date.parse(tape.header.start);
  let fed = 0;

  // Feeds are re-rendered only when their content changed; Microsoft's answers carry server
  // timestamps and are rendered at every step (cacheKey null).
  const served = new Map<string, string>();
  const serve = () => {
    for (const r of plan.routes) {
      const o = overrides.get(r.sourceId);
      const key = o ? null : player.cacheKey(r.binding);
      const slot = `${r.host}${r.path}`;
      if (key !== null && served.get(slot) === key) continue;
      servers.get(r.host)!.set(r.path, o ?? player.routeFor(r.binding, now));
      if (key === null) served.delete(slot);
      else served.set(slot, key);
    }
  };

  return {
    tape,
    sources: plan.sources,
    plan,
    reports,
    advanceTo(t) {
      now = Math.max(now, t);
      const changed = player.advanceTo(now);
      serve();
      return changed.size > 0;
    },
    async feedReports(store, t) {
      const batch: Promise<unknown>[] = [];
      while (fed < reports.length && reports[fed]!.at <= t) {
        const r = reports[fed++]!;
        batch.push(store.add({ service: r.service, problemType: r.problemType ?? 'other', code: r.code, clientId: r.client, receivedAt: new Date(r.at) }));
      }
      await Promise.all(batch);
      return batch.length;
    },
    override(sourceId, route) {
      overrides.set(sourceId, route);
      serve();
    },
    clearOverride(sourceId) {
      overrides.delete(sourceId);
      serve();
    },
    serverFor(sourceId) {
      const r = plan.routes.find((x) => x.sourceId === sourceId);
      if (!r) throw new LiveTapeError(`no planned route for source ${sourceId}`);
      return servers.get(r.host)!;
    },
    async close() {
      await Promise.all([...servers.values()].map((s) => s.close()));
    },
  };
}
