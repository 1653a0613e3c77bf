import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TestServer, weighted } from '../test/fixtures.js';
import { PeakEwma } from './peak-ewma.js';
import { PowerOfTwoChoices } from './power-of-two-choices.js';
import { createRandom } from './random-source.js';
import type { Algorithm } from './types.js';

const PICKS = 40_000;

/** The weight sets of the issue: skewed, one heavy, one light, two and three equal. */
const WEIGHT_SETS = [
  [1, 2, 3, 4],
  [1, 1, 8],
  [5, 1, 1],
  [1, 1],
  [1, 1, 1],
  [4, 2, 1, 1],
];

/** Picks `PICKS` times from `list` and returns each server's share of the picks, in list order. */
function shares(algorithm: Algorithm, list: readonly TestServer[]): number[] {
  const tally = new Array<number>(list.length).fill(0);
  for (let i = 0; i < PICKS; i++) tally[list.indexOf(algorithm.pick(list)!)]!++;
  return tally.map((count) => count / PICKS);
}

function expectWeightShares(algorithm: Algorithm, weights: readonly number[]): void {
  const total = weights.reduce((a, b) => a + b, 0);
  shares(algorithm, weighted(...weights)).forEach((share, i) => {
    const wanted = weights[i]! / total;
    expect(Math.abs(share / wanted - 1), `${algorithm.name} ${weights.join(':')} server ${i}: ${share} vs ${wanted}`).toBeLessThan(0.05);
  });
}

/**
 * The fast-check seed is pinned: 5% of a 10% share over 40,000 picks is 3.3 standard
 * deviations, so over a few dozen unpinned runs a correct algorithm would fail now and
 * then. The flattened shares this guards against miss by 15-200% (12.9/22.9/30.0/34.3% for
 * 1:2:3:4), which no seed hides.
 */
const PINNED = { seed: 20_240_601, numRuns: 12 };

describe('two choices with nothing in flight: picks follow the weights (Envoy least_request at zero load)', () => {
  it('p2c: each server gets weight / total weight of the picks, within 5%', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WEIGHT_SETS), fc.integer(), (weights, seed) => {
        expectWeightShares(new PowerOfTwoChoices(createRandom(seed)), weights);
      }),
      PINNED,
    );
  });

  it('peak_ewma with no latency sample yet: each server gets weight / total weight, within 5%', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WEIGHT_SETS), fc.integer(), (weights, seed) => {
        expectWeightShares(new PeakEwma(createRandom(seed), () => 0, 10_000), weights);
      }),
      PINNED,
    );
  });

  it('peak_ewma with equal estimates and equal weights: equal shares, within 5%', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer(), (count, seed) => {
        const ewma = new PeakEwma(createRandom(seed), () => 0, 10_000);
        const weights = new Array<number>(count).fill(3);
        weighted(...weights).forEach((server) => ewma.observe(server.id, 25));
        expectWeightShares(ewma, weights);
      }),
      PINNED,
    );
  });

  it('p2c, any weights: shares within 4.5 standard deviations of weight / total', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 7 }), fc.integer(), (weights, seed) => {
        const total = weights.reduce((a, b) => a + b, 0);
        shares(new PowerOfTwoChoices(createRandom(seed)), weighted(...weights)).forEach((share, i) => {
          const p = weights[i]! / total;
          expect(Math.abs(share - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / PICKS));
        });
      }),
      PINNED,
    );
  });
});

describe('two choices under load', () => {
  it('p2c never picks the server with the most in flight per unit of weight while two are eligible', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ weight: fc.integer({ min: 1, max: 9 }), inFlight: fc.nat(20) }), { minLength: 2, maxLength: 12 }),
        fc.nat(11),
        fc.integer(),
        (loads, worst, seed) => {
          const list = weighted(...loads.map((load) => load.weight));
          list.forEach((server, i) => (server.inFlight = loads[i]!.inFlight));
          const busiest = list[worst % list.length]!;
          busiest.inFlight = 1 + Math.max(...list.map((server) => Math.ceil((server.inFlight / server.weight) * busiest.weight)));
          const p2c = new PowerOfTwoChoices(createRandom(seed));
          for (let i = 0; i < 50; i++) expect(p2c.pick(list)).not.toBe(busiest);
        },
      ),
    );
  });
});
