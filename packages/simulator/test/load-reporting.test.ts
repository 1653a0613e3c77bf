import type { LoadReport } from '@lbpoc/algorithms';
import { describe, expect, it } from 'vitest';
import { offeredLoadOf, type SimulationModel } from '../src/model.js';
import type { Policy, PolicyContext } from '../src/policy.js';
import { simulate } from '../src/simulate.js';
import type { SimulatedServer } from '../src/simulated-server.js';
import type { Workload } from '../src/workload.js';

/** A model whose traffic the tests supply by hand. */
function handModel(extra: Partial<SimulationModel>, requests: number): SimulationModel {
  return {
    servers: [{ id: 'a' }],
    service: { kind: 'deterministic', value: 10 },
    arrivals: { kind: 'poisson', rate: 1 },
    clients: { count: 1, distribution: 'uniform' },
    requests,
    warmup: 0,
    ...extra,
  };
}

function handWorkload(arrivals: number[], work: number[], balancers?: number[]): Workload {
  const workload = { arrivals: Float64Array.from(arrivals), work: Float64Array.from(work), clients: new Int32Array(arrivals.length), addresses: ['192.0.2.1'] };
  return balancers === undefined ? workload : { ...workload, balancers: Uint16Array.from(balancers) };
}

interface Seen {
  balancer: number;
  now: number;
  inFlight: number;
  backendInFlight: number;
  load: LoadReport | undefined;
}

/** Always picks the first server and records what it was shown; `loadAware` makes it look like one (it gets probes). */
function recording(seen: Seen[], loadAware = false): (context: PolicyContext) => Policy {
  let balancers = 0;
  return (context) => {
    const balancer = balancers++;
    const policy: Policy & { inspect?: () => [] } = {
      name: 'recording',
      pick(servers: readonly SimulatedServer[]) {
        const server = servers[0]!;
        seen.push({ balancer, now: context.now(), inFlight: server.inFlight, backendInFlight: server.backendInFlight, load: server.load });
        return server;
      },
      observe() {},
    };
    if (loadAware) policy.inspect = () => [];
    return policy;
  };
}

describe('several balancers, each with its own view', () => {
  it('counts in flight per balancer; only the truth (backendInFlight) sums them', () => {
    const seen: Seen[] = [];
    const model = handModel({ balancers: 2, servers: [{ id: 'a', concurrency: 4 }] }, 4);
    simulate(model, recording(seen), { workload: handWorkload([0, 1, 2, 3], [10, 10, 10, 10], [0, 1, 0, 1]) });
    expect(seen.map(({ balancer, inFlight, backendInFlight }) => [balancer, inFlight, backendInFlight])).toEqual([
      [0, 0, 0],
      [1, 0, 1],
      [0, 1, 2],
      [1, 1, 3],
    ]);
  });

  it('draws each request a balancer uniformly when it generates the workload, and checks a given one', () => {
    const model: SimulationModel = { ...handModel({ balancers: 4 }, 8_000), arrivals: { kind: 'poisson', rate: 0.01 }, warmup: 800 };
    const result = simulate(model, 'least_connections', { seed: 2 });
    expect(result.balancers).toBe(4);
    expect(result.handled[0]).toBe(8_000);
    expect(() => simulate(model, 'random', { workload: handWorkload([0], [1]) })).toThrow(/workload has 1 requests, the model 8000/);
    const twoRequests = handModel({ balancers: 2 }, 2);
    expect(() => simulate(twoRequests, 'random', { workload: handWorkload([0, 1], [1, 1]) })).toThrow(
      /assigns no balancer to each request, and the model has 2 balancers/,
    );
    expect(() => simulate(twoRequests, 'random', { workload: handWorkload([0, 1], [1, 1], [0, 2]) })).toThrow(/balancer 2, the model has 2/);
  });
});

