/**
 * Content-coding negotiation for precompressed files (RFC 9110 §12.5.3). Pure.
 */

export type Coding = 'br' | 'gzip' | 'identity';

/** Our preference when the client weighs codings equally: smallest first. */
const PREFERENCE: readonly Coding[] = ['br', 'gzip', 'identity'];

/** q-value per coding named in an Accept-Encoding header (`*` under its own key). */
export function parseAcceptEncoding(header: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of header.split(',')) {
    const [nameRaw, ...params] = part.split(';');
    const name = nameRaw!.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) q = Math.min(1, Math.max(0, Number(m[1]) || 0));
    }
    // x-gzip is gzip (RFC 9110 §8.4.1.3).
    out.set(name === 'x-gzip' ? 'gzip' : name, q);
  }
  return out;
}

const weightOf = (accept: Map<string, number>, coding: Coding): number => {
  const explicit = accept.get(coding);
  if (explicit !== undefined) return explicit;
  const star = accept.get('*');
  if (star !== undefined) return star;
  // identity is acceptable unless refused explicitly or by `*;q=0`.
  return coding === 'identity' ? 1 : 0;
};

/**
 * The coding to send, given the client's Accept-Encoding and the variants a file has. Falls back to
 * identity (never a 406: an uncompressed body is always better than none).
 */
export function chooseCoding(acceptEncoding: string | undefined, available: { br: boolean; gzip: boolean }): Coding {
  if (!acceptEncoding || (!available.br && !available.gzip)) return 'identity';
  // The two headers browsers send, without parsing.
  if (acceptEncoding === 'gzip, deflate, br, zstd' || acceptEncoding === 'gzip, deflate, br') return available.br ? 'br' : 'gzip';
  const accept = parseAcceptEncoding(acceptEncoding);
  let best: Coding = 'identity';
  let bestQ = 0;
  for (const coding of PREFERENCE) {
    if (coding !== 'identity' && !available[coding]) continue;
    const q = weightOf(accept, coding);
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}
