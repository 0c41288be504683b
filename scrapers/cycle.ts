/**
 * One cycle: scrape every due source → append new signals → correlate → write changed incidents,
 * source health and the status snapshot. Runs under the data directory's lock, so two cycles never
 * overlap (a second one fails fast with LockedError). A failing or hanging source never blocks the
 * others; a source that returns nothing never deletes history; no stored incident is ever lost.
 * `replay: true` re-correlates from the stored signals only, without network.
 */
import { promises as fs } from 'node:fs';
import type { LoadedConfig } from '../src/config/load.ts';
import type { SourceConfig } from '../src/config/schema.ts';
import { SignalSchema, type Incident, type Signal, type SourceHealth, type StatusSnapshot } from '../src/domain/schemas.ts';
import type { SourceKind } from '../src/domain/vocabulary.ts';
import { silentLogger, type Logger } from '../src/lib/log.ts';
import {
  appendSignals,
  dataPaths,
  incidentFile,
  readIncidents,
  readSignals,
  readSourceHealth,
  readStatus,
  writeIncident,
  writeSourceHealth,
  writeStatus,
} from '../src/store/data-store.ts';
import { removeStaleTempFiles, withLock } from '../src/store/files.ts';
import { correlateSignals, type MergeRecord } from './correlate/correlate.ts';
import { settingsFromConfig } from './correlate/rules.ts';
import { detectVanished } from './correlate/vanish.ts';
import { isSourceError } from './http/errors.ts';
import type { HttpClient } from './http/types.ts';
import { ADAPTER_KINDS, resolveAdapter, type AdapterResolver } from './sources/index.ts';
import type { SourceAdapter, SourceResult } from './sources/types.ts';
import { readObservations, writeObservation } from './status/observation-store.ts';
import { updateObservation, type SourceObservation } from './status/observations.ts';
import { rollupStatus } from './status/rollup.ts';

export interface SignalProviderContext {
  config: LoadedConfig;
  now: Date;
  dataDir: string;
  /** Stored incidents as they were when the cycle began. */
  incidents: readonly Incident[];
  signal: AbortSignal;
  log: Logger;
}

/** Extra evidence (e.g. the crowd detector): returns signals to store and correlate with the rest. */
export type SignalProvider = (ctx: SignalProviderContext) => Promise<Signal[]>;

export interface RunCycleOptions {
  config: LoadedConfig;
  /** The cycle's time: every stamp it writes. */
  now: Date;
  /** Wall clock for durations (default: the system clock). */
  clock?: () => Date;
  /** Needed unless `replay`. */
  http?: HttpClient;
  env?: NodeJS.ProcessEnv;
  /** Aborts the whole cycle (sources still running are marked failed; writes still happen). */
  signal?: AbortSignal;
  /** Re-correlate stored signals only: no source is read. */
  replay?: boolean;
  providers?: readonly SignalProvider[];
  /** Adapter lookup (tests pass fakes). */
  adapters?: AdapterResolver;
  log?: Logger;
  /** Longest a single source may take (default: the HTTP deadline × (retries + 1) + 5 s). */
  sourceDeadlineMs?: number;
  /** Longest all sources together may take (default: twice the source deadline). */
  cycleDeadlineMs?: number;
  /** Days of stored signals correlated each cycle (extended back to the oldest open incident). */
  horizonDays?: number;
}

export type SourceOutcomeKind = 'ok' | 'not_modified' | 'failed' | 'skipped' | 'not_due' | 'disabled';

export interface SourceOutcome {
  id: string;
  adapter: string;
  kind: SourceKind;
  outcome: SourceOutcomeKind;
  /** skipped / not_due: the time the source may be read again. */
  until: string | null;
  /** Why it was skipped or disabled. */
  reason: string | null;
  error: { code: string; message: string } | null;
  /** Signals the adapter returned (valid ones). */
  items: number;
  /** Signals the adapter returned that failed validation and were dropped. */
  rejected: number;
  /** Of those, signals not stored before. */
  newSignals: number;
  durationMs: number | null;
}

export interface ProviderOutcome {
  name: string;
  ok: boolean;
  items: number;
  error: { code: string; message: string } | null;
}

export interface CycleReport {
  mode: 'scrape' | 'replay';
  now: string;
  durationMs: number;
  sources: SourceOutcome[];
  providers: ProviderOutcome[];
  counts: {
    signalsLoaded: number;
    signalsNew: number;
    vanished: number;
    incidents: number;
    incidentsOpened: number;
    incidentsChanged: number;
    incidentsMerged: number;
    unassignedSignals: number;
  };
  merged: MergeRecord[];
  /** The status snapshot written to data/status.json. */
  status: StatusSnapshot;
  /** True when incidents or the status picture changed (timestamps aside): the site needs a build. */
  changed: boolean;
}

