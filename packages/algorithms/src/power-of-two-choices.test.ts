import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counts, servers, weighted } from '../test/fixtures.js';
import { PowerOfTwoChoices } from './power-of-two-choices.js';
import { createRandom } from './random-source.js';

describe('p2c', () => {
  it('of the two servers it draws, takes the less loaded', () => {
    // A random source that draws index 0, then index 1 (equal weights: one number per draw).
    const draws = [0.0, 0.4];
    const list = servers(3);
    list[0]!.inFlight = 5;
    list[1]!.inFlight = 1;
    const p2c = new PowerOfTwoChoices(() => draws.shift() ?? 0);
    expect(p2c.pick(list)?.id).toBe('s1');
  });

  it('never picks the most loaded server when at least two are less loaded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 50 }), fc.integer(), (n, seed) => {
        const list = servers(n);
        list[0]!.inFlight = 100;
        const p2c = new PowerOfTwoChoices(createRandom(seed));
        for (let i = 0; i < 50; i++) expect(p2c.pick(list)?.id).not.toBe('s0');
      }),
    );
  });

  it('draws candidates in proportion to weight, so idle servers get their weight share', () => {
    const list = weighted(4, 2, 1, 1);
    const p2c = new PowerOfTwoChoices(createRandom(21));
    const tally = counts(Array.from({ length: 8000 }, () => p2c.pick(list)!.id));
    // Idle servers tie and a tie keeps the first draw, which is 'a' with probability
    // 4 / 8 = 0.5. Drawn uniformly it would be 0.25 whatever its weight; redrawing both
    // candidates when they coincide made it 0.5 x 0.5 / (1 - sum p^2) = 0.381.
    expect(tally.get('a')! / 8000).toBeCloseTo(0.5, 1);
    expect(tally.get('d')! / 8000).toBeCloseTo(0.125, 1);
  });

  it('finds the one eligible server in a mostly drained list', () => {
    const list = servers(50, 0);
    list[37]!.weight = 1;
    const p2c = new PowerOfTwoChoices(createRandom(7));
    for (let i = 0; i < 20; i++) expect(p2c.pick(list)?.id).toBe('s37');
    expect(p2c.pick(servers(5, 0))).toBeUndefined();
  });

  it('stays in range even with a random source that returns 1', () => {
    const list = servers(4);
    expect(list).toContain(new PowerOfTwoChoices(() => 0.9999999999999999).pick(list));
    expect(list).toContain(new PowerOfTwoChoices(() => 1).pick(list));
  });
});
