import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { parseProcStat, startRssSampler } from '../../bench/lib/proc-rss.ts';

describe('parseProcStat', () => {
  test('a name with spaces and parentheses does not shift the fields', () => {
    const fields = ['S', '4242', ...Array.from({ length: 19 }, (_, i) => String(i)), '2560', '0'];
    const stat = parseProcStat(`123 (Main (weird) Thread) ${fields.join(' ')}`);
    expect(stat).toEqual({ ppid: 4242, rssBytes: 2560 * 4096 });
  });
  test('garbage is null', () => {
    expect(parseProcStat('nonsense')).toBeNull();
  });
});

describe('startRssSampler', () => {
  test('finds a grandchild by its command line and sees the memory it holds', async () => {
    // sh → node holding 160 MiB for a while: the subtree of the node process is measured.
    const script = '/* rss-marker */ const b = Buffer.alloc(160 * 1024 * 1024, 1); setTimeout(() => console.log(b[0]), 1500)';
    const child = spawn('sh', ['-c', `"${process.execPath}" -e "${script}"; true`], { stdio: 'ignore' });
    const sampler = startRssSampler(child.pid!, 50);
    await new Promise((r) => child.on('exit', r));
    const s = await sampler.stop();
    const node = [...s.processes.values()].find((p) => p.cmdline.includes('rss-marker') && p.pid !== child.pid);
    expect(node, 'the node grandchild').toBeDefined();
    const peak = s.peakOf((p) => p.pid === node!.pid);
    expect(peak).toBeGreaterThan(160 * 1024 * 1024);
    expect(s.peakTotal()).toBeGreaterThanOrEqual(peak);
    expect(s.peakOf(() => false)).toBe(0);
  });
});
