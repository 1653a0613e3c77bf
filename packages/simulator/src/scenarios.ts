import type { ClientPopulation } from './client-population.js';
import { capacityOf, type ServerSpec, type SimulationModel } from './model.js';
import type { AlgorithmTuning } from './policy.js';
import type { ReportingModel } from './reporting.js';
import type { ServiceTimeDistribution } from './service-time.js';

/** The named scenarios, in the order the CLI runs them. */
export const SCENARIO_NAMES = [
  'homogeneous',
  'one-slow-server',
  'heterogeneous-weights',
  'bursty',
  'three-equal',
  'two-slow-of-16',
  'two-slow-of-16-x16',
  'capacity-drop',
  'outside-load',
  'capacity-shift',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** A named, described model. */
export interface Scenario extends SimulationModel {
  readonly name: ScenarioName;
  readonly description: string;
  /** Algorithm options of this scenario (passed to `createAlgorithm`), if it needs any. */
  readonly tuning?: AlgorithmTuning;
  /** Window of the pick timeline the report shows, if the scenario is about change over time. */
  readonly timelineWindow?: number;
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
/**
 * How the backends of the load-reporting scenarios report: a report on every response
 * (free), and Prequal's probing: 3 probes per request to random backends, answered 1 ms
 * later, each costing its backend 0.1 ms of work (0.5% of a mean request).
 */
export const PROBING: ReportingModel = { onResponse: true, probesPerRequest: 3, probeDelay: 1, probeCost: 0.1 };
/** Reports on responses only (ORCA's header): no probes. */
const RESPONSE_REPORTS: ReportingModel = { onResponse: true };

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
    case 'three-equal':
      return {
        ...poissonScenario(
          name,
          '1 balancer, 3 equal servers, Poisson arrivals at 70% load; reports on responses and 3 probes per request',
          servers([1, 1, 1]),
          0.7,
          requests,
        ),
        reporting: PROBING,
      };
    case 'two-slow-of-16':
    case 'two-slow-of-16-x16': {
      const balancers = name === 'two-slow-of-16' ? 4 : 16;
      return {
        ...poissonScenario(
          name,
          `${balancers} balancers, 16 servers of equal weight, 2 of them 16x slower, Poisson arrivals at 80% of total capacity; reports on responses and 3 probes per request`,
          servers([...Array<number>(14).fill(1), 1 / 16, 1 / 16]),
          0.8,
          requests,
        ),
        balancers,
        reporting: PROBING,
      };
    }
    case 'capacity-drop': {
      const fleet = servers(Array<number>(8).fill(1));
      fleet[0] = {
        ...fleet[0]!,
        capacityChanges: [
          { at: 30_000, speed: 0.5 },
          { at: 60_000, speed: 1 },
        ],
      };
      return {
        ...poissonScenario(
          name,
          '4 balancers, 8 equal servers, backend-1 at half speed from 30 s to 60 s, Poisson arrivals at 70% load; reports on responses and 3 probes per request',
          fleet,
          0.7,
          requests,
        ),
        balancers: 4,
        reporting: PROBING,
      };
    }
    case 'outside-load': {
      const fleet = servers(Array<number>(8).fill(1));
      // Half of backend-1's and backend-2's capacity goes to requests from outside the balancers.
      const outsideRate = (0.5 * CONCURRENCY) / MEAN_SERVICE_MS;
      fleet[0] = { ...fleet[0]!, outsideRate };
      fleet[1] = { ...fleet[1]!, outsideRate };
      const balancersRate = 0.7 * capacityOf({ servers: fleet, service: SERVICE }) - 2 * outsideRate;
      return {
        name,
        description:
          '4 balancers, 8 equal servers, half of backend-1 and backend-2 taken by outside load, 70% load in all; reports on responses and 3 probes per request',
        servers: fleet,
        service: SERVICE,
        arrivals: { kind: 'poisson', rate: balancersRate },
        clients: CLIENTS,
        requests,
        balancers: 4,
        reporting: PROBING,
      };
    }
    case 'capacity-shift': {
      const fleet = servers([1, 2, 4]).map((server, i) => ({ ...server, capacityChanges: [{ at: 30_000, speed: [4, 2, 1][i]! }] }));
      return {
        ...poissonScenario(
          name,
          '1 balancer, 3 servers of speeds 1, 2, 4 with equal weights, swapped to 4, 2, 1 at 30 s, Poisson arrivals at 70% load; reports on responses; dynamic_weights blackout 1 s',
          fleet,
          0.7,
          requests,
        ),
        reporting: RESPONSE_REPORTS,
        tuning: { dynamicWeights: { blackoutPeriod: 1_000 } },
        timelineWindow: 1_000,
      };
    }
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
