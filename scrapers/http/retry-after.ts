/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Pure.
 */

export interface RetryAfterResult {
  /** When the host may be asked again, on our clock. */
  notBefore: Date;
  /** True when the requested wait was longer than the cap and was shortened. */
  clamped: boolean;
  /** The wait the server asked for, in seconds (before clamping). */
  requestedSeconds: number;
}

/**
 * Turns a Retry-After value into a time on our clock. An HTTP-date is measured against the
 * server's own `Date` header when present, so a server whose clock is off still gets the wait it
 * meant. Returns null when the value is missing or unreadable. Waits below zero count as zero;
 * waits above `maxSeconds` are clamped.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  options: { now: Date; serverDate?: string | null; maxSeconds: number },
): RetryAfterResult | null {
  if (value == null) return null;
  const v = value.trim();
  let seconds: number;
  if (/^\d+$/.test(v)) {
    seconds = Number.parseInt(v, 10);
  } else {
    const at = Date.parse(v);
    if (!Number.isFinite(at) || !/[a-z]/i.test(v)) return null;
    const serverNow = options.serverDate ? Date.parse(options.serverDate) : Number.NaN;
    const reference = Number.isFinite(serverNow) ? serverNow : options.now.getTime();
    seconds = Math.ceil((at - reference) / 1000);
  }
  if (!Number.isFinite(seconds)) return null;
  const requestedSeconds = Math.max(0, seconds);
  const clamped = requestedSeconds > options.maxSeconds;
  const wait = clamped ? options.maxSeconds : requestedSeconds;
  return { notBefore: new Date(options.now.getTime() + wait * 1000), clamped, requestedSeconds };
}
