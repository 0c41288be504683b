/**
 * `npm run bench`: every speed figure of the project in one table.
 *
 * Runs the per-area benches (bench/site.ts, reports.ts, selfcheck.ts, pipeline.ts, correlate.ts,
 * `npm run replay`) as child processes, several times each, and adds what they do not measure:
 * Lighthouse scores and required JavaScript of the home, service and incident pages, a scrape
 * cycle of 20 sources of which one hangs, and peak memory (RSS, sampled from /proc) of the
 * 5,000-incident build and of the server under report load. Each figure is the median of its runs
 * (counts that must hold every time: the worst run); ratios are taken within one run, side by side.
 * Prints one table (figure, value, unit, target, met) and writes it to bench/results/<date>.md and
 * .json. Documentation: docs/benchmarks.md.
 *
 *   npm run bench [-- --quick] [--only <group>[,<group>…]] [--runs <n>] [--out-dir <dir>] [--no-write]
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load.ts';
import { writeFileAtomic, writeJsonAtomic } from '../src/store/files.ts';
import { buildSite } from './build-site.ts';
import { generateData } from './generate-data.ts';
import { launchChromium, LIGHTHOUSE_CATEGORIES, measureRequiredJs, runLighthouse } from './lib/browser-pages.ts';
import { lastJson, runChild } from './lib/child.ts';
import { parsePipelineOutput, parseStaticServingOutput } from './lib/parse-output.ts';
import { measureScrapeCycle } from './lib/scrape-cycle.ts';
import { startSiteServer } from './lib/serve-site.ts';
import { median } from './lib/stats.ts';
import { buildRow, toMarkdown, toText, type FigureRow, type FigureSpec } from './lib/table.ts';
import { freePort } from '../src/lib/free-port.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = (name: string) => path.join(ROOT, 'bench', name);
const KB = 1024;
const MiB = 1024 * 1024;

export const USAGE = `usage: npm run bench [-- options]

  --quick            one run per figure, shorter load phases, no tape replay unless named in --only
  --only <groups>    comma-separated groups: site,browser,static,reports,selfcheck,scrape,pipeline,correlate,replay
  --runs <n>         runs per figure for the repeated groups (default 3, --quick 1)
  --out-dir <dir>    where to write <date>.md and <date>.json (default bench/results)
  --no-write         print the table only
  -h, --help
`;

// ─── the shared context ──────────────────────────────────────────────────────────────────────────

interface SharedSite {
  outDir: string;
  clientDir: string;
  port: number;
  activeIncident: string;
}

interface Ctx {
  quick: boolean;
  /** Runs for the groups that repeat whole runs. */
  runs: number;
  work: string;
  log(line: string): void;
  /** One built site (1,000 incidents, fresh "now"), built on first use. */
  site(): Promise<SharedSite>;
}

/** What one run of a group measured: one value, or several samples (one per change, cycle…). */
type RunValues = Record<string, number | number[] | null>;

interface RunOutcome {
  values: RunValues;
  notes?: Record<string, string>;
  raw?: unknown;
}

interface Group {
  name: string;
  title: string;
  figures: FigureSpec[];
  /** How many times `run` is called. */
  runs(ctx: Ctx): number;
  run(ctx: Ctx, index: number): Promise<RunOutcome>;
}


const echo = (group: string) => `    ${group}| `;

// ─── groups ──────────────────────────────────────────────────────────────────────────────────────

interface SiteJson {
  builds: { incidents: number; buildMs: number; cpuSeconds: number | null; htmlPages: number }[];
  home: { totalGzip: number; jsGzip: number; jsBytes: number } | null;
}

