/**
 * Browser figures of a served site, in Debian's Chromium:
 *  - Lighthouse (the npm CLI, default mobile profile with simulated throttling) scores for
 *    performance, accessibility, best practices and SEO, and the bytes Chromium transferred
 *    (`total-byte-weight`: every request, as encoded on the wire);
 *  - required JavaScript: the page read with JavaScript off and on (playwright-core); when the
 *    headline, every service's status, the incident links and the postable forms are the same, no
 *    script is required (0 bytes), otherwise every script the page loads counts as required.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const LIGHTHOUSE_CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type LighthouseCategory = (typeof LIGHTHOUSE_CATEGORIES)[number];

export class BrowserBenchError extends Error {
  readonly code = 'BENCH_BROWSER_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'BrowserBenchError';
  }
}

export interface LighthouseResult {
  url: string;
  /** 0–100 per category. */
  scores: Record<LighthouseCategory, number>;
  transferredBytes: number;
  requests: number;
  runtimeError: string | null;
}

interface LighthouseJson {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { numericValue?: number; details?: { items?: unknown[] } }>;
  runtimeError?: { code: string; message: string };
}

/**
 * One Lighthouse run of `url` (launches its own Chromium). Lighthouse now and then fails to record
 * the trace on a loaded machine (NO_NAVSTART, NO_FCP: "Please run Lighthouse again"); such a run is
 * repeated, up to `attempts` times in all.
 */
export async function runLighthouse(url: string, workDir: string, attempts = 3): Promise<LighthouseResult & { attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await runLighthouseOnce(url, workDir)), attempts: attempt };
    } catch (err) {
      if (attempt >= attempts || !/run Lighthouse again/i.test((err as Error).message)) throw err;
    }
  }
}

async function runLighthouseOnce(url: string, workDir: string): Promise<LighthouseResult> {
  const out = path.join(workDir, `lh-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const args = [
    path.join(ROOT, 'node_modules/lighthouse/cli/index.js'),
    url,
    '--output=json',
    `--output-path=${out}`,
    `--only-categories=${LIGHTHOUSE_CATEGORIES.join(',')}`,
    `--chrome-flags=${CHROMIUM_FLAGS.join(' ')}`,
    '--quiet',
  ];
  const child = spawn(process.execPath, args, { env: { ...process.env, CHROME_PATH: CHROMIUM }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new BrowserBenchError(`lighthouse ${url} exited with ${code}:\n${output.slice(-2000)}`);
  const report = JSON.parse(await fs.readFile(out, 'utf8')) as LighthouseJson;
  await fs.rm(out, { force: true });
  const scores = {} as Record<LighthouseCategory, number>;
  for (const c of LIGHTHOUSE_CATEGORIES) {
    const score = report.categories[c]?.score;
    if (score === null || score === undefined) throw new BrowserBenchError(`lighthouse ${url}: no ${c} score${report.runtimeError ? ` (${report.runtimeError.code}: ${report.runtimeError.message})` : ''}`);
    scores[c] = Math.round(score * 100);
  }
  const weight = report.audits['total-byte-weight'];
  return {
    url,
    scores,
    transferredBytes: weight?.numericValue ?? 0,
    requests: report.audits['network-requests']?.details?.items?.length ?? 0,
    runtimeError: report.runtimeError ? `${report.runtimeError.code}: ${report.runtimeError.message}` : null,
  };
}

/** What a reader gets from a status page, compared with and without JavaScript. */
export interface PageFacts {
  headline: string;
  /** Service id → status label. */
  statuses: Record<string, string>;
  incidentLinks: string[];
  /** Forms a browser can submit by itself (method post, an action). */
  postableForms: number;
}

async function readFacts(page: Page): Promise<PageFacts> {
  return page.evaluate(() => {
    const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const statuses: Record<string, string> = {};
    for (const el of document.querySelectorAll('[data-service-status]')) statuses[el.getAttribute('data-service-status') ?? ''] = text(el);
    return {
      headline: text(document.querySelector('p.answer')),
      statuses,
      incidentLinks: [...document.querySelectorAll('main a[href*="/incidents/"]')].map((a) => a.getAttribute('href') ?? '').sort(),
      postableForms: [...document.querySelectorAll('form')].filter((f) => f.method === 'post' && f.getAttribute('action')).length,
    };
  });
}

export interface RequiredJsResult {
  url: string;
  withoutJs: PageFacts;
  withJs: PageFacts;
  same: boolean;
  /** Bytes of script the page loaded (as transferred) with JavaScript on. */
  scriptBytes: number;
  /** 0 when the page says the same without JavaScript, else every script byte it loads. */
  requiredBytes: number;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** Reads `url` with JavaScript off and on and compares what it says. */
export async function measureRequiredJs(browser: Browser, url: string): Promise<RequiredJsResult> {
  const off = await browser.newContext({ javaScriptEnabled: false });
  const on = await browser.newContext();
  try {
    const pageOff = await off.newPage();
    await pageOff.goto(url, { waitUntil: 'load' });
    const withoutJs = await readFacts(pageOff);
    const pageOn = await on.newPage();
    let scriptBytes = 0;
    const sizes: Promise<void>[] = [];
    pageOn.on('response', (res) => {
      if (res.request().resourceType() !== 'script') return;
      sizes.push(
        res.request().sizes().then(
          (s) => {
            scriptBytes += s.responseBodySize + s.responseHeadersSize;
          },
          // A response the browser dropped (navigation away) has no sizes; it was not needed either.
          () => undefined,
        ),
      );
    });
    await pageOn.goto(url, { waitUntil: 'networkidle' });
    await Promise.all(sizes);
    const withJs = await readFacts(pageOn);
    const same = JSON.stringify(withoutJs) === JSON.stringify(withJs);
    const meaningful = withoutJs.headline !== '' && Object.keys(withoutJs.statuses).length > 0;
    return { url, withoutJs, withJs, same, scriptBytes, requiredBytes: same && meaningful ? 0 : scriptBytes };
  } finally {
    await off.close();
    await on.close();
  }
}
