import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weighted } from '../test/fixtures.js';
import { SmoothWeightedRoundRobin } from './smooth-weighted-round-robin.js';

describe('weighted_round_robin (smooth, nginx)', () => {
  it('gives exactly a a b a c a a for weights 5, 1, 1', () => {
    const list = weighted(5, 1, 1);
    const wrr = new SmoothWeightedRoundRobin();
    const picks = Array.from({ length: 14 }, () => wrr.pick(list)?.id).join(' ');
    expect(picks).toBe('a a b a c a a a a b a c a a');
  });

  it('is exact in every cycle and never more than one pick from its ideal share at any prefix', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 3 }), (weights, cycles) => {
        const list = weighted(...weights);
        const total = weights.reduce((a, b) => a + b, 0);
        const wrr = new SmoothWeightedRoundRobin();
        const tally = new Map<string, number>();
        for (let step = 1; step <= total * cycles; step++) {
          const id = wrr.pick(list)!.id;
          tally.set(id, (tally.get(id) ?? 0) + 1);
          for (const server of list) {
            const ideal = (step * server.weight) / total;
            expect(Math.abs((tally.get(server.id) ?? 0) - ideal)).toBeLessThan(1 + 1e-9);
          }
          if (step % total === 0) {
            for (const server of list) expect(tally.get(server.id)).toBe((server.weight * step) / total);
          }
        }
      }),
    );
  });

  it('carries scores over by id when the list changes, and skips weight 0', () => {
    const wrr = new SmoothWeightedRoundRobin();
    const list = weighted(2, 1);
    wrr.pick(list);
    const reordered = [list[1]!, list[0]!, { id: 'c', weight: 0, inFlight: 0 }];
    const picks = Array.from({ length: 6 }, () => wrr.pick(reordered)?.id);
    expect(picks.filter((id) => id === 'a')).toHaveLength(4);
    expect(picks).not.toContain('c');
    expect(wrr.pick(weighted(0, 0))).toBeUndefined();
  });
});