const siteGroup: Group = {
  name: 'site',
  title: 'Static site build and page weight (bench/site.ts)',
  figures: [
    { id: 'site.build.100', label: 'Build, 100 incidents', unit: 's' },
    { id: 'site.build.1000', label: 'Build, 1,000 incidents', unit: 's' },
    { id: 'site.build.5000', label: 'Build, 5,000 incidents', unit: 's', target: { op: '<=', value: 15 }, compare: 'cState: 279 s for 5,000 (anchor)' },
    { id: 'site.build.5000.cpu', label: 'Build, 5,000 incidents: CPU time (user + sys)', unit: 's' },
    { id: 'site.build.5000.rss', label: 'Build, 5,000 incidents: peak RSS (process tree)', unit: 'MiB', digits: 0 },
    { id: 'site.home.gzip', label: 'Home page transferred (HTML + CSS + JS, gzip)', unit: 'KB', target: { op: '<=', value: 25, text: '≤ 25 KB (aim < 10 KB)' }, compare: 'cState 10.8 KB, Upptime 52.7 KB (anchors)' },
    { id: 'site.home.js', label: 'Home page JS, optional enhancement (gzip)', unit: 'KB' },
  ],
  runs: (ctx) => ctx.runs,
  async run(ctx): Promise<RunOutcome> {
    const run = await runChild(process.execPath, [BENCH('site.ts'), '--json'], { cwd: ROOT, echo: echo('site') });
    const json = lastJson<SiteJson>(run.stdout);
    const build = (n: number) => json.builds.find((b) => b.incidents === n);
    // site.ts builds into <tmp>/<n>/dist: the subtree of that command is the build at n incidents.
    const rss = run.rss.peakOf((p) => p.cmdline.includes(`${path.sep}5000${path.sep}dist`) && p.cmdline.includes('astro'));
    return {
      values: {
        'site.build.100': build(100) ? build(100)!.buildMs / 1000 : null,
        'site.build.1000': build(1000) ? build(1000)!.buildMs / 1000 : null,
        'site.build.5000': build(5000) ? build(5000)!.buildMs / 1000 : null,
        'site.build.5000.cpu': build(5000)?.cpuSeconds ?? null,
        'site.build.5000.rss': rss > 0 ? rss / MiB : null,
        'site.home.gzip': json.home ? json.home.totalGzip / KB : null,
        'site.home.js': json.home ? json.home.jsGzip / KB : null,
      },
      notes: { 'site.build.5000': `${build(5000)?.htmlPages.toLocaleString('en-US') ?? '?'} HTML pages` },
      raw: json,
    };
  },
};

const PAGES = [
  ['home', 'Home'],
  ['service', 'Service page'],
  ['incident', 'Incident page'],
] as const;
const CATEGORY_LABEL: Record<(typeof LIGHTHOUSE_CATEGORIES)[number], string> = {
  performance: 'performance',
  accessibility: 'accessibility',
  'best-practices': 'best practices',
  seo: 'SEO',
};

const browserGroup: Group = {
  name: 'browser',
  title: 'Pages in Chromium: Lighthouse (mobile, simulated throttling), required JavaScript',
  figures: [
    ...PAGES.flatMap(([page, label]) =>
      LIGHTHOUSE_CATEGORIES.map((c): FigureSpec => ({ id: `lh.${page}.${c}`, label: `Lighthouse ${CATEGORY_LABEL[c]}: ${label.toLowerCase()}`, unit: 'score', digits: 0 })),
    ),
    { id: 'browser.home.transferred', label: 'Home page transferred as Chromium loads it (all requests, brotli)', unit: 'KB', compare: "Lighthouse total-byte-weight from npm start's server" },
    { id: 'browser.home.requiredJs', label: 'Home page required JS', unit: 'KB', target: { op: '=', value: 0, text: '0 KB' }, fold: 'max' },
  ],
  runs: (ctx) => ctx.runs,
  async run(ctx): Promise<RunOutcome> {
    const site = await ctx.site();
    const server = await startSiteServer(site.clientDir, site.port);
    const values: RunValues = {};
    const notes: Record<string, string> = {};
    const urls = {
      home: `${server.url}/en/`,
      service: `${server.url}/en/services/exchange-online/`,
      incident: `${server.url}/en/incidents/${site.activeIncident}/`,
    };
    try {
      for (const [page] of PAGES) {
        const r = await runLighthouse(urls[page], ctx.work);
        for (const c of LIGHTHOUSE_CATEGORIES) values[`lh.${page}.${c}`] = r.scores[c];
        if (page === 'home') values['browser.home.transferred'] = r.transferredBytes / KB;
        ctx.log(`  lighthouse ${page}: ${LIGHTHOUSE_CATEGORIES.map((c) => `${c} ${r.scores[c]}`).join(', ')}; ${(r.transferredBytes / KB).toFixed(1)} KB in ${r.requests} requests${r.attempts > 1 ? ` (attempt ${r.attempts})` : ''}`);
      }
      const browser = await launchChromium();
      try {
        const js = await measureRequiredJs(browser, urls.home);
        values['browser.home.requiredJs'] = js.requiredBytes / KB;
        notes['browser.home.requiredJs'] = js.same
          ? `same headline, ${Object.keys(js.withoutJs.statuses).length} service statuses, ${js.withoutJs.incidentLinks.length} incident links and ${js.withoutJs.postableForms} postable form(s) with JS off; ${(js.scriptBytes / KB).toFixed(1)} KB of optional script`
          : 'the page differs without JavaScript';
        if (!js.same) ctx.log(`  without JS: ${JSON.stringify(js.withoutJs)}\n  with JS: ${JSON.stringify(js.withJs)}`);
      } finally {
        await browser.close();
      }
    } finally {
      await server.stop();
    }
    return { values, notes, raw: urls };
  },
};

