/**
 * The outbox (`data/notifications/outbox.json`, replaced atomically) and the delivery log
 * (`data/notifications/deliveries.jsonl`, durable appends). The outbox is what makes delivery
 * survive a restart: pending entries are retried by the next process, delivered ones are
 * remembered for `keepDays` so a replayed event is never sent twice.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { appendLinesDurable, writeJsonAtomic } from '../../src/store/files.ts';
import { OutboxSchema, type DeliveryError, type DeliveryLogLine, type Outbox, type OutboxEntry } from './types.ts';

export function notificationPaths(dataDir: string) {
  const dir = path.join(dataDir, 'notifications');
  return { dir, outbox: path.join(dir, 'outbox.json'), log: path.join(dir, 'deliveries.jsonl') };
}

export function emptyOutbox(): Outbox {
  return { version: 1, events: {}, entries: [] };
}

export interface LoadedOutbox {
  outbox: Outbox;
  /** Set when the file was unreadable and was moved aside (to `movedTo`) instead of being trusted. */
  reset: (DeliveryError & { movedTo: string }) | null;
}

/**
 * Reads the outbox. A missing file is an empty outbox. A file that does not parse or validate is
 * renamed to `outbox.invalid-<time>.json` (kept for the operator, never deleted) and an empty
 * outbox is returned with the reason, so notifications keep flowing.
 */
export async function loadOutbox(file: string, now: Date): Promise<LoadedOutbox> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { outbox: emptyOutbox(), reset: null };
    throw err;
  }
  let reason: string;
  try {
    const parsed = OutboxSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { outbox: parsed.data, reset: null };
    reason = z.prettifyError(parsed.error);
  } catch (err) {
    reason = (err as Error).message;
  }
  const movedTo = path.join(path.dirname(file), `outbox.invalid-${now.toISOString().replace(/[:.]/g, '-')}.json`);
  await fs.rename(file, movedTo);
  return {
    outbox: emptyOutbox(),
    reset: { code: 'NOTIFY_OUTBOX_INVALID', message: `${file}: ${reason}`.slice(0, 1000), movedTo },
  };
}

export async function saveOutbox(file: string, outbox: Outbox): Promise<void> {
  await writeJsonAtomic(file, outbox);
}

export async function appendDeliveryLog(file: string, lines: readonly DeliveryLogLine[]): Promise<void> {
  await appendLinesDurable(file, lines.map((l) => JSON.stringify(l)));
}

/** Reads the delivery log, skipping a torn last line (a crash mid-append). */
export async function readDeliveryLog(file: string): Promise<DeliveryLogLine[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const out: DeliveryLogLine[] = [];
  lines.forEach((line, i) => {
    try {
      out.push(JSON.parse(line) as DeliveryLogLine);
    } catch (err) {
      if (i !== lines.length - 1 || text.endsWith('\n')) throw err;
    }
  });
  return out;
}

/**
 * Housekeeping, in place: pending entries of targets no longer configured are given up
 * (NOTIFY_TARGET_REMOVED); finished entries older than `keepDays` and events no entry refers to
 * are dropped. Returns the entries it gave up, for the log.
 */
export function pruneOutbox(outbox: Outbox, now: Date, keepDays: number, knownTargetIds: ReadonlySet<string>): OutboxEntry[] {
  const iso = now.toISOString();
  const gaveUp: OutboxEntry[] = [];
  for (const entry of outbox.entries) {
    if (entry.state === 'pending' && !knownTargetIds.has(entry.targetId)) {
      entry.state = 'failed';
      entry.doneAt = iso;
      entry.lastError = { code: 'NOTIFY_TARGET_REMOVED', message: `target "${entry.targetId}" is no longer configured` };
      gaveUp.push(entry);
    }
  }
  const cutoff = now.getTime() - keepDays * 86_400_000;
  outbox.entries = outbox.entries.filter((e) => e.state === 'pending' || Date.parse(e.doneAt ?? e.queuedAt) >= cutoff);
  const referenced = new Set(outbox.entries.map((e) => e.eventId));
  for (const id of Object.keys(outbox.events)) if (!referenced.has(id)) delete outbox.events[id];
  return gaveUp;
}
