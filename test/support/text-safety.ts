/**
 * What "cleaned text" means everywhere external text lands: no C0/C1 control characters, no bidi
 * embeddings, overrides, isolates or marks, no zero-width or BOM characters, no lone surrogates.
 */

/** C0 (tab/newline/CR included: cleaned text is one line) and C1 controls, DEL. */
export const CONTROL_CHARS = /[\u0000-\u001F\u007F-\u009F]/u;
/** Bidi embeddings, overrides, isolates and marks (U+202E reverses what a reader sees). */
export const BIDI_CHARS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** Zero-width space, word joiner, BOM, soft hyphen. */
export const INVISIBLE_CHARS = /[\u00AD\u200B\u2060\uFEFF]/u;

/** A lone (unpaired) surrogate. */
export function hasLoneSurrogate(s: string): boolean {
  return !s.isWellFormed();
}

/** The unsafe characters found in `s`, as `U+XXXX` (empty when clean). */
export function unsafeCharsIn(s: string, options: { allowNewlines?: boolean } = {}): string[] {
  const found = new Set<string>();
  for (const ch of s) {
    if (options.allowNewlines && (ch === '\n' || ch === '\r' || ch === '\t')) continue;
    if (CONTROL_CHARS.test(ch) || BIDI_CHARS.test(ch) || INVISIBLE_CHARS.test(ch) || !ch.isWellFormed()) {
      found.add(`U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
    }
  }
  return [...found];
}
