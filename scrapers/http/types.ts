/**
 * The contract of the one HTTP module every source uses (implementation: `client.ts`).
 */
export type ExpectedBody = 'json' | 'feed' | 'html' | 'text' | 'xml';

export interface HttpRequest {
  url: string;
  /** What the caller expects; an HTML page where json/feed/xml was expected is SOURCE_WRONG_TYPE. */
  expect: ExpectedBody;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Conditional GET validators from the last successful fetch. */
  etag?: string | null;
  lastModified?: string | null;
  /** Overrides of the configured limits for this request. */
  deadlineMs?: number;
  maxBytes?: number;
  /** Abort from outside (cycle deadline). */
  signal?: AbortSignal;
  /** Source id for error messages and per-host politeness. */
  sourceId?: string;
}

export interface HttpResponse {
  status: number;
  /** True on 304: `text` is empty and the caller keeps its last data. */
  notModified: boolean;
  /** Final URL after redirects. */
  url: string;
  headers: Record<string, string>;
  /** Body decoded to a string (charset: BOM > header > XML declaration > UTF-8). */
  text: string;
  bytes: number;
  charset: string;
  etag: string | null;
  lastModified: string | null;
  /** sha256 of the raw body, hex. */
  bodyHash: string | null;
}

export interface HttpClient {
  /** Throws SourceError; never returns a non-2xx/304 response. */
  request(req: HttpRequest): Promise<HttpResponse>;
  /** Persists per-host "not before" times (Retry-After) so the next run honours them. */
  flush(): Promise<void>;
}
