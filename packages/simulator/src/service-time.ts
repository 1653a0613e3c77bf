/**
 * How much work a request needs, in time units on a server of speed 1. A server of speed
 * `s` takes `work / s`. The work is drawn once per request, not per server, so every
 * policy faces the same demands and only where it sends them differs.
 *
 * - `exponential`: memoryless, the M/M/c assumption, which makes the closed forms of
 *   queueing theory checkable.
 * - `deterministic`: every request the same; isolates queueing caused by arrivals alone.
 * - `lognormal`: the heavy right tail real service times tend to have; `cv` is the
 *   coefficient of variation (standard deviation / mean).
 */
export type ServiceTimeDistribution =
  | { readonly kind: 'exponential'; readonly mean: number }
  | { readonly kind: 'deterministic'; readonly value: number }
  | { readonly kind: 'lognormal'; readonly mean: number; readonly cv: number };

/** The mean work of a request. */
export function meanServiceTime(distribution: ServiceTimeDistribution): number {
  return distribution.kind === 'deterministic' ? distribution.value : distribution.mean;
}

/** A sampler of request work drawing from `random` (uniform in [0, 1)). */
export function createServiceTimeSampler(distribution: ServiceTimeDistribution, random: () => number): () => number {
  validate(distribution);
  switch (distribution.kind) {
    case 'exponential': {
      const mean = distribution.mean;
      return () => exponential(random, mean);
    }
    case 'deterministic': {
      const value = distribution.value;
      return () => value;
    }
    case 'lognormal': {
      // Parameters of the underlying normal that give the requested mean and cv.
      const sigma2 = Math.log(1 + distribution.cv * distribution.cv);
      const sigma = Math.sqrt(sigma2);
      const mu = Math.log(distribution.mean) - sigma2 / 2;
      return () => Math.exp(mu + sigma * standardNormal(random));
    }
  }
}

/** An exponential variate by inversion; `1 - u` is in (0, 1], so the log is finite. */
export function exponential(random: () => number, mean: number): number {
  return -mean * Math.log(1 - random());
}

/** A standard normal variate (Box-Muller, one of the pair: simpler than caching, same distribution). */
function standardNormal(random: () => number): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return radius * Math.cos(2 * Math.PI * random());
}

function validate(distribution: ServiceTimeDistribution): void {
  const mean = meanServiceTime(distribution);
  if (!(mean > 0 && Number.isFinite(mean))) {
    throw new RangeError(`service time: mean must be a positive finite number, got ${mean}`);
  }
  if (distribution.kind === 'lognormal' && !(distribution.cv > 0 && Number.isFinite(distribution.cv))) {
    throw new RangeError(`service time: lognormal cv must be a positive finite number, got ${distribution.cv}`);
  }
}
