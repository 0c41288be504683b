import { describe, expect, test } from 'vitest';
import {
  applyClassification,
  isHealthyWord,
  mapClassification,
  mapOfficialStatus,
  normalizeStatusWord,
} from '../../../scrapers/sources/_official-status.ts';
import {
  isBoilerplate,
  matchServicesInText,
  messageToText,
  parseFeedDate,
  parseDotNetDate,
  parseMicrosoftDate,
  parseSections,
  postKey,
} from '../../../scrapers/sources/_official-text.ts';

describe('Microsoft status words → our vocabulary (anchors §10)', () => {
  test.each([
    // word, incident status, component status, impact, resolved
    ['serviceOperational', 'resolved', 'operational', 'none', true],
    ['ServiceOperational', 'resolved', 'operational', 'none', true],
    ['Available', 'resolved', 'operational', 'none', true],
    ['Operational', 'resolved', 'operational', 'none', true],
    ['investigating', 'investigating', 'degraded_performance', 'minor', false],
    ['confirmed', 'investigating', 'degraded_performance', 'minor', false],
    ['reported', 'investigating', 'degraded_performance', 'minor', false],
    ['investigationSuspended', 'investigating', 'degraded_performance', 'minor', false],
    ['serviceDegradation', 'investigating', 'degraded_performance', 'minor', false],
    ['ServiceDegradation', 'investigating', 'degraded_performance', 'minor', false],
    ['Service degradation', 'investigating', 'degraded_performance', 'minor', false],
    ['service_degradation', 'investigating', 'degraded_performance', 'minor', false],
    ['serviceInterruption', 'investigating', 'major_outage', 'major', false],
    ['ServiceInterruption', 'investigating', 'major_outage', 'major', false],
    ['restoringService', 'identified', 'degraded_performance', 'minor', false],
    ['extendedRecovery', 'identified', 'degraded_performance', 'minor', false],
    ['verifyingService', 'monitoring', 'degraded_performance', 'minor', false],
    ['serviceRestored', 'resolved', 'operational', 'none', true],
    ['Service restored', 'resolved', 'operational', 'none', true],
    ['resolved', 'resolved', 'operational', 'none', true],
    ['resolvedExternal', 'resolved', 'operational', 'none', true],
    ['mitigated', 'resolved', 'operational', 'none', true],
    ['mitigatedExternal', 'resolved', 'operational', 'none', true],
    ['postIncidentReviewPublished', 'resolved', 'operational', 'none', true],
    ['falsePositive', 'resolved', 'operational', 'none', true],
  ] as const)('%s → %s / %s / %s', (word, status, componentStatus, impact, isResolved) => {
    expect(mapOfficialStatus(word)).toEqual({ status, componentStatus, impact, isResolved, known: true });
  });

  test.each(['Unknown', 'unknownFutureValue', 'Partially available', 'degradedish', '', null, undefined])(
    'unknown word %j fails closed: component unknown, incident open',
    (word) => {
      expect(mapOfficialStatus(word)).toEqual({
        status: 'investigating',
        componentStatus: 'unknown',
        impact: 'minor',
        isResolved: false,
        known: false,
      });
    },
  );

  test('normalization strips case, spaces and punctuation', () => {
    expect(normalizeStatusWord(' Service-Degradation! ')).toBe('servicedegradation');
  });

  test.each([
    ['Available', true],
    ['serviceOperational', true],
    ['Service restored', false],
    ['Unknown', false],
    [null, false],
  ] as const)('isHealthyWord(%j) = %s', (word, expected) => {
    expect(isHealthyWord(word)).toBe(expected);
  });

  test.each([
    ['incident', 'incident'],
    ['Incident', 'incident'],
    ['advisory', 'advisory'],
    ['Advisory', 'advisory'],
    ['unknownFutureValue', 'unknown'],
    [null, 'unknown'],
  ] as const)('classification %j → %s', (word, expected) => {
    expect(mapClassification(word)).toBe(expected);
  });

  test('advisories are not outages, except a service interruption', () => {
    expect(applyClassification(mapOfficialStatus('serviceDegradation'), 'advisory')).toMatchObject({
      componentStatus: 'operational',
      impact: 'none',
      status: 'investigating',
    });
    expect(applyClassification(mapOfficialStatus('serviceInterruption'), 'advisory')).toMatchObject({ componentStatus: 'major_outage' });
    expect(applyClassification(mapOfficialStatus('serviceDegradation'), 'incident')).toMatchObject({ componentStatus: 'degraded_performance' });
    expect(applyClassification(mapOfficialStatus('weird'), 'advisory')).toMatchObject({ componentStatus: 'unknown' });
  });
});

