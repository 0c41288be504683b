/**
 * Scrape cycle wall time with 20 sources of which one hangs: the configured sources (16 enabled in
 * outage-radar.config.ts, Graph included) plus four more news feeds, every one served by local
 * fixture servers in its real wire format from a recorded outage tape (the live tape of the offline
 * demo, scrapers/demo/live-tape.ts), with Microsoft's status.cloud.microsoft posts endpoint
 * accepting the connection and never answering. Each cycle is the real command line
 * (`node scrapers/cli.ts scrape --json`, a fresh process as cron would start it) with the shipped
 * HTTP limits (config.http), on a virtual clock advanced far enough that every source is due.
 *
 * What it shows: the hanging source costs the cycle its per-source deadline and nothing more, and
 * the other 19 are read in the meantime.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.ts';
import type { SourceConfig } from '../../src/config/schema.ts';
import { loadTape } from '../../src/tapes/load.ts';
import type { CycleReport } from '../../scrapers/cycle.ts';
import { startLiveTape } from '../../scrapers/demo/live-tape.ts';
import { demoConfig } from '../../scrapers/demo/plan.ts';
import { GRAPH_TAPE_ENV } from '../../scrapers/replay/plan.ts';
import { runChild } from './child.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TAPE = path.join(ROOT, 'test/tapes/outages/2025-09-11-exchange-ex1151485.tape.jsonl');
/** Mid-outage on that tape: official posts, press and community items are all on the wire. */
const FIRST_CYCLE = Date.parse('2025-09-11T09:40:00Z');
const HANGING_SOURCE = 'status-cloud-microsoft-mac';
const EXTRA_FEEDS = 4;

export interface ScrapeCycleSample {
  /** Wall time of the `scrape` command, process start to exit. */
  wallMs: number;
  /** The cycle's own duration (CycleReport.durationMs). */
  cycleMs: number;
  cpuSeconds: number | null;
  peakRssBytes: number;
  /** Sources other than the hanging one that were read (ok or not modified). */
  healthyRead: number;
  healthyTotal: number;
  hangingOutcome: string;
  hangingError: string | null;
  hangingMs: number | null;
}

export interface ScrapeCycleResult {
  sources: number;
  hangingSource: string;
  sourceDeadlineMs: number;
  cycleDeadlineMs: number;
  samples: ScrapeCycleSample[];
}

/** Four more news feeds on hosts of their own (so no per-host politeness couples them). */
function extraFeeds(): SourceConfig[] {
  return Array.from({ length: EXTRA_FEEDS }, (_, i): SourceConfig => ({
    id: `bench-extra-feed-${i + 1}`,
    adapter: 'news-feed',
    enabled: true,
    url: `https://feed-${i + 1}.bench.example/rss.xml`,
    intervalMinutes: 10,
    outlet: `Bench Outlet ${i + 1}`,
    lang: i % 2 ? 'de' : 'en',
    readArticles: false,
  }));
}

export async function measureScrapeCycle(options: { cycles: number; work: string; echo?: string }): Promise<ScrapeCycleResult> {
  const base = await loadConfig(path.join(ROOT, 'outage-radar.config.ts'), {});
  const configured = [...base.sources.filter((s) => s.enabled), ...extraFeeds()];
  const tape = await loadTape(TAPE);
  const live = await startLiveTape({ tape, sources: configured, historyWeeks: 1 });
  try {
    const dataDir = path.join(options.work, 'scrape-data');
    await fs.mkdir(dataDir, { recursive: true });
    const config = demoConfig({ base, sources: live.sources, dataDir, siteUrl: 'http://127.0.0.1:4321', schedule: '*/5 * * * *' });
    // The shipped HTTP limits, not the demo's short local ones: what a hang costs in production.
    config.http = { ...base.http };
    const configFile = path.join(options.work, 'scrape.config.json');
    await fs.writeFile(configFile, JSON.stringify(config, null, 2));
    const env: NodeJS.ProcessEnv = { ...process.env, ...GRAPH_TAPE_ENV, OUTAGE_RADAR_LOG_LEVEL: 'warn' };
    for (const k of Object.keys(env)) if (k.startsWith('OUTAGE_RADAR_') && k !== 'OUTAGE_RADAR_LOG_LEVEL') delete env[k];
    const sourceDeadlineMs = base.http.deadlineMs * (base.http.retries + 1) + 5_000;
    const samples: ScrapeCycleSample[] = [];
    live.override(HANGING_SOURCE, { fault: 'hang' });
    const longestInterval = Math.max(...live.sources.map((s) => s.intervalMinutes));
    for (let i = 0; i < options.cycles; i++) {
      // Every source due again (past the longest interval), and far past any Retry-After backoff.
      const now = FIRST_CYCLE + i * (longestInterval + 1) * 60_000;
      live.advanceTo(now);
      const run = await runChild(process.execPath, [path.join(ROOT, 'scrapers/cli.ts'), 'scrape', '--config', configFile, '--now', new Date(now).toISOString(), '--json'], {
        cwd: ROOT,
        env,
        echo: options.echo,
      });
      const report = JSON.parse(run.stdout) as CycleReport;
      const hanging = report.sources.find((s) => s.id === HANGING_SOURCE);
      const healthy = report.sources.filter((s) => s.id !== HANGING_SOURCE);
      samples.push({
        wallMs: run.wallMs,
        cycleMs: report.durationMs,
        cpuSeconds: run.cpuSeconds,
        peakRssBytes: run.rss.peakTotal(),
        healthyRead: healthy.filter((s) => s.outcome === 'ok' || s.outcome === 'not_modified').length,
        healthyTotal: healthy.length,
        hangingOutcome: hanging?.outcome ?? 'missing',
        hangingError: hanging?.error?.code ?? null,
        hangingMs: hanging?.durationMs ?? null,
      });
    }
    return { sources: live.sources.length, hangingSource: HANGING_SOURCE, sourceDeadlineMs, cycleDeadlineMs: sourceDeadlineMs * 2, samples };
  } finally {
    await live.close();
  }
}
