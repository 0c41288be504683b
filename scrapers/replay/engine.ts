/**
 * Replays one tape through the real pipeline: the tape's official, press and community answers are
 * served by local fixture servers in the real wire formats, its crowd reports go through the real
 * report store (node:sqlite in a temporary directory), and the real cycle (`runCycle`: adapters,
 * correlation, status rollup) runs on a virtual clock every N simulated minutes.
 *
 * Cycles are skipped only when nothing they could see has changed: no tape event within the
 * longest source interval, no active fault, no crowd bucket the detector would not call quiet, no
 * open non-advisory incident and no failing source (a heartbeat cycle still runs once a day);
 * `restoreReadSchedule` keeps every source's read times where a full replay has them.
 */
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadedConfig } from '../../src/config/load.ts';
import type { Incident, SourceHealth, StatusSnapshot } from '../../src/domain/schemas.ts';
import { silentLogger, type Logger } from '../../src/lib/log.ts';
import { reportPolicy } from '../../src/reports/open-store.ts';
import { SqliteReportStore } from '../../src/reports/sqlite-store.ts';
import type { ReportStore } from '../../src/reports/store.ts';
import { readIncidents, readSignals, readSourceHealth, writeSourceHealth } from '../../src/store/data-store.ts';
import { expandTapeReports, type TapeReport } from '../../src/tapes/crowd.ts';
import { OFFICIAL_CHANNELS, type ExpectEvent, type OfficialChannel, type Tape } from '../../src/tapes/schema.ts';
import { runCycle, type SignalProvider } from '../cycle.ts';
import { createCrowdProvider } from '../crowd/provider.ts';
import { createHttpClient } from '../http/client.ts';
import { startFixtureServer, type FixtureServer } from '../testing/fixture-server.ts';
import { findCrowdWindows, inWindows } from './crowd-windows.ts';
import { detectOptions } from '../crowd/provider.ts';
import {
  checkExpectation,
  evaluateReplay,
  findDuplicatePairs,
  findGreenWhileBlind,
  recordSightings,
  type DuplicatePair,
  type IncidentReport,
  type IncidentSighting,
  type MissReport,
} from './evaluate.ts';
import { GRAPH_TAPE_ENV, planSources } from './plan.ts';
import { listTapeOfficialIncidents, TapePlayer, type RouteBinding } from './player.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export class ReplayError extends Error {
  readonly code: 'REPLAY_SCHEDULE';
  constructor(code: ReplayError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplayError';
    this.code = code;
  }
}

/** Minutes between cycles from a cron schedule of the form `*\/N * * * *` (or `* * * * *`). */
export function cycleMinutesFromSchedule(schedule: string): number {
  const [minute, ...rest] = schedule.trim().split(/\s+/);
  if (rest.length === 4 && rest.every((f) => f === '*')) {
    if (minute === '*') return 1;
    const m = /^\*\/(\d+)$/.exec(minute ?? '');
    if (m && Number(m[1]) > 0) return Number(m[1]);
  }
  throw new ReplayError('REPLAY_SCHEDULE', `cannot derive a cycle interval from schedule "${schedule}"; pass cycleMinutes (--cycle-minutes)`);
}

/** Builds the crowd provider(s) over the replay's report store. */
export type ProviderFactory = (store: ReportStore, config: LoadedConfig) => Promise<SignalProvider[]>;

/** The project's crowd provider over the replay's store. */
export const defaultProviders: ProviderFactory = async (store) => [createCrowdProvider(store)];

