/**
 * Reads and writes the records in `data/` (layout in README § Data layout). Every read is
 * validated against the domain schemas and a failure names the file (and line).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  IncidentSchema,
  SignalSchema,
  SourceHealthSchema,
  StatusSnapshotSchema,
  type Incident,
  type Signal,
  type SourceHealth,
  type StatusSnapshot,
} from '../domain/schemas.ts';
import { appendLinesDurable, writeJsonAtomic } from './files.ts';

export class DataError extends Error {
  readonly code = 'DATA_INVALID';
  readonly file: string;
  constructor(message: string, file: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataError';
    this.file = file;
  }
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

async function readJsonFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (cause) {
    throw new DataError(`${file}: ${(cause as Error).message}`, file, { cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new DataError(`${file}: ${describe(parsed.error)}`, file, { cause: parsed.error });
  return parsed.data;
}

async function listFiles(dir: string, suffix: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && e.name.endsWith(suffix) && !e.name.startsWith('.'))
      .map((e) => path.join(e.parentPath, e.name))
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export const dataPaths = (dataDir: string) => ({
  signalsDir: path.join(dataDir, 'signals'),
  incidentsDir: path.join(dataDir, 'incidents'),
  sourcesDir: path.join(dataDir, 'sources'),
  status: path.join(dataDir, 'status.json'),
  lock: path.join(dataDir, '.cycle.lock'),
  reportsDb: path.join(dataDir, 'reports.db'),
});

/** Path of an incident's file: `incidents/YYYY/<id>.json`, the year of its start. */
export function incidentFile(dataDir: string, incident: Pick<Incident, 'id' | 'startedAt'>): string {
  return path.join(dataPaths(dataDir).incidentsDir, incident.startedAt.slice(0, 4), `${incident.id}.json`);
}

export async function readIncidents(dataDir: string): Promise<Incident[]> {
  const files = await listFiles(dataPaths(dataDir).incidentsDir, '.json');
  return Promise.all(files.map((f) => readJsonFile(f, IncidentSchema)));
}

/** Validates and writes one incident atomically. */
export async function writeIncident(dataDir: string, incident: Incident): Promise<void> {
  const valid = IncidentSchema.parse(incident);
  await writeJsonAtomic(incidentFile(dataDir, valid), valid);
}

/**
 * Reads signals from the day files, oldest first. A torn last line (a crash mid-append) is
 * skipped; any other bad line throws naming file and line.
 */
export async function readSignals(dataDir: string, options: { sinceDay?: string } = {}): Promise<Signal[]> {
  const files = await listFiles(dataPaths(dataDir).signalsDir, '.jsonl');
  const out: Signal[] = [];
  for (const file of files) {
    const day = path.basename(file, '.jsonl');
    if (options.sinceDay && day < options.sinceDay) continue;
    const text = await fs.readFile(file, 'utf8');
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (!line) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (cause) {
        const isTornTail = i >= lines.length - 2 && !text.endsWith('\n');
        const isTornMiddle = lines[i + 1] !== undefined && !line.endsWith('}');
        if (isTornTail || isTornMiddle) continue;
        throw new DataError(`${file}:${i + 1}: ${(cause as Error).message}`, file, { cause });
      }
      const parsed = SignalSchema.safeParse(raw);
      if (!parsed.success) throw new DataError(`${file}:${i + 1}: ${describe(parsed.error)}`, file, { cause: parsed.error });
      out.push(parsed.data);
    }
  }
  return out.sort((a, b) => a.observedAt.localeCompare(b.observedAt) || a.id.localeCompare(b.id));
}

/** Appends signals not stored yet (by id) to the day file of their fetch time. Returns the new ones. */
export async function appendSignals(dataDir: string, signals: Signal[], knownIds: Set<string>): Promise<Signal[]> {
  const fresh: Signal[] = [];
  const byDay = new Map<string, string[]>();
  for (const s of signals) {
    if (knownIds.has(s.id)) continue;
    const valid = SignalSchema.parse(s);
    knownIds.add(valid.id);
    fresh.push(valid);
    const day = valid.fetchedAt.slice(0, 10);
    const lines = byDay.get(day) ?? [];
    lines.push(JSON.stringify(valid));
    byDay.set(day, lines);
  }
  for (const [day, lines] of byDay) {
    await appendLinesDurable(path.join(dataPaths(dataDir).signalsDir, `${day}.jsonl`), lines);
  }
  return fresh;
}

export async function readSourceHealth(dataDir: string): Promise<Map<string, SourceHealth>> {
  const files = await listFiles(dataPaths(dataDir).sourcesDir, '.json');
  const records = await Promise.all(files.map((f) => readJsonFile(f, SourceHealthSchema)));
  return new Map(records.map((r) => [r.id, r]));
}

export async function writeSourceHealth(dataDir: string, health: SourceHealth): Promise<void> {
  const valid = SourceHealthSchema.parse(health);
  await writeJsonAtomic(path.join(dataPaths(dataDir).sourcesDir, `${valid.id}.json`), valid);
}

/** The current snapshot, or null before the first cycle. */
export async function readStatus(dataDir: string): Promise<StatusSnapshot | null> {
  const file = dataPaths(dataDir).status;
  try {
    await fs.access(file);
  } catch {
    return null;
  }
  return readJsonFile(file, StatusSnapshotSchema);
}

export async function writeStatus(dataDir: string, status: StatusSnapshot): Promise<void> {
  await writeJsonAtomic(dataPaths(dataDir).status, StatusSnapshotSchema.parse(status));
}
