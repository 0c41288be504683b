import { describe, expect, test } from 'vitest';
import { detectLanguage } from '../../scrapers/text/language.ts';

describe('detectLanguage', () => {
  test.each([
    ['Outlook ist seit dem Morgen gestört, viele Nutzer melden Probleme', 'en', 'de'],
    ['Störung bei Microsoft Teams behoben', 'en', 'de'],
    ['Microsoft Teams and Outlook currently down for many users', 'de', 'en'],
    ['Is Outlook down? Users report issues with the app', 'de', 'en'],
    ['Outlook', 'de', 'de'],
    ['Outlook', 'en', 'en'],
    ['#outlookdown', 'en', 'en'],
  ] as const)('%j (fallback %s) → %s', (text, fallback, expected) => {
    expect(detectLanguage(text, fallback)).toBe(expected);
  });
});
