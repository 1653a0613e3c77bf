import type { Server } from 'node:http';
import type { BalancerMetrics } from '@lbpoc/metrics';
import { drainHttpServer } from '@lbpoc/service-kit';
import { createProxyServer } from 'http-proxy-3';
import type { Logger } from 'pino';
import type { ClientRateLimiter } from './clients/rate-limiter.js';
import type { BalancerConfig } from './config/config.js';
import { createFrontDoor } from './front-door/front-door.js';
import type { TrafficServer } from './front-door/traffic-server.js';
import { createProxyHandler } from './proxy/request-handler.js';
import type { RequestRecorder } from './proxy/request-recorder.js';
import { createUpstreamAgent } from './proxy/upstream-agent.js';
import { createUpgradeHandler } from './proxy/websocket-handler.js';
import type { AlgorithmSet } from './routing/algorithm-set.js';
import type { RequestPool } from './routing/request-pool.js';
import { Router } from './routing/request-route.js';

export interface TrafficPathDeps {
  readonly config: BalancerConfig;
  readonly pool: RequestPool;
  readonly algorithms: AlgorithmSet;
  readonly metrics: BalancerMetrics;
  readonly recorder: RequestRecorder;
  readonly log: Logger;
  /** The rate limiter, when worker threads share one; default: the front door's own. */
  readonly rateLimiter?: ClientRateLimiter;
}

/** The traffic port and everything behind it, not yet listening. */
export interface TrafficPath {
  /** The traffic port: HTTP, or HTTPS when TLS is configured. */
  readonly server: TrafficServer;
  /** `TLS_REDIRECT_PORT`'s plain listener, when configured. */
  readonly redirect: Server | undefined;
  /**
   * Graceful stop: no new connections, in-flight requests finish (idle keep-alive clients
   * are closed as they go idle), then, at `deadlineMs`, whatever is left is cut. Resolves
   * true when everything finished in time.
   */
  drain(deadlineMs: number): Promise<boolean>;
}

/**
 * Wires the request path: front door -> routing -> the pick -> undici (plain requests) or
 * http-proxy-3 (upgrades) -> metrics. One per process, or one per worker thread.
 */
export function createTrafficPath(deps: TrafficPathDeps): TrafficPath {
  const { config, pool, algorithms, metrics, log } = deps;
  // Plain requests go over undici's keep-alive pools (the measured fastest path: see
  // BENCHMARKS.md); upgrades (WebSocket) over http-proxy-3, each on a connection of its own.
  const upstream = createUpstreamAgent({ connectTimeoutMs: config.connectTimeoutMs });
  // `toProxy`: the request target goes out as the client sent it (see routing/request-target.ts).
  // Otherwise http-proxy-3 re-parses it as a WHATWG URL, which rewrites it (`/a/../b` to
  // `/b`, `/\host/x` to `/x`) and throws on some (`/\`), inside the upgrade listener.
  const proxy = createProxyServer({ connectTimeout: config.connectTimeoutMs, toProxy: true });
  // http-proxy-3 throws when an error has no listener; every call passes its own callback, this is the backstop.
  proxy.on('error', (error) => log.error({ err: error.message }, 'proxy error outside a request'));
  const router = new Router({ pool, algorithms, trust: config.trustedProxies, metrics });

  let draining = false;
  const handler = createProxyHandler({
    pool,
    algorithms,
    router,
    upstream,
    metrics,
    recorder: deps.recorder,
    trust: config.trustedProxies,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    log,
    draining: () => draining,
    maxBodyBytes: config.frontDoor.maxBodyBytes,
    retries: config.retries,
  });
  const { server, redirect } = createFrontDoor(config.frontDoor, {
    trust: config.trustedProxies,
    metrics,
    handler,
    upgrade: createUpgradeHandler({ pool, router, proxy, trust: config.trustedProxies, log }),
    ...(deps.rateLimiter && { rateLimiter: deps.rateLimiter }),
  });

  const drain = async (deadlineMs: number): Promise<boolean> => {
    draining = true;
    redirect?.close();
    redirect?.closeAllConnections();
    // Keep-alive clients between requests are closed as they go idle; requests in flight continue.
    const result = await drainHttpServer(server, { timeoutMs: deadlineMs });
    await upstream.destroy();
    return result.clean;
  };
  return { server, redirect, drain };
}
