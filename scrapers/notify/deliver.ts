/**
 * Webhook delivery: a Notifier per data directory owns the outbox, sends in the background with
 * bounded concurrency (one request at a time per target, so each receiver sees events in order),
 * retries with exponential backoff and jitter, honours Retry-After, gives up after
 * `maxAttempts` or `maxAgeHours`, and logs every attempt. Nothing here ever blocks the caller on a
 * receiver: `enqueue` returns once the outbox is on disk; `drain` waits, bounded, for one-shot runs
 * and shutdown.
 */
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Agent, request, type Dispatcher } from 'undici';
import type { NotificationsConfig } from '../../src/config/schema.ts';
import type { Impact } from '../../src/domain/vocabulary.ts';
import { backoffDelayMs, judgeStatus, parseRetryAfter, retryAfterFromBody } from './backoff.ts';
import { appendDeliveryLog, loadOutbox, notificationPaths, pruneOutbox, saveOutbox } from './outbox.ts';
import { renderBody } from './render.ts';
import { pageIdFor } from './render-json.ts';
import { isWantedBy, type ResolvedTarget } from './targets.ts';
import {
  NotifyError,
  type DeliveryError,
  type DeliveryLogLine,
  type NotificationEvent,
  type Outbox,
  type OutboxEntry,
} from './types.ts';

export type NotifierSettings = Omit<NotificationsConfig, 'targets'>;

const RESPONSE_CAP_BYTES = 4096;

// ---------------------------------------------------------------------------------------------
// One HTTP attempt
// ---------------------------------------------------------------------------------------------

export interface SendRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  dispatcher: Dispatcher;
  /** Aborts from outside (drain deadline, shutdown). */
  signal?: AbortSignal;
  /** Wall-clock time of sending, for HTTP-date Retry-After values. */
  now: Date;
}

export interface SendResult {
  verdict: 'delivered' | 'retry' | 'permanent';
  status: number | null;
  /** How long the receiver asked us to wait (Retry-After), in ms. */
  retryAfterMs: number | null;
  error: DeliveryError | null;
}

async function readCapped(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.byteLength;
    // Leaving the loop destroys the stream: a huge or endless error page costs us nothing.
    if (size >= RESPONSE_CAP_BYTES) break;
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_CAP_BYTES).toString('utf8');
}

/** Keeps a secret URL out of messages that reach the log. */
function redact(message: string, url: string): string {
  let out = message.split(url).join('<webhook url>');
  try {
    const { pathname, search } = new URL(url);
    if (pathname.length > 1) out = out.split(pathname + search).join('<path>').split(pathname).join('<path>');
  } catch {
    // An unparseable URL never reached the network; the message cannot contain it.
  }
  return out.slice(0, 1000);
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** POSTs one body. Never throws: every outcome is a SendResult with a stable code. */
export async function sendWebhook(req: SendRequest): Promise<SendResult> {
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
  try {
    const res = await request(req.url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      dispatcher: req.dispatcher,
      signal,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const text = await readCapped(res.body);
    const verdict = judgeStatus(res.statusCode);
    if (verdict === 'delivered') return { verdict, status: res.statusCode, retryAfterMs: null, error: null };
    const header = res.headers['retry-after'];
    const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header, req.now) ?? (verdict === 'rate_limited' ? retryAfterFromBody(text) : null);
    const snippet = redact(text.replace(/\s+/g, ' ').trim().slice(0, 200), req.url);
    const message = `HTTP ${res.statusCode}${snippet ? `: ${snippet}` : ''}`;
    if (verdict === 'rate_limited') return { verdict: 'retry', status: res.statusCode, retryAfterMs, error: { code: 'NOTIFY_RATE_LIMITED', message } };
    if (verdict === 'retry') return { verdict, status: res.statusCode, retryAfterMs, error: { code: 'NOTIFY_HTTP_STATUS', message } };
    const code = res.statusCode >= 300 && res.statusCode < 400 ? 'NOTIFY_HTTP_STATUS' : 'NOTIFY_REJECTED';
    return { verdict, status: res.statusCode, retryAfterMs: null, error: { code, message } };
  } catch (err) {
    const e = err as Error & { code?: string };
    if (req.signal?.aborted) {
      return { verdict: 'retry', status: null, retryAfterMs: null, error: { code: 'NOTIFY_ABORTED', message: 'attempt cut short (drain deadline or shutdown)' } };
    }
    if (deadline.aborted || (e.code && TIMEOUT_CODES.has(e.code))) {
      return { verdict: 'retry', status: null, retryAfterMs: null, error: { code: 'NOTIFY_TIMEOUT', message: `no answer within ${req.timeoutMs} ms` } };
    }
    const detail = e.code ? `${e.code}: ${e.message}` : e.message;
    return { verdict: 'retry', status: null, retryAfterMs: null, error: { code: 'NOTIFY_NETWORK', message: redact(detail, req.url) } };
  }
}

/**
 * Headers of every delivery; json targets with a secret also get
 * `x-outage-radar-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 */
export function headersFor(target: ResolvedTarget, event: NotificationEvent, body: string, userAgent: string, signedAt: Date): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': userAgent,
    'x-outage-radar-event': event.type,
    'x-outage-radar-event-id': event.id,
  };
  if (target.format === 'json' && target.secret) {
    const t = Math.floor(signedAt.getTime() / 1000);
    const mac = createHmac('sha256', target.secret).update(`${t}.${body}`).digest('hex');
    headers['x-outage-radar-signature'] = `t=${t},v1=${mac}`;
  }
  return headers;
}

