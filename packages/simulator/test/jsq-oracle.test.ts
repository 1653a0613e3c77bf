import { createRandom } from '@lbpoc/algorithms';
import { describe, expect, it } from 'vitest';
import { JsqOracle } from '../src/jsq-oracle.js';
import { QueueingServer } from '../src/simulated-server.js';

function fleet(specs: { speed?: number; concurrency?: number; inFlight: number; weight?: number }[]): QueueingServer[] {
  return specs.map((spec, i) => Object.assign(new QueueingServer({ id: `s${i}`, ...spec }), { inFlight: spec.inFlight }));
}

describe('JsqOracle', () => {
  it('picks the fewest in flight per unit of capacity (speed x concurrency)', () => {
    const oracle = new JsqOracle(createRandom(1));
    // Loads 3/1, 4/2, 5/(1 x 4): the third is least loaded although it has the most in flight.
    expect(oracle.pick(fleet([{ inFlight: 3 }, { inFlight: 4, speed: 2 }, { inFlight: 5, concurrency: 4 }]))?.id).toBe('s2');
    // A slow server with work is worse than a busier fast one.
    expect(oracle.pick(fleet([{ inFlight: 1, speed: 0.1 }, { inFlight: 5 }]))?.id).toBe('s1');
  });

  it('breaks ties uniformly at random and skips drained servers', () => {
    const oracle = new JsqOracle(createRandom(2));
    const servers = fleet([{ inFlight: 0 }, { inFlight: 0 }, { inFlight: 1 }, { inFlight: 0 }, { inFlight: 0, weight: 0 }]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 30_000; i++) {
      const id = oracle.pick(servers)!.id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['s0', 's1', 's3']);
    for (const count of counts.values()) expect(count / 30_000).toBeCloseTo(1 / 3, 1);
    expect(oracle.pick([])).toBeUndefined();
  });
});
