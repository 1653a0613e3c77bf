import { fileURLToPath } from 'node:url';
import { isMainThread, workerData } from 'node:worker_threads';
import { ConfigError, configOrExit, exitOnConfigError, ListenError, type Listener, shutdownOnSignals } from '@lbpoc/service-kit';
import { type Balancer, startBalancer } from './balancer.js';
import { type BalancerConfig, loadConfig } from './config/config.js';
import { createLogger } from './logger.js';
import type { WorkerStart } from './workers/messages.js';
import { startPrimary } from './workers/primary.js';
import { runWorker } from './workers/worker-thread.js';

declare const __VERSION__: string;

const SERVICE = 'lbpoc-balancer';

/**
 * The balancer process: validate the environment (a bad variable exits 2 naming it),
 * start (a port that cannot be bound exits 1 naming its variable), and on SIGTERM/SIGINT
 * drain in-flight requests, then exit 0 (1 if some had to be cut at the deadline). A
 * second signal exits at once. With `WORKERS` above 1 this thread is the primary and this
 * same file runs in each worker thread.
 */
async function main(): Promise<void> {
  const config = configOrExit(SERVICE, (warn) => loadConfig(process.env, warn));
  const log = createLogger(config.logLevel);
  const version = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
  const starting: Promise<Balancer> =
    config.workers > 1 ? startPrimary(config, log, version, fileURLToPath(import.meta.url)) : startBalancer(config, log, version);
  shutdownOnSignals({
    // Listening for signals before the start finishes: a stop during the start (an
    // orchestrator giving up on it) waits for it, then drains like any other.
    drain: async () => {
      const cut = await (await starting).close();
      return cut > 0 ? { clean: false, cutRequests: cut } : { clean: true };
    },
    report: (step) => {
      if (step.step === 'draining') log.info({ signal: step.signal, timeout_ms: config.shutdownTimeoutMs }, 'shutting down: draining in-flight requests');
      else if (step.step === 'drained') log.info('drained, exiting');
      else if (step.step === 'cut') log.warn({ cut: step.cutRequests }, 'shutdown deadline reached: requests cut');
      else if (step.step === 'failed') log.error({ err: String(step.error) }, 'shutdown failed');
      else log.warn({ signal: step.signal }, 'second signal: exiting now');
    },
  });
  await starting.catch((error: Error) => {
    // A module of ALGORITHM_MODULES that cannot be used, or a DEFAULT_ALGORITHM none of them names: exit 2, naming it.
    if (error instanceof ConfigError) exitOnConfigError(SERVICE, error);
    const listen = ListenError.from(error, listeners(config));
    log.fatal({ err: (listen ?? error).message, ...(listen && { variable: listen.variable, code: listen.code }) }, 'could not start');
    process.exit(1);
  });
}

/** The listeners the configuration asks for, named by their variables. */
function listeners(config: BalancerConfig): Listener[] {
  const redirectPort = config.frontDoor.tls?.redirectPort;
  return [
    { variable: 'PORT', hostVariable: 'HOST', host: config.host, port: config.port },
    { variable: 'METRICS_PORT', hostVariable: 'METRICS_HOST', host: config.metricsHost, port: config.metricsPort },
    ...(redirectPort === undefined ? [] : [{ variable: 'TLS_REDIRECT_PORT', hostVariable: 'HOST', host: config.host, port: redirectPort }]),
  ];
}

if (isMainThread) void main();
else void runWorker(workerData as WorkerStart);