const staticGroup: Group = {
  name: 'static',
  title: "Static serving, /en/ (bench/pipeline.ts part 3, wrk, same files)",
  figures: [
    { id: 'static.ours', label: "npm start's server", unit: 'req/s', digits: 0 },
    { id: 'static.nginx', label: 'nginx (Debian, gzip_static)', unit: 'req/s', digits: 0, compare: 'anchor: nginx ~52k req/s (other hardware)' },
    { id: 'static.ratio.nginx', label: "npm start's server / nginx (same run)", unit: '×', digits: 2 },
    { id: 'static.bare', label: 'bare node:http + readFile', unit: 'req/s', digits: 0 },
    { id: 'static.ratio.bare', label: "npm start's server / bare node:http (same run)", unit: '×', digits: 2 },
    { id: 'static.astro', label: 'Astro standalone server', unit: 'req/s', digits: 0 },
    { id: 'static.ratio.nginx.br', label: "npm start's server / nginx, Accept-Encoding br (same run)", unit: '×', digits: 2 },
  ],
  runs: (ctx) => ctx.runs,
  async run(ctx): Promise<RunOutcome> {
    const site = await ctx.site();
    const seconds = ctx.quick ? 3 : 6;
    const run = await runChild(process.execPath, [BENCH('pipeline.ts'), '--skip-pipeline', '--build-dir', site.outDir, '--wrk-seconds', String(seconds)], { cwd: ROOT, echo: echo('static') });
    const { urls, rows } = parseStaticServingOutput(run.stdout);
    const col = urls.indexOf('/en/');
    const br = urls.findIndex((u) => u.includes('(br)'));
    const find = (prefix: string) => rows.find((r) => r.server.startsWith(prefix));
    const ours = find('ours');
    const nginx = find('nginx');
    const bare = find('node:http');
    const astro = find('Astro');
    const at = (r: typeof ours, c: number) => (r && c >= 0 ? (r.rps[c] ?? null) : null);
    const ratio = (a: number | null, b: number | null) => (a !== null && b ? a / b : null);
    const non2xx = rows.filter((r) => r.non2xx > 0).map((r) => `${r.server}: ${r.non2xx} non-2xx`);
    return {
      values: {
        'static.ours': at(ours, col),
        'static.nginx': at(nginx, col),
        'static.ratio.nginx': ratio(at(ours, col), at(nginx, col)),
        'static.bare': at(bare, col),
        'static.ratio.bare': ratio(at(ours, col), at(bare, col)),
        'static.astro': at(astro, col),
        'static.ratio.nginx.br': ratio(at(ours, br), at(nginx, br)),
      },
      notes: non2xx.length ? { 'static.ours': non2xx.join(', ') } : {},
      raw: { urls, rows },
    };
  },
};

interface ReportsRowJson {
  name: string;
  rate: number;
  ratio: number;
  p50: number;
  p99: number;
  acked: number;
  stored: number | null;
  lost: number | null;
  other: number;
}

interface ReportsJson {
  trivial: ReportsRowJson;
  served: ReportsRowJson;
  others: ReportsRowJson[];
  commitMs?: { before: { p50: number }; after: { p50: number } };
}

