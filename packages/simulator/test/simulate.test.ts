import { UnknownAlgorithmError } from '@lbpoc/algorithms';
import { describe, expect, it } from 'vitest';
import type { SimulationModel } from '../src/model.js';
import { POLICY_NAMES, type Policy, type PolicyContext, type PolicyName } from '../src/policy.js';
import { simulate } from '../src/simulate.js';
import type { SimulatedServer } from '../src/simulated-server.js';
import { generateWorkload, type Workload } from '../src/workload.js';

/** A model whose traffic the tests supply by hand (the distributions below are not used). */
function handModel(servers: SimulationModel['servers'], requests: number): SimulationModel {
  return {
    servers,
    service: { kind: 'deterministic', value: 10 },
    arrivals: { kind: 'poisson', rate: 1 },
    clients: { count: 2, distribution: 'uniform' },
    requests,
    warmup: 0,
  };
}

function handWorkload(arrivals: number[], work: number[]): Workload {
  return {
    arrivals: Float64Array.from(arrivals),
    work: Float64Array.from(work),
    clients: Int32Array.from(arrivals, (_, i) => i % 2),
    addresses: ['192.0.2.1', '192.0.2.2'],
  };
}

interface Trace {
  picks: { key: string | undefined; inFlight: number[]; now: number }[];
  observations: { id: string; latency: number; now: number }[];
}

/** A policy that always picks server `index` and records what it was shown. */
function recordingPolicy(trace: Trace, index = 0): (context: PolicyContext) => Policy {
  return (context) => ({
    name: 'recording',
    pick(servers: readonly SimulatedServer[], key?: string) {
      trace.picks.push({ key, inFlight: servers.map((server) => server.inFlight), now: context.now() });
      return servers[index];
    },
    observe(id: string, latency: number) {
      trace.observations.push({ id, latency, now: context.now() });
    },
  });
}

describe('simulate', () => {
  it('queues FIFO behind a single slot and reports time in system', () => {
    const trace: Trace = { picks: [], observations: [] };
    const model = handModel([{ id: 'a' }], 3);
    const result = simulate(model, recordingPolicy(trace), { workload: handWorkload([0, 1, 2], [10, 10, 10]) });
    // Served back to back: completions at 10, 20, 30.
    expect(trace.observations).toEqual([
      { id: 'a', latency: 10, now: 10 },
      { id: 'a', latency: 19, now: 20 },
      { id: 'a', latency: 28, now: 30 },
    ]);
    // The balancer-side count includes the queued requests.
    expect(trace.picks.map((pick) => pick.inFlight[0])).toEqual([0, 1, 2]);
    expect(trace.picks.map((pick) => pick.now)).toEqual([0, 1, 2]);
    expect(result.latency).toMatchObject({ count: 3, p50: 19, max: 28, mean: 19 });
    expect(result.duration).toBe(30);
    expect(result.throughput).toBeCloseTo(0.1, 10);
  });

  it('serves up to `concurrency` requests in parallel, at the server speed', () => {
    const trace: Trace = { picks: [], observations: [] };
    const model = handModel([{ id: 'a', concurrency: 2, speed: 2 }], 3);
    simulate(model, recordingPolicy(trace), { workload: handWorkload([0, 0, 0], [10, 10, 10]) });
    // Two start at once and take 10 / 2 = 5; the third starts when a slot frees.
    expect(trace.observations.map((o) => o.latency)).toEqual([5, 5, 10]);
    expect(trace.picks.map((pick) => pick.inFlight[0])).toEqual([0, 1, 2]);
  });

  it('passes the client IP as the key', () => {
    const trace: Trace = { picks: [], observations: [] };
    const model = { ...handModel([{ id: 'a' }, { id: 'b' }], 500), clients: { count: 50, distribution: { zipf: 1 } } } as const;
    const workload = generateWorkload(model, 9);
    simulate(model, recordingPolicy(trace, 1), { workload });
    expect(trace.picks.map((pick) => pick.key)).toEqual(Array.from(workload.clients, (client) => workload.addresses[client]));
    expect(new Set(trace.observations.map((o) => o.id))).toEqual(new Set(['b']));
  });

  it('runs every algorithm by wire name, and the oracle, completing every request', () => {
    const model: SimulationModel = {
      servers: [{ id: 'a', weight: 2, speed: 2 }, { id: 'b' }, { id: 'c', concurrency: 3 }],
      service: { kind: 'lognormal', mean: 5, cv: 1.5 },
      arrivals: { kind: 'poisson', rate: 0.5 },
      clients: { count: 100, distribution: 'uniform' },
      requests: 2_000,
    };
    for (const name of POLICY_NAMES) {
      const result = simulate(model, name, { seed: 3 });
      expect(result.policy).toBe(name);
      expect(result.handled.reduce((a, b) => a + b, 0)).toBe(2_000);
      expect(result.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      expect(result.latency.count).toBe(1_800); // a tenth is warm-up
      expect(result.latency.p50).toBeLessThanOrEqual(result.latency.p99);
      expect(result.dropped).toBe(0);
    }
  });

  it('records which algorithm adaptive delegated to', () => {
    const model: SimulationModel = {
      servers: [{ id: 'a' }, { id: 'b', speed: 0.1 }],
      service: { kind: 'exponential', mean: 1 },
      arrivals: { kind: 'poisson', rate: 0.8 },
      clients: { count: 10, distribution: 'uniform' },
      requests: 5_000,
    };
    const { decisions } = simulate(model, 'adaptive');
    // b is 10x slower: least connections until adaptive has 16 latency samples of each, then prequal (latency spread).
    expect(Object.keys(decisions).sort()).toEqual(['least_connections', 'prequal', 'round_robin']);
    expect(decisions.least_connections! + decisions.prequal! + decisions.round_robin!).toBe(5_000);
    expect(decisions.prequal!).toBeGreaterThan(4_000);
  });

  it('rejects an unknown policy with the algorithms package error, and an invalid model naming the field', () => {
    const model = handModel([{ id: 'a' }], 10);
    expect(() => simulate(model, 'fastest' as PolicyName)).toThrow(UnknownAlgorithmError);
    expect(() => simulate({ ...model, servers: [{ id: 'a', concurrency: 0 }] }, 'random')).toThrow(/concurrency .* got 0/);
    expect(() => simulate({ ...model, servers: [{ id: 'a' }, { id: 'a' }] }, 'random')).toThrow(/"a" repeats/);
    expect(() => simulate({ ...model, warmup: 10 }, 'random')).toThrow(/warmup .* got 10/);
  });

  it('rejects a custom policy that picks an object it was not given', () => {
    const impostor: Policy = {
      name: 'impostor',
      pick: (servers) => servers[0] && { ...servers[0] },
      observe() {},
    };
    expect(() => simulate(handModel([{ id: 'a' }], 3), () => impostor, { workload: handWorkload([0, 1, 2], [1, 1, 1]) })).toThrow(
      /policy impostor picked "a", an object that is not one of the servers it was given/,
    );
  });
});
