import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { type BalancerMetrics, createBalancerMetrics } from '@lbpoc/metrics';
import { BackendPool } from '@lbpoc/registry';
import { createProxyServer } from 'http-proxy-3';
import type { Logger } from 'pino';
import { createAdminServer } from './admin-server.js';
import { AlgorithmSet } from './algorithm-set.js';
import type { BalancerConfig } from './config.js';
import { createDiscoverySource } from './discovery-source.js';
import { createFrontDoor } from './front-door.js';
import { watchPool } from './pool-metrics.js';
import { createProxyHandler } from './proxy-handler.js';
import { RequestRecorder } from './request-recorder.js';
import { Router } from './request-route.js';
import type { TrafficServer } from './traffic-server.js';
import { createUpstreamAgent } from './upstream-agent.js';
import { createUpgradeHandler } from './websocket-handler.js';

export interface Balancer {
  readonly pool: BackendPool;
  readonly metrics: BalancerMetrics;
  /** The traffic port: HTTP, or HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set. */
  readonly server: TrafficServer;
  readonly admin: Server;
  /** Bound port of the plain-HTTP redirect to https (TLS_REDIRECT_PORT), if any. */
  readonly redirectPort: number | undefined;
  /** Bound ports (useful when the config asked for port 0). */
  readonly port: number;
  readonly metricsPort: number;
  /**
   * Graceful stop: refuse new connections, let in-flight requests finish (up to
   * `shutdownTimeoutMs`, then cut them), close the pool and the admin port.
   * Resolves to the number of requests that had to be cut.
   */
  close(): Promise<number>;
}

/** Wires config -> registry -> algorithms -> http-proxy-3 -> metrics, and starts listening. */
export async function startBalancer(config: BalancerConfig, log: Logger, version = 'dev'): Promise<Balancer> {
  const metrics = createBalancerMetrics({ version });
  const pool = new BackendPool(createDiscoverySource(config.discovery, log), config.pool);
  const algorithms = new AlgorithmSet(config.defaultAlgorithm, () => performance.now(), Date.now());
  const recorder = new RequestRecorder(metrics);
  // Plain requests go over undici's keep-alive pools (the measured fastest path: see
  // BENCHMARKS.md); upgrades (WebSocket) over http-proxy-3, each on a connection of its own.
  const upstream = createUpstreamAgent({ connectTimeoutMs: config.connectTimeoutMs });
  // `toProxy`: the request target goes out as the client sent it (see request-target.ts).
  // Otherwise http-proxy-3 re-parses it as a WHATWG URL, which rewrites it (`/a/../b` to
  // `/b`, `/\host/x` to `/x`) and throws on some (`/\`), inside the upgrade listener.
  const proxy = createProxyServer({ connectTimeout: config.connectTimeoutMs, toProxy: true });
  const router = new Router({ pool, algorithms, trust: config.trustedProxies, metrics });
  // http-proxy-3 throws when an error has no listener; every call passes its own callback, this is the backstop.
  proxy.on('error', (error) => log.error({ err: error.message }, 'proxy error outside a request'));

  let accepting = true;
  const handler = createProxyHandler({
    pool,
    algorithms,
    router,
    upstream,
    metrics,
    recorder,
    trust: config.trustedProxies,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    log,
    draining: () => !accepting,
    maxBodyBytes: config.frontDoor.maxBodyBytes,
  });
  const { server, redirect } = createFrontDoor(config.frontDoor, {
    trust: config.trustedProxies,
    metrics,
    handler,
    upgrade: createUpgradeHandler({ pool, router, proxy, trust: config.trustedProxies, log }),
  });
  const admin = createAdminServer({ pool, metrics, algorithms, accepting: () => accepting, adminToken: config.adminToken, log });
  const stopWatching = watchPool(pool, metrics, recorder, log);

  await pool.start();
  server.listen(config.port, config.host);
  admin.listen(config.metricsPort, config.metricsHost);
  redirect?.listen(config.frontDoor.tls?.redirectPort, config.host);
  await Promise.all([once(server, 'listening'), once(admin, 'listening'), redirect && once(redirect, 'listening')]);
  const port = (server.address() as AddressInfo).port;
  const metricsPort = (admin.address() as AddressInfo).port;
  const redirectPort = redirect && (redirect.address() as AddressInfo).port;
  log.info(
    {
      port,
      metrics_port: metricsPort,
      discovery: config.discovery.kind,
      backends: pool.all().map((b) => b.id),
      default_algorithm: config.defaultAlgorithm,
      tls: config.frontDoor.tls !== undefined,
      redirect_port: redirectPort,
      rate_limit: config.frontDoor.rateLimit ?? 'off',
      admin_writes: config.adminToken !== undefined,
    },
    'balancer listening',
  );

  let closing: Promise<number> | undefined;
  const close = () =>
    (closing ??= (async () => {
      accepting = false;
      redirect?.close();
      redirect?.closeAllConnections();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Keep-alive clients between requests are closed as they go idle; requests in flight continue.
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      const deadline = new Promise<'deadline'>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs, 'deadline').unref());
      const result = await Promise.race([drained.then(() => 'drained' as const), deadline]);
      clearInterval(idleSweep);
      const cut = result === 'deadline' ? pool.all().reduce((sum, backend) => sum + backend.inFlight, 0) : 0;
      if (result === 'deadline') server.closeAllConnections();
      stopWatching();
      await upstream.destroy();
      await pool.close();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
      admin.closeAllConnections();
      return cut;
    })());

  return { pool, metrics, server, admin, redirectPort, port, metricsPort, close };
}