const reportsGroup: Group = {
  name: 'reports',
  title: 'Crowd report ingestion, POST /api/reports (bench/reports.ts, wrk -c50)',
  figures: [
    { id: 'reports.trivial', label: 'trivial node:http server, same parse (reference)', unit: 'reports/s', digits: 0 },
    { id: 'reports.rate', label: "npm start's report path (defaults: SQLite group commit, synchronous full)", unit: 'reports/s', digits: 0 },
    { id: 'reports.ratio', label: 'ratio to the trivial server (same run)', unit: '×', digits: 2, target: { op: '>=', value: 0.5, text: '≥ 0.5×' } },
    { id: 'reports.p50', label: 'latency p50', unit: 'ms', digits: 2 },
    { id: 'reports.p99', label: 'latency p99', unit: 'ms', digits: 1, target: { op: '<=', value: 50 } },
    { id: 'reports.lost', label: 'acknowledged but not stored (lost)', unit: 'count', digits: 0, fold: 'max', target: { op: '=', value: 0 } },
    { id: 'reports.refused', label: 'refused (non-2xx) under load', unit: 'count', digits: 0, fold: 'max', target: { op: '=', value: 0 } },
    { id: 'reports.rss', label: 'server peak RSS under report load', unit: 'MiB', digits: 0 },
    { id: 'reports.normal.ratio', label: 'same path with reports.sqliteSynchronous normal, ratio to trivial', unit: '×', digits: 2 },
    { id: 'reports.tmpfs.ratio', label: 'same path with the database on tmpfs (no disk cost), ratio to trivial', unit: '×', digits: 2 },
    { id: 'reports.astro.ratio', label: 'Astro route alone, ratio to the trivial server', unit: '×', digits: 2 },
  ],
  runs: (ctx) => ctx.runs,
  async run(ctx): Promise<RunOutcome> {
    const duration = ctx.quick ? 5 : 15;
    // bench:reports exits 1 when one of its targets is missed: the figures are still there.
    const run = await runChild(process.execPath, [BENCH('reports.ts'), '--duration', String(duration), '--json'], { cwd: ROOT, echo: echo('reports'), okCodes: [0, 1] });
    const r = lastJson<ReportsJson>(run.stdout);
    // The first server started with the default settings is the measured one (the second runs with synchronous normal).
    const servers = [...run.rss.processes.values()].filter((p) => /--serve fast/.test(p.cmdline)).sort((a, b) => a.pid - b.pid);
    const rss = servers[0] ? run.rss.peakOf((p) => p.pid === servers[0]!.pid) : 0;
    const other = (prefix: string) => r.others.find((o) => o.name.includes(prefix));
    const notes: Record<string, string> = {
      'reports.lost': `${r.served.acked.toLocaleString('en-US')} acknowledged, ${r.served.stored?.toLocaleString('en-US') ?? '?'} stored (last run)`,
    };
    if (r.commitMs) notes['reports.rate'] = `disk: a synced SQLite commit took ${r.commitMs.before.p50.toFixed(2)} ms (p50) before, ${r.commitMs.after.p50.toFixed(2)} ms after (last run)`;
    return {
      values: {
        'reports.trivial': r.trivial.rate,
        'reports.rate': r.served.rate,
        'reports.ratio': r.served.ratio,
        'reports.p50': r.served.p50,
        'reports.p99': r.served.p99,
        'reports.lost': r.served.lost,
        'reports.refused': r.served.other,
        'reports.rss': rss > 0 ? rss / MiB : null,
        'reports.normal.ratio': other('normal')?.ratio ?? null,
        'reports.tmpfs.ratio': other('tmpfs')?.ratio ?? null,
        'reports.astro.ratio': other('Astro')?.ratio ?? null,
      },
      notes,
      raw: r,
    };
  },
};

interface SelfcheckJson {
  warm?: { requestsPerSecond: number; p99Ms: number; failures: number };
  burst?: { checks: number; answered200: number; lookups: number; byKind: Record<string, number> };
}

