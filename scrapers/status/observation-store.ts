/**
 * Reads and writes `data/observations/<source id>.json` (see observations.ts). A bad file names
 * itself in a DataError, like every other record in data/.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DataError } from '../../src/store/data-store.ts';
import { writeJsonAtomic } from '../../src/store/files.ts';
import { SourceObservationSchema, type SourceObservation } from './observations.ts';

export const observationsDir = (dataDir: string) => path.join(dataDir, 'observations');

export async function readObservations(dataDir: string): Promise<Map<string, SourceObservation>> {
  const dir = observationsDir(dataDir);
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  const out = new Map<string, SourceObservation>();
  for (const name of names) {
    const file = path.join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (cause) {
      throw new DataError(`${file}: ${(cause as Error).message}`, file, { cause });
    }
    const parsed = SourceObservationSchema.safeParse(raw);
    if (!parsed.success) {
      throw new DataError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, file);
    }
    out.set(parsed.data.id, parsed.data);
  }
  return out;
}

export async function writeObservation(dataDir: string, observation: SourceObservation): Promise<void> {
  const valid = SourceObservationSchema.parse(observation);
  await writeJsonAtomic(path.join(observationsDir(dataDir), `${valid.id}.json`), valid);
}
