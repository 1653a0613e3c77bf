import { EventQueue } from './event-queue.js';
import { type LatencySummary, summarizeLatencies } from './latency-summary.js';
import { type SimulationModel, validateModel, warmupOf } from './model.js';
import { type AlgorithmTuning, createPolicy, type Policy, type PolicyContext, type PolicyName } from './policy.js';
import { streamRandom } from './random-streams.js';
import { QueueingServer } from './simulated-server.js';
import { generateWorkload, type Workload } from './workload.js';

export interface SimulateOptions {
  /** Seed of every random stream of the run (workload and policy). Default 1. */
  readonly seed?: number;
  /** Traffic to replay instead of generating it from the seed (for comparing policies on the same one). */
  readonly workload?: Workload;
  /** Passed to `createAlgorithm`, for example `{ decayTime: 5000 }`. */
  readonly tuning?: AlgorithmTuning;
}

/** What one policy did with one workload. */
export interface SimulationResult {
  readonly policy: string;
  readonly requests: number;
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
}

/** A policy by name, or a factory for a custom one given the run's random source and clock. */
export type PolicySource = PolicyName | ((context: PolicyContext) => Policy);

interface Arrival {
  readonly arrival: true;
  readonly request: number;
}
interface Completion {
  readonly arrival: false;
  readonly request: number;
  readonly server: QueueingServer;
}

/**
 * Runs `policy` against `model`: a discrete-event simulation in which each arrival asks the
 * policy for a server (passing the client's IP as the key), the server serves it at once
 * or queues it FIFO, and each completion decrements the server's `inFlight` and reports
 * the request's time in system to `policy.observe`. Deterministic: the same model, policy
 * and seed give the same result.
 */
export function simulate(model: SimulationModel, policy: PolicySource, options: SimulateOptions = {}): SimulationResult {
  validateModel(model);
  const seed = options.seed ?? 1;
  const workload = options.workload ?? generateWorkload(model, seed);
  if (workload.arrivals.length !== model.requests) {
    throw new RangeError(`workload has ${workload.arrivals.length} requests, the model ${model.requests}`);
  }
  let clock = 0;
  const context: PolicyContext = { random: streamRandom(seed, 'policy'), now: () => clock };
  const instance = typeof policy === 'function' ? policy(context) : createPolicy(policy, context, options.tuning);
  const servers = model.servers.map((spec) => new QueueingServer(spec));
  const warmup = warmupOf(model);
  const latencies = new Float64Array(model.requests - warmup);
  const decisions: Record<string, number> = {};
  const events = new EventQueue<Arrival | Completion>();
  const { arrivals, work, clients, addresses } = workload;
  let dropped = 0;

  const start = (request: number, server: QueueingServer): void => {
    events.push(clock + server.serviceTime(work[request]!), { arrival: false, request, server });
  };

  events.push(arrivals[0]!, { arrival: true, request: 0 });
  for (let event = events.pop(); event !== undefined; event = events.pop()) {
    clock = event.time;
    const { request } = event.value;
    if (event.value.arrival) {
      if (request + 1 < model.requests) events.push(arrivals[request + 1]!, { arrival: true, request: request + 1 });
      const server = instance.pick(servers, addresses[clients[request]!]);
      if (instance.lastUsed !== undefined) decisions[instance.lastUsed] = (decisions[instance.lastUsed] ?? 0) + 1;
      if (server !== undefined && !(server instanceof QueueingServer)) {
        throw new TypeError(`policy ${instance.name} picked ${JSON.stringify(server.id)}, an object that is not one of the servers it was given`);
      }
      if (server === undefined) {
        dropped++;
        if (request >= warmup) latencies[request - warmup] = Number.NaN;
        continue;
      }
      if (server.admit(request)) start(request, server);
    } else {
      const { server } = event.value;
      const latency = clock - arrivals[request]!;
      if (request >= warmup) latencies[request - warmup] = latency;
      const next = server.complete();
      if (next !== undefined) start(next, server);
      instance.observe(server.id, latency);
    }
  }

  const handled = servers.map((server) => server.handled);
  const completed = handled.reduce((sum, count) => sum + count, 0);
  const mean = completed / servers.length;
  return {
    policy: instance.name,
    requests: model.requests,
    dropped,
    latency: summarizeLatencies(dropped === 0 ? latencies : latencies.filter((value) => !Number.isNaN(value))),
    duration: clock,
    throughput: clock > 0 ? completed / clock : 0,
    handled,
    shares: handled.map((count) => (completed > 0 ? count / completed : 0)),
    maxMeanLoad: mean > 0 ? Math.max(...handled) / mean : 0,
    decisions,
  };
}
