/**
 * The site's i18n helper: strings per language and small language-aware joins. Routing is
 * `/<lang>/…` for every language (Astro i18n with `prefixDefaultLocale`); `/` shows the
 * configured default language.
 */
import { LANGUAGES, type Lang } from '../domain/vocabulary.ts';
import { de } from './de.ts';
import { en, type Messages } from './en.ts';

export type { Lang, Messages };
export { LANGUAGES };

const MESSAGES: Record<Lang, Messages> = { en, de };

/** The strings of `lang`. */
export function useMessages(lang: Lang): Messages {
  return MESSAGES[lang];
}

/** True when `value` names a supported language. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The other languages than `lang`, for the language switch and hreflang alternates. */
export function otherLanguages(lang: Lang): Lang[] {
  return LANGUAGES.filter((l) => l !== lang);
}

const LIST_FORMATS = new Map<Lang, Intl.ListFormat>();

/** "A, B and C" / "A, B und C". */
export function joinList(items: readonly string[], lang: Lang): string {
  let format = LIST_FORMATS.get(lang);
  if (!format) {
    format = new Intl.ListFormat(MESSAGES[lang].locale, { style: 'long', type: 'conjunction' });
    LIST_FORMATS.set(lang, format);
  }
  return format.format(items);
}
