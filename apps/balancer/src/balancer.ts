import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BalancerMetrics, createBalancerMetrics } from '@lbpoc/metrics';
import { BackendPool } from '@lbpoc/registry';
import type { Logger } from 'pino';
import { createAdminServer } from './admin/admin-server.js';
import type { BalancerConfig } from './config/config.js';
import type { TrafficServer } from './front-door/traffic-server.js';
import { loadAwareInUse } from './load/load-aware-in-use.js';
import { LoadProber } from './load/load-prober.js';
import { createDiscoverySource } from './pool/discovery-source.js';
import { watchPool } from './pool/pool-metrics.js';
import { RequestRecorder } from './proxy/request-recorder.js';
import { watchAlgorithmGauges } from './routing/algorithm-gauges.js';
import { loadAlgorithmModules } from './routing/algorithm-modules.js';
import { AlgorithmSet } from './routing/algorithm-set.js';
import { reportPluginFaults } from './routing/plugin-faults.js';
import { TrafficWindows } from './status-page/traffic-windows.js';
import { createTrafficPath } from './traffic-path.js';

export interface Balancer {
  readonly pool: BackendPool;
  readonly metrics: BalancerMetrics;
  /** The traffic port: HTTP, or HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set; undefined with worker threads (each has its own). */
  readonly server: TrafficServer | undefined;
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

/** Wires config -> registry -> algorithms -> the traffic path -> metrics, and starts listening (one process, one thread). */
export async function startBalancer(config: BalancerConfig, log: Logger, version = 'dev'): Promise<Balancer> {
  const plugins = await loadAlgorithmModules(config);
  const metrics = createBalancerMetrics({ version });
  const pool = new BackendPool(createDiscoverySource(config.discovery, log), config.pool);
  const algorithms = new AlgorithmSet(config.defaultAlgorithm, () => performance.now(), Date.now(), {
    plugins,
    onPluginFault: reportPluginFaults(metrics, log),
  });
  watchAlgorithmGauges(algorithms, metrics);
  const traffic = new TrafficWindows(); // the status page's last seconds of requests
  const recorder = new RequestRecorder(metrics, traffic);
  const { server, redirect, drain } = createTrafficPath({ config, pool, algorithms, metrics, recorder, log });
  let accepting = true;
  const admin = createAdminServer({ pool, metrics, algorithms, accepting: () => accepting, adminToken: config.adminToken, log, traffic });
  const stopWatching = watchPool(pool, metrics, recorder, log);
  const prober = new LoadProber(pool, metrics, config.loadProbe, () => loadAwareInUse(algorithms, traffic));

  await pool.start();
  prober.start();
  server.listen(config.port, config.host);
  admin.listen(config.metricsPort, config.metricsHost);
  redirect?.listen(config.frontDoor.tls?.redirectPort, config.host);
  await Promise.all([once(server, 'listening'), once(admin, 'listening'), redirect && once(redirect, 'listening')]);
  const port = (server.address() as AddressInfo).port;
  const metricsPort = (admin.address() as AddressInfo).port;
  const redirectPort = redirect && (redirect.address() as AddressInfo).port;
  logListening(log, config, { port, metricsPort, redirectPort, backends: pool.all().map((b) => b.id), workers: 1 });

  let closing: Promise<number> | undefined;
  const close = () =>
    (closing ??= (async () => {
      accepting = false;
      const inTime = await drain(config.shutdownTimeoutMs);
      const cut = inTime ? 0 : pool.all().reduce((sum, backend) => sum + backend.inFlight, 0);
      stopWatching();
      await prober.close();
      await pool.close();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
      admin.closeAllConnections();
      return cut;
    })());

  return { pool, metrics, server, admin, redirectPort, port, metricsPort, close };
}

/** The start-up line: where it listens and what it runs with. */
export function logListening(
  log: Logger,
  config: BalancerConfig,
  at: { port: number; metricsPort: number; redirectPort: number | undefined; backends: readonly string[]; workers: number },
): void {
  log.info(
    {
      port: at.port,
      metrics_port: at.metricsPort,
      workers: at.workers,
      discovery: config.discovery.kind,
      backends: at.backends,
      default_algorithm: config.defaultAlgorithm,
      ...(config.algorithmModules.length > 0 && { algorithm_modules: config.algorithmModules }),
      tls: config.frontDoor.tls !== undefined,
      redirect_port: at.redirectPort,
      rate_limit: config.frontDoor.rateLimit ?? 'off',
      admin_writes: config.adminToken !== undefined,
    },
    'balancer listening',
  );
}