export class CycleError extends Error {
  readonly code: 'CORRELATION_INVARIANT' | 'CYCLE_NO_HTTP';
  constructor(code: CycleError['code'], message: string) {
    super(message);
    this.name = 'CycleError';
    this.code = code;
  }
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const addMinutes = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MINUTE).toISOString();

function emptyHealth(id: string, kind: SourceKind, services: SourceHealth['services']): SourceHealth {
  return {
    id,
    kind,
    services,
    state: 'never_run',
    lastAttemptAt: null,
    lastSuccessAt: null,
    lastError: null,
    consecutiveFailures: 0,
    etag: null,
    lastModified: null,
    notBefore: null,
    lastDurationMs: null,
    itemsLastRun: 0,
    bodyHash: null,
  };
}

/** Races `work` against an abort signal, so an adapter that ignores its signal cannot hold the cycle. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(onAbort());
      return;
    }
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

function errorInfo(err: unknown): { code: string; message: string } {
  if (isSourceError(err)) return { code: err.code, message: err.message.slice(0, 1000) };
  const code = (err as { code?: unknown })?.code;
  return {
    code: typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,59}$/.test(code) ? code : 'ADAPTER_CRASHED',
    message: (err instanceof Error ? err.message : String(err)).slice(0, 1000),
  };
}

/** Status content that the site renders, without the timestamps that change every cycle. */
function statusContent(s: StatusSnapshot | null): string {
  if (!s) return '';
  return JSON.stringify({
    indicator: s.indicator,
    services: s.services.map(({ lastOfficialSuccessAt: _ignored, ...rest }) => rest),
    activeIncidentIds: s.activeIncidentIds,
    // ok and not_modified both mean "read fine"; the flip between them is no news for the site.
    sources: s.sources.map(({ lastSuccessAt: _ignored, ...rest }) => ({ ...rest, state: rest.state === 'not_modified' ? 'ok' : rest.state })),
  });
}

/** First day (YYYY-MM-DD) of signals to load: the horizon, stretched back to the oldest open incident. */
function horizonStart(now: Date, horizonDays: number, incidents: readonly Incident[], attachWindowMinutes: number): string {
  let start = now.getTime() - horizonDays * DAY;
  for (const i of incidents) {
    if (i.status === 'resolved') continue;
    // Signals are filed by fetch day, which is never before the evidence it carries by more than the attach window.
    start = Math.min(start, Date.parse(i.startedAt) - attachWindowMinutes * MINUTE - DAY);
  }
  return new Date(start).toISOString().slice(0, 10);
}

