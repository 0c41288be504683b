/** Small statistics for benchmark samples. Pure. */

/** The median (mean of the two middle values for an even count); null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** How several runs of one figure are folded into the value the table shows. */
export type Aggregate = 'median' | 'max' | 'min';

export function aggregate(values: readonly number[], how: Aggregate): number | null {
  if (values.length === 0) return null;
  if (how === 'max') return Math.max(...values);
  if (how === 'min') return Math.min(...values);
  return median(values);
}
