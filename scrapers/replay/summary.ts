/**
 * Figures across replayed tapes (median and worst lead time, totals, targets) and the plain-text
 * table `npm run replay` prints. Pure.
 */
import type { TapeResult } from './engine.ts';

export interface LeadFigures {
  count: number;
  medianMinutes: number | null;
  /** The smallest lead (most negative = Microsoft furthest ahead). */
  worstMinutes: number | null;
  bestMinutes: number | null;
  values: { tape: string; incident: string; minutes: number }[];
}

/** Lead of one real-world incident of a tape: Microsoft's first word vs the first record we showed for it. */
export interface IncidentLead {
  tape: string;
  microsoftFirstAt: string;
  firstShownAt: string;
  minutes: number;
  /** Press or crowd evidence of it came before Microsoft's first word. */
  earlyEvidence: boolean;
  records: string[];
}

/** Groups a tape's records by the official incident they carry evidence of (one lead per real incident). */
export function incidentLeads(r: TapeResult): IncidentLead[] {
  const groups = new Map<string, TapeResult['incidents']>();
  for (const i of r.incidents) {
    if (i.classification === 'advisory' || !i.microsoftFirstAt || !i.firstShownAt) continue;
    groups.set(i.microsoftFirstAt, [...(groups.get(i.microsoftFirstAt) ?? []), i]);
  }
  return [...groups].map(([ms, list]) => {
    const shown = list.map((i) => i.firstShownAt!).sort()[0]!;
    return {
      tape: r.tape.id,
      microsoftFirstAt: ms,
      firstShownAt: shown,
      minutes: Math.round((Date.parse(ms) - Date.parse(shown)) / 60_000),
      earlyEvidence: list.some((i) => i.earlyEvidence),
      records: list.map((i) => i.id),
    };
  });
}

