/**
 * The adapter registry: adapter name (config `sources[].adapter`) → adapter module, loaded lazily
 * so a cycle only imports what its enabled sources need.
 */
import type { SourceAdapterName } from '../../src/config/schema.ts';
import type { SourceKind } from '../../src/domain/vocabulary.ts';
import type { SourceAdapter } from './types.ts';

type AdapterModule = { adapter: SourceAdapter };

const LOADERS: Partial<Record<SourceAdapterName, () => Promise<AdapterModule>>> = {
  'status-cloud-microsoft-posts': () => import('./status-cloud-microsoft-posts.ts'),
  'status-cloud-microsoft-feed': () => import('./status-cloud-microsoft-feed.ts'),
  'azure-status-rss': () => import('./azure-status-rss.ts'),
  'graph-service-health': () => import('./graph-service-health.ts'),
  'news-feed': () => import('./news-feed.ts'),
  'mastodon-tag': () => import('./mastodon-tag.ts'),
  reddit: () => import('./reddit.ts'),
};

/** Kind of evidence each adapter yields, known before its module loads (health of a source that never ran). */
export const ADAPTER_KINDS: Record<SourceAdapterName, SourceKind> = {
  'status-cloud-microsoft-posts': 'official',
  'status-cloud-microsoft-feed': 'official',
  'azure-status-rss': 'official',
  'graph-service-health': 'official',
  'news-feed': 'press',
  'mastodon-tag': 'crowd',
  reddit: 'crowd',
};

export class AdapterError extends Error {
  readonly code = 'ADAPTER_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AdapterError';
  }
}

/** Resolves an adapter by name; null when this build has no such adapter. */
export type AdapterResolver = (name: SourceAdapterName) => Promise<SourceAdapter | null>;

export const resolveAdapter: AdapterResolver = async (name) => {
  const load = LOADERS[name];
  if (!load) return null;
  const mod = await load();
  const adapter = mod.adapter;
  if (!adapter || typeof adapter.fetch !== 'function' || adapter.name !== name) {
    throw new AdapterError(`scrapers/sources/${name}.ts does not export an adapter named "${name}"`);
  }
  return adapter;
};

/** Names of the adapters this build carries. */
export function availableAdapters(): SourceAdapterName[] {
  return (Object.keys(LOADERS) as SourceAdapterName[]).sort();
}
