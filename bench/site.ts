/**
 * Site benchmark (`npm run bench:site`): builds the site from 100, 1,000 and 5,000 generated
 * incidents into temporary directories and prints build time and page counts, then the home
 * page's transferred bytes (HTML + CSS + JS, gzip) and its JavaScript bytes.
 *
 *   node bench/site.ts [--sizes 100,1000,5000] [--json]
 *
 * Targets: 5,000 incidents build in ≤ 15 s; the home page transfers ≤ 25 KB (aim < 10 KB) and
 * needs no JavaScript (the page tests read everything with JavaScript off).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import { buildSite } from './build-site.ts';
import { generateData } from './generate-data.ts';

const NOW = '2026-11-20T12:00:00.000Z';
const TARGET_BUILD_MS = 15_000;
const TARGET_HOME_BYTES = 25 * 1024;

interface SizeResult {
  incidents: number;
  buildMs: number;
  cpuSeconds: number | null;
  htmlPages: number;
  files: number;
  outputMiB: number;
}

interface HomeResult {
  htmlBytes: number;
  htmlGzip: number;
  cssBytes: number;
  cssGzip: number;
  jsBytes: number;
  jsGzip: number;
  totalGzip: number;
}

async function countFiles(dir: string): Promise<{ files: number; html: number; bytes: number }> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  let files = 0;
  let html = 0;
  let bytes = 0;
  for (const e of entries) {
    if (!e.isFile()) continue;
    files++;
    if (e.name.endsWith('.html')) html++;
    bytes += (await fs.stat(path.join(e.parentPath, e.name))).size;
  }
  return { files, html, bytes };
}

/** Bytes a browser transfers for `/en/` (gzip, as any static server or CDN sends them). */
async function measureHome(clientDir: string): Promise<HomeResult> {
  const html = await fs.readFile(path.join(clientDir, 'en', 'index.html'));
  const $ = cheerio.load(html.toString('utf8'));
  const read = (href: string) => fs.readFile(path.join(clientDir, href.replace(/^\//, '')));
  const css = await Promise.all($('link[rel="stylesheet"]').map((_, l) => $(l).attr('href')!).get().map(read));
  // Module scripts and every chunk they import statically (what the browser fetches).
  const jsFiles = new Set<string>($('script[src]').map((_, s) => $(s).attr('src')!).get());
  const js: Buffer[] = [];
  for (const href of jsFiles) {
    const body = await read(href);
    js.push(body);
    for (const m of body.toString('utf8').matchAll(/(?:^|[;\s}])import\s*(?:[\w${},*\s]+from\s*)?["']([^"']+\.js)["']/g)) {
      jsFiles.add(path.posix.join(path.posix.dirname(href), m[1]!));
    }
  }
  const gz = (b: Buffer) => gzipSync(b).length;
  const sum = (list: Buffer[], f: (b: Buffer) => number) => list.reduce((n, b) => n + f(b), 0);
  const result = {
    htmlBytes: html.length,
    htmlGzip: gz(html),
    cssBytes: sum(css, (b) => b.length),
    cssGzip: sum(css, gz),
    jsBytes: sum(js, (b) => b.length),
    jsGzip: sum(js, gz),
  };
  return { ...result, totalGzip: result.htmlGzip + result.cssGzip + result.jsGzip };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100,1000,5000' }, json: { type: 'boolean', default: false } } });
  const sizes = values.sizes.split(',').map(Number);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'outage-radar-bench-site-'));
  const results: SizeResult[] = [];
  let home: HomeResult | null = null;
  const load = os.loadavg()[0]!.toFixed(2);
  process.stderr.write(`bench:site on ${os.availableParallelism()} cores, load average ${load}\n`);
  try {
    for (const n of sizes) {
      const root = path.join(work, String(n));
      await generateData({ dir: path.join(root, 'data'), incidents: n, seed: 1, now: NOW });
      const built = await buildSite({ dataDir: path.join(root, 'data'), outDir: path.join(root, 'dist'), now: NOW });
      const counted = await countFiles(built.clientDir);
      results.push({ incidents: n, buildMs: Math.round(built.ms), cpuSeconds: built.cpuSeconds, htmlPages: counted.html, files: counted.files, outputMiB: counted.bytes / 1024 / 1024 });
      process.stderr.write(`  ${n} incidents: ${(built.ms / 1000).toFixed(1)} s\n`);
      // The home page of the largest build is the heaviest case (most incidents on the bars).
      home = await measureHome(built.clientDir);
      await fs.rm(root, { recursive: true, force: true });
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ loadAverage: Number(load), builds: results, home }, null, 2)}\n`);
    return;
  }
  const lines = ['| incidents | build time | CPU time | HTML pages | files | output |', '|---:|---:|---:|---:|---:|---:|'];
  for (const r of results) {
    const cpu = r.cpuSeconds === null ? 'n/a' : `${r.cpuSeconds.toFixed(1)} s`;
    lines.push(`| ${r.incidents.toLocaleString('en')} | ${(r.buildMs / 1000).toFixed(1)} s | ${cpu} | ${r.htmlPages.toLocaleString('en')} | ${r.files.toLocaleString('en')} | ${r.outputMiB.toFixed(0)} MiB |`);
  }
  if (home) {
    lines.push(
      '',
      `Home page /en/ (data of the last build): HTML ${kb(home.htmlBytes)} (${kb(home.htmlGzip)} gzip), CSS ${kb(home.cssBytes)} (${kb(home.cssGzip)} gzip), JS ${kb(home.jsBytes)} (${kb(home.jsGzip)} gzip)`,
      `Home page transferred (HTML + CSS + JS, gzip): ${kb(home.totalGzip)}; required JS: 0 KB (optional enhancement JS: ${kb(home.jsGzip)} gzip)`,
    );
  }
  const largest = results.find((r) => r.incidents === 5000);
  lines.push(
    '',
    `Targets: 5,000 incidents ≤ 15 s: ${largest ? (largest.buildMs <= TARGET_BUILD_MS ? 'met' : 'MISSED') : 'not run'}; home ≤ 25 KB: ${home ? (home.totalGzip <= TARGET_HOME_BYTES ? 'met' : 'MISSED') : 'not run'}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