export interface TargetCheck {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

export interface ReplaySummary {
  tapes: number;
  outageTapes: number;
  quietTapes: number;
  quietDays: number;
  incidents: number;
  duplicates: number;
  transientDuplicates: number;
  falseAlarms: number;
  falseAlarmsOnQuietTapes: number;
  falseAlarmsPer30QuietDays: number | null;
  misses: number;
  expectations: { total: number; failed: number };
  greenWhileBlind: number;
  /**
   * Our page's lead per real-world incident (Microsoft's first word − the first record we showed
   * for it) over the incidents whose press or crowd evidence came first: the target figure.
   */
  leadTime: LeadFigures;
  /** Same, over every incident Microsoft acknowledged. */
  leadTimeAllAcknowledged: LeadFigures;
  /** Per record instead of per real-world incident (duplicates count separately). */
  leadTimePerRecord: LeadFigures;
  /** The shared computeDetectionLeadTime (what the incident page prints) over the same incidents as `leadTime`. */
  evidenceLeadTime: LeadFigures;
  /** The shared computeDetectionLeadTime's page lead (acknowledgedAt − createdAt) over the same records. */
  pageLeadTime: LeadFigures;
  /** Longest replay of a quiet tape of 30 days or more, in ms (wall clock), and its CPU time. */
  slowestQuietMonthMs: number | null;
  slowestQuietMonthCpuMs: number | null;
  targets: TargetCheck[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function figures(values: { tape: string; incident: string; minutes: number }[]): LeadFigures {
  const m = values.map((v) => v.minutes);
  return {
    count: m.length,
    medianMinutes: median(m),
    worstMinutes: m.length ? Math.min(...m) : null,
    bestMinutes: m.length ? Math.max(...m) : null,
    values,
  };
}

export function summarize(results: readonly TapeResult[]): ReplaySummary {
  const quiet = results.filter((r) => r.tape.kind === 'quiet');
  const quietDays = quiet.reduce((a, r) => a + r.tape.days, 0);
  const falseAlarmsOnQuiet = quiet.reduce((a, r) => a + r.falseAlarms.length, 0);
  const leads = results.flatMap(incidentLeads);
  const early = leads.filter((l) => l.earlyEvidence);
  const lead = figures(early.map((l) => ({ tape: l.tape, incident: l.records.join('+'), minutes: l.minutes })));
  const all = figures(leads.map((l) => ({ tape: l.tape, incident: l.records.join('+'), minutes: l.minutes })));
  const records = results.flatMap((r) => r.incidents.filter((i) => i.leadMinutes !== null && i.classification !== 'advisory' && i.earlyEvidence).map((i) => ({ r, i })));
  const perRecord = figures(records.map(({ r, i }) => ({ tape: r.tape.id, incident: i.id, minutes: i.leadMinutes! })));
  const evidence = figures(records.filter(({ i }) => i.evidenceLeadMinutes !== null).map(({ r, i }) => ({ tape: r.tape.id, incident: i.id, minutes: i.evidenceLeadMinutes! })));
  const page = figures(records.map(({ r, i }) => ({ tape: r.tape.id, incident: i.id, minutes: i.pageLeadMinutes ?? 0 })));
  const months = quiet.filter((r) => r.tape.days >= 30);
  const slowest = months.length ? Math.max(...months.map((r) => r.durationMs)) : null;
  const slowestCpu = months.length ? Math.max(...months.map((r) => r.cpuMs ?? 0)) : null;
  const duplicates = results.reduce((a, r) => a + r.duplicates.length, 0);
  const misses = results.reduce((a, r) => a + r.misses.length, 0);
  const perMonth = quietDays > 0 ? Math.round((falseAlarmsOnQuiet / quietDays) * 30 * 100) / 100 : null;
  const targets: TargetCheck[] = [
    { name: 'median lead time (evidence before Microsoft)', target: '≥ 15 min', value: lead.medianMinutes === null ? 'n/a' : `${lead.medianMinutes} min over ${lead.count}`, met: lead.medianMinutes !== null && lead.medianMinutes >= 15 },
    { name: 'false alarms per 30 quiet days', target: '≤ 1', value: perMonth === null ? 'n/a' : String(perMonth), met: perMonth !== null && perMonth <= 1 },
    { name: 'duplicates', target: '0', value: String(duplicates), met: duplicates === 0 },
    { name: 'missed official incidents', target: '0', value: String(misses), met: misses === 0 },
    { name: '30-day quiet tape replay', target: '≤ 60 s', value: slowest === null ? 'n/a' : `${(slowest / 1000).toFixed(1)} s (CPU ${((slowestCpu ?? 0) / 1000).toFixed(1)} s)`, met: slowest !== null && slowest <= 60_000 },
  ];
  return {
    tapes: results.length,
    outageTapes: results.length - quiet.length,
    quietTapes: quiet.length,
    quietDays,
    incidents: results.reduce((a, r) => a + r.incidents.length, 0),
    duplicates,
    transientDuplicates: results.reduce((a, r) => a + r.transientDuplicates.length, 0),
    falseAlarms: results.reduce((a, r) => a + r.falseAlarms.length, 0),
    falseAlarmsOnQuietTapes: falseAlarmsOnQuiet,
    falseAlarmsPer30QuietDays: perMonth,
    misses,
    expectations: {
      total: results.reduce((a, r) => a + r.expectations.length, 0),
      failed: results.reduce((a, r) => a + r.expectations.filter((e) => !e.ok).length, 0),
    },
    greenWhileBlind: results.reduce((a, r) => a + r.greenWhileBlind.length, 0),
    leadTime: lead,
    leadTimeAllAcknowledged: all,
    leadTimePerRecord: perRecord,
    evidenceLeadTime: evidence,
    pageLeadTime: page,
    slowestQuietMonthMs: slowest,
    slowestQuietMonthCpuMs: slowestCpu,
    targets,
  };
}

const hhmm = (iso: string | null) => (iso ? iso.slice(11, 16) : '–');
const mins = (n: number | null) => (n === null ? '–' : `${n > 0 ? '+' : ''}${n}`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

/** The table printed by `npm run replay`. */
export function formatReplay(results: readonly TapeResult[], summary: ReplaySummary): string {
  const out: string[] = [];
  const rows: string[][] = [['tape', 'kind', 'inc', 'suspected', 'MS first', 'lead', 'merged', 'dup', 'FA', 'miss', 'expect', 'cycles', 'time', 'cpu']];
  for (const r of results) {
    const main = [...r.incidents].filter((i) => i.verdict !== 'advisory').sort((a, b) => (a.firstShownAt ?? '').localeCompare(b.firstShownAt ?? ''))[0];
    const failed = r.expectations.filter((e) => !e.ok).length;
    rows.push([
      r.tape.id,
      r.tape.kind,
      String(r.incidents.length),
      hhmm(main?.firstSuspectedAt ?? null),
      hhmm(r.microsoftFirstAt),
      mins(main?.leadMinutes ?? null),
      hhmm(main?.mergedAt ?? null),
      String(r.duplicates.length),
      r.tape.kind === 'quiet' ? `${r.falseAlarms.length} (${r.falseAlarmsPer30Days}/30d)` : String(r.falseAlarms.length),
      String(r.misses.length),
      `${r.expectations.length - failed}/${r.expectations.length}`,
      `${r.cycles.run}/${r.cycles.ticks}`,
      `${(r.durationMs / 1000).toFixed(1)}s`,
      `${((r.cpuMs ?? 0) / 1000).toFixed(1)}s`,
    ]);
  }
  out.push(table(rows));
  out.push('');
  for (const r of results) {
    const lines: string[] = [];
    for (const i of r.incidents) {
      lines.push(
        `  ${i.verdict.padEnd(11)} ${i.id} [${i.services.join(',')}] ${i.finalStatus}/${i.confidence}${i.officialRefs.length ? ` ${i.officialRefs.join(',')}` : ''}` +
          ` shown ${hhmm(i.firstShownAt)}${i.firstSuspectedAt ? ' (suspected)' : ''}, MS ${hhmm(i.microsoftFirstAt)}, lead ${mins(i.leadMinutes)} min (page ${mins(i.pageLeadMinutes)}, evidence ${mins(i.evidenceLeadMinutes)}), merged ${hhmm(i.mergedAt)};` +
          ` evidence ${i.evidence.official} official / ${i.evidence.press} press / ${i.evidence.crowd} crowd`,
      );
    }
    for (const d of r.duplicates) lines.push(`  DUPLICATE   ${d.a} + ${d.b}: ${d.reason}`);
    for (const m of r.misses) lines.push(`  MISSED      ${m.channel} "${m.title}" from ${hhmm(m.firstAt)}: ${m.reason}`);
    for (const m of r.unshownChannels) lines.push(`  (unshown)   ${m.channel} "${m.title}": ${m.reason}`);
    for (const e of r.expectations.filter((x) => !x.ok)) lines.push(`  EXPECT FAIL ${e.label} @ ${e.failure!.at.slice(0, 16)}: ${e.failure!.reason}`);
    for (const g of r.greenWhileBlind.slice(0, 3)) lines.push(`  GREEN WHILE BLIND ${g.service} @ ${g.at.slice(0, 16)} (${g.sources.join(', ')})`);
    if (lines.length) out.push(`${r.tape.id}\n${lines.join('\n')}`);
  }
  out.push('');
  const l = summary.leadTime;
  out.push(
    `lead time (Microsoft's first word − our page's first record, per incident whose press/crowd evidence came first): median ${mins(l.medianMinutes)} min, worst ${mins(l.worstMinutes)} min, best ${mins(l.bestMinutes)} min over ${l.count}`,
  );
  const a = summary.leadTimeAllAcknowledged;
  out.push(`lead time over every acknowledged incident: median ${mins(a.medianMinutes)} min, worst ${mins(a.worstMinutes)} min over ${a.count}`);
  const p = summary.leadTimePerRecord;
  out.push(`lead time per record (duplicates separately): median ${mins(p.medianMinutes)} min, worst ${mins(p.worstMinutes)} min over ${p.count}`);
  const g = summary.pageLeadTime;
  out.push(`page lead (shared computeDetectionLeadTime, the incident page's "shown here N min before Microsoft"; 0 when not shown first): median ${mins(g.medianMinutes)} min, worst ${mins(g.worstMinutes)} min over ${g.count}`);
  const e = summary.evidenceLeadTime;
  out.push(`evidence lead (shared computeDetectionLeadTime, as the incident page says it): median ${mins(e.medianMinutes)} min, worst ${mins(e.worstMinutes)} min over ${e.count}`);
  out.push(
    `totals: ${summary.tapes} tapes (${summary.outageTapes} outage/advisory/blind, ${summary.quietTapes} quiet = ${summary.quietDays} days), ${summary.incidents} incidents, ` +
      `${summary.duplicates} duplicates (${summary.transientDuplicates} transient), ${summary.falseAlarms} false alarms (${summary.falseAlarmsOnQuietTapes} on quiet tapes), ` +
      `${summary.misses} missed, expectations ${summary.expectations.total - summary.expectations.failed}/${summary.expectations.total}, green-while-blind ${summary.greenWhileBlind}`,
  );
  out.push('');
  out.push(table([['target', 'goal', 'measured', ''], ...summary.targets.map((t) => [t.name, t.target, t.value, t.met ? 'met' : 'MISSED'])]));
  return `${out.join('\n')}\n`;
}
