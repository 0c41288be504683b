import { describe, expect, test } from 'vitest';
import { findOfficialRefs, servicesForGraphName, servicesForOfficialRef, servicesForWorkload, SERVICES } from '../../src/domain/services.ts';
import { indicatorFor, worseComponentStatus } from '../../src/domain/vocabulary.ts';

describe('service catalog', () => {
  test('every service has German and English names and at least one strong term', () => {
    for (const s of SERVICES) {
      expect(s.name.en.length).toBeGreaterThan(1);
      expect(s.name.de.length).toBeGreaterThan(1);
      expect(s.strongTerms.length).toBeGreaterThan(0);
    }
  });

  test.each([
    ['EX1151485', ['exchange-online']],
    ['MO941162', ['m365-apps']],
    ['TM123456', ['teams']],
    ['CP987654', ['copilot']],
    ['ZZ123456', []],
  ])('official ref %s maps to %j', (ref, expected) => {
    expect(servicesForOfficialRef(ref)).toEqual(expected);
  });

  test('Graph names and workloads match case-insensitively', () => {
    expect(servicesForGraphName('exchange online')).toEqual(['exchange-online']);
    expect(servicesForWorkload('outlook.com')).toEqual(['outlook-com']);
  });

  test('finds incident ids in text but not Message Center ids', () => {
    expect(findOfficialRefs('Siehe EX1151485 und MC123456 im Admin-Center, auch MO941162; EX1151485')).toEqual(['EX1151485', 'MO941162']);
  });
});

describe('status vocabulary', () => {
  test.each([
    ['operational', 'unknown', 'unknown'],
    ['major_outage', 'unknown', 'major_outage'],
    ['degraded_performance', 'partial_outage', 'partial_outage'],
  ] as const)('worse of %s and %s is %s', (a, b, worse) => {
    expect(worseComponentStatus(a, b)).toBe(worse);
  });

  test('unknown is never indicated as all-clear', () => {
    expect(indicatorFor('unknown')).not.toBe('none');
  });
});
