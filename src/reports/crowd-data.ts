/**
 * `data/crowd.json`: what the crowd provider saw in the last cycle, for the static pages (the
 * build cannot query the report store). Written atomically by `scrapers/crowd/provider.ts`;
 * read and validated by the site. No personal data: counts, baselines and shares only.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { IsoDateSchema, ServiceIdSchema } from '../domain/schemas.ts';
import type { ServiceId } from '../domain/services.ts';
import { PROBLEM_TYPES } from '../domain/vocabulary.ts';
import { writeJsonAtomic } from '../store/files.ts';

export const CROWD_FILE_NAME = 'crowd.json';

const CountSchema = z.number().int().nonnegative();

export const CrowdSpikeSchema = z.object({
  startedAt: IsoDateSchema,
  /** Null while the spike goes on. */
  endedAt: IsoDateSchema.nullable(),
  peakAt: IsoDateSchema,
  peakCount: CountSchema,
  baselineAtPeak: z.number().nonnegative(),
  total: CountSchema,
});
export type CrowdSpike = z.output<typeof CrowdSpikeSchema>;

export const CrowdServiceSchema = z
  .object({
    id: ServiceIdSchema,
    /** A spike is going on now. */
    elevated: z.boolean(),
    /** Reports in the 60 minutes before `generatedAt`, and what is usual for that hour. */
    lastHour: CountSchema,
    baselineLastHour: z.number().nonnegative(),
    /** Reports per problem type and bounce code over the chart's window. */
    problemTypes: z.partialRecord(z.enum(PROBLEM_TYPES), CountSchema),
    codes: z.record(z.string().max(40), CountSchema),
    /** Chart series: `counts[i]` and `baselines[i]` cover `[from + i·bucket, …)`; null = no data. */
    from: IsoDateSchema,
    counts: z.array(CountSchema.nullable()).max(2000),
    baselines: z.array(z.number().nonnegative()).max(2000),
    /** The latest spike within the chart's window, ongoing or ended. */
    spike: CrowdSpikeSchema.nullable(),
  })
  .refine((s) => s.counts.length === s.baselines.length, 'counts and baselines must have the same length');
export type CrowdService = z.output<typeof CrowdServiceSchema>;

export const CrowdDataSchema = z.object({
  generatedAt: IsoDateSchema,
  /** False on static hosting or with reports switched off: the site shows no crowd section. */
  enabled: z.boolean(),
  bucketMinutes: z.number().int().positive(),
  windowHours: z.number().int().positive(),
  services: z.array(CrowdServiceSchema),
});
export type CrowdData = z.output<typeof CrowdDataSchema>;

export function crowdFile(dataDir: string): string {
  return path.join(dataDir, CROWD_FILE_NAME);
}

export async function writeCrowdData(dataDir: string, data: CrowdData): Promise<void> {
  await writeJsonAtomic(crowdFile(dataDir), CrowdDataSchema.parse(data));
}

export class CrowdDataError extends Error {
  readonly code = 'DATA_INVALID';
  readonly file: string;
  constructor(message: string, file: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CrowdDataError';
    this.file = file;
  }
}

/** The last cycle's crowd data, or null before the first cycle wrote it. Throws on a bad file. */
export async function readCrowdData(dataDir: string): Promise<CrowdData | null> {
  const file = crowdFile(dataDir);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new CrowdDataError(`${file}: ${(cause as Error).message}`, file, { cause });
  }
  const parsed = CrowdDataSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CrowdDataError(`${file}: ${detail}`, file, { cause: parsed.error });
  }
  return parsed.data;
}

/** The entry of one service, if the file has it. */
export function crowdServiceOf(data: CrowdData | null, id: ServiceId): CrowdService | null {
  return data?.services.find((s) => s.id === id) ?? null;
}
