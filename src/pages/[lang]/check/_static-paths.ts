/**
 * Languages for the /check pages when they are prerendered (static hosting only, see
 * astro-integration.ts). Kept out of the page file: on the node server the pages are on demand and
 * Astro would warn about a getStaticPaths it ignores.
 */
import { LANGUAGES } from '../../../domain/vocabulary.ts';

export function getStaticPaths() {
  return LANGUAGES.map((lang) => ({ params: { lang } }));
}
