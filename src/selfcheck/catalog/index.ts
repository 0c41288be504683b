/**
 * The code catalog, validated once at import: a schema failure or a duplicate code stops the build
 * and the tests with a message naming the entry.
 */
import { z } from 'zod';
import type { Symptom } from '../parse.ts';
import { AADSTS_ENTRIES } from './aadsts.ts';
import { NDR_ENTRIES } from './ndr.ts';
import { CatalogEntrySchema, type CatalogEntry, type CatalogEntryInput } from './schema.ts';

export * from './schema.ts';

export class CatalogError extends Error {
  readonly code = 'CATALOG_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CatalogError';
  }
}

interface Range {
  prefix: string;
  from: number;
  to: number;
  entry: CatalogEntry;
}

/** Validates entries and builds the look-up tables. Exported for tests; the module uses it once. */
export function buildCatalog(inputs: readonly CatalogEntryInput[]) {
  const entries: CatalogEntry[] = [];
  const exact = new Map<string, CatalogEntry>();
  const ranges: Range[] = [];
  const claim = (key: string, entry: CatalogEntry) => {
    const other = exact.get(key);
    if (other) throw new CatalogError(`code ${key} appears in ${other.id} and ${entry.id}`);
    exact.set(key, entry);
  };
  for (const input of inputs) {
    const parsed = CatalogEntrySchema.safeParse(input);
    if (!parsed.success) throw new CatalogError(`catalog entry ${input.id}: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
    const entry = parsed.data;
    entries.push(entry);
    const bare = entry.id.replace(/^aadsts/, '');
    const dash = bare.indexOf('-');
    if (dash === -1) {
      claim(keyOf(entry.kind, bare), entry);
    } else {
      const first = bare.slice(0, dash);
      const lastPart = bare.slice(dash + 1);
      const prefix = entry.kind === 'ndr' ? first.slice(0, first.lastIndexOf('.') + 1) : '';
      const from = Number(entry.kind === 'ndr' ? first.slice(prefix.length) : first);
      const to = Number(lastPart);
      if (!(from < to)) throw new CatalogError(`catalog entry ${entry.id}: empty range`);
      for (const r of ranges) {
        if (r.entry.kind === entry.kind && r.prefix === prefix && from <= r.to && r.from <= to) {
          throw new CatalogError(`ranges ${r.entry.id} and ${entry.id} overlap`);
        }
      }
      ranges.push({ prefix, from, to, entry });
    }
    for (const alias of entry.aliases) claim(keyOf(entry.kind, alias), entry);
  }
  const byId = new Map(entries.map((e) => [e.id, e]));
  if (byId.size !== entries.length) throw new CatalogError('two catalog entries share an id');

  /** The entry for a code found in the visitor's text, or null for a code we do not describe. */
  function findEntry(symptom: Pick<Symptom, 'kind' | 'code'>): CatalogEntry | null {
    const hit = exact.get(keyOf(symptom.kind, symptom.code));
    if (hit) return hit;
    for (const r of ranges) {
      if (r.entry.kind !== symptom.kind) continue;
      if (symptom.kind === 'ndr') {
        if (!symptom.code.startsWith(r.prefix)) continue;
        const detail = Number(symptom.code.slice(r.prefix.length));
        if (detail >= r.from && detail <= r.to) return r.entry;
      } else {
        const n = Number(symptom.code);
        if (n >= r.from && n <= r.to) return r.entry;
      }
    }
    return null;
  }
  return { entries, byId, findEntry };
}

function keyOf(kind: string, code: string): string {
  return `${kind}:${code}`;
}

const catalog = buildCatalog([...NDR_ENTRIES, ...AADSTS_ENTRIES]);

/** Every catalog entry, delivery codes first. */
export const CATALOG: readonly CatalogEntry[] = catalog.entries;
export const findCatalogEntry = catalog.findEntry;
export function getCatalogEntry(id: string): CatalogEntry | null {
  return catalog.byId.get(id) ?? null;
}

/** Microsoft's documented look-up for a sign-in code (they may change; the number stays meaningful). */
export function aadstsLookupUrl(code: string): string {
  return `https://login.microsoftonline.com/error?code=${encodeURIComponent(code)}`;
}

const NDR_LEARN_BASE = 'https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/';
/** Microsoft Learn article for an entry, or the NDR overview. */
export function learnUrl(entry: CatalogEntry): string {
  if (entry.kind === 'aadsts') return 'https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes';
  return entry.learnSlug ? `${NDR_LEARN_BASE}${entry.learnSlug}` : `${NDR_LEARN_BASE}non-delivery-reports-in-exchange-online`;
}

/** Where to read about a code we do not describe: Microsoft's look-up for sign-in codes, else the NDR overview. */
export function codeDocsFallback(label: string): string {
  const aad = /^AADSTS(\d+)$/i.exec(label);
  return aad ? aadstsLookupUrl(aad[1]!) : `${NDR_LEARN_BASE}non-delivery-reports-in-exchange-online`;
}