export interface ReplayOptions {
  tape: Tape;
  /** Thresholds, sources and schedule come from here (never from the tape). */
  config: LoadedConfig;
  /** Default: from `config.schedule`. */
  cycleMinutes?: number;
  /** Parent of the temporary data directory (default: /dev/shm when present, else the OS temp dir). */
  workDir?: string;
  /** Keep the temporary data directory (its path is in the result). */
  keepData?: boolean;
  /** Per-request deadline for the local fixture servers (a `hang` fault costs this much wall time). */
  httpDeadlineMs?: number;
  /** Skip cycles that cannot change anything (default true). */
  skip?: boolean;
  heartbeatMinutes?: number;
  providers?: ProviderFactory;
  log?: Logger;
  /** Called after every cycle that ran (tests). */
  onCycle?: (info: { at: Date; incidents: readonly Incident[]; status: StatusSnapshot }) => void;
}

export interface ExpectationOutcome {
  label: string;
  at: string;
  until: string | null;
  ok: boolean;
  checks: number;
  /** First failing check. */
  failure: { at: string; reason: string } | null;
}

export interface TapeResult {
  tape: { id: string; title: string; kind: Tape['header']['kind']; file: string | null; start: string; end: string; days: number };
  /** Microsoft's first word in the tape (earliest official incident), null when it never spoke. */
  microsoftFirstAt: string | null;
  incidents: IncidentReport[];
  duplicates: DuplicatePair[];
  /** Pairs shown side by side for a while and merged later (not counted as duplicates). */
  transientDuplicates: DuplicatePair[];
  falseAlarms: string[];
  misses: MissReport[];
  unshownChannels: MissReport[];
  expectations: ExpectationOutcome[];
  greenWhileBlind: { at: string; service: string; sources: string[] }[];
  /** Quiet tapes: false alarms scaled to 30 days. */
  falseAlarmsPer30Days: number | null;
  cycles: { ticks: number; run: number; cycleMinutes: number };
  reports: number;
  /** Wall-clock time of the replay. */
  durationMs: number;
  /** CPU time (user + system) of this process during the replay: what a busy machine does not inflate. */
  cpuMs: number;
  dataDir: string | null;
}

function defaultWorkDir(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
}

const CHANNELS = new Set<string>(OFFICIAL_CHANNELS);

const CHANNEL_OF: Partial<Record<RouteBinding['kind'], OfficialChannel>> = {
  mac: 'status-cloud-microsoft-mac',
  consumer: 'status-cloud-microsoft-consumer',
  azure: 'azure-status-rss',
  graph: 'graph-service-health',
};

/**
 * Writes the source health that the skipped cycles would have written. In a full replay a source
 * read successfully at f is read again at every cycle from f + interval on, so its reads fall on a
 * grid of period ceil(interval / cycle) · cycle. A skipped stretch serves unchanged content and no
 * fault, so each skipped read would have succeeded and changed nothing but the source's read times.
 * Keeping that grid keeps every source's first read after the next change where a full replay has
 * it, so skipping cannot move a detection.
 */
export async function restoreReadSchedule(dataDir: string, sources: LoadedConfig['sources'], t: number, cycleMs: number): Promise<number> {
  const health = await readSourceHealth(dataDir);
  let changed = 0;
  for (const source of sources) {
    const h = health.get(source.id);
    if (!h || (h.state !== 'ok' && h.state !== 'not_modified') || !h.lastAttemptAt || !h.notBefore) continue;
    const interval = source.intervalMinutes * MINUTE;
    const f = Date.parse(h.lastAttemptAt);
    // Only the plain interval schedule; a Retry-After or another rule is left as it is.
    if (Date.parse(h.notBefore) !== f + interval) continue;
    const period = Math.ceil(interval / cycleMs) * cycleMs;
    const k = Math.floor((t - f) / period);
    if (k < 1) continue;
    const onGrid = f + k * period;
    const last = onGrid === t ? onGrid - period : onGrid;
    if (last <= f) continue;
    const at = new Date(last).toISOString();
    await writeSourceHealth(dataDir, { ...h, lastAttemptAt: at, lastSuccessAt: at, notBefore: new Date(last + interval).toISOString() });
    changed++;
  }
  return changed;
}

