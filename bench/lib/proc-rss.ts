/**
 * Peak memory of a process tree, sampled from /proc (Linux). Node 24 processes are named
 * `MainThread` in /proc, so processes are found by PID (the tree below a root PID) and told apart
 * by their command line, never by name.
 *
 * Every `intervalMs` the sampler lists /proc, links each process to its parent and records the
 * resident set (RSS) of every process below the root. Afterwards `peakOf(match)` gives the largest
 * sum, over the samples, of the RSS of the processes `match` selects together with their
 * descendants: the peak of one child's whole subtree (a build with its esbuild helper, a server).
 */
import { promises as fs } from 'node:fs';

const PAGE_BYTES = 4096;

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** NUL-separated arguments joined with spaces (read once, when first seen). */
  cmdline: string;
  /** Largest RSS of this process alone, in bytes. */
  peakBytes: number;
}

export interface RssSamples {
  /** Every process seen below the root (the root included). */
  processes: ReadonlyMap<number, ProcessInfo>;
  samples: number;
  /** Peak over time of the summed RSS of the matching processes and all their descendants, in bytes. */
  peakOf(match: (p: ProcessInfo) => boolean): number;
  /** Peak of the whole tree below the root (root included), in bytes. */
  peakTotal(): number;
}

export interface RssSampler {
  stop(): Promise<RssSamples>;
}

interface Stat {
  ppid: number;
  rssBytes: number;
}

/** Parses /proc/<pid>/stat: the name sits in parentheses and may itself contain spaces or ")". */
export function parseProcStat(text: string): Stat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // Fields after the name: state(3) ppid(4) … rss(24), i.e. index 0 = state.
  const rest = text.slice(close + 2).split(' ');
  const ppid = Number(rest[1]);
  const rssPages = Number(rest[21]);
  if (!Number.isFinite(ppid) || !Number.isFinite(rssPages)) return null;
  return { ppid, rssBytes: rssPages * PAGE_BYTES };
}

async function readStats(): Promise<Map<number, Stat>> {
  const out = new Map<number, Stat>();
  const names = await fs.readdir('/proc');
  await Promise.all(
    names.map(async (name) => {
      if (!/^\d+$/.test(name)) return;
      // A process may exit between readdir and read: it is simply not part of this sample.
      const text = await fs.readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
      const stat = text === null ? null : parseProcStat(text);
      if (stat) out.set(Number(name), stat);
    }),
  );
  return out;
}

function descendants(root: number, stats: ReadonlyMap<number, Stat>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) {
    const list = children.get(s.ppid);
    if (list) list.push(pid);
    else children.set(s.ppid, [pid]);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    if (!stats.has(pid)) continue;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Starts sampling the tree below `rootPid` (default every 100 ms). */
export function startRssSampler(rootPid: number, intervalMs = 100): RssSampler {
  const processes = new Map<number, ProcessInfo>();
  // One sample: pid → [ppid, rss bytes] of the tree's processes at that moment.
  const samples: Map<number, [number, number]>[] = [];
  let stopped = false;

  const sampleOnce = async () => {
    const stats = await readStats();
    const tree = descendants(rootPid, stats);
    const sample = new Map<number, [number, number]>();
    for (const pid of tree) {
      const s = stats.get(pid)!;
      sample.set(pid, [s.ppid, s.rssBytes]);
      let info = processes.get(pid);
      if (!info) {
        const raw = await fs.readFile(`/proc/${pid}/cmdline`).catch(() => Buffer.alloc(0));
        info = { pid, ppid: s.ppid, cmdline: raw.toString('utf8').replace(/\0+$/, '').replaceAll('\0', ' '), peakBytes: 0 };
        processes.set(pid, info);
      }
      info.peakBytes = Math.max(info.peakBytes, s.rssBytes);
    }
    if (sample.size) samples.push(sample);
  };

  const loop = (async () => {
    while (!stopped) {
      await sampleOnce();
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop;
      const peakOf = (match: (p: ProcessInfo) => boolean): number => {
        let peak = 0;
        for (const sample of samples) {
          let sum = 0;
          for (const [pid, [, rss]] of sample) {
            // Counted when it or one of its ancestors (within this sample) matches.
            for (let p: number | undefined = pid; p !== undefined; p = sample.get(p)?.[0]) {
              const info = processes.get(p);
              if (info && match(info)) {
                sum += rss;
                break;
              }
              if (p === rootPid) break;
            }
          }
          peak = Math.max(peak, sum);
        }
        return peak;
      };
      return { processes, samples: samples.length, peakOf, peakTotal: () => peakOf((p) => p.pid === rootPid) };
    },
  };
}
