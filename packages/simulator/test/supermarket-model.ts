/**
 * Mitzenmacher's supermarket model ("The Power of Two Choices in Randomized Load
 * Balancing", IEEE TPDS 12(10), 2001): single-slot FIFO servers, exponential service of mean
 * 1, Poisson arrivals at rate rho per server; each arrival joins the shortest of d servers
 * drawn at random (d = 1 is random choice). As the number of servers grows, the fraction
 * s_i of servers holding at least i requests follows
 *
 *   ds_i/dt = rho (s_{i-1}^d - s_i^d) - (s_i - s_{i+1}),   s_0 = 1,
 *
 * whose fixed point is s_i = rho^(1 + d + ... + d^(i-1)). By Little's law the mean time in
 * system is the mean number per server over rho: sum_{i>=1} s_i / rho.
 */

/** The closed form: sum over i >= 1 of rho^(1 + d + ... + d^(i-1) - 1); for d = 2, sum rho^(2^i - 2). */
export function supermarketMeanTime(rho: number, d: number): number {
  let exponent = 0;
  let sum = 0;
  for (let i = 1; i <= 10_000; i++) {
    exponent = exponent * d + 1;
    const term = rho ** (exponent - 1);
    sum += term;
    if (term < 1e-18) break;
  }
  return sum;
}

/**
 * The same mean time by another route: integrate the differential equations from an empty
 * system (forward Euler, whose fixed points are the equations' own) until they stop moving,
 * then apply Little's law. Nothing here uses the closed form, so a wrong exponent there shows
 * as a mismatch. `levels` truncates the queue lengths (s_i is ~rho^i at worst, for d = 1).
 *
 * Cost: levels x steps; for rho = 0.9, d = 1 about 300 x 25,000 (the slowest mode decays at
 * (1 - sqrt(rho))^2 per unit of time), a few hundred ms; d = 2 converges in a few hundred steps.
 */
export function supermarketMeanTimeByIntegration(rho: number, d: number, levels = 300): number {
  const s = new Float64Array(levels + 2); // s[0] = 1 always; s[levels + 1] = 0 always
  const rate = new Float64Array(levels + 2);
  s[0] = 1;
  const dt = 0.9 / (1 + rho * d); // Euler is stable while dt x 2 (1 + rho d) < 2 (Gershgorin bound)
  for (let step = 0; step < 1_000_000; step++) {
    let largest = 0;
    for (let i = 1; i <= levels; i++) {
      rate[i] = rho * (s[i - 1]! ** d - s[i]! ** d) - (s[i]! - s[i + 1]!);
      largest = Math.max(largest, Math.abs(rate[i]!));
    }
    for (let i = 1; i <= levels; i++) s[i] = s[i]! + dt * rate[i]!;
    if (largest < 1e-13) break;
  }
  let customers = 0;
  for (let i = 1; i <= levels; i++) customers += s[i]!;
  return customers / rho;
}
