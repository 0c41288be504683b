/**
 * Readable names for source ids ("heise-atom" → "heise online"), for timelines, evidence lists and
 * feeds. Press and community sources name their outlet in config; official ones are named here.
 */
import type { LoadedConfig } from '../config/load.ts';

const OFFICIAL_NAMES: Record<string, string> = {
  'status-cloud-microsoft-posts': 'status.cloud.microsoft',
  'status-cloud-microsoft-feed': 'status.cloud.microsoft',
  'azure-status-rss': 'Azure status',
  'graph-service-health': 'Microsoft 365 service health (Graph)',
};

/** Source id of updates Outage Radar writes itself (e.g. an expired suspected incident). */
export const SELF_SOURCE_ID = 'outage-radar';

export type SourceLabeler = (sourceId: string) => string;

/** A labeler for the configured sources; unknown ids fall back to the id itself. */
export function createSourceLabeler(config: Pick<LoadedConfig, 'sources' | 'site'>): SourceLabeler {
  const names = new Map<string, string>();
  for (const s of config.sources) names.set(s.id, s.outlet ?? OFFICIAL_NAMES[s.adapter] ?? s.id);
  names.set(SELF_SOURCE_ID, config.site.title);
  return (sourceId) => names.get(sourceId) ?? sourceId;
}
