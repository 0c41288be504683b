/**
 * Neutralising external text (incident titles, Microsoft's words, press headlines) for each chat
 * format, and fitting it into each format's length limits without cutting an escape in half.
 */

// C0/C1 controls except tab and newline, and the bidi overrides/isolates that can make a title read
// differently from what it is (a spoofing trick in chat clients).
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const ZWSP = '\u200B';

/** Drops control and bidi-override characters, normalises line ends, trims. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE_CHARS, '').trim();
}

/** One line: every run of whitespace (newlines included) becomes one space. */
export function oneLine(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ');
}

/** Breaks broadcast mentions (`@everyone`, `@here`, `@channel`) with a zero-width space. */
export function breakMentions(text: string): string {
  return text.replace(/@(?=(everyone|here|channel|all)\b)/gi, `@${ZWSP}`);
}

/**
 * Slack mrkdwn: `&`, `<` and `>` become entities, so no `<!channel>`, `<@U…>` or `<url|label>`
 * can form; broadcast words are broken too (old webhooks parse bare `@channel`).
 */
export function escapeSlack(text: string): string {
  return breakMentions(cleanText(text)).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * Discord markdown: every formatting, masked-link, heading, quote, list, spoiler and mention
 * character is backslash-escaped and broadcast mentions are broken. (The payload also sets
 * `allowed_mentions.parse = []`, so even a missed mention pings nobody.)
 */
export function escapeDiscord(text: string): string {
  return breakMentions(cleanText(text)).replace(/[\\*_~`|>#\-[\]<@]/g, '\\$&');
}

/**
 * Teams Adaptive Card text (a Markdown subset, no HTML): emphasis, link, code and angle-bracket
 * characters are backslash-escaped (CommonMark escapes), which also defuses `<at>` mention tags,
 * and braces are escaped so no `{{DATE(…)}}` card function forms; list markers at a line start
 * are escaped. Parentheses stay: without `[…]` they cannot make a link.
 */
export function escapeTeams(text: string): string {
  return breakMentions(cleanText(text))
    .replace(/[\\*_~`[\]<>{}]/g, '\\$&')
    .replace(/^(\s*)([-+]|\d+\.)(?=\s)/gm, (_m, space: string, marker: string) =>
      marker.endsWith('.') ? `${space}${marker.slice(0, -1)}\\.` : `${space}\\${marker}`,
    );
}

/**
 * Escapes `raw` with `escape` and fits the result into `limit` UTF-16 code units (what the chat
 * APIs count, and never fewer than code points), ending a cut text with `…`. The cut happens on the
 * raw text before escaping, so no entity or backslash escape is ever split.
 */
export function fitEscaped(raw: string, escape: (s: string) => string, limit: number): string {
  const full = escape(raw);
  if (full.length <= limit) return full;
  const chars = Array.from(raw);
  let keep = Math.min(chars.length, limit);
  while (keep > 0) {
    const candidate = `${escape(chars.slice(0, keep).join('').trimEnd())}…`;
    if (candidate.length <= limit) return candidate;
    // Shrink in proportion to the overshoot; at least one character per round.
    keep = Math.min(keep - 1, Math.floor((keep * limit) / candidate.length));
  }
  return limit >= 1 ? '…' : '';
}

/** Plain text cut to `limit` code units with `…` (for fields that are not markdown). */
export function fitPlain(raw: string, limit: number): string {
  return fitEscaped(raw, (s) => s, limit);
}
