import type { IncomingMessage } from 'node:http';
import { Adaptive, type Algorithm } from '@lbpoc/algorithms';
import type { BalancerMetrics } from '@lbpoc/metrics';
import type { TrustedProxies } from '../clients/trusted-proxies.js';
import { takeAlgorithmParam } from './algorithm-param.js';
import type { AlgorithmSet } from './algorithm-set.js';
import type { RequestPool, RoutableBackend } from './request-pool.js';
import { badTargetMessage, originFormOf } from './request-target.js';

/** Where a request goes: the algorithm that picks its backend, the target to forward, who asked. */
export interface Route {
  readonly algorithm: Algorithm;
  /** The request target less `?algo=`, byte for byte otherwise. */
  readonly target: string;
  /** The client address the algorithms see (ip_hash): the peer, or through trusted proxies the client they name. */
  readonly clientAddress: string;
}

/** A request the balancer answers itself with 400: why, in the JSON body's terms. */
export interface RouteRefusal {
  readonly error: 'bad_request' | 'unknown_algorithm';
  readonly message: string;
  readonly value?: string;
  readonly allowed?: readonly string[];
}

export interface RouterDeps {
  readonly pool: RequestPool;
  readonly algorithms: AlgorithmSet;
  readonly trust: TrustedProxies;
  readonly metrics: BalancerMetrics;
}

/** No healthy backend: a 503 that asks the client to come back later. */
export const NO_BACKEND_RETRY_AFTER = '5';
export const NO_BACKEND_MESSAGE = 'no healthy backend is available; retry later';

/**
 * The routing step every request takes, plain or upgrade (WebSocket): the target check,
 * `?algo=`, the client address, then the pick, with the same counters for both. Kept in
 * one place so that the two kinds of request cannot drift apart.
 */
export class Router {
  private readonly adaptiveChoices = new Map<string, { inc(): void }>();
  private readonly noBackend = new Map<string, { inc(): void }>();

  constructor(private readonly deps: RouterDeps) {}

  /** The route of a request, or the reason it gets a 400 (counted as a rejection). */
  route(req: IncomingMessage): Route | RouteRefusal {
    const url = req.url ?? '';
    const origin = originFormOf(url);
    if (origin === undefined) {
      this.deps.metrics.rejectedRequestsTotal.inc({ reason: 'bad_request' });
      return { error: 'bad_request', message: badTargetMessage(url) };
    }
    const { name, target } = takeAlgorithmParam(origin);
    const { algorithms, trust } = this.deps;
    const named = name === undefined ? undefined : algorithms.get(name);
    if (name !== undefined && named === undefined) {
      this.deps.metrics.rejectedRequestsTotal.inc({ reason: 'unknown_algorithm' });
      return {
        error: 'unknown_algorithm',
        message: `unknown algorithm ${JSON.stringify(name)}; use one of: ${algorithms.names.join(', ')}`,
        value: name,
        allowed: algorithms.names,
      };
    }
    return {
      algorithm: named ?? algorithms.default,
      target,
      clientAddress: trust.clientAddress(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']),
    };
  }

  /**
   * The route's backend from the pool's current snapshot (less `tried`, the backends that
   * already failed this request), or undefined when none is eligible; counts the adaptive
   * selector's choice and, on a first attempt, the request that found no backend.
   */
  pick(route: Route, tried?: readonly RoutableBackend[]): RoutableBackend | undefined {
    const snapshot = this.deps.pool.eligible();
    const candidates = tried === undefined ? snapshot : snapshot.filter((backend) => !tried.includes(backend));
    const { algorithm } = route;
    const backend = algorithm.pick(candidates, route.clientAddress);
    if (backend === undefined) {
      if (tried === undefined) counter(this.noBackend, algorithm.name, () => this.deps.metrics.noBackendTotal.labels({ algorithm: algorithm.name })).inc();
      return undefined;
    }
    if (algorithm instanceof Adaptive) {
      // Adaptive's own type of choice: @lbpoc/metrics' ADAPTIVE_CHOICES must hold each one, or this fails to compile.
      const choice = algorithm.lastUsed;
      counter(this.adaptiveChoices, choice, () => this.deps.metrics.adaptiveDecisionsTotal.labels({ choice })).inc();
    }
    return backend;
  }
}

export function isRefusal(route: Route | RouteRefusal): route is RouteRefusal {
  return 'error' in route;
}

/** A bound prom-client child per label value: no label-set hashing per request. */
function counter(cache: Map<string, { inc(): void }>, key: string, create: () => { inc(): void }): { inc(): void } {
  let child = cache.get(key);
  if (child === undefined) cache.set(key, (child = create()));
  return child;
}
