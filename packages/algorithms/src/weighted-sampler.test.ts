import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weighted } from '../test/fixtures.js';
import { createRandom } from './random-source.js';
import { WeightedSampler } from './weighted-sampler.js';

describe('WeightedSampler (alias method)', () => {
  it('draws each server in proportion to its weight and never a weight-0 one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 8 }), fc.integer(), (weights, seed) => {
        const total = weights.reduce((a, b) => a + b, 0);
        fc.pre(total > 0);
        const sampler = new WeightedSampler();
        const list = weighted(...weights);
        sampler.prepare(list);
        const random = createRandom(seed);
        const draws = 20_000;
        const tally = new Array<number>(weights.length).fill(0);
        for (let i = 0; i < draws; i++) tally[sampler.draw(random)]!++;
        weights.forEach((weight, i) => {
          if (weight === 0) expect(tally[i]).toBe(0);
          else expect(Math.abs(tally[i]! / draws - weight / total)).toBeLessThan(0.02);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('rebuilds its table when the array or its length changes, and only then', () => {
    const sampler = new WeightedSampler();
    const list = weighted(1, 3);
    sampler.prepare(list);
    expect(sampler.totalWeight).toBe(4);
    // Re-weighted in place, which the contract says callers do not do (they pass a new
    // array): a rebuild would read the new weight, so an unchanged total shows the table was kept.
    list[1]!.weight = 7;
    sampler.prepare(list);
    expect(sampler.totalWeight).toBe(4);
    list.push({ id: 'c', weight: 2, inFlight: 0 }); // the same array, longer: rebuilt
    sampler.prepare(list);
    expect(sampler.totalWeight).toBe(10);
    sampler.prepare(weighted(1, 1, 1)); // a new array: rebuilt
    expect(sampler.totalWeight).toBe(3);
  });
});
