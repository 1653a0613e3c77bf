import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { BalancerMetrics, RejectionReason } from '@lbpoc/metrics';
import { capConnectionsPerClient } from '../clients/connections-per-client.js';
import { type ClientRateLimiter, RateLimiter } from '../clients/rate-limiter.js';
import type { TrustedProxies } from '../clients/trusted-proxies.js';
import type { FrontDoorConfig } from './front-door-config.js';
import { possibleRejections } from './possible-rejections.js';
import type { RejectionCounter } from './rejection-counter.js';
import { guardRequests, guardUpgrades } from './request-guard.js';
import { createTlsRedirectServer } from './tls-redirect.js';
import { createTrafficServer, type TrafficServer } from './traffic-server.js';
import { closeIdleUpgrades } from './websocket-idle.js';

export interface FrontDoorDeps {
  readonly trust: TrustedProxies;
  readonly metrics: BalancerMetrics;
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  readonly upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** The rate limiter to use when `RATE_LIMIT_RPS` is set (worker threads share one); default: this process's own. */
  readonly rateLimiter?: ClientRateLimiter;
}

export interface FrontDoor {
  /** The traffic port: HTTP, or HTTPS with TLS configured. */
  readonly server: TrafficServer;
  /** `TLS_REDIRECT_PORT`'s plain listener, when configured; not yet listening. */
  readonly redirect: Server | undefined;
}

/**
 * Everything between a client and the proxy handler: the traffic server with its limits
 * (TLS, header size, timeouts, connection caps overall and per client), the rate limit
 * and body-size checks, the idle timeout of WebSockets, the optional https redirect, and
 * the counting of what was refused.
 */
export function createFrontDoor(config: FrontDoorConfig, deps: FrontDoorDeps): FrontDoor {
  // Bound children: prom-client would hash the label set on every rejection otherwise.
  const counters = new Map<RejectionReason, { inc(value?: number): void }>();
  const counterOf = (reason: RejectionReason) => {
    let counter = counters.get(reason);
    if (counter === undefined) counters.set(reason, (counter = deps.metrics.rejectedRequestsTotal.labels({ reason })));
    return counter;
  };
  const count: RejectionCounter = (reason) => counterOf(reason).inc();
  // Every reason this configuration can produce is exported from the start, at 0: a series
  // that first appears at 1 hides that first rejection from rate() and increase().
  for (const reason of possibleRejections(config)) counterOf(reason).inc(0);
  const guard = {
    rateLimiter: config.rateLimit === undefined ? undefined : (deps.rateLimiter ?? new RateLimiter(config.rateLimit)),
    maxBodyBytes: config.maxBodyBytes,
    trust: deps.trust,
    count,
  };
  const server = createTrafficServer(config, guardRequests(guard, deps.handler), count);
  if (config.maxConnectionsPerClient > 0) {
    capConnectionsPerClient(
      server,
      { max: config.maxConnectionsPerClient, ipv6Prefix: config.clientIpv6Prefix, exempt: (peer) => deps.trust.isTrusted(peer) },
      count,
    );
  }
  const upgrade = config.websocketIdleTimeoutMs > 0 ? closeIdleUpgrades(deps.upgrade, config.websocketIdleTimeoutMs, count) : deps.upgrade;
  server.on('upgrade', guardUpgrades(guard, upgrade));
  const redirect = config.tls?.redirectPort === undefined ? undefined : createTlsRedirectServer(config, () => (server.address() as AddressInfo).port, count);
  return { server, redirect };
}
