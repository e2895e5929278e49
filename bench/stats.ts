/** Small statistics for benchmark figures: medians and ranges over rounds, percentiles over samples. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function range(values: readonly number[]): [number, number] {
  return values.length === 0 ? [NaN, NaN] : [Math.min(...values), Math.max(...values)];
}

/** The p-th percentile (nearest rank). */
export function pct(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** "1,234 (1,100–1,300)": the median, then the range when there is more than one value. */
export function medianAndRange(values: readonly number[], digits = 0): string {
  const fmt = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const [lo, hi] = range(values);
  return values.length > 1 ? `${fmt(median(values))} (${fmt(lo)}–${fmt(hi)})` : fmt(median(values));
}
