/**
 * Reads and validates tapes. Two spellings of one format:
 * - `*.tape.jsonl`: the header object on the first line, one event per following line;
 * - `*.tape.json`: one object, the header fields plus `events`.
 * Every error is a TapeError (code TAPE_INVALID) naming the file, the line and the field.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { formatPath, indexJsonLines, lineOf, type JsonPath } from './json-lines.ts';
import { TAPE_VERSION, TapeEventSchema, TapeHeaderSchema, type Tape, type TapeEvent, type TapeHeader } from './schema.ts';

export const TAPE_SUFFIXES = ['.tape.json', '.tape.jsonl'] as const;

export interface TapeProblem {
  line: number | null;
  field: string;
  message: string;
}

export class TapeError extends Error {
  readonly code = 'TAPE_INVALID';
  readonly file: string;
  readonly problems: TapeProblem[];
  constructor(file: string, problems: TapeProblem[], options?: { cause?: unknown }) {
    const shown = problems.slice(0, 8).map((p) => `${file}${p.line === null ? '' : `:${p.line}`}: ${p.field}: ${p.message}`);
    if (problems.length > 8) shown.push(`… and ${problems.length - 8} more`);
    super(shown.join('\n'), options);
    this.name = 'TapeError';
    this.file = file;
    this.problems = problems;
  }
  /** Line of the first problem (null when the file as a whole is wrong). */
  get line(): number | null {
    return this.problems[0]?.line ?? null;
  }
  get field(): string | null {
    return this.problems[0]?.field ?? null;
  }
}

function issuesToProblems(error: z.ZodError, prefix: JsonPath, lineFor: (p: JsonPath) => number | null): TapeProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [...prefix, ...(issue.path as (string | number)[])];
    // An unknown key (a typo such as "sumary") is named as the field itself.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k]) : [base];
    const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
    return paths.map((full) => ({ line: lineFor(full), field: formatPath(full), message }));
  });
}

function checkVersion(raw: unknown, file: string, line: number | null): void {
  const v = (raw as { tapeVersion?: unknown } | null)?.tapeVersion;
  if (typeof v === 'number' && v !== TAPE_VERSION) {
    throw new TapeError(file, [
      { line, field: 'tapeVersion', message: `unsupported tapeVersion ${v} (this build reads ${TAPE_VERSION})` },
    ]);
  }
}

function parseJsonLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const message = (cause as Error).message.replace(/ in JSON at position \d+ \(line 1 column (\d+)\)/, ' at column $1');
    throw new TapeError(file, [{ line, field: '(line)', message: `not JSON: ${message}` }], { cause });
  }
}

function checkTimes(header: TapeHeader, events: { event: TapeEvent; line: number | null; field: string }[], file: string): void {
  const problems: TapeProblem[] = [];
  for (const { event, line, field } of events) {
    if (event.at < header.start || event.at > header.end) {
      problems.push({ line, field: `${field}at`, message: `${event.at} is outside the tape (${header.start} to ${header.end})` });
    }
    if (event.type === 'expect' && event.until && event.until > header.end) {
      problems.push({ line, field: `${field}until`, message: `${event.until} is after the tape's end ${header.end}` });
    }
  }
  if (problems.length) throw new TapeError(file, problems);
}

function sortEvents(events: TapeEvent[]): TapeEvent[] {
  // A stable sort keeps same-time events in file order.
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i)
    .map((x) => x.e);
}

function parseJsonl(text: string, file: string): { header: TapeHeader; events: TapeEvent[] } {
  const lines = text.split('\n');
  let header: TapeHeader | null = null;
  const events: { event: TapeEvent; line: number; field: string }[] = [];
  const problems: TapeProblem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const src = lines[i]!.trim();
    if (!src) continue;
    const lineNo = i + 1;
    let raw: unknown;
    try {
      raw = parseJsonLine(src, file, lineNo);
    } catch (err) {
      // Keep going so one pass reports every bad line.
      if (header === null) throw err;
      problems.push(...(err as TapeError).problems);
      continue;
    }
    if (header === null) {
      if (typeof raw !== 'object' || raw === null || !('tapeVersion' in raw)) {
        throw new TapeError(file, [
          { line: lineNo, field: 'tapeVersion', message: 'the first line must be the tape header (with "tapeVersion")' },
        ]);
      }
      checkVersion(raw, file, lineNo);
      const parsed = TapeHeaderSchema.safeParse(raw);
      if (!parsed.success)
        throw new TapeError(
          file,
          issuesToProblems(parsed.error, [], () => lineNo),
          { cause: parsed.error },
        );
      header = parsed.data;
      continue;
    }
    if (typeof raw === 'object' && raw !== null && 'tapeVersion' in raw) {
      problems.push({ line: lineNo, field: 'tapeVersion', message: 'a second header; only line 1 may carry tapeVersion' });
      continue;
    }
    const parsed = TapeEventSchema.safeParse(raw);
    if (!parsed.success) problems.push(...issuesToProblems(parsed.error, [], () => lineNo));
    else events.push({ event: parsed.data, line: lineNo, field: '' });
  }
  if (header === null) throw new TapeError(file, [{ line: null, field: '(file)', message: 'empty tape: no header line' }]);
  if (problems.length) throw new TapeError(file, problems);
  checkTimes(header, events, file);
  return { header, events: events.map((e) => e.event) };
}