const selfcheckGroup: Group = {
  name: 'selfcheck',
  title: 'Self-check route /check (bench/selfcheck.ts, local DNS and Microsoft stand-ins)',
  figures: [
    { id: 'selfcheck.rps', label: 'warm /check', unit: 'req/s', digits: 0 },
    { id: 'selfcheck.p99', label: 'warm /check latency p99', unit: 'ms', digits: 1 },
    { id: 'selfcheck.perKind', label: 'burst of 1,000 checks of one domain: look-ups per kind', unit: 'count', digits: 0, fold: 'max', target: { op: '=', value: 1, text: '1 per kind per cache period' } },
    { id: 'selfcheck.lookups', label: 'burst of 1,000 checks: outgoing look-ups in total', unit: 'count', digits: 0, fold: 'max', compare: '7 kinds (5 DNS, 2 HTTP)' },
  ],
  runs: (ctx) => ctx.runs,
  async run(ctx): Promise<RunOutcome> {
    const env = { ...process.env, BENCH_REQUESTS: ctx.quick ? '1000' : '3000' };
    const run = await runChild(process.execPath, [BENCH('selfcheck.ts'), '--json'], { cwd: ROOT, env, echo: echo('selfcheck') });
    const json = lastJson<SelfcheckJson>(run.stdout);
    const kinds = Object.values(json.burst?.byKind ?? {});
    return {
      values: {
        'selfcheck.rps': json.warm?.requestsPerSecond ?? null,
        'selfcheck.p99': json.warm?.p99Ms ?? null,
        'selfcheck.perKind': kinds.length ? Math.max(...kinds) : null,
        'selfcheck.lookups': json.burst?.lookups ?? null,
      },
      notes: json.burst ? { 'selfcheck.perKind': `${json.burst.answered200} of ${json.burst.checks} answered 200` } : {},
      raw: json,
    };
  },
};

async function scrapeFigures(): Promise<FigureSpec[]> {
  const base = await loadConfig(path.join(ROOT, 'outage-radar.config.ts'), {});
  const sourceDeadline = (base.http.deadlineMs * (base.http.retries + 1) + 5_000) / 1000;
  return [
    { id: 'scrape.wall', label: 'cycle wall time (`npm run scrape`, process start to exit)', unit: 's', target: { op: '<=', value: sourceDeadline * 2, text: `≤ ${sourceDeadline * 2} s (the cycle deadline)` } },
    { id: 'scrape.hang', label: 'the hanging source is cut after', unit: 's', target: { op: '<=', value: sourceDeadline, text: `≤ ${sourceDeadline} s (per-source deadline)` }, compare: `HTTP limits as shipped: headers ${base.http.headersTimeoutMs / 1000} s, deadline ${base.http.deadlineMs / 1000} s` },
    { id: 'scrape.healthy', label: 'other sources read in the same cycle', unit: 'count', digits: 0, fold: 'min', target: { op: '=', value: 19, text: '19 of 19' } },
    { id: 'scrape.cpu', label: 'cycle CPU time (user + sys)', unit: 's', digits: 2 },
    { id: 'scrape.rss', label: 'cycle peak RSS', unit: 'MiB', digits: 0 },
  ];
}

const scrapeGroup: Group = {
  name: 'scrape',
  title: 'Scrape cycle: 20 sources on local fixture servers, one hangs',
  figures: await scrapeFigures(),
  runs: () => 1,
  async run(ctx): Promise<RunOutcome> {
    const cycles = ctx.quick ? 2 : 5;
    const r = await measureScrapeCycle({ cycles, work: ctx.work });
    const s = r.samples;
    return {
      values: {
        'scrape.wall': s.map((x) => x.wallMs / 1000),
        'scrape.hang': s.map((x) => (x.hangingMs ?? NaN) / 1000).filter(Number.isFinite),
        'scrape.healthy': s.map((x) => x.healthyRead),
        'scrape.cpu': s.flatMap((x) => (x.cpuSeconds === null ? [] : [x.cpuSeconds])),
        'scrape.rss': s.map((x) => x.peakRssBytes / MiB),
      },
      notes: {
        'scrape.wall': `${r.sources} sources, ${r.hangingSource} never answers (${[...new Set(s.map((x) => `${x.hangingOutcome} ${x.hangingError ?? ''}`.trim()))].join(', ')})`,
        'scrape.healthy': `of ${s[0]?.healthyTotal ?? '?'}`,
      },
      raw: r,
    };
  },
};

