import { describe, expect, it } from 'vitest';
import { meanArrivalRate } from '../src/arrivals.js';
import { capacityOf, offeredLoadOf } from '../src/model.js';
import { createScenario, SCENARIO_NAMES } from '../src/scenarios.js';

/** Offered load of each scenario: 80% where the issue asks for it, 70% elsewhere. */
const LOADS: Record<(typeof SCENARIO_NAMES)[number], number> = {
  homogeneous: 0.7,
  'one-slow-server': 0.7,
  'heterogeneous-weights': 0.7,
  bursty: 0.7,
  'three-equal': 0.7,
  'two-slow-of-16': 0.8,
  'two-slow-of-16-x16': 0.8,
  'capacity-drop': 0.7,
  'outside-load': 0.7,
  'capacity-shift': 0.7,
};

describe('named scenarios', () => {
  it.each(SCENARIO_NAMES)('%s offers its load', (name) => {
    expect(offeredLoadOf(createScenario(name))).toBeCloseTo(LOADS[name], 10);
  });

  it('two-slow-of-16: 16 servers, 2 of them 16x slower, 4 balancers (16 for the x16 variant), probing', () => {
    const scenario = createScenario('two-slow-of-16');
    expect(scenario.servers.map((s) => s.speed)).toEqual([...Array<number>(14).fill(1), 1 / 16, 1 / 16]);
    expect(new Set(scenario.servers.map((s) => s.weight))).toEqual(new Set([1]));
    expect(scenario.balancers).toBe(4);
    expect(createScenario('two-slow-of-16-x16').balancers).toBe(16);
    expect(scenario.reporting).toEqual({ onResponse: true, probesPerRequest: 3, probeDelay: 1, probeCost: 0.1 });
  });

  it('three-equal: 1 balancer, 3 equal servers', () => {
    const scenario = createScenario('three-equal');
    expect(scenario.servers).toHaveLength(3);
    expect(scenario.balancers ?? 1).toBe(1);
  });

  it('capacity-drop: one of 8 at half speed from 30 s to 60 s, under 4 balancers', () => {
    const scenario = createScenario('capacity-drop');
    expect(scenario.servers[0]!.capacityChanges).toEqual([
      { at: 30_000, speed: 0.5 },
      { at: 60_000, speed: 1 },
    ]);
    expect(scenario.servers.slice(1).every((s) => s.capacityChanges === undefined)).toBe(true);
    expect(scenario.balancers).toBe(4);
  });

  it('outside-load: half of two backends taken from outside', () => {
    const scenario = createScenario('outside-load');
    expect(scenario.servers.map((s) => s.outsideRate ?? 0)).toEqual([0.05, 0.05, 0, 0, 0, 0, 0, 0]);
  });

  it('capacity-shift: speeds 1, 2, 4, equal weights, swapped at 30 s; a 1 s blackout and a timeline', () => {
    const scenario = createScenario('capacity-shift');
    expect(scenario.servers.map((s) => [s.speed, s.weight, s.capacityChanges])).toEqual([
      [1, 1, [{ at: 30_000, speed: 4 }]],
      [2, 1, [{ at: 30_000, speed: 2 }]],
      [4, 1, [{ at: 30_000, speed: 1 }]],
    ]);
    expect(scenario.tuning).toEqual({ dynamicWeights: { blackoutPeriod: 1_000 } });
    expect(scenario.timelineWindow).toBe(1_000);
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
