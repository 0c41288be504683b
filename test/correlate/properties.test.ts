/**
 * Properties of correlation over random days of signals (fast-check): order does not matter, a
 * second run changes nothing, feeding the day cycle by cycle never loses an incident or a piece
 * of evidence, and every signal is evidence of at most one incident.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { correlateSignals } from '../../scrapers/correlate/correlate.ts';
import { IncidentSchema, type Incident, type Signal } from '../../src/domain/schemas.ts';
import type { ServiceId } from '../../src/domain/services.ts';
import { crowd, official, press, settings, shuffle } from './signals.ts';

const SERVICES: ServiceId[] = ['exchange-online', 'teams', 'outlook-com'];
const OUTLETS = ['heise online', 'Golem.de', 'The Register', 'Neowin'];
const DAY_START = Date.parse('2026-11-25T00:00:00Z');
const iso = (minute: number) => new Date(DAY_START + minute * 60_000).toISOString();

const officialArb = fc.record({
  minute: fc.integer({ min: 0, max: 1380 }),
  incident: fc.integer({ min: 1, max: 4 }),
  step: fc.integer({ min: 0, max: 3 }),
  service: fc.constantFrom(...SERVICES),
  advisory: fc.boolean(),
});
const pressArb = fc.record({
  minute: fc.integer({ min: 0, max: 1380 }),
  outlet: fc.constantFrom(...OUTLETS),
  service: fc.constantFrom(...SERVICES),
  kind: fc.constantFrom('outage', 'outage', 'explainer', 'followup', 'unrelated') as fc.Arbitrary<'outage' | 'explainer' | 'followup' | 'unrelated'>,
  cites: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
});
const crowdArb = fc.record({ minute: fc.integer({ min: 0, max: 1380 }), service: fc.constantFrom(...SERVICES) });

const dayArb = fc
  .record({ officials: fc.array(officialArb, { maxLength: 8 }), articles: fc.array(pressArb, { maxLength: 14 }), spikes: fc.array(crowdArb, { maxLength: 4 }) })
  .map(({ officials, articles, spikes }): Signal[] => {
    const out = new Map<string, Signal>();
    for (const o of officials) {
      const ref = `EX${1_400_000 + o.incident}`;
      const s = official({
        id: `o:${ref}:${o.minute}:${o.step}`,
        at: iso(o.minute),
        ref,
        services: [o.service],
        status: (['investigating', 'identified', 'monitoring', 'resolved'] as const)[o.step],
        classification: o.advisory ? 'advisory' : 'incident',
      });
      out.set(s.id, s);
    }
    articles.forEach((a, i) => {
      const s = press({ id: `p${i}`, outlet: a.outlet, at: iso(a.minute), kind: a.kind, services: [a.service], refs: a.cites ? [`EX${1_400_000 + a.cites}`] : [] });
      out.set(s.id, s);
    });
    spikes.forEach((c, i) => {
      const s = crowd({ id: `c${i}`, at: iso(c.minute), services: [c.service] });
      out.set(s.id, s);
    });
    return [...out.values()];
  });

const NOW = new Date('2026-11-26T00:00:00Z');
const run = (signals: Signal[], incidents: Incident[] = [], now = NOW) => correlateSignals({ incidents, signals, settings: settings(), now });

describe('correlation properties', () => {
  test('the same signals in any order give the same incidents', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 1, max: 1000 }), (signals, seed) => {
        expect(run(shuffle(signals, seed)).incidents).toEqual(run(signals).incidents);
      }),
      { numRuns: 150 },
    );
  });

  test('a second run over its own output changes nothing, and records are valid', () => {
    fc.assert(
      fc.property(dayArb, (signals) => {
        const first = run(signals);
        const second = run(signals, first.incidents);
        expect(second.changed).toEqual([]);
        expect(second.incidents).toEqual(first.incidents);
        const seen = new Set<string>();
        for (const incident of first.incidents) {
          IncidentSchema.parse(incident);
          for (const e of incident.evidence) {
            expect(seen.has(e.signalId)).toBe(false);
            seen.add(e.signalId);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  test('feeding the day hour by hour never loses an incident id or a piece of evidence', () => {
    fc.assert(
      fc.property(dayArb, (signals) => {
        let stored: Incident[] = [];
        for (let hour = 1; hour <= 24; hour++) {
          const now = new Date(DAY_START + hour * 3_600_000);
          const loaded = signals.filter((s) => Date.parse(s.observedAt) <= now.getTime());
          const result = run(loaded, stored, now);
          const ids = new Set(result.incidents.flatMap((i) => [i.id, ...i.mergedIds]));
          const evidence = new Set(result.incidents.flatMap((i) => i.evidence.map((e) => e.signalId)));
          for (const i of stored) {
            expect(ids.has(i.id)).toBe(true);
            for (const e of i.evidence) expect(evidence.has(e.signalId)).toBe(true);
          }
          stored = result.incidents;
        }
      }),
      { numRuns: 60 },
    );
  });
});
