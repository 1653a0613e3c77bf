import { ALGORITHM_NAMES } from '@lbpoc/algorithms';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/run-scenario.js';
import { createScenario, SCENARIO_NAMES } from '../src/scenarios.js';

/**
 * Issue 15's bar for the default algorithm: in every scenario, adaptive's p99 within 1.1x
 * of the best fixed algorithm's (every other wire name; the JSQ oracle is not an
 * algorithm a balancer can run). Default size, seed 1: deterministic, no timing. The
 * figures are in the README.
 */
const FIXED = ALGORITHM_NAMES.filter((name) => name !== 'adaptive');

describe('bar: adaptive p99 within 1.1x of the best fixed algorithm, per scenario (seed 1)', () => {
  it.each(SCENARIO_NAMES)(
    '%s',
    (name) => {
      const report = runScenario(createScenario(name), { seed: 1, policies: [...FIXED, 'adaptive'] });
      const p99 = new Map(report.results.map((result) => [result.policy, result.latency.p99]));
      const best = Math.min(...FIXED.map((policy) => p99.get(policy)!));
      expect(p99.get('adaptive')!).toBeLessThanOrEqual(1.1 * best);
    },
    60_000,
  );
});

describe('adaptive: its choices on the scenarios, by rule', () => {
  it('keeps to the seed tree where nothing reports and latencies hardly differ (homogeneous)', () => {
    const { decisions } = runScenario(createScenario('homogeneous', { requests: 20_000 }), { seed: 1, policies: ['adaptive'] }).results[0]!;
    expect((decisions.round_robin ?? 0) + (decisions.least_connections ?? 0)).toBeGreaterThan(0.8 * 20_000);
  });

  it('goes to prequal where a server is slower (one-slow-server: latency spread) and where backends report (two-slow-of-16)', () => {
    for (const name of ['one-slow-server', 'two-slow-of-16'] as const) {
      const { decisions } = runScenario(createScenario(name, { requests: 20_000 }), { seed: 1, policies: ['adaptive'] }).results[0]!;
      expect(decisions.prequal ?? 0).toBeGreaterThan(0.9 * 20_000);
    }
  });

  it('probes only while it delegates to prequal, so about as much as prequal', () => {
    const [adaptive, prequal] = runScenario(createScenario('three-equal', { requests: 20_000 }), { seed: 1, policies: ['adaptive', 'prequal'] }).results;
    expect(adaptive!.probesPerRequest).toBeGreaterThan(2.9);
    expect(adaptive!.probesPerRequest).toBeLessThanOrEqual(prequal!.probesPerRequest);
  });
});
