import { describe, expect, it } from 'vitest';
import type { SimulationModel } from '../src/model.js';
import type { Policy, PolicyContext } from '../src/policy.js';
import { simulate } from '../src/simulate.js';
import type { SimulatedServer } from '../src/simulated-server.js';
import { generateWorkload } from '../src/workload.js';

/**
 * Herding, which the multi-balancer model exists to show: 16 balancers that all trust the
 * same stale reports and all send to the backend reported least loaded pile onto it until
 * the next report. Prequal, on the same reports, adds its own requests since each report
 * and ranks cold backends by latency, so it does not herd.
 */
const model: SimulationModel = {
  servers: Array.from({ length: 8 }, (_, i) => ({ id: `backend-${i + 1}`, concurrency: 2 })),
  service: { kind: 'exponential', mean: 20 },
  arrivals: { kind: 'poisson', rate: (0.7 * 8 * 2) / 20 },
  clients: { count: 100, distribution: 'uniform' },
  requests: 40_000,
  balancers: 16,
  reporting: { probeInterval: 1_000, probeDelay: 1 }, // every backend probed once a second by each balancer
};

/** Least reported in flight, ties at random: what each balancer would do with the reports alone. */
function leastReported({ random }: PolicyContext): Policy & { inspect: () => [] } {
  const reported = (server: SimulatedServer) => server.load?.inFlight ?? 0;
  return {
    name: 'least_reported',
    inspect: () => [], // reads reports, so it gets probes
    pick(servers) {
      let best: SimulatedServer | undefined;
      let ties = 0;
      for (const server of servers) {
        if (best === undefined || reported(server) < reported(best)) {
          best = server;
          ties = 1;
        } else if (reported(server) === reported(best) && random() * ++ties < 1) best = server;
      }
      return best;
    },
    observe() {},
  };
}

describe('herding: 16 balancers, 8 backends, reports up to 1 s old', () => {
  it('least reported in flight herds (p99 > 2x prequal); prequal on the same reports does not (within 1.1x least_connections)', () => {
    const workload = generateWorkload(model, 1);
    const p99 = (policy: Parameters<typeof simulate>[1]) => simulate(model, policy, { seed: 1, workload }).latency.p99;
    const herd = p99(leastReported);
    const prequal = p99('prequal');
    expect(herd).toBeGreaterThan(2 * prequal);
    expect(prequal).toBeLessThanOrEqual(1.1 * p99('least_connections'));
  });
});
