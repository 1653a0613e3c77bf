import { createArrivalSampler } from './arrivals.js';
import { clientAddresses, createClientSampler } from './client-population.js';
import { balancersOf, type SimulationModel, validateModel } from './model.js';
import { streamRandom } from './random-streams.js';
import { createServiceTimeSampler } from './service-time.js';

/**
 * The requests of a run, drawn before any policy sees them: when each arrives, how much
 * work it needs and which client sends it. Generating them up front (from their own seeded
 * streams) is what lets every policy be compared on identical traffic.
 */
export interface Workload {
  /** Arrival time of request i, non-decreasing. */
  readonly arrivals: Float64Array;
  /** Work of request i, in time units at speed 1. */
  readonly work: Float64Array;
  /** Client index of request i, into `addresses`. */
  readonly clients: Int32Array;
  /** The client population's IPv4 addresses. */
  readonly addresses: readonly string[];
  /** Balancer of request i, drawn uniformly; absent when the model has one balancer. */
  readonly balancers?: Uint16Array;
}

/** The workload of `model` for `seed`. Same model and seed, same workload, bit for bit. */
export function generateWorkload(model: SimulationModel, seed: number): Workload {
  validateModel(model);
  const count = model.requests;
  const nextArrival = createArrivalSampler(model.arrivals, streamRandom(seed, 'arrivals'));
  const nextWork = createServiceTimeSampler(model.service, streamRandom(seed, 'service'));
  const nextClient = createClientSampler(model.clients, streamRandom(seed, 'clients'));
  const arrivals = new Float64Array(count);
  const work = new Float64Array(count);
  const clients = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    arrivals[i] = nextArrival();
    work[i] = nextWork();
    clients[i] = nextClient();
  }
  const addressSeed = Math.floor(streamRandom(seed, 'addresses')() * 2 ** 32);
  const workload = { arrivals, work, clients, addresses: clientAddresses(model.clients.count, addressSeed) };
  const balancerCount = balancersOf(model);
  if (balancerCount === 1) return workload;
  const nextBalancer = streamRandom(seed, 'balancers');
  const balancers = new Uint16Array(count);
  for (let i = 0; i < count; i++) balancers[i] = Math.floor(nextBalancer() * balancerCount);
  return { ...workload, balancers };
}
