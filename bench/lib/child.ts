/**
 * Runs one benchmark script (or any command) as a child process and measures it from outside:
 * wall time, CPU time of the whole tree (user + system, from GNU time's rusage of waited-for
 * children, when /usr/bin/time exists) and the RSS of every process in its tree (proc-rss.ts).
 * Stdout is collected (the machine-readable figures); stderr is passed through, prefixed, so a
 * long run shows its progress.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRssSampler, type RssSamples } from './proc-rss.ts';

const TIME_BIN = '/usr/bin/time';

export class BenchChildError extends Error {
  readonly code = 'BENCH_CHILD_FAILED';
  readonly output: string;
  constructor(message: string, output: string) {
    super(message);
    this.name = 'BenchChildError';
    this.output = output;
  }
}

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** User + system seconds of the child and everything it waited for; null without /usr/bin/time. */
  cpuSeconds: number | null;
  rss: RssSamples;
}

export interface RunChildOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Prefix for the child's stderr lines on our stderr (default: no pass-through). */
  echo?: string;
  /** Kill the tree after this long (default 30 minutes). */
  timeoutMs?: number;
  /** Exit codes that still carry figures (a bench that exits 1 when a target is missed). Default [0]. */
  okCodes?: readonly number[];
}

/** Runs `command args…`; rejects with BenchChildError (and the output) on a non-zero exit. */
export async function runChild(command: string, args: readonly string[], options: RunChildOptions = {}): Promise<ChildRun> {
  const timed = existsSync(TIME_BIN);
  const timeFile = path.join(os.tmpdir(), `or-bench-time-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const [bin, ...argv] = timed ? [TIME_BIN, '-f', '%U %S', '-o', timeFile, command, ...args] : [command, ...args];
  const started = performance.now();
  // Its own process group, so a timeout can end the whole tree.
  const child = spawn(bin!, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const sampler = startRssSampler(child.pid!);
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    const text = c.toString();
    stderr += text;
    if (options.echo === undefined) return;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) process.stderr.write(`${options.echo}${line}\n`);
  });
  const timeout = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }, options.timeoutMs ?? 30 * 60_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearTimeout(timeout));
  const wallMs = performance.now() - started;
  const rss = await sampler.stop();
  let cpuSeconds: number | null = null;
  if (timed) {
    const text = await fs.readFile(timeFile, 'utf8').catch(() => '');
    await fs.rm(timeFile, { force: true });
    // GNU time prints "Command exited with non-zero status N" before the format line.
    const [user, system] = text.trim().split('\n').pop()!.split(' ').map(Number);
    if (Number.isFinite(user) && Number.isFinite(system)) cpuSeconds = user! + system!;
  }
  if (code === null || !(options.okCodes ?? [0]).includes(code)) {
    throw new BenchChildError(`${path.basename(command)} ${args.join(' ')} exited with ${code}:\n${(stderr + stdout).slice(-3000)}`, stderr + stdout);
  }
  return { code, stdout, stderr, wallMs, cpuSeconds, rss };
}

/** The last line of `stdout` that parses as a JSON object (scripts may print a line or two before it). */
export function lastJson<T>(stdout: string): T {
  const start = stdout.lastIndexOf('\n{');
  const text = start >= 0 ? stdout.slice(start + 1) : stdout.trimStart().startsWith('{') ? stdout : '';
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new BenchChildError(`no JSON object at the end of the output:\n${stdout.slice(-2000)}`, stdout);
  }
}