export async function replayTape(options: ReplayOptions): Promise<TapeResult> {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const { tape } = options;
  const { header } = tape;
  const log = options.log ?? silentLogger;
  const cycleMinutes = options.cycleMinutes ?? cycleMinutesFromSchedule(options.config.schedule);
  const skip = options.skip ?? true;
  const heartbeat = (options.heartbeatMinutes ?? 24 * 60) * MINUTE;
  const start = Date.parse(header.start);
  const end = Date.parse(header.end);
  const step = cycleMinutes * MINUTE;

  const root = await fs.mkdtemp(path.join(options.workDir ?? defaultWorkDir(), `replay-${header.id.slice(0, 40)}-`));
  const dataDir = path.join(root, 'data');
  await fs.mkdir(dataDir, { recursive: true });

  const servers = new Map<string, FixtureServer>();
  let store: ReportStore | null = null;
  let http: ReturnType<typeof createHttpClient> | null = null;
  try {
    // One fixture server per original host.
    const hosts = new Set<string>();
    const probe = planSources(options.config.sources, tape, (host) => {
      hosts.add(host);
      return `http://${host}`;
    });
    for (const r of probe.routes) hosts.add(r.host);
    for (const host of [...hosts].sort()) servers.set(host, await startFixtureServer());
    const plan = planSources(options.config.sources, tape, (host) => servers.get(host)!.origin);

    const deadline = options.httpDeadlineMs ?? 1_000;
    const config: LoadedConfig = {
      ...options.config,
      sources: plan.sources,
      dataDir,
      dataDirAbs: dataDir,
      http: { ...options.config.http, deadlineMs: deadline, connectTimeoutMs: deadline, headersTimeoutMs: deadline, bodyTimeoutMs: deadline },
    };
    const env: NodeJS.ProcessEnv = header.graph ? { ...GRAPH_TAPE_ENV } : {};
    let now = start;
    http = createHttpClient({ config: config.http, hostsFile: null, clock: () => new Date(now) });

    const player = new TapePlayer(tape, {
      pressFeedFor: (outlet, feed) => feed ?? plan.pressFeedByOutlet.get(outlet.toLowerCase())!,
      communityFeedFor: (feed) => feed ?? plan.communityFeedIds[0]!,
    });

    // Crowd: every report the tape implies, history bulk-inserted before the first cycle.
    const historyWeeks = header.crowd.baseline?.historyWeeks ?? config.crowd.baselineWeeks + 2;
    const seriesStart = start - historyWeeks * 7 * DAY;
    const reports: TapeReport[] = expandTapeReports(tape, config.crowd.baselineWeeks + 2);
    const firstReport = reports.length ? Math.min(seriesStart, reports[0]!.at) : seriesStart;
    store = SqliteReportStore.open(path.join(dataDir, 'reports.db'), reportPolicy(config), { now: () => new Date(firstReport) });
    const providers = await (options.providers ?? defaultProviders)(store, config);
    let fed = 0;
    const feedReports = async (upTo: number) => {
      const batch: Promise<unknown>[] = [];
      while (fed < reports.length && reports[fed]!.at <= upTo) {
        const r = reports[fed++]!;
        batch.push(store!.add({ service: r.service, problemType: r.problemType ?? 'other', code: r.code, clientId: r.client, receivedAt: new Date(r.at) }));
      }
      await Promise.all(batch);
    };
    await feedReports(start - 1);

    const windows = skip ? findCrowdWindows(reports, seriesStart, end, detectOptions(config)) : [];
    const windowCursor = { i: 0 };
    const active = config.sources.filter((s) => s.enabled);
    const maxInterval = Math.max(...active.map((s) => s.intervalMinutes), 0);
    const lag = (maxInterval + 2 * cycleMinutes) * MINUTE;
    // Which sources serve each feed or official channel of the tape.
    const sourcesFor = new Map<string, string[]>();
    for (const r of plan.routes) {
      if (!active.some((s) => s.id === r.sourceId)) continue;
      const key = CHANNEL_OF[r.binding.kind] ?? (r.binding.kind === 'press' || r.binding.kind === 'community' ? r.binding.feedId : null);
      if (!key) continue;
      const list = sourcesFor.get(key) ?? [];
      if (!list.includes(r.sourceId)) list.push(r.sourceId);
      sourcesFor.set(key, list);
    }
    const intervalOf = new Map(active.map((s) => [s.id, s.intervalMinutes * MINUTE]));
    /** Sources whose content changed and that have not read it yet → the cycle that will. */
    const pending = new Map<string, number>();
    let health: ReadonlyMap<string, SourceHealth> = new Map();
    /** The first read of `sourceId` at or after `at` on its schedule (a full replay's read grid). */
    const nextRead = (sourceId: string, at: number): number => {
      const last = health.get(sourceId)?.lastAttemptAt;
      if (!last) return at;
      const f = Date.parse(last);
      const period = Math.ceil(intervalOf.get(sourceId)! / step) * step;
      return f + Math.max(1, Math.ceil((at - f) / period)) * period;
    };
    const vanishGrace = (config.correlation.officialVanishGraceMinutes + 2 * cycleMinutes) * MINUTE;

    const expectations = tape.events.filter((e): e is ExpectEvent => e.type === 'expect');
    const outcomes = new Map<ExpectEvent, ExpectationOutcome>(
      expectations.map((e) => [e, { label: e.label, at: e.at, until: e.until ?? null, ok: true, checks: 0, failure: null }]),
    );
    const expectationMatches = new Map<string, Set<string>>(expectations.map((e) => [e.label, new Set<string>()]));
    const sightings = new Map<string, IncidentSighting>();
    const transient = new Map<string, DuplicatePair>();
    const greenWhileBlind: TapeResult['greenWhileBlind'] = [];

    let incidents: Incident[] = [];
    let status: StatusSnapshot | null = null;
    let dirtyUntil = -Infinity;
    let lastRun = -Infinity;
    let openState = false;
    let ticks = 0;
    let runs = 0;
    let skippedSinceRun = false;
    const routeKeys = new Map<string, string>();

    for (let t = start; t <= end; t += step) {
      ticks++;
      now = t;
      for (const key of player.advanceTo(t)) {
        for (const id of sourcesFor.get(key) ?? []) if (!pending.has(id)) pending.set(id, nextRead(id, t));
        // An official incident that drops off its source resolves after a grace period: keep
        // cycling through it. Graph lists resolved issues too, so nothing drops off there.
        if (CHANNELS.has(key) && key !== 'graph-service-health') dirtyUntil = Math.max(dirtyUntil, t + (Math.max(...(sourcesFor.get(key) ?? []).map((id) => intervalOf.get(id)!), 0) + vanishGrace));
      }
      await feedReports(t);
      const due = [...pending.values()].some((at) => at <= t);
      const run = !skip || runs === 0 || due || t <= dirtyUntil || player.hasOverrides() || openState || inWindows(windows, t, windowCursor) || t - lastRun >= heartbeat;
      if (!run) skippedSinceRun = true;
      if (run) {
        if (skippedSinceRun) await restoreReadSchedule(dataDir, config.sources, t, step);
        skippedSinceRun = false;
        for (const r of plan.routes) {
          const key = player.cacheKey(r.binding);
          const id = `${r.host}${r.path}`;
          // An unchanged feed keeps its route (and its served count, ETag and 304s).
          if (key !== null && routeKeys.get(id) === key) continue;
          servers.get(r.host)!.set(r.path, player.routeFor(r.binding, t));
          if (key !== null) routeKeys.set(id, key);
        }
        const report = await runCycle({ config, now: new Date(t), http, env, providers, log });
        for (const s of servers.values()) s.clearRequests();
        runs++;
        lastRun = t;
        incidents = await readIncidents(dataDir);
        status = report.status;
        health = await readSourceHealth(dataDir);
        for (const [id, at] of pending) if (at <= t) pending.delete(id);
        recordSightings(sightings, incidents, t);
        const open = incidents.filter((i) => i.status !== 'resolved');
        const failing = report.sources.some((s) => s.outcome === 'failed' || s.outcome === 'skipped');
        openState = open.some((i) => i.classification !== 'advisory') || failing;
        for (const d of findDuplicatePairs(open, sightings, end)) {
          const key = [d.a, d.b].sort().join(' ');
          if (!transient.has(key)) transient.set(key, { ...d, seenAt: t });
        }
        if (failing) {
          for (const v of findGreenWhileBlind(report.status, health, t, config.site.blindAfterMinutes + cycleMinutes)) {
            greenWhileBlind.push({ at: new Date(t).toISOString(), service: v.service, sources: v.sources });
          }
        }
        options.onCycle?.({ at: new Date(t), incidents, status: report.status });
      }
      for (const e of expectations) {
        const at = Date.parse(e.at);
        const until = e.until ? Date.parse(e.until) : null;
        const o = outcomes.get(e)!;
        if (t < at || (until === null ? o.checks > 0 : t > until)) continue;
        const r = checkExpectation(e, incidents, status);
        o.checks++;
        for (const id of r.matchedIds) expectationMatches.get(e.label)!.add(id);
        if (!r.ok && o.ok) {
          o.ok = false;
          o.failure = { at: new Date(t).toISOString(), reason: r.reason! };
        }
      }
    }

    const finalIncidents = await readIncidents(dataDir);
    const signals = await readSignals(dataDir);
    const officials = listTapeOfficialIncidents(tape);
    const channelSources = new Map<string, string[]>();
    for (const r of plan.routes) {
      const channel = CHANNEL_OF[r.binding.kind];
      if (!channel) continue;
      const list = channelSources.get(channel) ?? [];
      if (!list.includes(r.sourceId)) list.push(r.sourceId);
      channelSources.set(channel, list);
    }
    const verdict = evaluateReplay({ incidents: finalIncidents, signals, sightings, officials, channelSources, expectationMatches, end, lagMinutes: lag / MINUTE });
    const finalKeys = new Set(verdict.duplicates.map((d) => [d.a, d.b].sort().join(' ')));
    for (const key of finalKeys) transient.delete(key);
    // A pair one of whose records was merged into the other is transient by definition.
    const days = (end - start) / DAY;
    const incidentOfficials = officials.filter((o) => o.classification === 'incident');
    return {
      tape: { id: header.id, title: header.title, kind: header.kind, file: tape.file, start: header.start, end: header.end, days: Math.round(days * 100) / 100 },
      microsoftFirstAt: incidentOfficials.length ? new Date(Math.min(...incidentOfficials.map((o) => o.firstAt))).toISOString() : null,
      incidents: verdict.incidents,
      duplicates: verdict.duplicates,
      transientDuplicates: [...transient.values()],
      falseAlarms: verdict.falseAlarms,
      misses: verdict.misses,
      unshownChannels: verdict.unshownChannels,
      expectations: [...outcomes.values()],
      greenWhileBlind,
      falseAlarmsPer30Days: header.kind === 'quiet' ? Math.round((verdict.falseAlarms.length / days) * 30 * 100) / 100 : null,
      cycles: { ticks, run: runs, cycleMinutes },
      reports: reports.length,
      durationMs: Math.round(performance.now() - wallStart),
      cpuMs: (() => {
        const c = process.cpuUsage(cpuStart);
        return Math.round((c.user + c.system) / 1000);
      })(),
      dataDir: options.keepData ? dataDir : null,
    };
  } finally {
    await store?.close();
    await http?.close();
    await Promise.all([...servers.values()].map((s) => s.close()));
    if (!options.keepData) await fs.rm(root, { recursive: true, force: true });
  }
}