function parseJsonObject(text: string, file: string): { header: TapeHeader; events: TapeEvent[] } {
  const raw = parseJsonLine(text, file, 1);
  let index: Map<string, number> | null = null;
  const lineFor = (p: JsonPath): number | null => lineOf((index ??= indexJsonLines(text)), p);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TapeError(file, [{ line: 1, field: '(root)', message: 'a tape is a JSON object' }]);
  }
  checkVersion(raw, file, lineFor(['tapeVersion']));
  const { events: rawEvents, ...rawHeader } = raw as { events?: unknown };
  const problems: TapeProblem[] = [];
  const header = TapeHeaderSchema.safeParse(rawHeader);
  if (!header.success) problems.push(...issuesToProblems(header.error, [], lineFor));
  if (!Array.isArray(rawEvents)) {
    problems.push({ line: lineFor([]), field: 'events', message: 'expected an array of events' });
    throw new TapeError(file, problems);
  }
  const events: { event: TapeEvent; line: number | null; field: string }[] = [];
  rawEvents.forEach((e, i) => {
    const parsed = TapeEventSchema.safeParse(e);
    if (!parsed.success) problems.push(...issuesToProblems(parsed.error, ['events', i], lineFor));
    else events.push({ event: parsed.data, line: lineFor(['events', i]), field: `events[${i}].` });
  });
  if (problems.length || !header.success) throw new TapeError(file, problems);
  checkTimes(header.data, events, file);
  return { header: header.data, events: events.map((e) => e.event) };
}

/** Parses tape text; `name` decides the spelling (`.jsonl` → JSON lines) and labels errors. */
export function parseTape(text: string, name: string, file: string | null = null): Tape {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { header, events } = name.endsWith('.jsonl') ? parseJsonl(body, name) : parseJsonObject(body, name);
  return { header, events: sortEvents(events), file };
}

/** Reads, validates and checks that every file a tape names (raw bodies) exists beside it. */
export async function loadTape(file: string): Promise<Tape> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(abs, 'utf8');
  } catch (cause) {
    throw new TapeError(file, [{ line: null, field: '(file)', message: `cannot read: ${(cause as Error).message}` }], { cause });
  }
  const tape = parseTape(text, file, abs);
  const missing: TapeProblem[] = [];
  for (const e of tape.events) {
    if (e.type === 'official' && e.answer.kind === 'raw' && e.answer.file) {
      const body = resolveTapeFile(tape, e.answer.file);
      try {
        await fs.access(body);
      } catch {
        missing.push({
          line: null,
          field: 'answer.file',
          message: `${e.answer.file} (event at ${e.at}) does not exist beside the tape`,
        });
      }
    }
  }
  if (missing.length) throw new TapeError(file, missing);
  return tape;
}

/** Absolute path of a file named by a tape (relative to the tape's folder). */
export function resolveTapeFile(tape: Tape, name: string): string {
  return path.resolve(tape.file ? path.dirname(tape.file) : process.cwd(), name);
}

/** Expands files and folders (recursively) into tape files, sorted; throws on a path that is neither. */
export async function findTapeFiles(paths: string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const p of paths) {
    let stat;
    try {
      stat = await fs.stat(p);
    } catch (cause) {
      throw new TapeError(p, [{ line: null, field: '(path)', message: 'no such file or folder' }], { cause });
    }
    if (stat.isDirectory()) {
      const entries = await fs.readdir(p, { recursive: true, withFileTypes: true });
      for (const e of entries) {
        if (e.isFile() && TAPE_SUFFIXES.some((s) => e.name.endsWith(s))) out.add(path.join(e.parentPath, e.name));
      }
    } else {
      out.add(p);
    }
  }
  return [...out].sort();
}
