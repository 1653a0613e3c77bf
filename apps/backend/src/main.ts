import { hostname } from 'node:os';
import { createBackendApp } from './app.js';
import { loadConfig } from './config.js';
import { formatDelay } from './delay.js';
import { ListenError } from './listen-error.js';
import { jsonLog } from './log.js';

/*
 * The backend's entry point: read the environment, start, and drain on SIGTERM/SIGINT.
 * Configuration and bind errors are a person's to fix, so they print one line per
 * problem on stderr and exit 1, without a stack trace.
 */

const log = jsonLog();
const fail = (message: string): void => {
  process.stderr.write(`lbpoc backend: ${message}\n`);
  process.exitCode = 1;
};

const loaded = loadConfig(process.env, { hostname: hostname() });
if (!loaded.ok) {
  for (const error of loaded.errors) fail(error.message);
} else {
  const { config } = loaded;
  const app = createBackendApp({ config });
  app.listen().then(
    ({ port, metricsPort }) => {
      log('listening', {
        server_id: config.serverId,
        host: config.host,
        port,
        metrics_port: metricsPort,
        simulated_delay: formatDelay(config.delay),
        error_rate: config.errorRate,
      });
      let signalled = false;
      const onSignal = (signal: NodeJS.Signals): void => {
        if (signalled) {
          log('second signal, exiting without waiting', { signal, in_flight: app.inFlight });
          process.exit(1);
        }
        signalled = true;
        log('draining', { signal, in_flight: app.inFlight, timeout_ms: config.shutdownTimeoutMs });
        void app.shutdown().then((result) => {
          if (result.clean) {
            log('drained, exiting');
            process.exit(0);
          }
          log('shutdown deadline passed, requests cut off', { cut_requests: result.cutRequests });
          process.exit(1);
        });
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    },
    (error: unknown) => {
      if (error instanceof ListenError) fail(error.message);
      else throw error;
    },
  );
}
