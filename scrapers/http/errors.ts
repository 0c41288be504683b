/**
 * Errors every source can raise. `code` is stable and machine-readable; it lands in source
 * health and on the page. `cause` keeps the underlying error.
 */
export const SOURCE_ERROR_CODES = [
  'SOURCE_TIMEOUT', // deadline, connect, header or body timeout, or a hang
  'SOURCE_NETWORK', // refused, reset, DNS failure
  'SOURCE_HTTP_STATUS', // a status that is neither 2xx nor 304 (and not 429/503 with Retry-After)
  'SOURCE_RATE_LIMITED', // 429 or 503 with Retry-After: `retryAfter` says until when
  'SOURCE_TOO_LARGE', // body over the size cap
  'SOURCE_REDIRECT_LOOP', // too many redirects or a loop
  'SOURCE_WRONG_TYPE', // HTML where a feed or JSON was expected, or an unexpected content type
  'SOURCE_EMPTY', // a 200 with an empty body
  'SOURCE_BLOCKED', // robots.txt disallows, or a bot-protection interstitial
  'SOURCE_NOT_CONFIGURED', // e.g. Graph without credentials in the environment
  'PARSE_FAILED', // malformed XML/JSON, missing expected root, schema mismatch
] as const;
export type SourceErrorCode = (typeof SOURCE_ERROR_CODES)[number];

export class SourceError extends Error {
  readonly code: SourceErrorCode;
  readonly sourceId: string | null;
  /** For SOURCE_RATE_LIMITED: do not ask again before this time. */
  readonly retryAfter: Date | null;
  readonly status: number | null;
  constructor(
    code: SourceErrorCode,
    message: string,
    options: { sourceId?: string | null; cause?: unknown; retryAfter?: Date | null; status?: number | null } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'SourceError';
    this.code = code;
    this.sourceId = options.sourceId ?? null;
    this.retryAfter = options.retryAfter ?? null;
    this.status = options.status ?? null;
  }
}

export function isSourceError(err: unknown): err is SourceError {
  return err instanceof SourceError;
}
