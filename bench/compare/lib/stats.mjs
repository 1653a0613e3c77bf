/**
 * Summary statistics of one algorithm's run. Percentiles by the nearest-rank method on the
 * sorted latencies (no interpolation): p99 of 1000 samples is the 990th smallest.
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * @param {{ algorithm: string, samples: { ms: number, status: number, backend: string | null }[], seconds: number }} run
 */
export function summarize({ algorithm, samples, seconds }) {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const errors = samples.filter((s) => s.status < 200 || s.status >= 400).length;
  const perBackend = new Map();
  for (const { backend } of samples) {
    const key = backend ?? '(none)';
    perBackend.set(key, (perBackend.get(key) ?? 0) + 1);
  }
  const shares = Object.fromEntries([...perBackend].sort(([a], [b]) => a.localeCompare(b)).map(([backend, count]) => [backend, count / samples.length]));
  return {
    algorithm,
    requests: samples.length,
    rps: seconds > 0 ? samples.length / seconds : 0,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    errors,
    shares,
  };
}