describe('load reports', () => {
  it('on responses: the backend as it is when the response leaves it', () => {
    const seen: Seen[] = [];
    const model = handModel({ reporting: { onResponse: true } }, 2);
    simulate(model, recording(seen), { workload: handWorkload([0, 11], [10, 10]) });
    expect(seen[0]!.load).toBeUndefined();
    expect(seen[1]!.load).toEqual({
      inFlight: 0,
      utilization: 1 - Math.exp(-10 / 1_000), // busy for 10 of a 1000 time constant
      qps: 1, // one completion, averaged over 1000 time units, per 1000
      latency: 10, // the one request that arrived with 0 in flight took 10
      receivedAt: 10,
    });
  });

  it('probes: per request, answered probeDelay later, describing the backend when they left; only load-aware policies probe', () => {
    const seen: Seen[] = [];
    const model = handModel({ reporting: { probesPerRequest: 1, probeDelay: 5 } }, 3);
    const workload = handWorkload([0, 3, 6], [10, 10, 10]);
    const result = simulate(model, recording(seen, true), { workload });
    expect(seen.map((s) => s.load && [s.load.inFlight, s.load.receivedAt])).toEqual([undefined, undefined, [0, 5]]);
    expect([result.probes, result.probesPerRequest, result.probeWork]).toEqual([3, 1, 0]);
    expect(simulate(model, recording([]), { workload }).probes).toBe(0);
    expect(simulate(model, 'least_connections', { workload }).probes).toBe(0);
    expect(simulate(model, 'prequal', { workload }).probes).toBe(3);
  });

  it('probe cost: each probe takes a slot for probeCost, ahead of the queued requests', () => {
    const model = handModel({ reporting: { probesPerRequest: 1, probeCost: 4 } }, 2);
    const latencies: number[] = [];
    simulate(model, (context) => ({ ...recording([], true)(context), observe: (_id: string, latency: number) => latencies.push(latency) }) as Policy, {
      workload: handWorkload([0, 1], [10, 10]),
    });
    // Probe 1 runs 0-4, probe 2 (waiting ahead of both requests) 4-8, request 0 8-18, request 1 18-28.
    expect(latencies).toEqual([18, 27]);
  });

  it('rejects a bad reporting model naming the field', () => {
    expect(() => simulate(handModel({ reporting: { probeDelay: -1 } }, 1), 'random')).toThrow(/reporting: probeDelay must be a finite number >= 0, got -1/);
    expect(() => simulate(handModel({ reporting: { probesPerRequest: Number.NaN } }, 1), 'random')).toThrow(/probesPerRequest/);
    expect(() => simulate(handModel({ reporting: { window: 0 } }, 1), 'random')).toThrow(/window/);
    expect(() => simulate(handModel({ balancers: 0 }, 1), 'random')).toThrow(/balancers must be an integer from 1 to 1024, got 0/);
  });
});

describe('backends that change', () => {
  it('serve at the speed they have when a request starts', () => {
    const latencies: number[] = [];
    const model = handModel({ servers: [{ id: 'a', capacityChanges: [{ at: 5, speed: 2 }] }] }, 2);
    simulate(model, () => ({ name: 'first', pick: (servers) => servers[0], observe: (_id, latency) => latencies.push(latency) }), {
      workload: handWorkload([0, 10], [10, 10]),
    });
    expect(latencies).toEqual([10, 5]);
    expect(() =>
      simulate(
        handModel(
          {
            servers: [
              {
                id: 'a',
                capacityChanges: [
                  { at: 5, speed: 1 },
                  { at: 2, speed: 1 },
                ],
              },
            ],
          },
          1,
        ),
        'random',
      ),
    ).toThrow(/time order/);
    expect(() => simulate(handModel({ servers: [{ id: 'a', capacityChanges: [{ at: 5, speed: 0 }] }] }, 1), 'random')).toThrow(/speed must be a positive/);
  });

  it('take outside load: in the truth and the reports, never in a balancer count or the latency figures', () => {
    const seen: Seen[] = [];
    // Capacity 0.1 per time unit; outside load 0.05, the balancer's 0.01.
    const model: SimulationModel = {
      ...handModel({ servers: [{ id: 'a', outsideRate: 0.05 }], reporting: { onResponse: true } }, 2_000),
      service: { kind: 'exponential', mean: 10 },
      arrivals: { kind: 'poisson', rate: 0.01 },
    };
    expect(offeredLoadOf(model)).toBeCloseTo(0.6, 12);
    const result = simulate(model, recording(seen), { seed: 3 });
    expect(result.handled).toEqual([2_000]);
    expect(result.latency.count).toBe(2_000);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    // The outside load makes most of the queue, which the balancer's own count does not see.
    expect(mean(seen.map((s) => s.backendInFlight))).toBeGreaterThan(3 * mean(seen.map((s) => s.inFlight)));
    expect(seen.filter((s) => s.backendInFlight > s.inFlight).length / seen.length).toBeGreaterThan(0.3);
    const utilization = seen.flatMap((s) => (s.load === undefined ? [] : [s.load.utilization!]));
    expect(utilization.reduce((a, b) => a + b, 0) / utilization.length).toBeCloseTo(0.6, 1);
    expect(() => simulate(handModel({ servers: [{ id: 'a', outsideRate: -1 }] }, 1), 'random')).toThrow(/outsideRate must be a finite number >= 0, got -1/);
  });
});

describe('timeline', () => {
  it('counts picks per server per window of pick time', () => {
    const model = handModel({ servers: [{ id: 'a' }, { id: 'b' }] }, 4);
    let turn = 0;
    const result = simulate(model, () => ({ name: 'alternate', pick: (servers) => servers[turn++ % 2], observe() {} }), {
      workload: handWorkload([0, 5, 12, 13], [1, 1, 1, 1]),
      timelineWindow: 10,
    });
    expect(result.timeline).toEqual({
      window: 10,
      picks: [
        [1, 1],
        [1, 1],
      ],
    });
    expect(simulate(model, 'random', { workload: handWorkload([0, 5, 12, 13], [1, 1, 1, 1]) }).timeline).toBeUndefined();
    expect(() => simulate(model, 'random', { workload: handWorkload([0, 5, 12, 13], [1, 1, 1, 1]), timelineWindow: 0 })).toThrow(/timelineWindow/);
  });
});
