/** Latency statistics of a run, in the model's time unit. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Summarises `values` (sorted in place). Percentiles use the nearest-rank definition, the
 * value at rank ceil(p * n): always an observed latency, never an interpolation.
 */
export function summarizeLatencies(values: Float64Array): LatencySummary {
  const count = values.length;
  if (count === 0) return { count, mean: Number.NaN, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN };
  values.sort();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i]!;
  return {
    count,
    mean: sum / count,
    p50: percentile(values, 0.5),
    p90: percentile(values, 0.9),
    p99: percentile(values, 0.99),
    max: values[count - 1]!,
  };
}

/** Nearest-rank percentile of sorted, non-empty `sorted`; `p` in (0, 1]. */
export function percentile(sorted: Float64Array, p: number): number {
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
