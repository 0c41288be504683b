import { describe, expect, test } from 'vitest';
import type { Incident } from '../../../src/domain/schemas.ts';
import { computeDetectionLeadTime } from '../../../src/lib/lead-time.ts';

type In = Pick<Incident, 'acknowledgedAt' | 'evidence' | 'updates' | 'crowd'>;
const ev = (kind: 'official' | 'press' | 'crowd', observedAt: string) => ({
  signalId: `${kind}-${observedAt}`,
  source: { id: kind, kind },
  observedAt,
  title: 't',
  url: null,
  outlet: null,
  ref: null,
});

describe('computeDetectionLeadTime', () => {
  test.each<[string, In, { lead: number | null; kind: 'press' | 'crowd' | null }]>([
    [
      'press 35 minutes before Microsoft',
      { acknowledgedAt: '2026-11-20T11:00:00Z', evidence: [ev('press', '2026-11-20T10:25:00Z'), ev('official', '2026-11-20T11:00:00Z')], updates: [], crowd: null },
      { lead: 35, kind: 'press' },
    ],
    [
      'a crowd spike start counts as the first signal',
      {
        acknowledgedAt: '2026-11-20T11:00:00Z',
        evidence: [ev('press', '2026-11-20T10:40:00Z')],
        updates: [],
        crowd: { spikeStartedAt: '2026-11-20T10:10:00Z', peakAt: '2026-11-20T10:30:00Z', peakCount: 9, baselineAtPeak: 1, total: 40 },
      },
      { lead: 50, kind: 'crowd' },
    ],
    [
      'Microsoft first gives a negative lead',
      { acknowledgedAt: '2026-11-20T10:00:00Z', evidence: [ev('press', '2026-11-20T10:30:00Z')], updates: [], crowd: null },
      { lead: -30, kind: 'press' },
    ],
    [
      'an official evidence item earlier than acknowledgedAt wins',
      { acknowledgedAt: '2026-11-20T11:00:00Z', evidence: [ev('official', '2026-11-20T10:50:00Z'), ev('crowd', '2026-11-20T10:40:00Z')], updates: [], crowd: null },
      { lead: 10, kind: 'crowd' },
    ],
    ['no official word: null', { acknowledgedAt: null, evidence: [ev('press', '2026-11-20T10:30:00Z')], updates: [], crowd: null }, { lead: null, kind: 'press' }],
    ['no unofficial signal: null', { acknowledgedAt: '2026-11-20T10:00:00Z', evidence: [ev('official', '2026-11-20T10:00:00Z')], updates: [], crowd: null }, { lead: null, kind: null }],
  ])('%s', (_name, input, expected) => {
    const result = computeDetectionLeadTime(input);
    expect(result.leadMinutes).toBe(expected.lead);
    expect(result.firstUnofficialKind).toBe(expected.kind);
  });
});

describe('the page lead: shown here before Microsoft', () => {
  const base = { acknowledgedAt: '2026-11-20T11:00:00Z', evidence: [ev('crowd', '2026-11-20T10:10:00Z'), ev('official', '2026-11-20T11:00:00Z')], updates: [], crowd: null };
  test.each<[string, string | undefined, number | null]>([
    ['a suspected record shown 35 minutes before Microsoft', '2026-11-20T10:25:00Z', 35],
    ['a record created after Microsoft spoke claims nothing', '2026-11-20T11:02:00Z', null],
    ['no createdAt: nothing', undefined, null],
    ['a record stamped before its first evidence counts from that evidence', '2026-11-20T09:00:00Z', 50],
  ])('%s', (_name, createdAt, expected) => {
    const result = computeDetectionLeadTime({ ...base, ...(createdAt ? { createdAt } : {}) });
    expect(result.shownLeadMinutes).toBe(expected);
    // The evidence lead is unchanged by when the page showed it.
    expect(result.leadMinutes).toBe(50);
  });
});
