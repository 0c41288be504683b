import { describe, expect, test } from 'vitest';
import { classifyText } from '../../scrapers/text/classify.ts';

describe('classifyText rules', () => {
  test.each([
    ['Outlook-Störung bei vielen Nutzern', ['exchange-online']],
    ['Teams-Ausfall legt Firmen lahm', ['teams']],
    ['Outlookausfall am Morgen', ['exchange-online']],
    ['Exchange-Online-Störung: Mails verzögert', ['exchange-online']],
    ['Störung bei Microsoft-365-Diensten', ['m365-apps']],
    ['Microsoft 365 Copilot is down', ['copilot']],
    ['Outlook.com and Hotmail down', ['outlook-com']],
  ])('hyphens and closed compounds are word boundaries: %j', (title, services) => {
    expect(classifyText(title, null, 'de').services).toEqual(services);
  });

  test.each([
    ['Economic outlook darkens as cloud outages mount', 'en'],
    ['Microsoft layoffs hit sales teams after outage review', 'en'],
    ['GitHub Copilot outage leaves developers stranded', 'en'],
    ['Exchange Server 2019: Update sorgt für Probleme beim Mailfluss', 'de'],
    ['AfD-Parteitag: Streit und Störungen im Saal', 'de'],
    ['Gmail outage: users switch to Outlook', 'en'],
  ] as const)('namesakes and bystanders open nothing: %j', (title, lang) => {
    const c = classifyText(title, null, lang);
    expect(c.kind === 'outage' && c.services.length > 0).toBe(false);
  });

  test.each([
    ['heise-Angebot: Workshop zu Outlook-Störungen', 'unrelated'],
    ['Anzeige: Outlook-Guide zum Sonderpreis', 'unrelated'],
    ['So beheben Sie eine Outlook-Störung', 'explainer'],
    ['How to check if Outlook is down', 'explainer'],
    ['Microsoft erklärt Ursache der Teams-Störung', 'followup'],
    ['What caused the Outlook outage?', 'followup'],
    ['Outlook-Störung behoben', 'resolution'],
    ['Microsoft Teams is back up after outage', 'resolution'],
    ['CVE-2026-1234: Outlook vulnerability exploited', 'unrelated'],
    ['Microsoft-Aktie fällt nach Azure-Ausfall', 'unrelated'],
    ['Outlook down for thousands', 'outage'],
  ] as const)('%j → %s', (title, kind) => {
    expect(classifyText(title, null, 'de').kind).toBe(kind);
  });

  test('a teaser adds the services its own sentence reports as broken, not the ones it merely mentions', () => {
    const c = classifyText(
      'Weltweite Microsoft-Störung am Montag',
      'Outlook und Teams sind seit dem Morgen nicht erreichbar. Details stehen im Admin-Center unter MO1200002. SharePoint-Nutzer haben neue Funktionen.',
      'de',
    );
    expect(c.kind).toBe('outage');
    expect(c.services).toEqual(['exchange-online', 'teams']);
    expect(c.refs).toEqual(['MO1200002']);
  });

  test('a headline without an outage word takes its kind from the teaser', () => {
    const c = classifyText('Microsoft Teams: Das ist los', 'Microsoft Teams ist derzeit gestört, Chats laden nicht.', 'de');
    expect(c).toMatchObject({ kind: 'outage', services: ['teams'] });
  });

  test('a generic Microsoft outage keeps its kind but names no service (it opens nothing)', () => {
    expect(classifyText('Weltweite Microsoft-Störung: Millionen Nutzer betroffen', null, 'de')).toMatchObject({ kind: 'outage', services: [] });
  });

  test('community posts are matched case-blind; press titles are not', () => {
    expect(classifyText('outlook is down again #outlookdown', null, 'en', { caseSensitive: false }).services).toEqual(['exchange-online']);
    expect(classifyText('our teams are down to two people', null, 'en').services).toEqual([]);
  });

  test('every result explains itself', () => {
    const c = classifyText('Outlook down: Microsoft investigating EX1200001', null, 'en');
    expect(c.reasons).toEqual(expect.arrayContaining(['service:exchange-online=outlook', 'outage:down', 'refs:EX1200001']));
    expect(c.score).toBeGreaterThanOrEqual(10);
  });
});
