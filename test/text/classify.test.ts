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

  test.each([
    // German negation + verb of use, in either order; English can't/unable to + verb.
    ['OneDrive: Fotos werden nicht mehr hochgeladen', 'de', 'outage'],
    ['Hotmail: Nutzer können sich seit Stunden nicht anmelden', 'de', 'outage'],
    ['Outlook startet immer noch nicht', 'de', 'outage'],
    ['Teams: Anmeldung nicht möglich', 'de', 'outage'],
    ['Microsoft Teams users unable to join calls', 'en', 'outage'],
    ['Microsoft will Teams nicht mehr kostenlos anbieten', 'de', 'unrelated'],
    // Resolutions: "Ende der Störung", "<verb> wieder", "wieder <state>"; a negated or relapsing one is not.
    ['Microsoft meldet das Ende der Teams-Störung', 'de', 'resolution'],
    ['OneDrive klappt wieder', 'de', 'resolution'],
    ['SharePoint Online wieder stabil', 'de', 'resolution'],
    ['Outlook-Störung noch nicht behoben', 'de', 'outage'],
    ['Outlook funktioniert wieder nicht', 'de', 'outage'],
    ['Microsoft Teams outage not yet resolved', 'en', 'outage'],
    ['Microsoft Teams is back down for many users', 'en', 'outage'],
    ['Microsoft ends support for Outlook Lite', 'en', 'unrelated'],
    // Follow-ups: an aftermath opener, a vendor's account, "why did … go down"; everyday words need trouble nearby.
    ['Nach Teams-Panne: Microsoft verteilt Updates langsamer', 'de', 'followup'],
    ['Nach Teams-Panne: Jetzt streikt auch Outlook', 'de', 'outage'],
    ['Following the Azure outage, Microsoft reviews its deployment process', 'en', 'followup'],
    ['Microsoft releases its report on the OneDrive disruption', 'en', 'followup'],
    ['Why did Outlook go down on Friday?', 'en', 'followup'],
    ['Microsoft explains new Teams features', 'en', 'unrelated'],
    // "shares" is a verb unless a market move follows.
    ['Microsoft shares timeline of Exchange Online incident', 'en', 'followup'],
    ['Microsoft shares edge higher after Azure deal', 'en', 'unrelated'],
    // Explainers: "So <verb> Sie", "Das/Was … tun", listicles, "try these".
    ['Microsoft Teams: So ändern Sie den Hintergrund', 'de', 'explainer'],
    ['Outlook-Postfach voll: Das sollten Sie tun', 'de', 'explainer'],
    ['Teams down again? Three alternatives for your next meeting', 'en', 'explainer'],
    ['OneDrive not syncing? Try these steps', 'en', 'explainer'],
    // Idioms of the tech press and of community posts.
    ['Microsoft Teams falls over across Europe', 'en', 'outage'],
    ['SharePoint Online goes dark for enterprise customers', 'en', 'outage'],
    ['Outlook bei euch auch? Bei mir geht gar nichts', 'de', 'outage'],
    ['OneDrive zeigt nur eine leere Seite', 'de', 'outage'],
    ['Betriebsrat scheitert mit Klage gegen Microsoft Teams', 'de', 'unrelated'],
    // A cause as the subject of a past-tense outage verb; "warum … ausfiel".
    ['Abgelaufenes Zertifikat legte Microsoft Teams lahm', 'de', 'followup'],
    ['Faulty configuration change took down Exchange Online', 'en', 'followup'],
    ['Warum Outlook am Montag stundenlang ausfiel', 'de', 'followup'],
    ['Die Outlook-Ordnerstruktur einfach erklärt', 'de', 'explainer'],
  ] as const)('phrase classes: %j (%s) → %s', (title, lang, kind) => {
    expect(classifyText(title, null, lang).kind).toBe(kind);
  });

  test('a determiner does not hide a product that an outage word follows; an audience is not a broken service', () => {
    expect(classifyText('Microsoft explains what broke during the Teams outage', null, 'en')).toMatchObject({ kind: 'followup', services: ['teams'] });
    expect(classifyText('OneDrive crashes for Microsoft 365 customers', null, 'en')).toMatchObject({ kind: 'outage', services: ['onedrive'] });
    expect(classifyText('Microsoft 365 customers report outage', null, 'en')).toMatchObject({ kind: 'outage', services: ['m365-apps'] });
  });

  test('a name used as the tool for another vendor service is a bystander, and so are the topic words it lent context to', () => {
    expect(classifyText('T-Online-Mail gestört: Kein Abruf per Outlook, keine E-Mails', null, 'de')).toMatchObject({ kind: 'unrelated', services: [] });
    expect(classifyText('Outlook: Abruf von E-Mails scheitert', null, 'de')).toMatchObject({ kind: 'outage', services: ['exchange-online'] });
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
