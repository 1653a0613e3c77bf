import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario, type ScenarioReport } from '../src/run-scenario.js';
import { createScenario } from '../src/scenarios.js';
import { simulate } from '../src/simulate.js';

/**
 * The bars of the load-reporting work (issue 15), on the named scenarios at their default
 * size and seed 1: deterministic, no timing. The figures are in the README.
 */
function p99s(report: ScenarioReport): Record<string, number> {
  return Object.fromEntries(report.results.map((result) => [result.policy, result.latency.p99]));
}

describe('bar: 4 balancers, 16 backends, 2 of them 16x slower, 80% load (two-slow-of-16)', () => {
  let p99: Record<string, number>;
  beforeAll(() => {
    p99 = p99s(runScenario(createScenario('two-slow-of-16'), { seed: 1, policies: ['least_connections', 'p2c', 'prequal', 'jsq_oracle'] }));
  });

  it('prequal p99 <= 0.5x least_connections', () => {
    expect(p99.prequal!).toBeLessThanOrEqual(0.5 * p99.least_connections!);
  });

  it('prequal p99 <= 0.5x p2c', () => {
    expect(p99.prequal!).toBeLessThanOrEqual(0.5 * p99.p2c!);
  });

  it('prequal p99 within 1.5x of the JSQ oracle, which sees every backend true queue', () => {
    expect(p99.prequal!).toBeLessThanOrEqual(1.5 * p99.jsq_oracle!);
  });
});

describe('bar: 1 balancer, 3 equal backends (three-equal)', () => {
  it('prequal loses at most 10% p99 against least_connections, at 3 probes per request', () => {
    const report = runScenario(createScenario('three-equal'), { seed: 1, policies: ['least_connections', 'prequal'] });
    const [leastConnections, prequal] = report.results;
    expect(prequal!.latency.p99).toBeLessThanOrEqual(1.1 * leastConnections!.latency.p99);
    expect(prequal!.probesPerRequest).toBe(3);
    expect(leastConnections!.probes).toBe(0);
    expect(prequal!.probeWork / (report.scenario.requests * 20)).toBeCloseTo(0.015, 6); // 3 x 0.1 ms per 20 ms request
  });
});

describe('bar: dynamic_weights on capacities 1:2:4, configured weights equal (capacity-shift)', () => {
  let picks: readonly (readonly number[])[];
  beforeAll(() => {
    const scenario = createScenario('capacity-shift');
    const result = simulate(scenario, 'dynamic_weights', { seed: 1, tuning: scenario.tuning!, timelineWindow: 1_000 });
    picks = result.timeline!.picks;
  });

  /** Each server's share of the picks in [from, to) seconds, over its target share. */
  function ratios(from: number, to: number, target: readonly number[]): number[] {
    const sums = target.map((_, s) => picks.slice(from, to).reduce((sum, row) => sum + row[s]!, 0));
    const total = sums.reduce((a, b) => a + b, 0);
    const targetTotal = target.reduce((a, b) => a + b, 0);
    return sums.map((count, s) => count / total / (target[s]! / targetTotal));
  }

  it('shares within 10% of 1:2:4 within 10 s of the start (over seconds 5-10)', () => {
    for (const ratio of ratios(5, 10, [1, 2, 4])) expect(Math.abs(ratio - 1)).toBeLessThanOrEqual(0.1);
  });

  it('back within 10% within 10 s of the capacity change to 4:2:1 at 30 s (over seconds 35-40)', () => {
    for (const ratio of ratios(35, 40, [4, 2, 1])) expect(Math.abs(ratio - 1)).toBeLessThanOrEqual(0.1);
  });

  it('was not there by chance: before the change the shares were 1:2:4, not 4:2:1', () => {
    expect(ratios(25, 30, [4, 2, 1])[0]!).toBeLessThan(0.5);
  });
});