describe('post text', () => {
  test('HTML messages keep their paragraphs; entities are decoded', () => {
    const text = messageToText('<div>User impact: Users can&#39;t sign in.&nbsp;</div><div><br></div><p>Current status: We&#39;re on it.</p>');
    expect(text).toBe("User impact: Users can't sign in.\n\nCurrent status: We're on it.");
  });

  test('plain-text messages with CRLF blank lines and stray backslashes parse into sections', () => {
    const text = messageToText(
      'Title: Mail delays\\\r\n\r\nUser Impact: Users may see delays.\r\nMore detail on a second line.\r\n\r\nCurrent status: Investigating.\r\n\r\nStart time: Monday, August 31, 2026, at 2:00 PM UTC\r\n\r\nStart time: Tuesday, September 1, 2026, at 1:00 AM UTC',
    );
    expect(parseSections(text)).toEqual({
      title: 'Mail delays',
      userImpact: 'Users may see delays.\nMore detail on a second line.',
      currentStatus: 'Investigating.',
      startTime: 'Monday, August 31, 2026, at 2:00 PM UTC',
    });
  });

  test.each([
    ['Monday, August 31, 2026, at 2:00 PM UTC', '2026-08-31T14:00:00.000Z'],
    ['Wednesday, September 2, 2026, at 12:00 AM UTC', '2026-09-02T00:00:00.000Z'],
    ['Thursday, August 20, 2026, at 12:30 PM UTC', '2026-08-20T12:30:00.000Z'],
    ['August 31, 2026 at 14:05 UTC', '2026-08-31T14:05:00.000Z'],
    ['31 Aug 2026, 2:00 PM UTC', '2026-08-31T14:00:00.000Z'],
    ['2026-08-31T14:00:00Z', '2026-08-31T14:00:00.000Z'],
    ['August 31, 2026', null],
    ['Monday, August 31, 2026, at 2:00 PM', null],
    ['February 30, 2026 at 1:00 PM UTC', null],
    ['soon', null],
  ])('parseMicrosoftDate(%j) = %j', (input, expected) => {
    expect(parseMicrosoftDate(input)).toBe(expected);
  });

  test.each([
    ['Sat, 01 Aug 2026 00:05:00 Z', '2026-08-01T00:05:00.000Z'],
    ['Thu, 23 Jul 2026 16:29:09 Z', '2026-07-23T16:29:09.000Z'],
    ['Thu, 23 Jul 2026 16:29:09 +0200', '2026-07-23T14:29:09.000Z'],
    ['not a date', null],
  ])('parseFeedDate(%j) = %j', (input, expected) => {
    expect(parseFeedDate(input)).toBe(expected);
  });

  test('the healthy banners are boilerplate; an incident post is not', () => {
    expect(isBoilerplate('This site is updated when service issues are preventing tenant administrators from accessing Service health in the Microsoft 365 admin center.')).toBe(true);
    expect(isBoilerplate('No Azure issues detected at this time. For more details, please visit the link below.')).toBe(true);
    expect(isBoilerplate('')).toBe(true);
    expect(isBoilerplate('User impact: Users cannot sign in.\n\nCurrent status: Investigating.')).toBe(false);
  });

  test('the key ignores case and punctuation of the title but not the workload', () => {
    const k = postKey('Outlook.com', "Some users can't send email");
    expect(postKey('outlook.com', 'some users can t send email!')).toBe(k);
    expect(postKey('M365Consumer', "Some users can't send email")).not.toBe(k);
    expect(postKey('Outlook.com', "Some users can't receive email")).not.toBe(k);
  });
});

describe('services named in official text', () => {
  test.each([
    ['Users may be unable to access Outlook on the web or Outlook desktop', ['exchange-online']],
    ['Users can’t sign in to Outlook.com or Hotmail', ['outlook-com']],
    ['Microsoft 365 Copilot responses fail', ['copilot']],
    ['Admins cannot open the Microsoft 365 admin center', ['m365-admin']],
    ['Impact to SharePoint Online, OneDrive and Teams', ['teams', 'sharepoint', 'onedrive']],
    ['Azure Active Directory sign-in failures', ['entra-id']],
    ['Mail flow delays for Exchange', ['exchange-online']],
    ['In other words, the Office is closed', []],
    ['Teamster strike', []],
    ["We're investigating failures in the single sign-on infrastructure", ['entra-id']],
    ['Users may be prompted repeatedly for MFA when joining Teams meetings', ['teams', 'entra-id']],
    ['Users may be unable to sign in to Teams', ['teams']],
    ['Messages sent to the SSOT mailbox', []],
  ])('%j → %j', (text, expected) => {
    expect(matchServicesInText(text)).toEqual(expected);
  });
});

describe('dates outside years 1000–9999', () => {
  test.each([
    ['+020000-01-01T00:00:00Z', parseDotNetDate],
    ['9999-12-31T23:59:00-05:00', parseDotNetDate],
    ['Fri, 31 Dec 9999 23:00:00 -0500', parseFeedDate],
    ['January 1, 0050 at 2:00 PM UTC', parseMicrosoftDate],
  ] as const)('%s is null rather than an ISO string the schema rejects', (text, parse) => {
    expect(parse(text)).toBeNull();
  });

  test('ordinary dates still parse', () => {
    expect(parseDotNetDate('2026-09-18T21:22:55+00:00')).toBe('2026-09-18T21:22:55.000Z');
  });
});
