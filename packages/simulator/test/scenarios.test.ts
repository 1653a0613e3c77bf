import { describe, expect, it } from 'vitest';
import { meanArrivalRate } from '../src/arrivals.js';
import { capacityOf, offeredLoadOf } from '../src/model.js';
import { createScenario, SCENARIO_NAMES } from '../src/scenarios.js';

describe('named scenarios', () => {
  it.each(SCENARIO_NAMES)('%s offers 70% of capacity', (name) => {
    expect(offeredLoadOf(createScenario(name))).toBeCloseTo(0.7, 10);
  });

  it('homogeneous: 5 equal servers, Poisson', () => {
    const scenario = createScenario('homogeneous');
    expect(scenario.servers).toHaveLength(5);
    expect(new Set(scenario.servers.map((s) => `${s.speed}/${s.weight}/${s.concurrency}`)).size).toBe(1);
    expect(scenario.arrivals.kind).toBe('poisson');
  });

  it('one-slow-server: one of 5 is ten times slower, weights all equal', () => {
    const scenario = createScenario('one-slow-server');
    expect(scenario.servers.map((s) => s.speed)).toEqual([1, 1, 1, 1, 0.1]);
    expect(scenario.servers.map((s) => s.weight)).toEqual([1, 1, 1, 1, 1]);
    // 70% of the total capacity including the slow server: 0.7 x 4.1 server-equivalents.
    expect(meanArrivalRate(scenario.arrivals) / capacityOf({ servers: scenario.servers.slice(0, 4), service: scenario.service })).toBeCloseTo(
      (0.7 * 4.1) / 4,
      10,
    );
  });

  it('heterogeneous-weights: speeds 4, 2, 1, 1 with matching weights', () => {
    const scenario = createScenario('heterogeneous-weights');
    expect(scenario.servers.map((s) => s.speed)).toEqual([4, 2, 1, 1]);
    expect(scenario.servers.map((s) => s.weight)).toEqual([4, 2, 1, 1]);
  });

  it('bursty: on/off arrivals on equal servers', () => {
    const scenario = createScenario('bursty');
    expect(scenario.arrivals.kind).toBe('on-off');
    expect(new Set(scenario.servers.map((s) => s.speed)).size).toBe(1);
  });

  it('takes the request count', () => {
    expect(createScenario('bursty', { requests: 1234 }).requests).toBe(1234);
  });
});
