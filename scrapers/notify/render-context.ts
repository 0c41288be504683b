/** What every renderer needs besides the event. */
import type { Impact, Lang } from '../../src/domain/vocabulary.ts';

export interface RenderContext {
  /** Public site URL (`site.url`), links point there. */
  siteUrl: string;
  siteTitle: string;
  lang: Lang;
  /** Page indicator when the event was queued. */
  indicator: Impact;
  /** Statuspage-style page id (see `pageIdFor`). */
  pageId: string;
}
