import type { ClientPopulation } from './client-population.js';
import { capacityOf, type ServerSpec, type SimulationModel } from './model.js';
import type { ServiceTimeDistribution } from './service-time.js';

/** The named scenarios, in the order the CLI runs them. */
export const SCENARIO_NAMES = ['homogeneous', 'one-slow-server', 'heterogeneous-weights', 'bursty'] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** A named, described model. */
export interface Scenario extends SimulationModel {
  readonly name: ScenarioName;
  readonly description: string;
}

export interface ScenarioOptions {
  /** Requests per policy run; default `DEFAULT_REQUESTS`. */
  readonly requests?: number;
}

/**
 * Requests per policy run by default: enough that p99 rests on hundreds of samples and an
 * overloaded server's backlog shows, few enough that all four scenarios x nine policies
 * run in seconds.
 */
export const DEFAULT_REQUESTS = 100_000;

/** Mean work of a request on a speed-1 server, in ms. */
const MEAN_SERVICE_MS = 20;
/** Parallel slots per server: a small worker pool, so queues form but not at once. */
const CONCURRENCY = 2;
/** Clients with a mildly skewed (Zipf 0.8) request mix: a few heavy hitters, a long tail. */
const CLIENTS: ClientPopulation = { count: 5_000, distribution: { zipf: 0.8 } };
const SERVICE: ServiceTimeDistribution = { kind: 'exponential', mean: MEAN_SERVICE_MS };

/** True for the names in `SCENARIO_NAMES`. */
export function isScenarioName(value: unknown): value is ScenarioName {
  return typeof value === 'string' && (SCENARIO_NAMES as readonly string[]).includes(value);
}

/** The scenario of that name. */
export function createScenario(name: ScenarioName, options: ScenarioOptions = {}): Scenario {
  const requests = options.requests ?? DEFAULT_REQUESTS;
  switch (name) {
    case 'homogeneous':
      return poissonScenario(name, '5 equal servers, Poisson arrivals at 70% load', servers([1, 1, 1, 1, 1]), 0.7, requests);
    case 'one-slow-server':
      return poissonScenario(
        name,
        '5 servers of equal weight, one 10x slower (its weight not lowered), Poisson arrivals at 70% of total capacity',
        servers([1, 1, 1, 1, 0.1]),
        0.7,
        requests,
      );
    case 'heterogeneous-weights':
      return poissonScenario(
        name,
        '4 servers of speeds 4, 2, 1, 1 with matching weights, Poisson arrivals at 70% load',
        servers([4, 2, 1, 1], true),
        0.7,
        requests,
      );
    case 'bursty': {
      const fleet = servers([1, 1, 1, 1, 1]);
      const capacity = capacityOf({ servers: fleet, service: SERVICE });
      return {
        name,
        description: '5 equal servers, on/off bursts (0.5 s at 110% load, 0.5 s at 30%, on average), 70% load overall',
        servers: fleet,
        service: SERVICE,
        arrivals: { kind: 'on-off', onRate: 1.1 * capacity, offRate: 0.3 * capacity, meanOn: 500, meanOff: 500 },
        clients: CLIENTS,
        requests,
      };
    }
  }
}

function poissonScenario(name: ScenarioName, description: string, fleet: ServerSpec[], load: number, requests: number): Scenario {
  const rate = load * capacityOf({ servers: fleet, service: SERVICE });
  return { name, description, servers: fleet, service: SERVICE, arrivals: { kind: 'poisson', rate }, clients: CLIENTS, requests };
}

/** Servers `backend-1..n` of these speeds; weights 1, or equal to the speeds when `weighted`. */
function servers(speeds: readonly number[], weighted = false): ServerSpec[] {
  return speeds.map((speed, i) => ({ id: `backend-${i + 1}`, weight: weighted ? speed : 1, speed, concurrency: CONCURRENCY }));
}
