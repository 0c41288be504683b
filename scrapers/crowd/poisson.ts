/**
 * Poisson tail probabilities in log space, so a count of thousands against a baseline of two gives
 * a finite score instead of an underflowed p = 0.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln P(X ≥ k) for X ~ Poisson(lambda). */
export function logPoissonTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (!(lambda > 0)) return Number.NEGATIVE_INFINITY;
  // Terms ln P(X = i) for i = k, k+1, … ; summed with a running log-sum-exp.
  let term = -lambda + k * Math.log(lambda) - logGamma(k + 1);
  let max = term;
  let sum = 1; // Σ exp(term_i − max)
  const logLambda = Math.log(lambda);
  for (let i = k + 1; i < k + 100_000; i++) {
    term += logLambda - Math.log(i);
    if (term > max) {
      sum = sum * Math.exp(max - term) + 1;
      max = term;
    } else {
      sum += Math.exp(term - max);
    }
    if (i > lambda && term - max < -40) break;
  }
  return Math.min(0, max + Math.log(sum));
}

/** Spike score: −log10 P(X ≥ count) under Poisson(baseline); 0 when the count is not surprising. */
export function poissonScore(count: number, baseline: number): number {
  return Math.max(0, -logPoissonTail(count, baseline) / Math.LN10);
}

/** ln B(a, b). */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-14) break;
  }
  return h;
}

/** ln I_x(a, b), the regularised incomplete beta function. */
export function logIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return Number.NEGATIVE_INFINITY;
  if (x >= 1) return 0;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return logFront + Math.log(betaContinuedFraction(x, a, b) / a);
  const complement = Math.exp(logFront) * (betaContinuedFraction(1 - x, b, a) / b);
  return Math.log(Math.max(Number.MIN_VALUE, 1 - complement));
}

/**
 * ln P(X ≥ k) for a negative binomial with the given mean and dispersion α (variance
 * mean + α·mean²): a Poisson whose rate itself varies (gamma), as crowd counts do. α = 0 is Poisson.
 */
export function logNegBinomialTail(k: number, mean: number, alpha: number): number {
  if (alpha <= 1e-9) return logPoissonTail(k, mean);
  if (k <= 0) return 0;
  if (!(mean > 0)) return Number.NEGATIVE_INFINITY;
  const r = 1 / alpha;
  // P(X ≥ k) = I_p(k, r) with p = mean / (r + mean).
  return Math.min(0, logIncompleteBeta(mean / (r + mean), k, r));
}

/** Spike score under over-dispersion: −log10 P(X ≥ count) for NB(baseline, α); Poisson when α = 0. */
export function dispersedScore(count: number, baseline: number, alpha: number): number {
  if (count <= baseline) return alpha <= 1e-9 ? poissonScore(count, baseline) : 0;
  return Math.max(0, -logNegBinomialTail(count, baseline, alpha) / Math.LN10);
}
