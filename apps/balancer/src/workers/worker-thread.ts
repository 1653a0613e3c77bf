import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { parentPort } from 'node:worker_threads';
import { createBalancerMetrics } from '@lbpoc/metrics';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logger.js';
import { RequestRecorder } from '../proxy/request-recorder.js';
import { watchAlgorithmGauges } from '../routing/algorithm-gauges.js';
import { loadAlgorithmModules } from '../routing/algorithm-modules.js';
import { AlgorithmSet } from '../routing/algorithm-set.js';
import { reportPluginFaults } from '../routing/plugin-faults.js';
import { TrafficWindows } from '../status-page/traffic-windows.js';
import { reportTraffic } from '../status-page/worker-traffic.js';
import { createTrafficPath } from '../traffic-path.js';
import type { FromWorker, MetricsJson, ToWorker, WorkerStart } from './messages.js';
import { SharedInFlight } from './shared-in-flight.js';
import { SharedRateLimiter } from './shared-rate-limiter.js';
import { WorkerPool } from './worker-pool.js';

/**
 * One worker thread: the traffic path (front door, routing, picks, forwarding, its own
 * request metrics) on the shared port, in front of the primary's pool as it publishes it.
 * The configuration is read again from the environment the thread inherited, so the
 * primary and its workers cannot disagree about it.
 */
export async function runWorker(start: WorkerStart): Promise<void> {
  const port = parentPort!;
  const send = (message: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel).child({ worker: start.index });
  // Process-wide figures (CPU, heap, event loop) are the primary's to export, once.
  const metrics = createBalancerMetrics({ version: start.version, defaultMetrics: false });
  const shared = new SharedInFlight(start.maxWorkers, start.inFlight);
  const pool = new WorkerPool(start.index, shared, (events) => send({ type: 'requests', events }, [events.buffer as ArrayBuffer]), start.eligible);
  const plugins = await loadAlgorithmModules(config);
  const algorithms = new AlgorithmSet(start.defaultAlgorithm, () => performance.now(), Date.now() + start.index, {
    plugins,
    onPluginFault: reportPluginFaults(metrics, log),
  });
  watchAlgorithmGauges(algorithms, metrics);
  const rateLimit = config.frontDoor.rateLimit;
  const rateLimiter = rateLimit === undefined || start.rateLimit === undefined ? undefined : new SharedRateLimiter(rateLimit, start.rateLimit);
  const traffic = new TrafficWindows(); // the status page's figures, sent to the primary each second
  const { server, redirect, drain } = createTrafficPath({
    config,
    pool,
    algorithms,
    metrics,
    recorder: new RequestRecorder(metrics, traffic),
    log,
    ...(rateLimiter && { rateLimiter }),
  });
  const stopReporting = reportTraffic(traffic, metrics, (second) => send({ type: 'traffic', second }, [second.counts.buffer as ArrayBuffer]));

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'pool':
        pool.update(message.eligible);
        return;
      case 'load':
        pool.applyProbes(message.reports);
        return;
      case 'default-algorithm':
        algorithms.setDefault(message.name);
        return;
      case 'collect-metrics':
        void metrics.registry.getMetricsAsJSON().then((json) => send({ type: 'metrics', request: message.request, metrics: json as MetricsJson }));
        return;
      case 'shutdown':
        void drain(config.shutdownTimeoutMs).then((inTime) => {
          pool.flush();
          stopReporting();
          send({ type: 'drained', inTime });
          port.close();
        });
        return;
    }
  });

  server.listen({ port: start.port, host: config.host, reusePort: true });
  redirect?.listen({ port: start.redirectPort, host: config.host, reusePort: true });
  await Promise.all([once(server, 'listening'), redirect && once(redirect, 'listening')]);
  send({ type: 'listening', port: (server.address() as AddressInfo).port, redirectPort: redirect && (redirect.address() as AddressInfo).port });
}
