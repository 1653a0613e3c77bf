import { describe, expect, it } from 'vitest';
import type { SimulationModel } from '../src/model.js';
import { simulate } from '../src/simulate.js';
import { supermarketMeanTime, supermarketMeanTimeByIntegration } from './supermarket-model.js';

/**
 * Checks the simulator against queueing theory, where exact answers are known.
 *
 * Model: 100 identical servers, one slot each, exponential service of mean 1, Poisson
 * arrivals at rate 90 (load rho = 0.9 per server).
 *
 * - random: each server receives an independent Poisson stream of rate 0.9 (thinning), so
 *   each is an M/M/1 queue, whose mean time in system is 1 / (mu - lambda) =
 *   1 / (1 - 0.9) = 10 service times.
 * - p2c: Mitzenmacher's supermarket model (`supermarket-model.ts`). As n -> infinity the
 *   fraction of servers with at least i requests is rho^(2^i - 1), which gives the mean time
 *   in system sum_{i>=1} rho^(2^i - 2) = 1 + 0.9^2 + 0.9^6 + 0.9^14 + 0.9^30 + ... = 2.6141.
 *   With n = 100 the true value is a little higher (about 1%), well inside the tolerance.
 *   The first test checks these closed forms against the model's differential equations,
 *   integrated numerically, and against the M/M/1 figure, so a wrong formula fails there.
 *
 * Why 2,000,000 requests with 200,000 discarded: the system starts empty, and an M/M/1
 * queue at rho = 0.9 forgets its start only after ~1 / (1 - sqrt(rho))^2 = ~380 service
 * times; 200,000 arrivals at rate 90 span ~2,200, so the measured requests see a
 * steady state. The time-in-system of consecutive customers is strongly correlated at
 * this load (asymptotic variance of the mean ~ 3.6e4 / n for M/M/1), so 1.8 million
 * measured requests give a standard error of ~1.4% for random; 5% is ~3.5 standard errors.
 * p2c's queues are short and its estimate much tighter. Seed 1 is fixed, so the outcome
 * is reproducible (it measured 10.01 and 2.634).
 */
const model: SimulationModel = {
  servers: Array.from({ length: 100 }, (_, i) => ({ id: `server-${i}`, concurrency: 1, speed: 1 })),
  service: { kind: 'exponential', mean: 1 },
  arrivals: { kind: 'poisson', rate: 90 },
  clients: { count: 1_000, distribution: 'uniform' },
  requests: 2_000_000,
  warmup: 200_000,
};

const RHO = 0.9;
const RANDOM_MEAN = supermarketMeanTime(RHO, 1);
const P2C_MEAN = supermarketMeanTime(RHO, 2);

describe('theory check: 100 M/M/1 servers at 90% load', () => {
  it('the closed forms agree with the M/M/1 queue and with the supermarket model integrated numerically', () => {
    // One choice is random choice: each server an M/M/1 queue, 1 / (1 - rho) service times.
    expect(RANDOM_MEAN).toBeCloseTo(10, 9);
    expect(supermarketMeanTimeByIntegration(RHO, 1)).toBeCloseTo(10, 6);
    // Two (and three) choices: the closed form is the fixed point of the equations it solves.
    expect(supermarketMeanTimeByIntegration(RHO, 2)).toBeCloseTo(P2C_MEAN, 8);
    expect(supermarketMeanTimeByIntegration(RHO, 3)).toBeCloseTo(supermarketMeanTime(RHO, 3), 8);
    expect(P2C_MEAN).toBeCloseTo(2.6141, 4); // the figure quoted above and in the README
  });

  it('random choice: mean time in system within 5% of 1 / (1 - rho) = 10', { timeout: 60_000 }, () => {
    const { latency } = simulate(model, 'random', { seed: 1 });
    expect(latency.count).toBe(1_800_000);
    expect(Math.abs(latency.mean / RANDOM_MEAN - 1)).toBeLessThan(0.05);
  });

  it('power of two choices: mean time in system within 5% of sum rho^(2^i - 2) = 2.61', { timeout: 60_000 }, () => {
    const { latency } = simulate(model, 'p2c', { seed: 1 });
    expect(Math.abs(latency.mean / P2C_MEAN - 1)).toBeLessThan(0.05);
  });
});
