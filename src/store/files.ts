/**
 * Crash-safe file primitives: atomic replace (write temp → fsync → rename → fsync dir), durable
 * appends, and a cross-process lock with stale-owner takeover.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

/** Writes `content` to `file` so that readers see either the old or the new file, never a mix. */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** True when `file` exists; false only for ENOENT (other errors, e.g. EACCES, are thrown). */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** JSON with two-space indent and a final newline: stable and diff-friendly. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, stableJson(value));
}

/**
 * Appends whole lines durably. If a crash left the file without a final newline, the torn
 * fragment is terminated first so the new lines stay parseable.
 */
export async function appendLinesDurable(file: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const handle = await fs.open(file, constants.O_CREAT | constants.O_RDWR | constants.O_APPEND);
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await handle.write(`${prefix}${lines.join('\n')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes temp files that writers killed mid-write left behind (their pid is gone), below `dir`.
 * A live process's temp file is kept: its rename may still come. Returns how many were removed.
 */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const e of entries) {
    const m = e.isFile() ? TEMP_NAME.exec(e.name) : null;
    if (!m || isAlive(Number(m[1]))) continue;
    await fs.rm(path.join(e.parentPath, e.name), { force: true });
    removed++;
  }
  return removed;
}

export class LockedError extends Error {
  readonly code = 'LOCKED';
  readonly holderPid: number | null;
  constructor(file: string, holderPid: number | null) {
    super(`another cycle holds ${file}${holderPid ? ` (pid ${holderPid})` : ''}`);
    this.name = 'LockedError';
    this.holderPid = holderPid;
  }
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` while holding an exclusive lock file. A lock whose owner process is gone (killed
 * mid-cycle) is taken over; a live owner makes this throw LockedError at once.
 */
export async function withLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  await fs.mkdir(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
      const pid = Number.parseInt(await fs.readFile(lockFile, 'utf8').catch(() => ''), 10);
      if (Number.isFinite(pid) && pid > 0 && isAlive(pid)) throw new LockedError(lockFile, pid);
      // Owner died (or wrote nothing before dying): remove the stale lock and retry.
      await fs.rm(lockFile, { force: true });
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockFile, { force: true });
  }
}
