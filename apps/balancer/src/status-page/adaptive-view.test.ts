import { DEFAULT_ADAPTIVE_THRESHOLDS, decideAdaptive } from '@lbpoc/algorithms';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adaptiveView } from './adaptive-view.js';

const server = (id: string, inFlight: number, weight: number) => ({ id, inFlight, weight });

describe('adaptiveView', () => {
  it('names the busiest and least busy backend per unit of weight and the rule that decided', () => {
    const view = adaptiveView([server('a', 9, 1), server('b', 2, 2), server('c', 0, 0)], DEFAULT_ADAPTIVE_THRESHOLDS, 'weighted_round_robin', {
      least_connections: 3,
    });
    expect(view).toEqual({
      choice: 'least_connections',
      rule: 'high_load',
      last_used: 'weighted_round_robin',
      busiest: { id: 'a', in_flight: 9, weight: 1, load: 9 },
      least_busy: { id: 'b', in_flight: 2, weight: 2, load: 1 },
      gap: 8,
      thresholds: { high_load: 8, imbalance: 2 },
      decisions_per_s: { least_connections: 3 },
    });
    expect(adaptiveView([server('a', 3, 1), server('b', 1, 1)], DEFAULT_ADAPTIVE_THRESHOLDS, 'round_robin', {}).rule).toBe('imbalance');
    expect(adaptiveView([server('a', 1, 1), server('b', 1, 3)], DEFAULT_ADAPTIVE_THRESHOLDS, 'round_robin', {})).toMatchObject({
      rule: 'unequal_weights',
      choice: 'weighted_round_robin',
    });
    expect(adaptiveView([server('a', 1, 2), server('b', 1, 2)], DEFAULT_ADAPTIVE_THRESHOLDS, 'round_robin', {})).toMatchObject({
      rule: 'equal_weights',
      choice: 'round_robin',
    });
    expect(adaptiveView([server('a', 1, 0)], DEFAULT_ADAPTIVE_THRESHOLDS, 'round_robin', {})).toMatchObject({
      rule: 'no_backend',
      choice: null,
      busiest: null,
      gap: null,
    });
  });

  it('gives the rule that leads to the choice decideAdaptive makes, for any pool', () => {
    const pool = fc.array(fc.record({ inFlight: fc.nat(30), weight: fc.nat(5) }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(pool, (entries) => {
        const servers = entries.map((entry, i) => server(`s${i}`, entry.inFlight, entry.weight));
        const view = adaptiveView(servers, DEFAULT_ADAPTIVE_THRESHOLDS, 'round_robin', {});
        if (view.rule === 'no_backend') return;
        const expected = {
          high_load: 'least_connections',
          imbalance: 'least_connections',
          unequal_weights: 'weighted_round_robin',
          equal_weights: 'round_robin',
        }[view.rule];
        expect(view.choice).toBe(expected);
        expect(view.choice).toBe(decideAdaptive(servers, DEFAULT_ADAPTIVE_THRESHOLDS));
      }),
    );
  });
});
