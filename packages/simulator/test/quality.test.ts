import { beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../src/run-scenario.js';
import { runScenario } from '../src/run-scenario.js';
import { createScenario } from '../src/scenarios.js';

/**
 * The quality bar, on the scenario that separates load-aware policies from blind ones:
 * five servers of equal weight, one of them ten times slower, 70% of total capacity
 * offered. Round robin sends the slow server a fifth of the traffic, about six times what
 * it can serve, so its queue (and round robin's p99) grows without bound over the run.
 */
describe('quality bar: one-slow-server, default requests, seed 1', () => {
  let report: ScenarioReport;
  let p99: Record<string, number>;
  beforeAll(() => {
    report = runScenario(createScenario('one-slow-server'), {
      seed: 1,
      policies: ['round_robin', 'p2c', 'peak_ewma', 'adaptive', 'jsq_oracle'],
    });
    p99 = Object.fromEntries(report.results.map((result) => [result.policy, result.latency.p99]));
  });

  it.each(['p2c', 'peak_ewma', 'adaptive'])('%s reaches at most a third of round_robin p99', (policy) => {
    expect(p99[policy]!).toBeLessThanOrEqual(p99.round_robin! / 3);
  });

  it('peak_ewma p99 is within 1.5x of the JSQ oracle p99', () => {
    expect(p99.peak_ewma!).toBeLessThanOrEqual(1.5 * p99.jsq_oracle!);
  });

  it('load-aware policies keep up with the offered load; round robin does not', () => {
    const offered = report.scenario.arrivals.kind === 'poisson' ? report.scenario.arrivals.rate : Number.NaN;
    const throughput = Object.fromEntries(report.results.map((result) => [result.policy, result.throughput]));
    for (const policy of ['p2c', 'peak_ewma', 'adaptive', 'jsq_oracle']) {
      expect(throughput[policy]! / offered).toBeGreaterThan(0.97);
    }
    expect(throughput.round_robin! / offered).toBeLessThan(0.5);
  });
});
