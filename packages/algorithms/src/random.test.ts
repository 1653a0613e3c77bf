import { describe, expect, it } from 'vitest';
import { counts, weighted } from '../test/fixtures.js';
import { WeightedRandom } from './random.js';
import { createRandom } from './random-source.js';

describe('random (weighted)', () => {
  it('follows the weights and never picks a drained server', () => {
    const list = weighted(3, 1, 0);
    const random = new WeightedRandom(createRandom(42));
    const tally = counts(Array.from({ length: 40_000 }, () => random.pick(list)!.id));
    expect(tally.get('c')).toBeUndefined();
    expect(tally.get('a')! / tally.get('b')!).toBeGreaterThan(2.8);
    expect(tally.get('a')! / tally.get('b')!).toBeLessThan(3.2);
  });

  it('is reproducible from its seed', () => {
    const list = weighted(1, 1, 1, 1);
    const run = () =>
      Array.from(
        { length: 50 },
        (
          (r) => () =>
            r.pick(list)!.id
        )(new WeightedRandom(createRandom(9))),
      );
    expect(run()).toEqual(run());
  });

  it('answers undefined for an empty or fully drained list', () => {
    const random = new WeightedRandom(createRandom(1));
    expect(random.pick([])).toBeUndefined();
    expect(random.pick(weighted(0, 0))).toBeUndefined();
  });
});
