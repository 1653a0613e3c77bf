import { fileURLToPath } from 'node:url';
import { isMainThread, workerData } from 'node:worker_threads';
import { type Balancer, startBalancer } from './balancer.js';
import { ConfigError } from './config-error.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startPrimary } from './workers/primary.js';
import type { WorkerStart } from './workers/messages.js';
import { runWorker } from './workers/worker-thread.js';

declare const __VERSION__: string;

/**
 * The balancer process: validate the environment (a bad variable exits 2 naming it),
 * start, and on SIGTERM/SIGINT drain in-flight requests, then exit 0 (1 if some had to
 * be cut at the deadline). A second signal exits at once. With `WORKERS` above 1 this
 * thread is the primary and this same file runs in each worker thread.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`lbpoc-balancer: invalid configuration\n${error.message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  const version = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
  const starting: Promise<Balancer> =
    config.workers > 1 ? startPrimary(config, log, version, fileURLToPath(import.meta.url)) : startBalancer(config, log, version);
  const balancer = await starting.catch((error: Error) => {
    log.fatal({ err: error.message }, 'could not start');
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, timeout_ms: config.shutdownTimeoutMs }, 'shutting down: draining in-flight requests');
    void balancer.close().then((cut) => {
      if (cut > 0) log.warn({ cut }, 'shutdown deadline reached: requests cut');
      else log.info('drained, exiting');
      process.exitCode = cut > 0 ? 1 : 0;
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (isMainThread) void main();
else void runWorker(workerData as WorkerStart);
