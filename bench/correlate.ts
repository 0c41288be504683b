/**
 * Correlation and cycle figures on synthetic history (deterministic): per day a few official
 * incidents with several updates, press coverage (outage reports, explainers, unrelated news),
 * community posts and crowd spikes. Prints:
 *   - correlateSignals from scratch (a full replay) and in steady state (stored incidents + the
 *     same signals: what every cycle pays), and the rollup;
 *   - runCycle in replay mode end to end on a temporary data dir (read, correlate, write).
 *
 *   node bench/correlate.ts [days…] [--json]      (default: 30 365)
 *
 * `--json`: the lines go to stderr and one JSON object with the figures (ms) to stdout.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { correlateSignals } from '../scrapers/correlate/correlate.ts';
import { settingsFromConfig } from '../scrapers/correlate/rules.ts';
import { runCycle } from '../scrapers/cycle.ts';
import { rollupStatus } from '../scrapers/status/rollup.ts';
import { parseConfig } from '../src/config/load.ts';
import { SignalSchema, type Signal, type SourceHealth } from '../src/domain/schemas.ts';
import { SERVICE_IDS, type ServiceId } from '../src/domain/services.ts';
import { appendSignals } from '../src/store/data-store.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

function generate(days: number): Signal[] {
  const rand = rng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const iso = (ms: number) => new Date(ms).toISOString();
  const out: Signal[] = [];
  const outlets = ['heise online', 'Golem.de', 'BleepingComputer', 'The Register', 'Neowin', 'Windows Central', 'Dr. Windows'];
  let ref = 1_000_000;
  for (let d = 0; d < days; d++) {
    const day = START + d * DAY;
    // Official incidents: 0–3 a day, 3–6 updates each.
    for (let i = Math.floor(rand() * 4); i > 0; i--) {
      const service = pick(SERVICE_IDS) as ServiceId;
      const id = `EX${ref++}`;
      const start = day + Math.floor(rand() * 20 * 3_600_000);
      const updates = 3 + Math.floor(rand() * 4);
      for (let u = 0; u < updates; u++) {
        const at = start + u * 40 * 60_000;
        const last = u === updates - 1;
        out.push(
          SignalSchema.parse({
            id: `graph:${id}:${u}`,
            source: { id: 'graph', kind: 'official' },
            observedAt: iso(at),
            fetchedAt: iso(at + 60_000),
            services: [service],
            title: `Users may be unable to use ${service}`,
            text: `Current status: update ${u}`,
            official: {
              ref: id,
              key: id,
              status: last ? 'resolved' : u === 0 ? 'investigating' : 'identified',
              componentStatus: last ? 'operational' : 'partial_outage',
              impact: pick(['minor', 'major'] as const),
              classification: rand() < 0.2 ? 'advisory' : 'incident',
              rawStatus: last ? 'serviceRestored' : 'serviceDegradation',
              isResolved: last,
              startedAt: iso(start),
              endedAt: last ? iso(at) : null,
            },
          }),
        );
        // Press coverage of the bigger ones.
        if (u === 1 && rand() < 0.5) {
          for (let k = 0; k < 3; k++) {
            const outlet = pick(outlets);
            const url = `https://press.example/${outlet.replace(/\W/g, '')}/${id}-${k}`;
            out.push(
              SignalSchema.parse({
                id: `press:${url}`,
                source: { id: outlet.toLowerCase().replace(/\W/g, '-'), kind: 'press' },
                observedAt: iso(at + k * 15 * 60_000),
                fetchedAt: iso(at + k * 15 * 60_000 + 120_000),
                services: [service],
                title: `${service} outage`,
                url,
                press: { outlet, canonicalUrl: url, kind: k === 2 ? 'explainer' : 'outage', refs: k === 0 ? [id] : [] },
              }),
            );
          }
        }
      }
    }
    // Background press: 30 a day, most about nothing we track.
    for (let i = 0; i < 30; i++) {
      const at = day + Math.floor(rand() * DAY);
      const outlet = pick(outlets);
      const url = `https://press.example/${outlet.replace(/\W/g, '')}/${d}-${i}`;
      const related = rand() < 0.15;
      out.push(
        SignalSchema.parse({
          id: `press:${url}`,
          source: { id: outlet.toLowerCase().replace(/\W/g, '-'), kind: 'press' },
          observedAt: iso(at),
          fetchedAt: iso(at + 120_000),
          services: related ? [pick(SERVICE_IDS) as ServiceId] : [],
          title: 'News',
          url,
          press: { outlet, canonicalUrl: url, kind: related ? pick(['outage', 'explainer', 'followup'] as const) : 'unrelated', refs: [] },
        }),
      );
    }
    // A crowd spike every few days.
    if (rand() < 0.3) {
      const at = day + Math.floor(rand() * DAY);
      const service = pick(SERVICE_IDS) as ServiceId;
      for (let b = 0; b < 4; b++) {
        const bucket = at + b * 5 * 60_000;
        out.push(
          SignalSchema.parse({
            id: `crowd:${service}:${iso(bucket)}`,
            source: { id: 'crowd-reports', kind: 'crowd' },
            observedAt: iso(bucket + 5 * 60_000),
            fetchedAt: iso(bucket + 5 * 60_000),
            services: [service],
            title: 'Spike in problem reports',
            crowd: { bucketStart: iso(bucket), bucketMinutes: 5, count: 30 + b * 5, baseline: 2, score: 10 },
          }),
        );
      }
    }
  }
  return out;
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

export interface CorrelateFigures {
  days: number;
  signals: number;
  incidents: number;
  scratchMs: number;
  steadyMs: number;
  horizonMs: number;
  horizonSignals: number;
  rollupMs: number;
  replayFirstMs: number;
  replayUnchangedMs: number;
}

const JSON_OUT = process.argv.includes('--json');

async function bench(days: number): Promise<CorrelateFigures> {
  const signals = generate(days);
  const now = new Date(START + days * DAY);
  const config = parseConfig({ sources: [{ id: 'graph', adapter: 'graph-service-health', url: 'https://graph.example/v1.0' }] }, path.join(tmpdir(), 'bench.json'), {});
  const settings = settingsFromConfig(config);

  const [first, scratchMs] = time(() => correlateSignals({ incidents: [], signals, settings, now }));
  const [second, steadyMs] = time(() => correlateSignals({ incidents: first.incidents, signals, settings, now }));
  const horizon = signals.filter((s) => s.fetchedAt >= new Date(now.getTime() - 14 * DAY).toISOString());
  const [, horizonMs] = time(() => correlateSignals({ incidents: first.incidents, signals: horizon, settings, now }));
  const health: SourceHealth[] = [
    { id: 'graph', kind: 'official', services: [...SERVICE_IDS], state: 'ok', lastAttemptAt: now.toISOString(), lastSuccessAt: now.toISOString(), lastError: null, consecutiveFailures: 0, etag: null, lastModified: null, notBefore: null, lastDurationMs: 1, itemsLastRun: 0, bodyHash: null },
  ];
  const [, rollupMs] = time(() => rollupStatus(first.incidents, health, [], config, now));

  const dir = await mkdtemp(path.join(tmpdir(), 'or-bench-'));
  try {
    const cfg = { ...config, dataDir: dir, dataDirAbs: dir };
    await appendSignals(dir, signals, new Set());
    const t0 = performance.now();
    const replay = await runCycle({ config: cfg, now, replay: true });
    const replayMs = performance.now() - t0;
    const t1 = performance.now();
    const again = await runCycle({ config: cfg, now, replay: true });
    const againMs = performance.now() - t1;
    const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
    (JSON_OUT ? console.error : console.log)(
      [
        `${days} days: ${signals.length} signals → ${first.incidents.length} incidents (${first.unassigned} signals unassigned); steady state changed ${second.changed.length}`,
        `  correlate from scratch       ${fmt(scratchMs)}  (${((signals.length / scratchMs) * 1000).toFixed(0)} signals/s)`,
        `  correlate, steady state      ${fmt(steadyMs)}  (all signals + stored incidents)`,
        `  correlate, 14-day horizon    ${fmt(horizonMs)}  (${horizon.length} signals + ${first.incidents.length} stored incidents: a cycle's cost)`,
        `  rollup                       ${fmt(rollupMs)}`,
        `  replay cycle, first write    ${fmt(replayMs)}  (${replay.counts.incidentsChanged} incident files written)`,
        `  replay cycle, nothing new    ${fmt(againMs)}  (${again.counts.incidentsChanged} written, changed=${again.changed})`,
      ].join('\n'),
    );
    return {
      days,
      signals: signals.length,
      incidents: first.incidents.length,
      scratchMs,
      steadyMs,
      horizonMs,
      horizonSignals: horizon.length,
      rollupMs,
      replayFirstMs: replayMs,
      replayUnchangedMs: againMs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const results: CorrelateFigures[] = [];
for (const days of args.length ? args : [30, 365]) results.push(await bench(days));
if (JSON_OUT) process.stdout.write(`${JSON.stringify({ results })}\n`);
