/**
 * How `npm start` reports a cycle. Off a terminal (supervisors, journald, CI): exactly one JSON
 * line per cycle with every source's outcome and timing, the counts, the build and the
 * notifications. On a terminal: a readable block, one line per source, then a summary.
 */
import type { CycleRecord } from '../../scrapers/schedule/cycle-record.ts';
import type { Logger } from '../lib/log.ts';

/** True when logs go to a terminal in the readable format (see src/lib/log.ts). */
export function isPrettyLog(env: NodeJS.ProcessEnv = process.env, stderr: { isTTY?: boolean } = process.stderr): boolean {
  const f = env.OUTAGE_RADAR_LOG_FORMAT;
  if (f === 'json') return false;
  if (f === 'pretty') return true;
  return stderr.isTTY === true;
}

function ms(n: number | null): string {
  if (n === null) return '';
  return n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`;
}

/** The readable block for a terminal. */
export function formatCycleText(r: CycleRecord): string {
  const width = Math.max(0, ...r.sources.map((s) => s.id.length));
  const lines = r.sources.map((s) => {
    const what =
      s.outcome === 'ok'
        ? `ok, ${s.items} item${s.items === 1 ? '' : 's'}, ${s.newSignals} new`
        : s.outcome === 'not_modified'
          ? 'not modified'
          : s.outcome === 'failed'
            ? `failed: ${s.detail}`
            : s.outcome === 'disabled'
              ? `disabled: ${s.detail}`
              : `skipped (${s.detail})`;
    return `  ${s.id.padEnd(width)}  ${what}${s.ms !== null ? ` (${ms(s.ms)})` : ''}`;
  });
  const head =
    r.outcome === 'ok'
      ? `cycle ${r.at}: ${r.counts?.signalsNew ?? 0} new signals, ${r.counts?.incidents ?? 0} incidents (${r.counts?.incidentsOpened ?? 0} opened, ${r.counts?.incidentsChanged ?? 0} changed), indicator ${r.indicator}, ${r.changed ? 'changed' : 'no change'}`
      : `cycle ${r.at}: ${r.outcome} ${r.error?.code}: ${r.error?.message}`;
  const build = r.build
    ? r.build.ok
      ? `build ${r.build.id} (${r.build.reason}) in ${ms(r.build.ms)}, now serving it`
      : `build failed (${r.build.reason}): ${r.build.error?.code} ${r.build.error?.message}; the previous site stays online`
    : 'no build needed';
  return [head, ...lines, `  ${build}; cycle took ${ms(r.durationMs)}`].join('\n');
}

/** The fields of the one JSON line. */
export function cycleLogFields(r: CycleRecord): Record<string, unknown> {
  const sources: Record<string, unknown> = {};
  for (const s of r.sources) {
    sources[s.id] = { outcome: s.outcome, ms: s.ms, items: s.items, new: s.newSignals, ...(s.detail ? { detail: s.detail } : {}) };
  }
  return {
    at: r.at,
    reason: r.reason,
    outcome: r.outcome,
    ...(r.error ? { error: r.error } : {}),
    durationMs: r.durationMs,
    scrapeMs: r.scrapeMs,
    changed: r.changed,
    indicator: r.indicator,
    counts: r.counts,
    sources,
    notifications: r.notifications,
    build: r.build,
  };
}

export function logCycle(log: Logger, r: CycleRecord, pretty: boolean, write: (text: string) => void = (t) => process.stderr.write(`${t}\n`)): void {
  const aborted = r.build?.error?.code === 'BUILD_ABORTED';
  const level = r.outcome === 'failed' || (r.build && !r.build.ok && !aborted) ? 'error' : r.outcome === 'locked' || aborted ? 'warn' : 'info';
  if (pretty) {
    if (level !== 'info') log[level]('cycle problem', { outcome: r.outcome, error: r.error?.code ?? r.build?.error?.code });
    write(formatCycleText(r));
    return;
  }
  log[level]('cycle', cycleLogFields(r));
}
