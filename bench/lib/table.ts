/**
 * The one benchmark table: figure specs (label, unit, target, how runs are folded), the rows built
 * from the samples of several runs, and the table as plain text, markdown and JSON. Pure.
 */
import { aggregate, type Aggregate } from './stats.ts';

export interface Target {
  op: '<=' | '>=' | '=';
  value: number;
  /** Shown instead of the generated text (e.g. "≤ 25 KB, aim < 10 KB"). */
  text?: string;
}

export interface FigureSpec {
  id: string;
  label: string;
  unit: string;
  target?: Target;
  /** How the runs are folded (default median; counts that must hold in every run use max/min). */
  fold?: Aggregate;
  digits?: number;
  /** Anchors and side-by-side figures for comparison. */
  compare?: string;
}

export interface FigureRow {
  id: string;
  group: string;
  label: string;
  unit: string;
  value: number | null;
  samples: number[];
  fold: Aggregate;
  digits: number;
  target: string | null;
  /** null: no target, or no value. */
  met: boolean | null;
  compare: string | null;
  note: string | null;
}

export function targetText(t: Target, unit: string): string {
  if (t.text) return t.text;
  const sym = t.op === '<=' ? '≤' : t.op === '>=' ? '≥' : '=';
  return `${sym} ${t.value}${unit && unit !== 'count' ? ` ${unit}` : ''}`;
}

export function meets(value: number, t: Target): boolean {
  if (t.op === '<=') return value <= t.value;
  if (t.op === '>=') return value >= t.value;
  return value === t.value;
}

/** Folds the samples of one figure into its row. */
export function buildRow(group: string, spec: FigureSpec, samples: readonly number[], note: string | null = null): FigureRow {
  const fold = spec.fold ?? 'median';
  const value = aggregate(samples, fold);
  return {
    id: spec.id,
    group,
    label: spec.label,
    unit: spec.unit,
    value,
    samples: [...samples],
    fold,
    digits: spec.digits ?? 1,
    target: spec.target ? targetText(spec.target, spec.unit) : null,
    met: spec.target && value !== null ? meets(value, spec.target) : null,
    compare: spec.compare ?? null,
    note,
  };
}

export function formatValue(row: Pick<FigureRow, 'value' | 'digits'>): string {
  if (row.value === null) return 'n/a';
  return row.value.toLocaleString('en-US', { minimumFractionDigits: row.digits, maximumFractionDigits: row.digits });
}

function metText(row: FigureRow): string {
  if (row.met === null) return row.target && row.value === null ? 'not measured' : '–';
  return row.met ? 'met' : 'NOT MET';
}

function runsText(row: FigureRow): string {
  if (row.samples.length <= 1) return row.samples.length ? '1 run' : '';
  return `${row.fold} of ${row.samples.length}`;
}

const COLUMNS = ['figure', 'value', 'unit', 'target', 'met', 'runs', 'comparison / notes'] as const;

function cells(row: FigureRow): string[] {
  const notes = [row.compare, row.note].filter(Boolean).join('; ');
  return [row.label, formatValue(row), row.unit, row.target ?? '–', metText(row), runsText(row), notes];
}

const escapeCell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** GitHub-flavoured markdown: one table, grouped by a bold group row. */
export function toMarkdown(rows: readonly FigureRow[], groupTitles: Record<string, string> = {}): string {
  const out = [`| ${COLUMNS.join(' | ')} |`, '|---|---:|---|---|---|---|---|'];
  let group = '';
  for (const row of rows) {
    if (row.group !== group) {
      group = row.group;
      out.push(`| **${escapeCell(groupTitles[group] ?? group)}** | | | | | | |`);
    }
    out.push(`| ${cells(row).map(escapeCell).join(' | ')} |`);
  }
  return out.join('\n');
}

/** Aligned plain text for the terminal. */
export function toText(rows: readonly FigureRow[], groupTitles: Record<string, string> = {}): string {
  const body: (string[] | string)[] = [];
  let group = '';
  for (const row of rows) {
    if (row.group !== group) {
      group = row.group;
      body.push(`${groupTitles[group] ?? group}`);
    }
    body.push(cells(row));
  }
  const table = [[...COLUMNS], ...body.filter((r): r is string[] => Array.isArray(r))];
  const widths = COLUMNS.map((_, c) => Math.max(...table.map((r) => (c === 0 ? r[c]!.length + 2 : r[c]!.length))));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c === 1 ? cell.padStart(widths[c]!) : c === 0 ? `  ${cell}`.padEnd(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const out = [line(COLUMNS.map((c, i) => (i === 0 ? c.slice(0) : c)) as string[]), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const r of body) out.push(typeof r === 'string' ? r : line(r));
  return out.join('\n');
}
