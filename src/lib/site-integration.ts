/**
 * The Astro integration of the site. In a build, the incident and history routes render one
 * shell per language (see page-shells.ts); a worker thread started with the build waits for the
 * shells and writes every incident and history page on the second core while Astro prerenders the
 * rest, and `astro:build:done` waits for it. The build's "now" is pinned at the start (OUTAGE_RADAR_NOW), so the prerender and
 * the worker agree on it.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AstroIntegration } from 'astro';
import type { ShellWorkerInput, ShellWorkerMessage } from './shell-pages-worker.ts';

export class ShellPagesError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ShellPagesError';
    this.code = code;
  }
}

function startShellWorker(input: ShellWorkerInput): Promise<Extract<ShellWorkerMessage, { ok: true }>> {
  const worker = new Worker(fileURLToPath(new URL('./shell-pages-worker.ts', import.meta.url)), { workerData: input });
  // A failed build must not hang on a worker still waiting for shells that will never come.
  worker.unref();
  return new Promise((resolve, reject) => {
    worker.once('message', (message: ShellWorkerMessage) => {
      void worker.terminate();
      if (message.ok) resolve(message);
      else reject(new ShellPagesError(message.code, message.message));
    });
    worker.once('error', (err) => reject(new ShellPagesError('SITE_INCIDENT_PAGES_FAILED', err.message)));
  });
}

const PINNED = Symbol.for('outage-radar.pinned-now');

/**
 * Fixes OUTAGE_RADAR_NOW for this build unless the caller set it. A value we pinned for an earlier
 * build in the same process is replaced, so a long-lived process never reuses an old "now".
 */
function pinBuildTime(): void {
  const g = globalThis as unknown as Record<symbol, string | undefined>;
  const current = process.env.OUTAGE_RADAR_NOW;
  if (current && current !== g[PINNED]) return;
  g[PINNED] = new Date().toISOString();
  process.env.OUTAGE_RADAR_NOW = g[PINNED];
}

export function outageRadarSite(): AstroIntegration {
  let candidates: string[] = [];
  let job: ReturnType<typeof startShellWorker> | null = null;
  return {
    name: 'outage-radar-site',
    hooks: {
      // Incident routes render one shell per language in a build (filled by the worker), every incident in dev.
      'astro:config:setup': ({ command, updateConfig }) => {
        if (command === 'build') pinBuildTime();
        updateConfig({ vite: { define: { 'import.meta.env.OUTAGE_RADAR_SHELL_BUILD': JSON.stringify(command === 'build') } } });
      },
      'astro:config:done': ({ config }) => {
        candidates = [fileURLToPath(config.build.client), fileURLToPath(config.outDir)];
      },
      'astro:build:start': () => {
        job = startShellWorker({ candidates });
        // Handled in build:done; keep an early failure from being reported as unhandled meanwhile.
        job.catch(() => undefined);
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (!job) throw new ShellPagesError('SITE_INCIDENT_PAGES_FAILED', 'the incident page worker was not started');
        const result = await job;
        if (result.clientDir !== fileURLToPath(dir)) {
          throw new ShellPagesError('SITE_INCIDENT_PAGES_FAILED', `incident pages went to ${result.clientDir}, the build to ${fileURLToPath(dir)}`);
        }
        logger.info(
          `${result.incidentPages} incident pages, ${result.aliases} redirects and ${result.historyPages} history pages in ${Math.round(result.ms)} ms beside the prerender (data loaded in ${Math.round(result.loadMs)} ms)`,
        );
      },
    },
  };
}
