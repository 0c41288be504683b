/**
 * The HTTP layer's public surface: `createHttpClient` plus the contracts and errors.
 */
export { createHttpClient, DEFAULT_RATE_LIMIT_SECONDS, type HttpClientOptions, type HttpConfig, type HttpLogEntry, type OwnedHttpClient } from './client.ts';
export { decodeBody, resolveCharset, type ResolvedCharset } from './charset.ts';
export { isSourceError, SOURCE_ERROR_CODES, SourceError, type SourceErrorCode } from './errors.ts';
export type { ExpectedBody, HttpClient, HttpRequest, HttpResponse } from './types.ts';