// ---------------------------------------------------------------------------------------------
// The notifier
// ---------------------------------------------------------------------------------------------

export interface NotifierOptions {
  dataDir: string;
  /** Overrides the clock (tests). By default real time, shifted to the cycle's `now` (see `enqueue`). */
  clock?: () => Date;
  random?: () => number;
  /** Overrides the own undici Agent (tests). */
  dispatcher?: Dispatcher;
  /** Receives every delivery log line as it is written (for the service's structured log). */
  onLog?: (line: DeliveryLogLine) => void;
  /** Receives background failures that have no caller to throw to (outbox or log not writable). */
  onError?: (error: NotifyError) => void;
}

export interface NotifierConfig {
  settings: NotifierSettings;
  targets: ResolvedTarget[];
  site: { url: string; title: string };
  userAgent: string;
}

export interface QueueItem {
  event: NotificationEvent;
  indicator: Impact;
}

export interface EnqueueSummary {
  queued: number;
  /** (event, target) pairs already in the outbox: a replay, not sent again. */
  duplicates: number;
  /** Pairs not queued because the target has no usable URL. */
  skipped: { eventId: string; targetId: string; code: DeliveryError['code'] }[];
}

export interface OutboxCounts {
  pending: number;
  delivered: number;
  failed: number;
}

export interface DrainSummary extends OutboxCounts {
  /** Attempts still in flight at the deadline, aborted and left pending. */
  aborted: number;
  timedOut: boolean;
}

const DEFAULT_SETTINGS: NotifierSettings = {
  maxAttempts: 10,
  maxAgeHours: 24,
  timeoutMs: 10_000,
  concurrency: 4,
  backoffBaseMs: 5_000,
  maxBackoffMs: 30 * 60_000,
  maxRetryAfterSeconds: 3_600,
  keepDays: 7,
};

export class Notifier {
  readonly dataDir: string;
  readonly #paths: ReturnType<typeof notificationPaths>;
  readonly #clockOverride: (() => Date) | null;
  readonly #random: () => number;
  readonly #onLog: ((line: DeliveryLogLine) => void) | null;
  readonly #onError: (error: NotifyError) => void;
  readonly #dispatcherOverride: Dispatcher | null;
  #agent: Agent | null = null;
  #agentTimeoutMs = 0;
  #config: NotifierConfig = { settings: DEFAULT_SETTINGS, targets: [], site: { url: 'http://localhost', title: '' }, userAgent: 'OutageRadar' };
  #targets = new Map<string, ResolvedTarget>();
  #offsetMs = 0;
  #outbox: Outbox | null = null;
  #loading: Promise<void> | null = null;
  readonly #active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  #timer: NodeJS.Timeout | null = null;
  #timerAt = Number.POSITIVE_INFINITY;
  readonly #waiters = new Set<() => void>();
  #dirty = false;
  #writing: Promise<void> | null = null;
  #logChain: Promise<void> = Promise.resolve();
  #paused = false;
  #closed = false;

