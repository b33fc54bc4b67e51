/** Small statistics over samples (milliseconds or microseconds). */

/** The value at quantile `q` (0..1) by nearest rank; NaN for no samples. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** The median (mean of the two middle values for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export const p90 = (samples: readonly number[]): number => quantile(samples, 0.9);

/** `ours / baseline`, NaN when the baseline is 0 or missing. */
export function ratio(ours: number, baseline: number): number {
  return baseline > 0 && Number.isFinite(baseline) ? ours / baseline : Number.NaN;
}

/** Milliseconds from a `process.hrtime.bigint()` start until now. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