export async function runCycle(options: RunCycleOptions): Promise<CycleReport> {
  const { config, now } = options;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? silentLogger;
  const env = options.env ?? process.env;
  const dataDir = config.dataDirAbs;
  const mode = options.replay ? 'replay' : 'scrape';
  if (mode === 'scrape' && !options.http) throw new CycleError('CYCLE_NO_HTTP', 'runCycle needs an HTTP client unless replaying');
  const resolve = options.adapters ?? resolveAdapter;
  const sourceDeadlineMs = options.sourceDeadlineMs ?? config.http.deadlineMs * (config.http.retries + 1) + 5_000;
  const cycleDeadlineMs = options.cycleDeadlineMs ?? sourceDeadlineMs * 2;
  const settings = settingsFromConfig(config);
  const nowIso = now.toISOString();

  return withLock(dataPaths(dataDir).lock, async () => {
    const started = clock().getTime();
    // A cycle killed mid-write leaves its temp file; it must not pile up or be committed with data/.
    const staleTemps = await removeStaleTempFiles(dataDir);
    if (staleTemps > 0) log.info('removed temp files of an interrupted write', { count: staleTemps });
    const [healthMap, incidents, observations, prevStatus] = await Promise.all([
      readSourceHealth(dataDir),
      readIncidents(dataDir),
      readObservations(dataDir),
      readStatus(dataDir),
    ]);
    const sinceDay = mode === 'replay' ? undefined : horizonStart(now, options.horizonDays ?? 14, incidents, config.correlation.attachWindowMinutes);
    const loaded = await readSignals(dataDir, sinceDay ? { sinceDay } : {});
    log.debug('cycle loaded', { mode, incidents: incidents.length, signals: loaded.length, sinceDay: sinceDay ?? 'all' });

    const cycleAbort = AbortSignal.any([...(options.signal ? [options.signal] : []), AbortSignal.timeout(cycleDeadlineMs)]);
    // Per source, flattened in config order afterwards: when two sources return the same signal
    // (one post seen by two Mastodon instances), the same one is stored whichever answered first.
    const fetchedBySource = new Map<string, Signal[]>();
    const outcomes: SourceOutcome[] = [];
    const nextHealth = new Map<string, SourceHealth>();
    const reads = new Map<string, SourceResult>();

    // Adapters load before any source starts, so module loading never eats into a request's deadline.
    const loadedAdapters = new Map<string, { adapter: SourceAdapter | null; error: { code: string; message: string } | null }>();
    if (mode === 'scrape') {
      const names = [...new Set(config.sources.filter((s) => s.enabled).map((s) => s.adapter))];
      await Promise.all(
        names.map(async (name) => {
          try {
            loadedAdapters.set(name, { adapter: await resolve(name), error: null });
          } catch (err) {
            loadedAdapters.set(name, { adapter: null, error: errorInfo(err) });
          }
        }),
      );
    }

    const runSource = async (source: SourceConfig): Promise<SourceOutcome> => {
      const staticKind = ADAPTER_KINDS[source.adapter];
      const adapter = source.enabled ? (loadedAdapters.get(source.adapter)?.adapter ?? null) : null;
      const loadError = source.enabled ? (loadedAdapters.get(source.adapter)?.error ?? null) : null;
      const kind = adapter?.kind ?? staticKind;
      const services = [...(source.services ?? adapter?.defaultServices ?? [])];
      const prev = healthMap.get(source.id) ?? emptyHealth(source.id, kind, services);
      const base: SourceHealth = { ...prev, kind, services };
      const outcome = (o: Partial<SourceOutcome> & Pick<SourceOutcome, 'outcome'>): SourceOutcome => ({
        id: source.id,
        adapter: source.adapter,
        kind,
        until: null,
        reason: null,
        error: null,
        items: 0,
        rejected: 0,
        newSignals: 0,
        durationMs: null,
        ...o,
      });
      const disable = (reason: string, error: { code: string; message: string } | null) => {
        nextHealth.set(source.id, { ...base, state: 'disabled', lastError: error ? { ...error, at: nowIso } : null, notBefore: null });
        return outcome({ outcome: 'disabled', reason, error });
      };

      if (!source.enabled) return disable('disabled in config', null);
      if (loadError) return disable(`adapter ${source.adapter} failed to load`, loadError);
      if (!adapter) return disable(`adapter ${source.adapter} is not available in this build`, { code: 'ADAPTER_MISSING', message: `no adapter named ${source.adapter}` });
      const notConfigured = adapter.checkConfigured?.(source, env) ?? null;
      if (notConfigured) return disable(notConfigured, { code: 'SOURCE_NOT_CONFIGURED', message: notConfigured });

      if (prev.notBefore && prev.notBefore > nowIso) {
        const rateLimited = prev.lastError?.code === 'SOURCE_RATE_LIMITED' && (prev.state === 'failed' || prev.state === 'skipped');
        if (rateLimited) {
          nextHealth.set(source.id, { ...base, state: 'skipped' });
          return outcome({ outcome: 'skipped', until: prev.notBefore, reason: 'Retry-After' });
        }
        // A schedule tick can start a few seconds before an interval ends (e.g. interval = schedule
        // period); a Retry-After above is honoured to the second, an interval within this slack is due.
        const intervalSlackMs = Math.min(30_000, source.intervalMinutes * 6_000);
        if (Date.parse(prev.notBefore) - now.getTime() > intervalSlackMs) {
          nextHealth.set(source.id, base);
          return outcome({ outcome: 'not_due', until: prev.notBefore, reason: 'interval' });
        }
      }

      const t0 = clock().getTime();
      const sourceAbort = AbortSignal.any([cycleAbort, AbortSignal.timeout(sourceDeadlineMs)]);
      try {
        const result = await untilAborted(
          adapter.fetch({
            source,
            config,
            http: options.http!,
            now,
            validators: { etag: prev.etag, lastModified: prev.lastModified },
            env,
            signal: sourceAbort,
          }),
          sourceAbort,
          () => {
            const why = cycleAbort.aborted ? (options.signal?.aborted ? 'the cycle was aborted' : `the cycle deadline (${cycleDeadlineMs} ms) passed`) : `no result within ${sourceDeadlineMs} ms`;
            return Object.assign(new Error(`${source.id}: ${why}`), { code: 'SOURCE_TIMEOUT' });
          },
        );
        const durationMs = clock().getTime() - t0;
        const valid: Signal[] = [];
        let rejected = 0;
        for (const s of result.signals) {
          const parsed = SignalSchema.safeParse(s);
          if (parsed.success) valid.push(parsed.data);
          else {
            rejected++;
            log.warn('signal rejected', { source: source.id, signal: (s as { id?: unknown }).id, issue: parsed.error.issues[0]?.message });
          }
        }
        fetchedBySource.set(source.id, valid);
        reads.set(source.id, result);
        const notModified = result.outcome === 'not_modified';
        nextHealth.set(source.id, {
          ...base,
          state: result.outcome,
          lastAttemptAt: nowIso,
          lastSuccessAt: nowIso,
          lastError: null,
          consecutiveFailures: 0,
          etag: result.validators.etag ?? (notModified ? prev.etag : null),
          lastModified: result.validators.lastModified ?? (notModified ? prev.lastModified : null),
          notBefore: addMinutes(now, source.intervalMinutes),
          lastDurationMs: durationMs,
          itemsLastRun: valid.length,
          bodyHash: result.bodyHash ?? prev.bodyHash,
        });
        return outcome({ outcome: result.outcome, items: valid.length, rejected, durationMs });
      } catch (err) {
        const durationMs = clock().getTime() - t0;
        const error = errorInfo(err);
        let notBefore = addMinutes(now, source.intervalMinutes);
        if (isSourceError(err) && err.retryAfter) {
          const cap = now.getTime() + config.http.maxRetryAfterMinutes * MINUTE;
          notBefore = new Date(Math.min(Math.max(err.retryAfter.getTime(), Date.parse(notBefore)), cap)).toISOString();
        }
        // A failed read keeps the validators and last body hash: the data they describe is still what we hold.
        nextHealth.set(source.id, {
          ...base,
          state: 'failed',
          lastAttemptAt: nowIso,
          lastError: { ...error, at: nowIso },
          consecutiveFailures: prev.consecutiveFailures + 1,
          notBefore,
          lastDurationMs: durationMs,
          itemsLastRun: 0,
        });
        log.warn('source failed', { source: source.id, code: error.code, message: error.message });
        return outcome({ outcome: 'failed', error, durationMs, until: error.code === 'SOURCE_RATE_LIMITED' ? notBefore : null });
      }
    };

    const providerOutcomes: ProviderOutcome[] = [];
    const fetched: Signal[] = [];
    if (mode === 'scrape') {
      outcomes.push(...(await Promise.all(config.sources.map(runSource))));
      for (const source of config.sources) fetched.push(...(fetchedBySource.get(source.id) ?? []));
      for (const [i, provide] of (options.providers ?? []).entries()) {
        const name = provide.name || `provider-${i + 1}`;
        try {
          const out = await untilAborted(
            provide({ config, now, dataDir, incidents, signal: cycleAbort, log: log.child({ provider: name }) }),
            cycleAbort,
            () => Object.assign(new Error(`${name}: the cycle deadline passed`), { code: 'SOURCE_TIMEOUT' }),
          );
          const valid: Signal[] = [];
          for (const s of out) {
            const parsed = SignalSchema.safeParse(s);
            if (parsed.success) valid.push(parsed.data);
            else log.warn('signal rejected', { provider: name, issue: parsed.error.issues[0]?.message });
          }
          fetched.push(...valid);
          providerOutcomes.push({ name, ok: true, items: valid.length, error: null });
        } catch (err) {
          const error = errorInfo(err);
          log.warn('signal provider failed', { provider: name, ...error });
          providerOutcomes.push({ name, ok: false, items: 0, error });
        }
      }
    }

    // What official sources assert now, and which listed keys vanished.
    const allSignals = [...loaded, ...fetched];
    const nextObservations = new Map<string, SourceObservation>(observations);
    const changedObservations: SourceObservation[] = [];
    for (const [id, result] of reads) {
      if (nextHealth.get(id)?.kind !== 'official') continue;
      const knownKeys = new Set(allSignals.filter((s) => s.source.id === id && s.official).map((s) => s.official!.key));
      const next = updateObservation(observations.get(id) ?? null, id, result, knownKeys, now);
      nextObservations.set(id, next);
      changedObservations.push(next);
    }
    const vanished = mode === 'scrape' ? detectVanished({ incidents, signals: allSignals, observations: nextObservations, settings, now }) : [];

    const knownIds = new Set(loaded.map((s) => s.id));
    for (const i of incidents) for (const e of i.evidence) knownIds.add(e.signalId);
    const fresh = await appendSignals(dataDir, [...fetched, ...vanished], knownIds);
    const freshBySource = new Map<string, number>();
    for (const s of fresh) freshBySource.set(s.source.id, (freshBySource.get(s.source.id) ?? 0) + 1);
    for (const o of outcomes) o.newSignals = freshBySource.get(o.id) ?? 0;

    const loadedIds = new Set(loaded.map((s) => s.id));
    const signals = [...loaded, ...fresh.filter((s) => !loadedIds.has(s.id))];
    const result = correlateSignals({ incidents, signals, settings, now });
    assertNothingLost(incidents, result.incidents);

    const storedById = new Map(incidents.map((i) => [i.id, i]));
    for (const incident of result.changed) {
      await writeIncident(dataDir, incident);
      const before = storedById.get(incident.id);
      // The file lives under the year of its start; an earlier start can move it.
      if (before && incidentFile(dataDir, before) !== incidentFile(dataDir, incident)) await fs.rm(incidentFile(dataDir, before), { force: true });
    }
    const resultIds = new Set(result.incidents.map((i) => i.id));
    for (const { from } of result.merged) {
      const before = storedById.get(from);
      if (before && !resultIds.has(from)) await fs.rm(incidentFile(dataDir, before), { force: true });
    }

    for (const h of nextHealth.values()) {
      const before = healthMap.get(h.id);
      if (!before || JSON.stringify(before) !== JSON.stringify(h)) await writeSourceHealth(dataDir, h);
    }
    for (const o of changedObservations) await writeObservation(dataDir, o);
    if (options.http && mode === 'scrape') await options.http.flush();

    const configured = new Set(config.sources.map((s) => s.id));
    const health = [...config.sources.map((s) => nextHealth.get(s.id) ?? healthMap.get(s.id))].filter(
      (h): h is SourceHealth => h !== undefined && configured.has(h.id),
    );
    const attempted = outcomes.filter((o) => o.outcome === 'ok' || o.outcome === 'not_modified' || o.outcome === 'failed');
    const succeeded = attempted.some((o) => o.outcome !== 'failed');
    const lastCycleAt = mode === 'scrape' ? nowIso : (prevStatus?.lastCycleAt ?? null);
    const lastSuccessfulCycleAt =
      mode === 'scrape' && (succeeded || attempted.length === 0) ? nowIso : (prevStatus?.lastSuccessfulCycleAt ?? null);
    const status = rollupStatus(result.incidents, health, nextObservations, config, now, { lastCycleAt, lastSuccessfulCycleAt });
    await writeStatus(dataDir, status);

    const changed = result.changed.length > 0 || result.merged.length > 0 || statusContent(status) !== statusContent(prevStatus);
    const report: CycleReport = {
      mode,
      now: nowIso,
      durationMs: clock().getTime() - started,
      sources: outcomes,
      providers: providerOutcomes,
      counts: {
        signalsLoaded: loaded.length,
        signalsNew: fresh.length,
        vanished: vanished.filter((v) => fresh.some((f) => f.id === v.id)).length,
        incidents: result.incidents.length,
        incidentsOpened: result.opened.length,
        incidentsChanged: result.changed.length,
        incidentsMerged: result.merged.length,
        unassignedSignals: result.unassigned,
      },
      merged: result.merged,
      status,
      changed,
    };
    log.info('cycle finished', {
      mode,
      now: nowIso,
      durationMs: report.durationMs,
      signalsNew: fresh.length,
      incidentsChanged: result.changed.length,
      changed,
    });
    return report;
  });
}

/**
 * The cycle's safety net: every stored incident id still resolves (as a record or in a survivor's
 * mergedIds) and every piece of stored evidence is still held. Throws before anything is written.
 */
export function assertNothingLost(before: readonly Incident[], after: readonly Incident[]): void {
  const ids = new Set<string>();
  const evidence = new Set<string>();
  for (const i of after) {
    ids.add(i.id);
    for (const m of i.mergedIds) ids.add(m);
    for (const e of i.evidence) evidence.add(e.signalId);
  }
  for (const i of before) {
    if (!ids.has(i.id)) throw new CycleError('CORRELATION_INVARIANT', `incident ${i.id} would be lost`);
    for (const e of i.evidence) {
      if (!evidence.has(e.signalId)) throw new CycleError('CORRELATION_INVARIANT', `evidence ${e.signalId} of ${i.id} would be lost`);
    }
  }
}
