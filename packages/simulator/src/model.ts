import { type ArrivalProcess, meanArrivalRate } from './arrivals.js';
import type { ClientPopulation } from './client-population.js';
import { type ReportingModel, resolveReporting } from './reporting.js';
import { meanServiceTime, type ServiceTimeDistribution } from './service-time.js';

/** One modelled backend. */
export interface ServerSpec {
  /** Stable id; what hashing algorithms place on their ring. */
  readonly id: string;
  /** The weight the balancer is configured with (what algorithms see); default 1. */
  readonly weight?: number;
  /**
   * True service-rate multiplier, default 1: a request of work `w` takes `w / speed`. The
   * algorithms never see it; only their choices (and the oracle) can reflect it.
   */
  readonly speed?: number;
  /** Requests served in parallel, default 1; more wait in a FIFO queue at the server. */
  readonly concurrency?: number;
  /**
   * Changes of `speed` during the run, in time order: from `at` on, the backend works at
   * `speed` (a request already in service keeps the speed it started at). Default none.
   */
  readonly capacityChanges?: readonly CapacityChange[];
  /**
   * Requests per time unit reaching this backend from outside the balancers (Poisson, with
   * the model's work distribution): they take slots and show in its reports, but no
   * balancer counts them in flight and they are not in the latency figures. Default 0.
   */
  readonly outsideRate?: number;
}

/** From `at` on, the backend works at `speed`. */
export interface CapacityChange {
  readonly at: number;
  readonly speed: number;
}

/**
 * Everything that defines a simulation apart from the policy and the seed. Time is in
 * milliseconds by convention (the algorithms' default `decayTime` is 10 000, i.e. 10 s in
 * ms), though nothing but the CLI's req/s column depends on the unit.
 */
export interface SimulationModel {
  readonly servers: readonly ServerSpec[];
  readonly service: ServiceTimeDistribution;
  readonly arrivals: ArrivalProcess;
  readonly clients: ClientPopulation;
  /** Requests to simulate; the run ends when the last of them completes. */
  readonly requests: number;
  /**
   * Balancers in front of the servers, default 1. Each request goes to one drawn uniformly;
   * each balancer has its own policy instance and its own view (its own in-flight counts,
   * the reports it received), and sees the others' traffic only through reports.
   */
  readonly balancers?: number;
  /** How backends report their load to the balancers (probes, response headers). Default: they do not. */
  readonly reporting?: ReportingModel;
  /**
   * The first `warmup` requests (in arrival order) are simulated but left out of the
   * latency statistics, because they found the system empty, which it is not in steady
   * state. Default: a tenth of `requests`.
   */
  readonly warmup?: number;
}

/**
 * Requests per time unit the servers can complete when all are busy: sum of speed x
 * concurrency / mean work, at the speeds they start with.
 */
export function capacityOf(model: Pick<SimulationModel, 'servers' | 'service'>): number {
  let slots = 0;
  for (const server of model.servers) slots += (server.speed ?? 1) * (server.concurrency ?? 1);
  return slots / meanServiceTime(model.service);
}

/** Offered load: (mean arrival rate + outside rates) / capacity. Above 1 no policy can keep up. */
export function offeredLoadOf(model: Pick<SimulationModel, 'servers' | 'service' | 'arrivals'>): number {
  let outside = 0;
  for (const server of model.servers) outside += server.outsideRate ?? 0;
  return (meanArrivalRate(model.arrivals) + outside) / capacityOf(model);
}

/** Balancers in front of the servers: the model's, or 1. */
export function balancersOf(model: Pick<SimulationModel, 'balancers'>): number {
  return model.balancers ?? 1;
}

/** Most balancers a model may have. */
export const MAX_BALANCERS = 1_024;

/** The warm-up actually used: the model's, or a tenth of the requests. */
export function warmupOf(model: Pick<SimulationModel, 'requests' | 'warmup'>): number {
  return model.warmup ?? Math.floor(model.requests / 10);
}

/** Throws a RangeError naming the first invalid field of `model`. */
export function validateModel(model: SimulationModel): void {
  if (!(Number.isInteger(model.requests) && model.requests > 0)) {
    throw new RangeError(`requests must be a positive integer, got ${model.requests}`);
  }
  const warmup = warmupOf(model);
  if (!(Number.isInteger(warmup) && warmup >= 0 && warmup < model.requests)) {
    throw new RangeError(`warmup must be an integer from 0 to requests - 1 (${model.requests - 1}), got ${warmup}`);
  }
  const balancers = balancersOf(model);
  if (!(Number.isInteger(balancers) && balancers >= 1 && balancers <= MAX_BALANCERS)) {
    throw new RangeError(`balancers must be an integer from 1 to ${MAX_BALANCERS}, got ${balancers}`);
  }
  resolveReporting(model.reporting);
  if (model.servers.length === 0) throw new RangeError('servers must not be empty');
  const ids = new Set<string>();
  for (const server of model.servers) {
    if (ids.has(server.id)) throw new RangeError(`server ids must be unique, ${JSON.stringify(server.id)} repeats`);
    ids.add(server.id);
    const speed = server.speed ?? 1;
    if (!(speed > 0 && Number.isFinite(speed))) {
      throw new RangeError(`server ${server.id}: speed must be a positive finite number, got ${speed}`);
    }
    const concurrency = server.concurrency ?? 1;
    if (!(Number.isInteger(concurrency) && concurrency > 0)) {
      throw new RangeError(`server ${server.id}: concurrency must be a positive integer, got ${concurrency}`);
    }
    const outside = server.outsideRate ?? 0;
    if (!(outside >= 0 && Number.isFinite(outside))) {
      throw new RangeError(`server ${server.id}: outsideRate must be a finite number >= 0, got ${outside}`);
    }
    let previous = Number.NEGATIVE_INFINITY;
    for (const change of server.capacityChanges ?? []) {
      if (!(change.at >= 0 && change.at >= previous && Number.isFinite(change.at))) {
        throw new RangeError(`server ${server.id}: capacityChanges must be in time order at finite times >= 0, got at ${change.at}`);
      }
      if (!(change.speed > 0 && Number.isFinite(change.speed))) {
        throw new RangeError(`server ${server.id}: capacityChanges speed must be a positive finite number, got ${change.speed}`);
      }
      previous = change.at;
    }
  }
}
