import { describe, expect, test } from 'vitest';
import type { Signal } from '../../src/domain/schemas.ts';
import { dedupePressSignals, normalizeTitleKey, titleSimilarity } from '../../scrapers/press/dedupe.ts';

function press(id: string, outlet: string, url: string, title: string, at: string): Signal {
  return {
    id,
    source: { id: outlet.toLowerCase().replace(/\W+/g, '-'), kind: 'press' },
    observedAt: at,
    fetchedAt: at,
    services: ['exchange-online'],
    title,
    text: '',
    url,
    lang: 'de',
    press: { outlet, canonicalUrl: url, kind: 'outage', refs: [] },
  };
}

describe('dedupePressSignals', () => {
  const t0 = '2026-11-24T08:00:00.000Z';
  const t1 = '2026-11-24T08:30:00.000Z';

  test('the same canonical URL from two feeds is one story; the earliest survives', () => {
    const a = press('a', 'heise online', 'https://www.heise.de/news/x-1.html', 'Outlook-Störung', t1);
    const b = press('b', 'heise online', 'http://heise.de/news/x-1.html/', 'Outlook-Störung: Microsoft untersucht', t0);
    expect(dedupePressSignals([a, b]).map((s) => s.id)).toEqual(['b']);
  });

  test('a syndicated copy with a near-identical long title on another site is dropped', () => {
    const a = press('a', 'Outlet A', 'https://a.example/1', 'Microsoft Outlook weltweit ausgefallen: Millionen Nutzer ohne Zugriff auf ihre Mails', t0);
    const b = press('b', 'Outlet B', 'https://b.example/9', 'Microsoft Outlook weltweit ausgefallen – Millionen Nutzer ohne Zugriff auf ihre Mails', t1);
    expect(dedupePressSignals([a, b]).map((s) => s.id)).toEqual(['a']);
  });

  test('independent outlets with similar short headlines stay distinct', () => {
    const a = press('a', 'heise online', 'https://www.heise.de/news/1', 'Outlook gestört', t0);
    const b = press('b', 'Golem.de', 'https://www.golem.de/news/2', 'Outlook gestört', t1);
    const c = press('c', 'The Register', 'https://www.theregister.com/3', 'Outlook is down', t1);
    expect(dedupePressSignals([a, b, c]).map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  test('the same outlet rewording its own headline within the window is one story', () => {
    const a = press('a', 'heise online', 'https://www.heise.de/news/1', 'Outlook-Störung: Microsoft untersucht Probleme', t0);
    const b = press('b', 'heise online', 'https://www.heise.de/news/1-update', 'Outlook-Störung: Microsoft untersucht die Probleme', t1);
    expect(dedupePressSignals([a, b]).map((s) => s.id)).toEqual(['a']);
  });

  test('copies outside the window are separate stories', () => {
    const a = press('a', 'Outlet A', 'https://a.example/1', 'Microsoft Outlook weltweit ausgefallen: Millionen Nutzer ohne Zugriff', t0);
    const b = press('b', 'Outlet B', 'https://b.example/1', 'Microsoft Outlook weltweit ausgefallen: Millionen Nutzer ohne Zugriff', '2026-11-27T08:00:00.000Z');
    expect(dedupePressSignals([a, b], { windowMinutes: 48 * 60 }).map((s) => s.id)).toEqual(['a', 'b']);
  });

  test('non-press signals pass through and order is kept', () => {
    const official = { ...press('o', 'x', 'https://x.example/', 'x', t0), press: undefined, source: { id: 'graph', kind: 'official' as const } };
    const a = press('a', 'heise online', 'https://www.heise.de/news/1', 'Outlook gestört', t1);
    const dup = { ...a };
    expect(dedupePressSignals([a, official, dup]).map((s) => s.id)).toEqual(['a', 'o']);
  });

  test('title keys fold umlauts and drop an outlet suffix', () => {
    expect(normalizeTitleKey('Störung bei Outlook - Golem.de', 'Golem.de')).toBe('stoerung bei outlook');
    expect(titleSimilarity('abc', 'abc')).toBe(1);
    expect(titleSimilarity('outlook down', 'teams restored')).toBeLessThan(0.3);
  });
});
