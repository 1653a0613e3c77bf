import { LATE_MS } from './load.mjs';

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

/** mulberry32: a small seeded generator of uniform numbers in [0, 1), so a CI is reproducible. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A bootstrap confidence interval for the `p`-th percentile (nearest rank) of samples that
 * come in groups (the repetitions of a run), two-stage: each of `resamples` times, draw as
 * many groups as there are, with replacement, then within each drawn group as many values
 * as it has, with replacement; take the `p`-th percentile of all drawn values. The interval
 * is the (1 - level) / 2 and (1 + level) / 2 quantiles of those percentiles (the percentile
 * method). Resampling the groups too makes the interval widen when the repetitions
 * disagree (drift of the machine between them), which resampling the pooled requests alone
 * hides. With one group it is the plain bootstrap of that group's values. Seeded: the same
 * data give the same interval. A resample is drawn as counts per rank of the sorted pooled
 * values (O(n) each, no sort).
 *
 * @param {number[][]} groups
 * @returns {{ low: number, high: number, level: number, resamples: number, groups: number }}
 */
export function groupedBootstrapPercentileCI(groups, p, { resamples = 2000, level = 0.95, seed = 1 } = {}) {
  const nonEmpty = groups.filter((g) => g.length > 0);
  const n = nonEmpty.reduce((sum, g) => sum + g.length, 0);
  if (n === 0) return { low: Number.NaN, high: Number.NaN, level, resamples, groups: 0 };
  // Every value's rank in the pooled sorted order, group by group.
  const pooled = nonEmpty.flatMap((g, gi) => g.map((value, i) => ({ value, gi, i })));
  pooled.sort((a, b) => a.value - b.value);
  const sorted = pooled.map((x) => x.value);
  const rankIn = nonEmpty.map((g) => new Uint32Array(g.length));
  pooled.forEach((x, rank) => {
    rankIn[x.gi][x.i] = rank;
  });
  const random = seededRandom(seed);
  const counts = new Uint32Array(n);
  const estimates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    let total = 0;
    for (let k = 0; k < nonEmpty.length; k++) {
      const ranks = rankIn[Math.floor(random() * nonEmpty.length)];
      for (let i = 0; i < ranks.length; i++) counts[ranks[Math.floor(random() * ranks.length)]]++;
      total += ranks.length;
    }
    const target = Math.min(total, Math.max(1, Math.ceil((p / 100) * total)));
    let seen = 0;
    let index = 0;
    while ((seen += counts[index]) < target) index++;
    estimates[r] = sorted[index];
  }
  estimates.sort();
  return {
    low: percentile(estimates, (100 * (1 - level)) / 2),
    high: percentile(estimates, (100 * (1 + level)) / 2),
    level,
    resamples,
    groups: nonEmpty.length,
  };
}

/** The plain percentile bootstrap of one set of values: `groupedBootstrapPercentileCI` with one group. */
export function bootstrapPercentileCI(values, p, options) {
  return groupedBootstrapPercentileCI([values], p, options);
}

/**
 * A run without its first `seconds` (a warm-up: fresh processes, cold connections and JIT):
 * only the requests due from then on, and the run's time from then on.
 */
export function afterWarmup(run, seconds) {
  if (!(seconds > 0)) return run;
  return { ...run, samples: run.samples.filter((s) => s.due >= seconds), seconds: Math.max(0, run.seconds - seconds) };
}

/**
 * Several repetitions of one algorithm, pooled: the summary of all their samples together,
 * a two-stage bootstrap CI on the pooled p99 (repetitions, then requests within them), and
 * each repetition's own p99 (to show drift).
 *
 * @param {{ algorithm: string, runs: { samples: object[], seconds: number, late?: number, capped?: number, maxLateMs?: number }[], seed?: number }} pooled
 */
export function summarizeRepetitions({ algorithm, runs, seed = 1 }) {
  const samples = runs.flatMap((run) => run.samples);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const summary = summarize({ algorithm, samples, seconds });
  const p99s = runs.map((run) =>
    percentile(
      run.samples.map((s) => s.ms).sort((a, b) => a - b),
      99,
    ),
  );
  return {
    ...summary,
    repetitions: runs.length,
    repetitionP99: p99s,
    ci: groupedBootstrapPercentileCI(
      runs.map((run) => run.samples.map((s) => s.ms)),
      99,
      { seed },
    ),
    late: samples.filter((s) => s.lateMs > LATE_MS).length,
    capped: runs.reduce((sum, run) => sum + (run.capped ?? 0), 0),
    maxLateMs: Math.max(0, ...runs.map((run) => run.maxLateMs ?? 0)),
  };
}
