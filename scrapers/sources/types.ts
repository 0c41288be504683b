/**
 * The contract of a source adapter: declarative metadata plus one `fetch` function. One file per
 * adapter in this folder; `index.ts` maps adapter names to modules.
 */
import type { LoadedConfig } from '../../src/config/load.ts';
import type { SourceAdapterName, SourceConfig } from '../../src/config/schema.ts';
import type { Signal } from '../../src/domain/schemas.ts';
import type { ServiceId } from '../../src/domain/services.ts';
import type { ComponentStatus, SourceKind } from '../../src/domain/vocabulary.ts';
import type { HttpClient } from '../http/types.ts';

export interface FetchContext {
  source: SourceConfig;
  config: LoadedConfig;
  http: HttpClient;
  /** The cycle's clock: adapters stamp `fetchedAt` with this, never with Date.now(). */
  now: Date;
  /** Validators from the last successful fetch of this source. */
  validators: { etag: string | null; lastModified: string | null };
  env: NodeJS.ProcessEnv;
  /** Aborts when the cycle's deadline passes. */
  signal: AbortSignal;
}

export interface SourceResult {
  outcome: 'ok' | 'not_modified';
  signals: Signal[];
  /**
   * What an official source asserts right now per service it covers ("Outlook.com: Operational").
   * `unknown` for status words we do not know. Empty for press and community sources.
   */
  serviceStatus: Partial<Record<ServiceId, ComponentStatus>>;
  /**
   * Official sources that list only current incidents: the keys (OfficialFacts.key) active right
   * now. An incident whose key is absent has vanished from the source (treated as resolved after
   * a grace period). Null for sources that keep history (press) or on 304.
   */
  activeKeys: string[] | null;
  validators: { etag: string | null; lastModified: string | null };
  bodyHash: string | null;
}

export interface SourceAdapter {
  name: SourceAdapterName;
  kind: SourceKind;
  /** Services this adapter sees when the source config does not list them. */
  defaultServices: readonly ServiceId[];
  /** Null when the adapter can run; otherwise why not (e.g. missing Graph credentials). */
  checkConfigured?(source: SourceConfig, env: NodeJS.ProcessEnv): string | null;
  /** Throws SourceError (see ../http/errors.ts) on any failure. */
  fetch(ctx: FetchContext): Promise<SourceResult>;
}
