/** Retry policy: backoff with jitter, Retry-After parsing, which statuses are worth retrying. Pure. */

/**
 * Delay before attempt `attempt + 1` after `attempt` failures: exponential from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so many targets failing together do not
 * come back in lockstep, yet a retry never comes sooner than half the nominal delay.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const nominal = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(nominal / 2 + (random() * nominal) / 2);
}

/**
 * Milliseconds a `Retry-After` header asks us to wait: delta-seconds (Discord sends fractions) or an
 * HTTP-date. Null when absent or unparseable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number.parseFloat(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/** Discord also states the wait in its JSON body (`retry_after`, seconds); used when the header is missing. */
export function retryAfterFromBody(body: string): number | null {
  try {
    const parsed = JSON.parse(body) as { retry_after?: unknown };
    return typeof parsed.retry_after === 'number' && parsed.retry_after >= 0 ? Math.round(parsed.retry_after * 1000) : null;
  } catch {
    // Not JSON (Slack and Teams answer in plain text): there is no body hint.
    return null;
  }
}

export type StatusVerdict = 'delivered' | 'rate_limited' | 'retry' | 'permanent';

/**
 * 2xx delivered; 429 rate limited; 408, 425, 5xx retried; 3xx (redirects are not followed, as
 * Statuspage counts them failures) and every other 4xx refused for good.
 */
export function judgeStatus(status: number): StatusVerdict {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 425 || status >= 500) return 'retry';
  return 'permanent';
}
