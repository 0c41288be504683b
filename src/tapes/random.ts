/**
 * Seeded randomness for tape generators: the same tape and seed give the same reports on every
 * machine (mulberry32 + FNV-1a salt; no Math.random).
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  poisson(mean: number): number;
  /** Gamma(shape, scale), Marsaglia–Tsang. */
  gamma(shape: number, scale: number): number;
  /** A key of `shares` drawn by its share, or null for the remainder (shares sum ≤ 1). */
  pickShare<K extends string>(shares: Partial<Record<K, number>> | undefined): K | null;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRandom(seed: number, salt = ''): Random {
  let state = (fnv1a(`${seed}:${salt}`) ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  const gamma = (shape: number, scale: number): number => {
    if (shape < 1) return gamma(shape + 1, scale) * Math.pow(Math.max(next(), 1e-12), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = next();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  };
  const poisson = (mean: number): number => {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = next();
    while (p > limit) {
      k++;
      p *= next();
    }
    return k;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    poisson,
    gamma,
    pickShare<K extends string>(shares: Partial<Record<K, number>> | undefined): K | null {
      if (!shares) return null;
      let u = next();
      for (const [key, share] of Object.entries(shares) as [K, number][]) {
        if (u < share) return key;
        u -= share;
      }
      return null;
    },
  };
}
