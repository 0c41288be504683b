/**
 * The offline demo's choices, pure: which stretch of the tape is played, how fast, the virtual
 * clock, the generated config, and the narration of tape events.
 */
import type { LoadedConfig } from '../../src/config/load.ts';
import type { ConfigInput, SourceConfig } from '../../src/config/schema.ts';
import type { Tape, TapeEvent } from '../../src/tapes/schema.ts';

const MINUTE = 60_000;

export interface DemoWindow {
  /** Virtual start: 30 minutes before the first evidence. */
  start: number;
  /** Virtual end: an hour after the last official, press or community event (within the tape). */
  end: number;
}

/** The part of the tape worth watching. */
export function demoWindow(tape: Tape): DemoWindow {
  const tapeStart = Date.parse(tape.header.start);
  const tapeEnd = Date.parse(tape.header.end);
  const evidence = tape.events.filter((e) => e.type !== 'expect').map((e) => Date.parse(e.at));
  const told = tape.events.filter((e) => e.type === 'official' || e.type === 'press' || e.type === 'community').map((e) => Date.parse(e.at));
  if (evidence.length === 0) return { start: tapeStart, end: tapeEnd };
  const start = Math.max(tapeStart, Math.min(...evidence) - 30 * MINUTE);
  const end = Math.min(tapeEnd, Math.max(...(told.length ? told : evidence)) + 60 * MINUTE);
  return { start, end: Math.max(end, start + MINUTE) };
}

/** Speed that plays the window in about `minutes` real minutes (at least 1). */
export function speedFor(window: DemoWindow, minutes: number): number {
  return Math.max(1, Math.round((window.end - window.start) / (minutes * MINUTE)));
}

/**
 * A clock that runs `speed` times faster from `window.start` (at wall time `wallStart`) until
 * `window.end`, then at real speed, so the site never races ahead once the day is told.
 */
export function createVirtualClock(window: DemoWindow, speed: number, wallStart: number, wallNow: () => number = Date.now): () => Date {
  const fastWallMs = (window.end - window.start) / speed;
  return () => {
    const elapsed = Math.max(0, wallNow() - wallStart);
    if (elapsed <= fastWallMs) return new Date(window.start + elapsed * speed);
    return new Date(window.end + (elapsed - fastWallMs));
  };
}

export interface DemoConfigInput {
  base: LoadedConfig;
  sources: SourceConfig[];
  dataDir: string;
  siteUrl: string;
  /** Real-time cron (seconds field first). */
  schedule: string;
}

/**
 * The config the demo writes for the service: the operator's thresholds and rules, the sources moved
 * to the fixture servers, short HTTP deadlines (everything is local), no webhooks, no self-check
 * look-ups (they would leave the machine), and the stale warning off: the pages show the recorded
 * day while the browser's clock says today.
 */
export function demoConfig(input: DemoConfigInput): ConfigInput {
  const { base } = input;
  return {
    site: { ...base.site, url: input.siteUrl, title: `${base.site.title} (offline demo)`, staleAfterMinutes: 10 * 365 * 24 * 60, staticHosting: false },
    dataDir: input.dataDir,
    http: { ...base.http, deadlineMs: 3_000, connectTimeoutMs: 1_000, headersTimeoutMs: 3_000, bodyTimeoutMs: 3_000, retries: 0 },
    sources: input.sources,
    correlation: base.correlation,
    crowd: base.crowd,
    reports: { ...base.reports, enabled: true },
    selfCheck: { ...base.selfCheck, enabled: false },
    schedule: input.schedule,
    notifications: { ...base.notifications, targets: [] },
  };
}

/** One line about a tape event, for the terminal. */
export function describeEvent(e: TapeEvent): string | null {
  switch (e.type) {
    case 'official': {
      const a = e.answer;
      const where = e.source.replace('status-cloud-microsoft-', 'status.cloud.microsoft ').replace('azure-status-rss', 'Azure status RSS').replace('graph-service-health', 'Graph service health');
      if (a.kind === 'post') return `official  ${where}: ${a.status}${a.title ? ` - ${a.title}` : ''}`;
      if (a.kind === 'consumer') return `official  ${where}: ${Object.keys(a.workloads).length ? Object.entries(a.workloads).map(([w, r]) => `${w} ${r.status}`).join(', ') : 'all operational'}`;
      if (a.kind === 'azure-items') return `official  ${where}: ${a.items.length ? a.items.map((i) => i.title.trim()).join('; ') : 'no items (healthy)'}`;
      if (a.kind === 'graph-issue') return `official  ${where}: ${a.id} ${a.status} - ${a.title}`;
      return `official  ${where} answers: ${a.kind}`;
    }
    case 'press':
      return `press     ${e.outlet}: ${e.title}`;
    case 'community':
      return `community ${e.author}: ${e.text.slice(0, 90)}`;
    case 'crowd':
    case 'crowd-counts':
    case 'crowd-curve':
      return `crowd     visitors start reporting problems with ${e.service}`;
    case 'expect':
      return null;
  }
}
