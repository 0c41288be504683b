import { describe, expect, test } from 'vitest';
import { buildCatalog, CATALOG, CatalogError, findCatalogEntry, getCatalogEntry } from '../../src/selfcheck/catalog/index.ts';
import { NDR_ENTRIES } from '../../src/selfcheck/catalog/ndr.ts';

describe('code catalog', () => {
  test('has at least 40 delivery codes and 20 sign-in codes', () => {
    expect(CATALOG.filter((e) => e.kind === 'ndr').length).toBeGreaterThanOrEqual(40);
    expect(CATALOG.filter((e) => e.kind === 'aadsts').length).toBeGreaterThanOrEqual(20);
  });

  test('every entry is written in both languages, and differently', () => {
    for (const e of CATALOG) {
      expect(e.en.title, e.id).not.toBe('');
      expect(e.de.meaning, e.id).not.toBe(e.en.meaning);
      expect(e.de.causes.length, e.id).toBe(e.en.causes.length);
      expect(e.de.userSteps.length, e.id).toBe(e.en.userSteps.length);
      expect(e.de.adminSteps.length, e.id).toBe(e.en.adminSteps.length);
    }
  });

  test('ids are unique and every code is claimed once', () => {
    expect(new Set(CATALOG.map((e) => e.id)).size).toBe(CATALOG.length);
    const dup = [...NDR_ENTRIES, { ...NDR_ENTRIES[0]!, id: '4.3.3', aliases: ['4.3.2'] }];
    expect(() => buildCatalog(dup)).toThrow(CatalogError);
    const overlap = [...NDR_ENTRIES, { ...NDR_ENTRIES[0]!, id: '4.7.600-620' }];
    expect(() => buildCatalog(overlap)).toThrow(/overlap/);
  });

  test('rejects an entry without German text', () => {
    const { de: _de, ...noGerman } = NDR_ENTRIES[0]!;
    expect(() => buildCatalog([noGerman as never])).toThrow(CatalogError);
  });

  test('rejects a 4.x.x code marked permanent', () => {
    expect(() => buildCatalog([{ ...NDR_ENTRIES[0]!, temporary: false }])).toThrow(/temporary/);
  });

  test.each([
    ['ndr', '5.1.10', '5.1.10'],
    ['ndr', '4.7.500', '4.7.500-699'],
    ['ndr', '4.7.699', '4.7.500-699'],
    ['ndr', '4.7.851', '4.7.850-899'],
    ['ndr', '5.7.640', '5.7.606-649'],
    ['ndr', '5.4.316', '4.4.316'],
    ['ndr', '5.7.135', '5.7.13'],
    ['aadsts', '50034', 'aadsts50034'],
    ['aadsts', '40011', 'aadsts40008-40015'],
    ['aadsts', '20033', 'aadsts20001'],
  ] as const)('finds %s %s as %s', (kind, code, id) => {
    expect(findCatalogEntry({ kind, code })?.id).toBe(id);
  });

  test('an unknown code is null, never an error', () => {
    expect(findCatalogEntry({ kind: 'ndr', code: '5.9.999' })).toBeNull();
    expect(findCatalogEntry({ kind: 'aadsts', code: '12345' })).toBeNull();
    expect(getCatalogEntry('nope')).toBeNull();
  });

  test('the partner case codes point where the research says', () => {
    expect(getCatalogEntry('5.1.10')?.side).toBe('one-mailbox');
    expect(getCatalogEntry('aadsts90002')?.side).toBe('recipient-tenant');
    expect(getCatalogEntry('aadsts90033')?.side).toBe('microsoft-wide');
    expect(getCatalogEntry('5.7.705')?.side).toBe('sender');
  });
});
