import type { AlgorithmPlugin } from '@lbpoc/algorithms';
import { type LatencySummary, summarizeLatencies } from './latency-summary.js';
import { balancersOf, type SimulationModel, validateModel } from './model.js';
import { checkPluginNames } from './plugin-names.js';
import type { AlgorithmTuning, Policy, PolicyContext, PolicyName } from './policy.js';
import { SimulationRun } from './simulation-run.js';
import { generateWorkload, type Workload } from './workload.js';

export interface SimulateOptions {
  /** Seed of every random stream of the run (workload and policy). Default 1. */
  readonly seed?: number;
  /** Traffic to replay instead of generating it from the seed (for comparing policies on the same one). */
  readonly workload?: Workload;
  /** Passed to `createAlgorithm` (and a plugin's `create`), for example `{ decayTime: 5000 }`. */
  readonly tuning?: AlgorithmTuning;
  /** Count picks per server in windows of this length, for `timeline`. Default: no timeline. */
  readonly timelineWindow?: number;
}

/** Picks per server in consecutive windows of simulated time, from time 0. */
export interface PickTimeline {
  readonly window: number;
  /** One row per window, one count per server in the model's order. */
  readonly picks: readonly (readonly number[])[];
}

/** What one policy did with one workload. */
export interface SimulationResult {
  readonly policy: string;
  readonly requests: number;
  /** Balancers the requests went through, each with its own instance of the policy. */
  readonly balancers: number;
  /** Requests no server was eligible for (every weight 0). */
  readonly dropped: number;
  /** Time in system (queueing + service) of the requests after the warm-up. */
  readonly latency: LatencySummary;
  /** Time of the last completion; the run starts at 0. */
  readonly duration: number;
  /** Completed requests per time unit over the whole run, drain included. */
  readonly throughput: number;
  /** Requests completed by each server, in the model's server order. */
  readonly handled: readonly number[];
  /** Each server's fraction of the completed requests. */
  readonly shares: readonly number[];
  /** Busiest server's request count over the mean count (1 = perfectly even). */
  readonly maxMeanLoad: number;
  /** How often each concrete algorithm made the pick (`lastUsed`); one entry except for `adaptive`. */
  readonly decisions: Readonly<Record<string, number>>;
  /** Probes the balancers sent (0 unless the model has them and the policy reads reports). */
  readonly probes: number;
  /** Probes per request. */
  readonly probesPerRequest: number;
  /** Work the probes cost the backends, in time units at speed 1 (probes x `probeCost`). */
  readonly probeWork: number;
  /** Picks per server over time, when `timelineWindow` was given. */
  readonly timeline?: PickTimeline;
}

/**
 * A policy: a built-in one by name, an algorithm plugin (as `loadAlgorithmPlugins` returns
 * it), or a factory for a custom one given the run's random source and clock.
 */
export type PolicySource = PolicyName | AlgorithmPlugin | ((context: PolicyContext) => Policy);

/**
 * Runs `policy` against `model`: a discrete-event simulation in which each arrival goes to
 * a balancer, whose instance of the policy picks a server from its own view (passing the
 * client's IP as the key); the server serves it at once or queues it FIFO; each completion
 * decrements that balancer's count and reports the request's time in system to its
 * `policy.observe`. Backends may change speed, take outside load and report their load
 * (`model.reporting`). Deterministic: the same model, policy and seed give the same result.
 */
export function simulate(model: SimulationModel, policy: PolicySource, options: SimulateOptions = {}): SimulationResult {
  validateModel(model);
  const seed = options.seed ?? 1;
  const workload = options.workload ?? generateWorkload(model, seed);
  validateWorkload(model, workload);
  if (typeof policy === 'object') checkPluginNames([policy]);
  const outcome = new SimulationRun(model, policy, workload, seed, options.tuning, options.timelineWindow).run();
  const { latencies, dropped, duration, backends } = outcome;
  const handled = backends.map((backend) => backend.handled);
  const completed = handled.reduce((sum, count) => sum + count, 0);
  const mean = completed / backends.length;
  const result: SimulationResult = {
    policy: outcome.policy,
    requests: model.requests,
    balancers: balancersOf(model),
    dropped,
    latency: summarizeLatencies(dropped === 0 ? latencies : latencies.filter((value) => !Number.isNaN(value))),
    duration,
    throughput: duration > 0 ? completed / duration : 0,
    handled,
    shares: handled.map((count) => (completed > 0 ? count / completed : 0)),
    maxMeanLoad: mean > 0 ? Math.max(...handled) / mean : 0,
    decisions: outcome.decisions,
    probes: outcome.probes,
    probesPerRequest: outcome.probes / model.requests,
    probeWork: outcome.probeWork,
  };
  return outcome.timeline === undefined ? result : { ...result, timeline: { window: outcome.timeline.window, picks: outcome.timeline.picks() } };
}

function validateWorkload(model: SimulationModel, workload: Workload): void {
  if (workload.arrivals.length !== model.requests) {
    throw new RangeError(`workload has ${workload.arrivals.length} requests, the model ${model.requests}`);
  }
  const balancers = balancersOf(model);
  if (balancers === 1) return;
  if (workload.balancers === undefined || workload.balancers.length !== model.requests) {
    throw new RangeError(`workload assigns no balancer to each request, and the model has ${balancers} balancers`);
  }
  for (const b of workload.balancers) if (b >= balancers) throw new RangeError(`workload sends a request to balancer ${b}, the model has ${balancers}`);
}
