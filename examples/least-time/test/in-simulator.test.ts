import { loadAlgorithmPlugins } from '@lbpoc/algorithms';
import { createScenario, renderReport, runScenario, type ScenarioReport } from '@lbpoc/simulator';
import { beforeAll, describe, expect, it } from 'vitest';

/*
 * least_time loaded as `lbpoc-sim --algorithm-module ./least-time.ts` loads it (from this
 * directory, by path), then run through the simulator's public API beside every built-in
 * algorithm and the JSQ oracle, on the same traffic.
 */
const base = new URL('../', import.meta.url);

let reports: Record<'one-slow-server' | 'capacity-drop', ScenarioReport>;

beforeAll(async () => {
  const plugins = await loadAlgorithmPlugins(['./least-time.ts'], { base });
  expect(plugins.map((plugin) => plugin.name)).toEqual(['least_time']);
  // 20,000 requests per policy: p99 rests on ~180 samples, and both scenarios run in about a second.
  reports = {
    'one-slow-server': runScenario(createScenario('one-slow-server', { requests: 20_000 }), { seed: 1, plugins }),
    'capacity-drop': runScenario(createScenario('capacity-drop', { requests: 20_000 }), { seed: 1, plugins }),
  };
});

function resultOf(report: ScenarioReport, policy: string) {
  const result = report.results.find((candidate) => candidate.policy === policy);
  if (result === undefined) throw new Error(`no ${policy} in ${report.results.map((r) => r.policy).join(', ')}`);
  return result;
}

describe('least_time in the simulator', () => {
  it('one-slow-server: keeps clear of the 10x slower server, where round robin queues without bound', () => {
    const report = reports['one-slow-server'];
    const leastTime = resultOf(report, 'least_time');
    const roundRobin = resultOf(report, 'round_robin');
    // Round robin sends the slow server a fifth of the traffic, twice what it can serve.
    expect(roundRobin.shares.at(-1)).toBeCloseTo(0.2, 2);
    expect(leastTime.shares.at(-1)).toBeLessThan(0.05);
    expect(leastTime.latency.p99).toBeLessThan(roundRobin.latency.p99 / 10);
    // Within reach of the oracle, which knows every server's true speed (seed 1: 103 vs 133 ms).
    expect(leastTime.latency.p99).toBeLessThan(1.5 * resultOf(report, 'jsq_oracle').latency.p99);
    expect(leastTime.dropped).toBe(0);
  });

  it('capacity-drop: four balancers, each with its own instance, route around the slowed backend', () => {
    const report = reports['capacity-drop'];
    const leastTime = resultOf(report, 'least_time');
    expect(leastTime.balancers).toBe(4);
    // Seed 1: 101 ms against round robin's 756 and least_connections' 105.
    expect(leastTime.latency.p99).toBeLessThan(resultOf(report, 'round_robin').latency.p99 / 2);
    expect(leastTime.latency.p99).toBeLessThan(1.2 * resultOf(report, 'least_connections').latency.p99);
    // It does not declare loadAware, so its balancers send no probes, unlike prequal's.
    expect(leastTime.probes).toBe(0);
    expect(resultOf(report, 'prequal').probes).toBeGreaterThan(0);
  });

  it('is a row of the report, after the built-in algorithms and before the oracle, with its description', () => {
    const report = reports['one-slow-server'];
    expect(report.results.map((result) => result.policy).slice(-2)).toEqual(['least_time', 'jsq_oracle']);
    const table = renderReport(report);
    expect(table).toMatch(/^least_time\s+\d/m);
    expect(table).toContain('algorithm plugins: least_time (lowest recent latency x (in flight + 1) / weight');
  });
});