const pipelineGroup: Group = {
  name: 'pipeline',
  title: 'npm start end to end (bench/pipeline.ts parts 1–2, 30 s schedule, 500 incidents)',
  figures: [
    { id: 'pipeline.change', label: 'source change → updated page served', unit: 's', target: { op: '<=', value: 60, text: '≤ 60 s (30 s schedule)' } },
    { id: 'pipeline.build', label: '… of which site build + swap', unit: 's' },
    { id: 'pipeline.unchanged', label: 'cycle with unchanged inputs (all 16 sources read)', unit: 's', digits: 2, target: { op: '<=', value: 2 } },
    { id: 'pipeline.rebuilds', label: 'rebuilds after unchanged cycles', unit: 'count', digits: 0, fold: 'max', target: { op: '=', value: 0, text: '0 (no rebuild)' } },
  ],
  runs: () => 1,
  async run(ctx): Promise<RunOutcome> {
    const args = ['--skip-static', '--incidents', '500', '--changes', ctx.quick ? '2' : '5', '--unchanged', ctx.quick ? '3' : '5'];
    const run = await runChild(process.execPath, [BENCH('pipeline.ts'), ...args], { cwd: ROOT, echo: echo('pipeline') });
    const p = parsePipelineOutput(run.stdout);
    return {
      values: {
        'pipeline.change': p.changeToServedS,
        'pipeline.build': p.buildS,
        'pipeline.unchanged': p.unchangedCycles.map((c) => c.ms / 1000),
        'pipeline.rebuilds': p.unchangedCycles.length ? [p.unchangedCycles.filter((c) => c.built).length] : [],
      },
      notes: {
        'pipeline.change': `${p.changeToServedS.length} changes at random moments; max ${Math.max(...p.changeToServedS).toFixed(1)} s`,
        'pipeline.unchanged': `${p.unchangedCycles.length} cycles`,
      },
      raw: p,
    };
  },
};

interface CorrelateJson {
  results: { days: number; signals: number; incidents: number; scratchMs: number; horizonMs: number; replayUnchangedMs: number }[];
}

const correlateGroup: Group = {
  name: 'correlate',
  title: 'Correlation on 365 days of synthetic signals (bench/correlate.ts)',
  figures: [
    { id: 'correlate.scratch', label: 'correlate a year from scratch', unit: 's', digits: 2 },
    { id: 'correlate.horizon', label: "correlate one cycle's 14-day horizon against a year of incidents", unit: 'ms', digits: 0 },
    { id: 'correlate.replayUnchanged', label: 'replay cycle with nothing new (read, correlate, no write)', unit: 's', digits: 2 },
  ],
  runs: (ctx) => ctx.runs,
  async run(): Promise<RunOutcome> {
    const run = await runChild(process.execPath, [BENCH('correlate.ts'), '--json', '365'], { cwd: ROOT });
    const r = lastJson<CorrelateJson>(run.stdout).results.find((x) => x.days === 365);
    if (!r) throw new Error('bench/correlate.ts printed no 365-day figures');
    return {
      values: { 'correlate.scratch': r.scratchMs / 1000, 'correlate.horizon': r.horizonMs, 'correlate.replayUnchanged': r.replayUnchangedMs / 1000 },
      notes: { 'correlate.scratch': `${r.signals.toLocaleString('en-US')} signals → ${r.incidents} incidents` },
      raw: r,
    };
  },
};

interface ReplayJson {
  summary: {
    tapes: number;
    quietDays: number;
    duplicates: number;
    misses: number;
    falseAlarmsPer30QuietDays: number | null;
    greenWhileBlind: number;
    expectations: { total: number; failed: number };
    leadTime: { count: number; medianMinutes: number | null; worstMinutes: number | null };
    slowestQuietMonthMs: number | null;
  };
}