  constructor(options: NotifierOptions) {
    this.dataDir = options.dataDir;
    this.#paths = notificationPaths(options.dataDir);
    this.#clockOverride = options.clock ?? null;
    this.#random = options.random ?? Math.random;
    this.#onLog = options.onLog ?? null;
    this.#onError = options.onError ?? ((error) => process.emitWarning(error.message, { code: error.code }));
    this.#dispatcherOverride = options.dispatcher ?? null;
  }

  /** Real time, shifted so that it reads the last cycle's `now` at the moment that cycle ran. */
  #now(): Date {
    return this.#clockOverride ? this.#clockOverride() : new Date(Date.now() + this.#offsetMs);
  }

  /** Applies the current config (targets, limits, site). Safe to call every cycle. */
  configure(config: NotifierConfig): void {
    this.#config = config;
    this.#targets = new Map(config.targets.map((t) => [t.id, t]));
  }

  get #dispatcher(): Dispatcher {
    if (this.#dispatcherOverride) return this.#dispatcherOverride;
    const timeoutMs = this.#config.settings.timeoutMs;
    if (!this.#agent || this.#agentTimeoutMs !== timeoutMs) {
      const old = this.#agent;
      // Short timeouts of its own: a webhook receiver must never hold sockets the scrapers need.
      this.#agent = new Agent({
        connect: { timeout: Math.min(5_000, timeoutMs) },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        keepAliveTimeout: 10_000,
        connections: 4,
      });
      this.#agentTimeoutMs = timeoutMs;
      if (old) void old.close().catch((err: Error) => this.#onError(new NotifyError('NOTIFY_NETWORK', err.message, { cause: err })));
    }
    return this.#agent;
  }

  async #load(): Promise<Outbox> {
    if (this.#outbox) return this.#outbox;
    this.#loading ??= (async () => {
      const now = this.#now();
      const loaded = await loadOutbox(this.#paths.outbox, now);
      this.#outbox = loaded.outbox;
      if (loaded.reset) {
        this.#log({
          at: now.toISOString(),
          eventId: null,
          eventType: null,
          incidentId: null,
          targetId: null,
          attempt: 0,
          outcome: 'outbox_reset',
          status: null,
          error: { code: loaded.reset.code, message: `${loaded.reset.message} (kept as ${loaded.reset.movedTo})`.slice(0, 1000) },
          durationMs: null,
          nextAttemptAt: null,
        });
      }
    })().finally(() => {
      this.#loading = null;
    });
    await this.#loading;
    return this.#outbox!;
  }

  /** True when an outbox file exists or is loaded (there may be pending work even without new events). */
  get isLoaded(): boolean {
    return this.#outbox !== null;
  }

  /**
   * Queues each event for every target that wants it, unless that pair is already in the outbox,
   * writes the outbox, and starts delivery in the background. `now` is the cycle's time: the
   * notifier's clock follows it from here on.
   */
  async enqueue(items: readonly QueueItem[], now: Date): Promise<EnqueueSummary> {
    if (!this.#clockOverride) this.#offsetMs = now.getTime() - Date.now();
    const outbox = await this.#load();
    const iso = now.toISOString();
    const logLines: DeliveryLogLine[] = [];
    const sizeBefore = outbox.entries.length;
    for (const entry of pruneOutbox(outbox, now, this.#config.settings.keepDays, new Set(this.#targets.keys()))) {
      logLines.push(this.#line(entry, outbox, 'gave_up', now, null, null));
    }
    let changed = logLines.length > 0 || outbox.entries.length !== sizeBefore;
    const present = new Set(outbox.entries.map((e) => `${e.eventId} ${e.targetId}`));
    const summary: EnqueueSummary = { queued: 0, duplicates: 0, skipped: [] };
    for (const { event, indicator } of items) {
      for (const target of this.#config.targets) {
        if (!isWantedBy(target, event)) continue;
        if (present.has(`${event.id} ${target.id}`)) {
          summary.duplicates++;
          continue;
        }
        outbox.events[event.id] ??= { event, indicator, queuedAt: iso };
        const entry: OutboxEntry = {
          eventId: event.id,
          targetId: target.id,
          state: target.problem ? 'failed' : 'pending',
          attempts: 0,
          queuedAt: iso,
          nextAttemptAt: iso,
          lastAttemptAt: null,
          lastStatus: null,
          lastError: target.problem,
          doneAt: target.problem ? iso : null,
        };
        outbox.entries.push(entry);
        present.add(`${event.id} ${target.id}`);
        changed = true;
        if (target.problem) {
          summary.skipped.push({ eventId: event.id, targetId: target.id, code: target.problem.code });
          logLines.push(this.#line(entry, outbox, 'skipped', now, null, null));
        } else {
          summary.queued++;
        }
      }
    }
    // An unchanged outbox is not rewritten: a quiet cycle leaves data/ untouched.
    if (changed) await this.#persist();
    if (logLines.length > 0) this.#log(...logLines);
    this.#pump();
    return summary;
  }

  /** Loads the outbox if needed and retries whatever is due; returns at once. */
  async kick(now: Date): Promise<void> {
    await this.enqueue([], now);
  }

  /** Counts of outbox entries by state. */
  counts(): OutboxCounts {
    const counts: OutboxCounts = { pending: 0, delivered: 0, failed: 0 };
    for (const e of this.#outbox?.entries ?? []) counts[e.state]++;
    return counts;
  }

  /** A copy of the outbox as it is in memory (null before the first load). */
  snapshot(): Outbox | null {
    return this.#outbox ? structuredClone(this.#outbox) : null;
  }

  /**
   * Waits until nothing is in flight and nothing pending falls due within `timeoutMs`, or until
   * the deadline; then aborts what is still in flight (those entries stay pending, their attempt
   * logged as NOTIFY_ABORTED) and returns once the outbox and log are on disk.
   */
  async drain(timeoutMs: number): Promise<DrainSummary> {
    if (this.#loading) await this.#loading;
    if (this.#closed) return { ...this.counts(), aborted: 0, timedOut: false };
    const deadline = performance.now() + timeoutMs;
    let timedOut = false;
    for (;;) {
      this.#pump();
      const remaining = deadline - performance.now();
      const nextDue = this.#nextDueInMs();
      if (this.#active.size === 0 && nextDue > remaining) break;
      if (remaining <= 0) {
        timedOut = true;
        break;
      }
      await this.#waitForChange(Math.max(1, Math.min(remaining, this.#active.size > 0 ? remaining : nextDue)));
    }
    const aborted = this.#active.size;
    if (aborted > 0) {
      timedOut = true;
      this.#paused = true;
      const running = [...this.#active.values()];
      for (const a of running) a.controller.abort(new NotifyError('NOTIFY_ABORTED', 'drain deadline'));
      await Promise.allSettled(running.map((a) => a.done));
      this.#paused = false;
    }
    await this.#flush();
    return { ...this.counts(), aborted, timedOut };
  }

  /** Stops timers and in-flight attempts for good (they stay pending in the outbox) and closes the Agent. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const running = [...this.#active.values()];
    for (const a of running) a.controller.abort(new NotifyError('NOTIFY_ABORTED', 'shutdown'));
    await Promise.allSettled(running.map((a) => a.done));
    await this.#flush();
    if (this.#agent) await this.#agent.close();
    this.#agent = null;
  }

  // --- scheduling ------------------------------------------------------------------------------

  /** The first pending entry of each target, in queue order. */
  #heads(): Map<string, OutboxEntry> {
    const heads = new Map<string, OutboxEntry>();
    for (const e of this.#outbox?.entries ?? []) {
      if (e.state === 'pending' && !heads.has(e.targetId)) heads.set(e.targetId, e);
    }
    return heads;
  }

  #nextDueInMs(): number {
    const now = this.#now().getTime();
    let next = Number.POSITIVE_INFINITY;
    for (const [targetId, entry] of this.#heads()) {
      if (this.#active.has(targetId) || !this.#targets.has(targetId)) continue;
      next = Math.min(next, Math.max(0, Date.parse(entry.nextAttemptAt) - now));
    }
    return next;
  }

  #pump(): void {
    if (!this.#outbox || this.#closed || this.#paused) return;
    const now = this.#now().getTime();
    let earliest = Number.POSITIVE_INFINITY;
    for (const [targetId, entry] of this.#heads()) {
      if (this.#active.has(targetId)) continue;
      const target = this.#targets.get(targetId);
      if (!target) continue;
      const due = Date.parse(entry.nextAttemptAt);
      if (due > now) {
        earliest = Math.min(earliest, due);
        continue;
      }
      // A full house: a finishing attempt pumps again.
      if (this.#active.size >= this.#config.settings.concurrency) continue;
      this.#start(entry, target);
    }
    this.#schedule(earliest);
  }

  #schedule(at: number): void {
    if (at === Number.POSITIVE_INFINITY || (this.#timer && this.#timerAt <= at)) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#timerAt = Number.POSITIVE_INFINITY;
      this.#pump();
    }, Math.max(0, at - this.#now().getTime()));
    // A pending retry alone must not keep a one-shot process alive; `drain` waits when asked to.
    this.#timer.unref();
  }

  #start(entry: OutboxEntry, target: ResolvedTarget): void {
    const controller = new AbortController();
    const done = this.#attempt(entry, target, controller.signal)
      .catch((err: unknown) => {
        const error = err instanceof NotifyError ? err : new NotifyError('NOTIFY_OUTBOX_WRITE', (err as Error).message, { cause: err });
        this.#onError(error);
      })
      .finally(() => {
        this.#active.delete(target.id);
        this.#wake();
        this.#pump();
      });
    this.#active.set(target.id, { controller, done });
  }

  #waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#waiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#waiters.add(finish);
    });
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const w of waiters) w();
  }

  // --- one attempt -----------------------------------------------------------------------------

  async #attempt(entry: OutboxEntry, target: ResolvedTarget, signal: AbortSignal): Promise<void> {
    const outbox = this.#outbox!;
    const settings = this.#config.settings;
    const stored = outbox.events[entry.eventId];
    let now = this.#now();
    const give = (error: DeliveryError, outcome: 'gave_up' | 'skipped'): Promise<void> => {
      entry.state = 'failed';
      entry.doneAt = now.toISOString();
      entry.lastError = error;
      this.#log(this.#line(entry, outbox, outcome, now, null, null));
      return this.#persist();
    };
    if (!stored) return give({ code: 'NOTIFY_OUTBOX_INVALID', message: `event ${entry.eventId} missing from the outbox` }, 'gave_up');
    if (!target.url) return give(target.problem ?? { code: 'NOTIFY_NOT_CONFIGURED', message: 'no URL' }, 'skipped');
    const maxAgeMs = settings.maxAgeHours * 3_600_000;
    if (entry.attempts >= settings.maxAttempts || now.getTime() - Date.parse(entry.queuedAt) > maxAgeMs) {
      return give(
        { code: 'NOTIFY_GAVE_UP', message: `gave up after ${entry.attempts} attempts${entry.lastError ? `; last: ${entry.lastError.code} ${entry.lastError.message}` : ''}`.slice(0, 1000) },
        'gave_up',
      );
    }

    entry.attempts += 1;
    entry.lastAttemptAt = now.toISOString();
    // Provisional: should the process die mid-request (or this write fail), the retry still waits.
    entry.nextAttemptAt = new Date(now.getTime() + backoffDelayMs(entry.attempts, settings.backoffBaseMs, settings.maxBackoffMs, this.#random)).toISOString();
    // The attempt is counted on disk before the request leaves, so a crash cannot reset the budget.
    await this.#persist();

    const body = renderBody(target.format, stored.event, {
      siteUrl: this.#config.site.url,
      siteTitle: this.#config.site.title,
      lang: target.lang,
      indicator: stored.indicator,
      pageId: pageIdFor(this.#config.site.url),
    });
    const started = performance.now();
    // Receivers check signatures and send Retry-After dates against the real clock, not the cycle's.
    const wallClock = new Date();
    const result = await sendWebhook({
      url: target.url,
      body,
      headers: headersFor(target, stored.event, body, this.#config.userAgent, wallClock),
      timeoutMs: settings.timeoutMs,
      dispatcher: this.#dispatcher,
      signal,
      now: wallClock,
    });
    const durationMs = Math.round(performance.now() - started);
    now = this.#now();
    entry.lastStatus = result.status;

    if (result.verdict === 'delivered') {
      entry.state = 'delivered';
      entry.doneAt = now.toISOString();
      entry.lastError = null;
      this.#log(this.#line(entry, outbox, 'delivered', now, result, durationMs));
      await this.#persist();
      return;
    }
    const exhausted = entry.attempts >= settings.maxAttempts || now.getTime() - Date.parse(entry.queuedAt) > maxAgeMs;
    entry.lastError = result.error;
    if (result.verdict === 'permanent' || exhausted) {
      entry.state = 'failed';
      entry.doneAt = now.toISOString();
      this.#log(this.#line(entry, outbox, 'gave_up', now, result, durationMs));
    } else {
      const delay =
        result.retryAfterMs !== null
          ? Math.min(result.retryAfterMs, settings.maxRetryAfterSeconds * 1000)
          : backoffDelayMs(entry.attempts, settings.backoffBaseMs, settings.maxBackoffMs, this.#random);
      entry.nextAttemptAt = new Date(now.getTime() + delay).toISOString();
      this.#log(this.#line(entry, outbox, 'retry', now, result, durationMs));
    }
    await this.#persist();
  }

  // --- persistence -----------------------------------------------------------------------------

  #line(
    entry: OutboxEntry,
    outbox: Outbox,
    outcome: DeliveryLogLine['outcome'],
    now: Date,
    result: SendResult | null,
    durationMs: number | null,
  ): DeliveryLogLine {
    const event = outbox.events[entry.eventId]?.event;
    return {
      at: now.toISOString(),
      eventId: entry.eventId,
      eventType: event?.type ?? null,
      incidentId: event?.incidentId ?? null,
      targetId: entry.targetId,
      attempt: result ? entry.attempts : 0,
      outcome,
      status: result?.status ?? null,
      error: result ? result.error : entry.lastError,
      durationMs,
      nextAttemptAt: outcome === 'retry' ? entry.nextAttemptAt : null,
    };
  }

  #log(...lines: DeliveryLogLine[]): void {
    for (const line of lines) this.#onLog?.(line);
    this.#logChain = this.#logChain
      .then(() => appendDeliveryLog(this.#paths.log, lines))
      .catch((err: Error) => this.#onError(new NotifyError('NOTIFY_OUTBOX_WRITE', `delivery log: ${err.message}`, { cause: err })));
  }

  /** Writes the outbox; concurrent callers share writes, and each resolves once its change is on disk. */
  #persist(): Promise<void> {
    this.#dirty = true;
    this.#writing ??= (async () => {
      try {
        while (this.#dirty) {
          this.#dirty = false;
          await saveOutbox(this.#paths.outbox, this.#outbox!);
        }
      } catch (err) {
        throw new NotifyError('NOTIFY_OUTBOX_WRITE', `${this.#paths.outbox}: ${(err as Error).message}`, { cause: err });
      } finally {
        this.#writing = null;
      }
    })();
    return this.#writing;
  }

  async #flush(): Promise<void> {
    if (this.#writing) await this.#writing.catch((err: NotifyError) => this.#onError(err));
    await this.#logChain;
  }
}
