/**
 * `npm run bench:selfcheck`: the /check route on the built node server, with local look-ups
 * (fake DNS and fake Microsoft on 127.0.0.1, as in the tests).
 *
 * Prints: requests/s and latency percentiles with warm caches; then the outgoing look-ups made
 * during a burst of 1,000 concurrent checks of one not-yet-cached domain (target: one per kind of
 * look-up per cache period, i.e. 5 DNS questions + 2 directory requests).
 *
 * `--json`: the same lines go to stderr and one JSON object with the figures to stdout (for
 * `npm run bench`).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { writeWorldConfig } from '../test/selfcheck/_config.ts';
import { buildSite, startBuiltServer } from '../test/selfcheck/_site.ts';
import { makeDataDir, operationalSnapshot } from '../test/selfcheck/_status.ts';
import { startWorld } from '../test/selfcheck/_world.ts';

const WARM_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const BURST = 1000;
const JSON_OUT = process.argv.includes('--json');
const say = (line: string) => (JSON_OUT ? console.error(line) : console.log(line));

interface Measured {
  requests: number;
  failures: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const world = await startWorld();
  const dataDir = await makeDataDir(operationalSnapshot(new Date()));
  const dir = await mkdtemp(path.join(tmpdir(), 'selfcheck-bench-'));
  // The per-client limit would stop a single load generator after a few requests; it is measured by the tests.
  const config = await writeWorldConfig(dir, dataDir, world, { rateLimitPerMinute: 1_000_000_000, rateLimitPerDay: 1_000_000_000, maxConcurrentLookups: 16 });
  const env = { ...process.env, OUTAGE_RADAR_CONFIG: config, OUTAGE_RADAR_DATA_DIR: dataDir, OUTAGE_RADAR_STATIC: '' };
  const buildStarted = performance.now();
  const build = await buildSite(env);
  say(`build: ${Math.round(performance.now() - buildStarted)} ms`);
  const site = await startBuiltServer(build.outDir, env);
  const figures: { buildMs: number; warm?: Measured; emptyForm?: Measured; burst?: { checks: number; ms: number; answered200: number; lookups: number; dns: number; http: number; byKind: Record<string, number> } } = {
    buildMs: Math.round(performance.now() - buildStarted),
  };
  const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 10_000 });
  const get = async (p: string) => {
    const res = await request(`${site.baseUrl}${p}`, { dispatcher: agent });
    await res.body.arrayBuffer();
    return res.statusCode;
  };
  try {
    const warmPath = '/en/check/?q=healthy-managed.de&code=5.1.10';
    for (let i = 0; i < 50; i++) await get(warmPath);

    const measure = async (label: string, target: string, total: number): Promise<Measured> => {
      const latencies: number[] = [];
      let next = 0;
      let failures = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < total) {
            next++;
            const t0 = performance.now();
            const status = await get(target);
            latencies.push(performance.now() - t0);
            if (status !== 200) failures++;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      say(`${label}: ${total} requests, concurrency ${CONCURRENCY}, ${failures} non-200`);
      say(`  requests/s: ${Math.round(total / seconds)}`);
      say(
        `  latency ms: p50 ${percentile(latencies, 50).toFixed(1)}, p90 ${percentile(latencies, 90).toFixed(1)}, p99 ${percentile(latencies, 99).toFixed(1)}, max ${latencies.at(-1)!.toFixed(1)}`,
      );
      return {
        requests: total,
        failures,
        requestsPerSecond: total / seconds,
        p50Ms: percentile(latencies, 50),
        p90Ms: percentile(latencies, 90),
        p99Ms: percentile(latencies, 99),
        maxMs: latencies.at(-1)!,
      };
    };
    figures.warm = await measure('warm /check (healthy-managed.de + 5.1.10, cached facts)', warmPath, WARM_REQUESTS);
    // For comparison: the same on-demand page with the empty form only (Astro + layout, no check).
    figures.emptyForm = await measure('empty /check form (no check)', '/en/check/', Math.round(WARM_REQUESTS / 3));

    const domain = 'federated-corp.com';
    const dnsBefore = world.dns.log.length;
    const httpBefore = world.microsoft.log.length;
    const burstStarted = performance.now();
    const statuses = await Promise.all(Array.from({ length: BURST }, () => get(`/en/check/?q=${domain}&code=AADSTS50057`)));
    const burstMs = performance.now() - burstStarted;
    const dns = world.dns.log.slice(dnsBefore).filter((l) => l.endsWith(domain));
    const http = world.microsoft.log.slice(httpBefore).filter((l) => l.includes(domain));
    const byKind = new Map<string, number>();
    for (const l of dns) byKind.set(`dns ${l.split(' ')[0]} ${l.split(' ')[1]!.replace(domain, '…')}`, (byKind.get(`dns ${l.split(' ')[0]} ${l.split(' ')[1]!.replace(domain, '…')}`) ?? 0) + 1);
    for (const l of http) {
      const kind = l.includes('getuserrealm') ? 'http getuserrealm.srf' : l.includes('userrealm') ? 'http common/userrealm' : 'http openid-configuration';
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    say(`burst: ${BURST} concurrent checks of ${domain} (cold cache) in ${Math.round(burstMs)} ms, ${statuses.filter((s) => s === 200).length} answered 200`);
    say(`  outgoing look-ups: ${dns.length + http.length} (DNS ${dns.length}, HTTP ${http.length}; target 7 = one per kind)`);
    for (const [kind, n] of [...byKind].sort()) say(`    ${kind}: ${n}`);
    figures.burst = {
      checks: BURST,
      ms: Math.round(burstMs),
      answered200: statuses.filter((s) => s === 200).length,
      lookups: dns.length + http.length,
      dns: dns.length,
      http: http.length,
      byKind: Object.fromEntries([...byKind].sort()),
    };
    if (JSON_OUT) process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await agent.close();
    await site.close();
    await build.remove();
    await world.close();
  }
}

await main();