const replayGroup: Group = {
  name: 'replay',
  title: 'Outage tapes replayed through the real pipeline (npm run replay, test/tapes/)',
  figures: [
    { id: 'replay.lead', label: 'median lead time over Microsoft (tapes with earlier evidence)', unit: 'min', digits: 0, target: { op: '>=', value: 15 } },
    { id: 'replay.falseAlarms', label: 'false alarms per 30 quiet days', unit: 'count', digits: 2, fold: 'max', target: { op: '<=', value: 1 } },
    { id: 'replay.duplicates', label: 'duplicate incidents', unit: 'count', digits: 0, fold: 'max', target: { op: '=', value: 0 } },
    { id: 'replay.misses', label: 'missed official incidents', unit: 'count', digits: 0, fold: 'max', target: { op: '=', value: 0 } },
    { id: 'replay.greenWhileBlind', label: 'green while the source was blind', unit: 'count', digits: 0, fold: 'max', target: { op: '=', value: 0 } },
    { id: 'replay.expectations', label: 'tape expectations failed', unit: 'count', digits: 0, fold: 'max', target: { op: '=', value: 0 } },
    { id: 'replay.quietMonth', label: '30-day quiet tape replay', unit: 's', target: { op: '<=', value: 60 } },
    { id: 'replay.cpu', label: 'all tapes: CPU time (user + sys)', unit: 's', digits: 0 },
  ],
  runs: () => 1,
  async run(ctx): Promise<RunOutcome> {
    const out = path.join(ctx.work, `replay-${Date.now()}.json`);
    const run = await runChild(process.execPath, [path.join(ROOT, 'scrapers/replay/cli.ts'), '--out', out], { cwd: ROOT, echo: echo('replay') });
    const { summary: s } = JSON.parse(await fs.readFile(out, 'utf8')) as ReplayJson;
    return {
      values: {
        'replay.lead': s.leadTime.medianMinutes,
        'replay.falseAlarms': s.falseAlarmsPer30QuietDays,
        'replay.duplicates': s.duplicates,
        'replay.misses': s.misses,
        'replay.greenWhileBlind': s.greenWhileBlind,
        'replay.expectations': s.expectations.failed,
        'replay.quietMonth': s.slowestQuietMonthMs === null ? null : s.slowestQuietMonthMs / 1000,
        'replay.cpu': run.cpuSeconds,
      },
      notes: {
        'replay.lead': `over ${s.leadTime.count} incidents; worst ${s.leadTime.worstMinutes ?? '?'} min`,
        'replay.falseAlarms': `${s.quietDays} quiet days`,
        'replay.expectations': `of ${s.expectations.total}`,
        'replay.cpu': `${s.tapes} tapes, ${(run.wallMs / 1000).toFixed(0)} s wall`,
      },
      raw: s,
    };
  },
};

export const GROUPS: readonly Group[] = [siteGroup, browserGroup, staticGroup, reportsGroup, selfcheckGroup, scrapeGroup, pipelineGroup, correlateGroup, replayGroup];

// ─── the run ─────────────────────────────────────────────────────────────────────────────────────

interface GroupReport {
  name: string;
  title: string;
  runs: number;
  ms: number;
  error: string | null;
  /** 1-minute load average sampled every 5 s while the group ran (the benchmark's own processes included). */
  load: { median: number | null; max: number | null };
  raw: unknown[];
}

function tryCommand(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return `${r.stdout}${r.stderr}`.trim().split('\n')[0] ?? null;
}

