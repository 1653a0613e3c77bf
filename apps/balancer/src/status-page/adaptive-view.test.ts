import { Adaptive, createRandom, DEFAULT_ADAPTIVE_THRESHOLDS, decideAdaptive } from '@lbpoc/algorithms';
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
      reports: { fresh: 0, eligible: 2 },
      slowest: null,
      fastest: null,
      latency_spread: null,
      thresholds: { high_load: 8, imbalance: 2, report_coverage: 0.5, report_max_age_ms: 1_000, latency_spread: 2, latency_min_samples: 16 },
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
          reports: 'prequal',
          latency_spread: 'prequal',
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

  it('shows the load-aware rules and their signals from the selector own explanation', () => {
    let time = 0;
    const selector = new Adaptive(DEFAULT_ADAPTIVE_THRESHOLDS, () => time, createRandom(1));
    for (let i = 0; i < 16; i++) {
      selector.observe('a', 10);
      selector.observe('b', 35);
    }
    const pool = [server('a', 9, 1), server('b', 0, 1)];
    const spread = adaptiveView(pool, selector.thresholds, 'round_robin', {}, selector.explain(pool));
    expect(spread).toMatchObject({
      choice: 'prequal',
      rule: 'latency_spread',
      reports: { fresh: 0, eligible: 2 },
      slowest: { id: 'b', latency_ms: 35, samples: 16 },
      fastest: { id: 'a', latency_ms: 10, samples: 16 },
      latency_spread: 3.5,
      busiest: { id: 'a', load: 9 },
    });
    time = 500;
    const reporting = pool.map((entry) => ({ ...entry, load: { inFlight: 1, receivedAt: 0 } }));
    expect(adaptiveView(reporting, selector.thresholds, 'prequal', {}, selector.explain(reporting))).toMatchObject({
      choice: 'prequal',
      rule: 'reports',
      reports: { fresh: 2, eligible: 2 },
    });
    const calm = new Adaptive(DEFAULT_ADAPTIVE_THRESHOLDS, () => time, createRandom(1));
    expect(adaptiveView(pool, calm.thresholds, 'round_robin', {}, calm.explain(pool))).toMatchObject({ choice: 'least_connections', rule: 'high_load' });
  });
});
