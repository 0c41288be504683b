/**
 * German/English guess for short texts (headlines, posts). Only the two languages the site speaks;
 * anything unclear falls back to the source's configured language.
 */
import type { Lang } from '../../src/domain/vocabulary.ts';

const DE_WORDS = new Set([
  'der', 'die', 'das', 'den', 'dem', 'des', 'und', 'oder', 'nicht', 'bei', 'für', 'ist', 'sind', 'wird', 'werden', 'seit',
  'mit', 'auf', 'von', 'vom', 'zum', 'zur', 'im', 'ein', 'eine', 'einen', 'auch', 'nach', 'wieder', 'noch', 'aus', 'über',
  'weltweit', 'nutzer', 'störung', 'ausfall', 'behoben', 'probleme', 'derzeit', 'aktuell', 'gibt', 'geht', 'kein', 'keine',
  'wie', 'was', 'wer', 'warum', 'hat', 'haben', 'sich', 'mehr', 'viele', 'heute', 'bestätigt', 'funktioniert', 'legt', 'lahm',
]);
const EN_WORDS = new Set([
  'the', 'and', 'or', 'is', 'are', 'was', 'were', 'of', 'for', 'with', 'on', 'to', 'not', 'after', 'users', 'has', 'have',
  'from', 'by', 'its', 'it', 'this', 'that', 'what', 'why', 'how', 'down', 'outage', 'issues', 'working', 'fixed', 'again',
  'people', 'many', 'now', 'today', 'you', 'your', 'can', 'cannot', "can't", 'affected', 'restored', 'says', 'hits', 'over',
]);

/**
 * `de` or `en` for `text`, decided by function words and German letters; `fallback` when the text
 * gives too little evidence either way.
 */
export function detectLanguage(text: string, fallback: Lang): Lang {
  const lower = text.normalize('NFC').toLowerCase();
  let de = (lower.match(/[äöüß]/g) ?? []).length * 0.5;
  let en = 0;
  for (const w of lower.split(/[^\p{L}']+/u)) {
    if (!w) continue;
    if (DE_WORDS.has(w)) de += 1;
    if (EN_WORDS.has(w)) en += 1;
  }
  if (Math.abs(de - en) < 1) return fallback;
  return de > en ? 'de' : 'en';
}