function gitState(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return `${commit}${dirty ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        runs: { type: 'string' },
        'out-dir': { type: 'string' },
        'no-write': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
  const unknown = only?.filter((n) => !GROUPS.some((g) => g.name === n)) ?? [];
  if (unknown.length) {
    process.stderr.write(`unknown group(s): ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const runs = values.runs === undefined ? (values.quick ? 1 : 3) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write(`--runs must be a positive integer\n\n${USAGE}`);
    return 2;
  }
  // The tape replay has no shorter form (its figures are the whole set of tapes): --quick leaves it
  // out unless it is named.
  const groups = GROUPS.filter((g) => (only ? only.includes(g.name) : !(values.quick && g.name === 'replay')));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'or-bench-run-'));
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  let shared: Promise<SharedSite> | null = null;
  const ctx: Ctx = {
    quick: values.quick,
    runs,
    work,
    log,
    site: () =>
      (shared ??= (async () => {
        const root = path.join(work, 'site');
        const port = await freePort();
        const now = new Date().toISOString();
        log('  building the shared site (1,000 incidents) for the browser and static serving figures…');
        const data = await generateData({ dir: path.join(root, 'data'), incidents: 1000, seed: 1, now });
        const built = await buildSite({ dataDir: path.join(root, 'data'), outDir: path.join(root, 'dist'), now, siteUrl: `http://127.0.0.1:${port}` });
        if (!data.activeIds[0]) throw new Error('the generated data has no active incident');
        return { outDir: built.outDir, clientDir: built.clientDir, port, activeIncident: data.activeIds[0] };
      })()),
  };

  log(`npm run bench${values.quick ? ' --quick' : ''}: ${groups.map((g) => g.name).join(', ')} on ${os.availableParallelism()} cores, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  const rows: FigureRow[] = [];
  const reports: GroupReport[] = [];
  const groupTitles: Record<string, string> = {};
  try {
    for (const group of groups) {
      const started = performance.now();
      const n = group.runs(ctx);
      const samples = new Map<string, number[]>(group.figures.map((f) => [f.id, []]));
      const notes = new Map<string, string>();
      const raw: unknown[] = [];
      let error: string | null = null;
      log(`▶ ${group.name}: ${group.title}${n > 1 ? ` (${n} runs)` : ''}`);
      // Other engineers' jobs share the machine: how busy it was belongs next to the figures.
      const loads = [os.loadavg()[0]!];
      const loadTimer = setInterval(() => loads.push(os.loadavg()[0]!), 5_000);
      for (let i = 0; i < n && !error; i++) {
        try {
          const out = await group.run(ctx, i);
          for (const [id, v] of Object.entries(out.values)) {
            const list = samples.get(id);
            if (!list) throw new Error(`${group.name}: value for unknown figure ${id}`);
            for (const x of Array.isArray(v) ? v : [v]) if (x !== null && Number.isFinite(x)) list.push(x);
          }
          for (const [id, note] of Object.entries(out.notes ?? {})) notes.set(id, note);
          raw.push(out.raw ?? null);
          log(`  run ${i + 1}/${n} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
        } catch (err) {
          error = `${(err as { code?: string }).code ?? 'ERROR'}: ${(err as Error).message.split('\n').slice(0, 6).join(' ')}`;
          log(`  ${group.name} failed: ${(err as Error).message}`);
        }
      }
      clearInterval(loadTimer);
      loads.push(os.loadavg()[0]!);
      const load = { median: median(loads), max: Math.max(...loads) };
      groupTitles[group.name] = `${group.title} — load ${load.median!.toFixed(1)} (max ${load.max.toFixed(1)})`;
      group.figures.forEach((f, i) => {
        const s = samples.get(f.id)!;
        // The reason goes on the group's first row; the table stays readable.
        const missing = error ? (i === 0 ? `not measured: ${error.slice(0, 200)}` : 'not measured (see above)') : null;
        rows.push(buildRow(group.name, f, s, s.length === 0 && missing ? missing : (notes.get(f.id) ?? null)));
      });
      reports.push({ name: group.name, title: group.title, runs: n, ms: Math.round(performance.now() - started), error, load, raw });
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }

  const finishedAt = new Date();
  const titles = groupTitles;
  const machine = {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    loadAverageStart: loadBefore,
    loadAverageEnd: os.loadavg(),
    tools: {
      wrk: tryCommand('wrk', ['--version']),
      nginx: tryCommand('nginx', ['-v']),
      chromium: tryCommand('/usr/bin/chromium', ['--version']),
      lighthouse: (JSON.parse(await fs.readFile(path.join(ROOT, 'node_modules/lighthouse/package.json'), 'utf8')) as { version: string }).version,
    },
  };
  const mode = values.quick ? 'quick' : 'full';
  const met = rows.filter((r) => r.met === true).length;
  const missed = rows.filter((r) => r.met === false);
  const header = [
    `Outage Radar benchmarks, ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC (${mode}${only ? `, only ${only.join(', ')}` : ''}; ${((finishedAt.getTime() - startedAt.getTime()) / 60_000).toFixed(0)} min)`,
    `commit ${gitState()}; ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}; load average ${loadBefore[0]!.toFixed(1)} at start, ${machine.loadAverageEnd[0]!.toFixed(1)} at end`,
    `targets: ${met} met, ${missed.length} not met${missed.length ? ` (${missed.map((r) => `${r.group}: ${r.label}`).join('; ')})` : ''}`,
  ];
  process.stdout.write(`\n${header.join('\n')}\n\n${toText(rows, titles)}\n`);

  if (!values['no-write']) {
    const dir = path.resolve(values['out-dir'] ?? path.join(ROOT, 'bench/results'));
    const stem = `${startedAt.toISOString().slice(0, 10)}${values.quick ? '-quick' : ''}${only ? `-${only.join('-')}` : ''}`;
    await fs.mkdir(dir, { recursive: true });
    const md = [`# ${header[0]}`, '', ...header.slice(1).map((l) => `${l}  `), '', toMarkdown(rows, titles), '', 'How each figure is measured: [docs/benchmarks.md](../../docs/benchmarks.md).', ''].join('\n');
    await writeFileAtomic(path.join(dir, `${stem}.md`), md);
    await writeJsonAtomic(path.join(dir, `${stem}.json`), {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      mode,
      only,
      runs,
      commit: gitState(),
      machine,
      rows,
      groups: reports,
    });
    log(`\nwrote ${path.relative(process.cwd(), path.join(dir, `${stem}.md`))} and .json`);
  }
  // A group that could not run is a failure of the benchmark; a missed target is a finding.
  return reports.some((r) => r.error) ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
