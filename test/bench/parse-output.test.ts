import { describe, expect, test } from 'vitest';
import { BenchParseError, parsePipelineOutput, parseStaticServingOutput } from '../../bench/lib/parse-output.ts';

const PIPELINE = [
  'generating 500 incidents of history…',
  '  change 1 (Microsoft posts an incident): served after 31.4 s (of which build + swap 9.8 s)',
  '  change 2 (Microsoft posts "Service restored"): served after 18.2 s (of which build + swap ? s)',
  '  waiting for 2 scheduled cycles without change (every 30 s)…',
  '  unchanged cycle 1: 412 ms (16 of 16 sources read, no build)',
  '  unchanged cycle 2: 1530 ms (15 of 16 sources read, built: inputs changed)',
  '',
  'pipeline (500 incidents of history, 16 sources, schedule every 30 s, every source due each cycle):',
  '  source change → updated page served: min 18.2, median 24.8, max 31.4 s over 2 changes (target ≤ 60 s)',
].join('\n');

describe('parsePipelineOutput', () => {
  test('one sample per change and per unchanged cycle', () => {
    expect(parsePipelineOutput(PIPELINE)).toEqual({
      changeToServedS: [31.4, 18.2],
      buildS: [9.8],
      unchangedCycles: [
        { ms: 412, read: 16, sources: 16, built: false },
        { ms: 1530, read: 15, sources: 16, built: true },
      ],
    });
  });

  test('no change and no cycle line is an error', () => {
    expect(() => parsePipelineOutput('starting the service…\nError: server exited')).toThrow(BenchParseError);
  });
});

const STATIC = [
  'static serving, requests/s: wrk -t2 -c64 -d6s on 2 cores (server and wrk share them)',
  '  files: /en/ 31.2 KiB, /api/status.json 5.0 KiB, /badges/en/teams.svg 1.1 KiB; last column with Accept-Encoding: br, gzip',
  `  ${'server'.padEnd(22)}${['/en/', '/api/status.json', '/badges/en/teams.svg'].map((u) => u.padStart(22)).join('')}${'/en/ (br)'.padStart(14)}`,
  `  ${'ours (npm start)'.padEnd(22)}${['9000', '11000', '12000'].map((c) => c.padStart(22)).join('')}${'9500'.padStart(14)}`,
  `  ${'node:http + readFile'.padEnd(22)}${['6000', '6500', '7000 (12 non-2xx)'].map((c) => c.padStart(22)).join('')}${'5900'.padStart(14)}`,
  `  ${'nginx'.padEnd(22)}${['30000', '32000', '33000'].map((c) => c.padStart(22)).join('')}${'31000'.padStart(14)}`,
].join('\n');

describe('parseStaticServingOutput', () => {
  test('URL columns and one row per server, non-2xx counted apart from the rates', () => {
    const t = parseStaticServingOutput(STATIC);
    expect(t.urls).toEqual(['/en/', '/api/status.json', '/badges/en/teams.svg', '/en/ (br)']);
    expect(t.rows).toEqual([
      { server: 'ours (npm start)', rps: [9000, 11000, 12000, 9500], non2xx: 0 },
      { server: 'node:http + readFile', rps: [6000, 6500, 7000, 5900], non2xx: 12 },
      { server: 'nginx', rps: [30000, 32000, 33000, 31000], non2xx: 0 },
    ]);
  });

  test('output without the table is an error', () => {
    expect(() => parseStaticServingOutput('wrk is not installed (apt-get install -y wrk): static serving not measured')).toThrow(BenchParseError);
  });
});
