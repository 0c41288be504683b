/**
 * Per-host "not before" times (from Retry-After), kept in memory and persisted to a JSON file so
 * the next run, in another process, honours them. Writes are atomic and serialized.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeJsonAtomic } from '../../src/store/files.ts';

export const HostEntrySchema = z.object({
  notBefore: z.iso.datetime({ offset: false }),
  /** HTTP status that set it (429, 503). */
  status: z.number().int(),
  setAt: z.iso.datetime({ offset: false }),
});
export type HostEntry = z.output<typeof HostEntrySchema>;

export const HostsFileSchema = z.object({
  version: z.literal(1),
  hosts: z.record(z.string(), HostEntrySchema),
});
export type HostsFile = z.output<typeof HostsFileSchema>;

export interface NotBeforeStoreOptions {
  /** JSON file; null keeps the times in memory only. */
  file: string | null;
  clock: () => Date;
  /** Told when the file exists but cannot be used (it is then rewritten on the next change). */
  onCorruptFile?: (file: string, cause: unknown) => void;
}

export class NotBeforeStore {
  readonly #file: string | null;
  readonly #clock: () => Date;
  readonly #onCorrupt: (file: string, cause: unknown) => void;
  #hosts = new Map<string, HostEntry>();
  #loading: Promise<void> | null = null;
  #dirty = false;
  #writing: Promise<void> = Promise.resolve();

  constructor(options: NotBeforeStoreOptions) {
    this.#file = options.file;
    this.#clock = options.clock;
    this.#onCorrupt = options.onCorruptFile ?? (() => undefined);
  }

  /** Reads the file once; a missing file is an empty store. */
  load(): Promise<void> {
    this.#loading ??= this.#read();
    return this.#loading;
  }

  async #read(): Promise<void> {
    if (!this.#file) return;
    let raw: string;
    try {
      raw = await readFile(this.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    let parsed: HostsFile;
    try {
      parsed = HostsFileSchema.parse(JSON.parse(raw));
    } catch (cause) {
      // A politeness cache must not stop every fetch; the caller logs it and the next write repairs it.
      this.#onCorrupt(this.#file, cause);
      this.#dirty = true;
      return;
    }
    const now = this.#clock().getTime();
    for (const [host, entry] of Object.entries(parsed.hosts)) {
      if (Date.parse(entry.notBefore) <= now) {
        this.#dirty = true;
        continue;
      }
      const known = this.#hosts.get(host);
      if (!known || Date.parse(known.notBefore) < Date.parse(entry.notBefore)) this.#hosts.set(host, entry);
    }
  }

  /** The time before which `host` must not be asked, or null when it may be asked now. */
  get(host: string): Date | null {
    const entry = this.#hosts.get(host);
    if (!entry) return null;
    const t = new Date(entry.notBefore);
    return t.getTime() > this.#clock().getTime() ? t : null;
  }

  /** Records a not-before time (a later one wins) and persists it. */
  async set(host: string, notBefore: Date, status: number): Promise<void> {
    const known = this.#hosts.get(host);
    if (known && Date.parse(known.notBefore) >= notBefore.getTime()) return;
    this.#hosts.set(host, { notBefore: notBefore.toISOString(), status, setAt: this.#clock().toISOString() });
    this.#dirty = true;
    await this.flush();
  }

  /** Writes the file when something changed; expired entries are dropped. */
  flush(): Promise<void> {
    const next = this.#writing.then(() => this.#write());
    // A failed write must not poison later ones; it is still reported to this caller.
    this.#writing = next.catch(() => undefined);
    return next;
  }

  async #write(): Promise<void> {
    if (!this.#file || !this.#dirty) return;
    const now = this.#clock().getTime();
    const hosts: Record<string, HostEntry> = {};
    for (const [host, entry] of [...this.#hosts].sort(([a], [b]) => a.localeCompare(b))) {
      if (Date.parse(entry.notBefore) > now) hosts[host] = entry;
    }
    this.#dirty = false;
    try {
      await writeJsonAtomic(this.#file, { version: 1, hosts } satisfies HostsFile);
    } catch (err) {
      this.#dirty = true;
      throw err;
    }
  }
}
