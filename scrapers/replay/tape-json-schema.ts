/**
 * The tape JSON Schema, generated from the zod schemas in src/tapes/schema.ts so the two never
 * disagree. `npm run replay -- --write-schema` writes it to schemas/tape.schema.json; a test checks
 * the committed file is current.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { writeJsonAtomic } from '../../src/store/files.ts';
import { TapeEventSchema, TapeHeaderSchema, TapeSchema } from '../../src/tapes/schema.ts';

export const TAPE_SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas/tape.schema.json');

/** JSON Schema (draft 2020-12) of a `.tape.json` file; `$defs.event` validates one `.tape.jsonl` event line. */
export function buildTapeJsonSchema(): Record<string, unknown> {
  const opts = { io: 'input', unrepresentable: 'any' } as const;
  const header = z.toJSONSchema(TapeHeaderSchema, opts) as Record<string, unknown> & {
    properties: Record<string, unknown>;
    required: string[];
  };
  const event = z.toJSONSchema(TapeEventSchema, opts) as Record<string, unknown>;
  delete event.$schema;
  const meta = TapeSchema.meta() ?? {};
  return {
    $schema: header.$schema,
    $id: 'https://github.com/outage-radar/outage-radar/schemas/tape.schema.json',
    title: meta.title,
    description: meta.description,
    type: 'object',
    properties: { ...header.properties, events: { type: 'array', items: { $ref: '#/$defs/event' } } },
    required: [...header.required, 'events'],
    $defs: { event },
  };
}

export async function writeTapeJsonSchema(file = TAPE_SCHEMA_FILE): Promise<string> {
  await writeJsonAtomic(file, buildTapeJsonSchema());
  return file;
}
