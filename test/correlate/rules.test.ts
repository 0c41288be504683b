import { describe, expect, test } from 'vitest';
import { titleSimilarity, TWIN_TITLE_SIMILARITY } from '../../scrapers/correlate/rules.ts';

describe('title similarity for official twins', () => {
  test.each([
    ['Outlook and Teams calendar access', 'Users may be unable to access Outlook or Teams calendars', true],
    ['Users may be unable to access Exchange Online and Microsoft Teams', 'Users may be unable to access Exchange Online or join Teams meetings', true],
    ["Some users can't send or receive email in Outlook.com", 'Users may be unable to send or receive email in Outlook.com', true],
    ['Outlook and Teams calendar access', 'Delays sending mail to external recipients', false],
    ['Some users may see delays loading Service health', 'Users may be unable to access Outlook or Teams calendars', false],
    ['Service degradation', 'Users may be unable to access Outlook or Teams calendars', false],
    ['', 'Outlook', false],
  ])('%j vs %j → same problem: %s', (a, b, same) => {
    expect(titleSimilarity(a, b) >= TWIN_TITLE_SIMILARITY).toBe(same);
    expect(titleSimilarity(a, b)).toBe(titleSimilarity(b, a));
  });
});
